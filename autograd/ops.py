"""The op table: every primitive's forward value and local derivatives, in one place.

A rule takes the parents' data (plain floats, then any number parameters) and returns
``(data, local_grads)``: the node's value and ∂node/∂parent for each parent, in order.
Rules never touch gradients; the engine alone applies ``parent.grad += local * node.grad``.

Everything else (``-``, ``/``, reflected operators, softmax, losses) is built from these.
The tests iterate over :data:`OPS`, so a primitive registered here is gradient-checked
the moment it exists.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

Rule = Callable[..., "tuple[float, tuple[float, ...]]"]


@dataclass(frozen=True)
class Op:
    """A primitive: its rule plus what the tests need to exercise it.

    Attributes:
        name: the op's name, stored on every node it makes (``node.op``).
        rule: ``rule(*parent_data, *params) -> (data, local_grads)``.
        arities: parent counts to test (one entry for fixed-arity ops).
        domain: the interval the rule is smooth on, where inputs are sampled.
        params: intervals of the number parameters (the exponent of ``x ** n``).
        kinks: points where the derivative jumps; finite differences must keep away.
    """

    name: str
    rule: Rule
    arities: tuple[int, ...] = (1,)
    domain: tuple[float, float] = (-3.0, 3.0)
    params: tuple[tuple[float, float], ...] = ()
    kinks: tuple[float, ...] = ()


OPS: dict[str, Op] = {}


def primitive(name: str, **spec) -> Callable[[Rule], Rule]:
    """Register ``rule`` in :data:`OPS` under ``name``."""

    def register(rule: Rule) -> Rule:
        OPS[name] = Op(name, rule, **spec)
        return rule

    return register


# Shared so that the many `+` nodes of a big graph do not each own a copy.
_ONES = (1.0, 1.0)


@primitive("+", arities=(2,))
def add(x: float, y: float):
    """d(x + y)/dx = 1, d(x + y)/dy = 1"""
    return x + y, _ONES


@primitive("*", arities=(2,))
def mul(x: float, y: float):
    """d(x * y)/dx = y, d(x * y)/dy = x"""
    return x * y, (y, x)


@primitive("**n", domain=(0.2, 3.0), params=((-3.0, 3.0),))
def power(x: float, n: float):
    """d(x ** n)/dx = n * x ** (n - 1), for a number exponent n"""
    if x == 0.0 and n < 0:
        raise ZeroDivisionError(f"0 ** {n:g} is undefined: it divides by zero")
    if x < 0.0 and not float(n).is_integer():
        raise ValueError(f"{x!r} ** {n:g}: a negative base to a non-integer power is not real")
    if n == 0:
        return 1.0, (0.0,)
    if x == 0.0 and n < 1:
        # The one-sided limit, as PyTorch gives for sqrt(0).
        return 0.0, (math.inf,)
    try:
        return x**n, (n * x ** (n - 1),)
    except OverflowError:
        raise OverflowError(f"{x!r} ** {n:g} is too large for a float") from None


@primitive("**", arities=(2,), domain=(0.2, 3.0))
def power_value(x: float, y: float):
    """d(x ** y)/dx = y * x ** (y - 1), d(x ** y)/dy = x ** y * log(x), for x > 0"""
    if x <= 0.0:
        raise ValueError(
            f"{x!r} ** (a Value): the base must be positive when the exponent is a Value,"
            " because d/dy x**y = x**y * log(x)"
        )
    try:
        out = x**y
        return out, (y * x ** (y - 1), out * math.log(x))
    except OverflowError:
        raise OverflowError(f"{x!r} ** {y!r} is too large for a float") from None


@primitive("exp")
def exp(x: float):
    """d/dx exp(x) = exp(x)"""
    try:
        e = math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp({x!r}) is too large for a float (limit is about exp(709.78))") from None
    return e, (e,)


@primitive("log", domain=(0.05, 5.0))
def log(x: float):
    """d/dx log(x) = 1 / x, for x > 0"""
    if x <= 0.0:
        raise ValueError(f"log({x!r}) is undefined: log needs a positive number")
    return math.log(x), (1.0 / x,)


@primitive("tanh")
def tanh(x: float):
    """d/dx tanh(x) = 1 - tanh(x)^2"""
    t = math.tanh(x)
    return t, (1.0 - t * t,)


@primitive("sigmoid")
def sigmoid(x: float):
    """d/dx σ(x) = σ(x) (1 - σ(x)), with σ(x) = 1 / (1 + e^-x)"""
    # Two forms so that exp only ever sees a non-positive number: no overflow.
    if x >= 0.0:
        s = 1.0 / (1.0 + math.exp(-x))
    else:
        e = math.exp(x)
        s = e / (1.0 + e)
    return s, (s * (1.0 - s),)


@primitive("relu", kinks=(0.0,))
def relu(x: float):
    """d/dx relu(x) = 1 if x > 0 else 0 (0 at x = 0, as PyTorch)"""
    if x > 0.0:
        return x, (1.0,)
    return 0.0, (0.0,)


@primitive("abs", kinks=(0.0,))
def absolute(x: float):
    """d/dx |x| = sign(x) (0 at x = 0, as PyTorch)"""
    if x > 0.0:
        return x, (1.0,)
    if x < 0.0:
        return -x, (-1.0,)
    return 0.0, (0.0,)


@primitive("sum", arities=(1, 2, 5))
def total(*xs: float):
    """d(Σ x_i)/dx_j = 1"""
    return math.fsum(xs), (1.0,) * len(xs)


@primitive("dot", arities=(2, 4, 10))
def dot(*wx: float):
    """Σ w_i x_i over parents (w_1..w_n, x_1..x_n): d/dw_i = x_i, d/dx_i = w_i"""
    n = len(wx) // 2
    ws, xs = wx[:n], wx[n:]
    return sum(map(float.__mul__, ws, xs)), xs + ws


@primitive("linear", arities=(3, 5, 11))
def linear(*wxb: float):
    """b + Σ w_i x_i over parents (w_1..w_n, x_1..x_n, b): d/dw_i = x_i, d/dx_i = w_i, d/db = 1"""
    n = len(wxb) // 2
    ws, xs = wxb[:n], wxb[n:-1]
    return wxb[-1] + sum(map(float.__mul__, ws, xs)), xs + ws + (1.0,)
