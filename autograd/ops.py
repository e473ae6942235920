"""The op table: every primitive's value and local derivatives, in one place.

Each entry of :data:`OPS` says everything about one primitive:

- ``rule(*xs, *params) -> (data, local_grads)``: the fast float form the eager engine runs.
  It returns the node's value and ∂node/∂parent for each parent, in order. Rules never
  touch gradients; the engine alone applies ``parent.grad += local * node.grad``.
- ``forward(m, *xs, *params)`` and ``grads(m, out, *xs, *params)``: the same maths written
  once against a namespace ``m`` of elementary functions, so it runs on numpy arrays
  (:data:`NUMPY`, for ``autograd.compile``) and on ``Value`` graphs (:data:`VALUES`, for
  gradients of gradients). A test generated from the table checks the three agree.
- what the tests need to exercise it (arities, domain, kinks) and how it is shown.

Everything else (``-``, ``/``, reflected operators, softmax, losses) is built from these,
and everything that lists ops (the expression language, the CLI's help, the README, the
tests, drawing, stepping, compiling) reads this table.

The numeric contract every rule keeps (the README states it for users):

- NaN in, NaN out: no op turns a NaN into a number (``relu(nan)`` is nan).
- Overflow follows IEEE, as PyTorch: ``exp(1000)`` is ``inf``; a finite value whose local
  derivative overflows keeps its value and gets an infinite derivative.
  ``autograd.detect_anomaly()`` raises at the first non-finite value instead.
- Domain errors raise and name the op: ``log`` of x <= 0 (``ValueError``), ``0 ** -n``
  (``ZeroDivisionError``), a negative base to a non-integer power (``ValueError``).
- Kinks take PyTorch's one-sided choice (relu'(0) = abs'(0) = 0), and piecewise ops block
  the upstream where their derivative is 0: an infinite upstream gives 0 there, never NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Rule = Callable[..., "tuple[float, tuple[float, ...]]"]
Generic = Callable[..., Any]

INF = math.inf
NAN = math.nan


@dataclass(frozen=True)
class Op:
    """A primitive: its three forms plus what the tests and displays need.

    Attributes:
        name: the op's name, stored on every node it makes (``node.op``).
        rule: ``rule(*parent_data, *params) -> (data, local_grads)`` on floats.
        forward: ``forward(m, *xs, *params)``, the value on any namespace ``m``.
        grads: ``grads(m, out, *xs, *params)``, the local derivatives on any namespace ``m``.
        arities: parent counts to test (one entry for fixed-arity ops).
        domain: the interval the rule is smooth on, where inputs are sampled.
        params: intervals of the number parameters (the exponent of ``x ** n``).
        kinks: points where the derivative jumps; finite differences must keep away.
        piecewise: a zero local derivative blocks any upstream (as PyTorch's masks do).
        variadic: how many parents an n-ary op takes: ``"any"`` (one or more), ``"pairs"``
            (w_1..w_n, x_1..x_n) or ``"pairs and one"`` (w, x, then b); ``""`` for a fixed arity.
        show: how a node is named in pictures, formatted with its params (``"**{0:g}"``).
        formula: one line of maths for docs and help.
    """

    name: str
    rule: Rule
    forward: Generic
    grads: Generic
    arities: tuple[int, ...] = (1,)
    domain: tuple[float, float] = (-3.0, 3.0)
    params: tuple[tuple[float, float], ...] = ()
    kinks: tuple[float, ...] = ()
    piecewise: bool = False
    variadic: str = ""
    show: str = ""
    formula: str = ""

    @property
    def is_function(self) -> bool:
        """A one-argument op without parameters, callable by name: ``tanh(x)``."""
        return self.name.isidentifier() and self.arities == (1,) and not self.params

    def accepts(self, n: int) -> bool:
        """Whether the op takes ``n`` parents."""
        if self.variadic == "any":
            return n >= 1
        if self.variadic == "pairs":
            return n >= 2 and n % 2 == 0
        if self.variadic == "pairs and one":
            return n >= 3 and n % 2 == 1
        return n in self.arities

    def arity_text(self) -> str:
        """The parents the op takes, in words, for error messages."""
        return {
            "any": "one or more parents",
            "pairs": "an even number of parents (w_1..w_n, then x_1..x_n)",
            "pairs and one": "an odd number of parents, at least 3 (w_1..w_n, x_1..x_n, then b)",
        }.get(self.variadic, f"{self.arities[0]} parent{'s' if self.arities[0] != 1 else ''}")

    def display(self, params: Sequence[float] = ()) -> str:
        """The name a person sees: ``tanh``, ``**2``, ``**0.3333333333333333``."""
        return (self.show or self.name).format(*params)


OPS: dict[str, Op] = {}


def primitive(name: str, forward: Generic, grads: Generic, **spec: Any) -> Callable[[Rule], Rule]:
    """Register ``rule`` in :data:`OPS` under ``name``, with its generic forms."""

    def register(rule: Rule) -> Rule:
        OPS[name] = Op(name, rule, forward, grads, formula=(rule.__doc__ or "").strip(), **spec)
        return rule

    return register


def display(node: Any) -> str:
    """The display name of the op that made ``node`` (``""`` for a leaf)."""
    return OPS[node.op].display(node.params) if node.op else ""


def _pow(x: float, n: float) -> float:
    """``x ** n`` as IEEE has it: overflow and ``0 ** -n`` give ±inf instead of raising."""
    try:
        return float(x**n)
    except (OverflowError, ZeroDivisionError):
        odd = float(n).is_integer() and n % 2 == 1
        return -INF if math.copysign(1.0, x) < 0 and odd else INF


# Shared so that the many `+` nodes of a big graph do not each own a copy.
_ONES = (1.0, 1.0)


@primitive("+", lambda m, x, y: x + y, lambda m, out, x, y: (1.0, 1.0), arities=(2,))
def add(x: float, y: float) -> tuple[float, tuple[float, ...]]:
    """d(x + y)/dx = 1, d(x + y)/dy = 1"""
    return x + y, _ONES


@primitive("*", lambda m, x, y: x * y, lambda m, out, x, y: (y, x), arities=(2,))
def mul(x: float, y: float) -> tuple[float, tuple[float, ...]]:
    """d(x * y)/dx = y, d(x * y)/dy = x"""
    return x * y, (y, x)


@primitive(
    "**n",
    lambda m, x, n: m.pow(x, n),
    lambda m, out, x, n: (n * m.pow(x, n - 1) if n else 0.0,),
    domain=(0.2, 3.0),
    params=((-3.0, 3.0),),
    show="**{0:g}",
)
def power(x: float, n: float) -> tuple[float, tuple[float, ...]]:
    """d(x ** n)/dx = n * x ** (n - 1), for a number exponent n"""
    if x != x or n != n:  # NaN in, NaN out, derivative included (IEEE would give nan ** 0 = 1 ** nan = 1)
        return NAN, (NAN,)
    if n == 0:
        return 1.0, (0.0,)
    if x == 0.0 and n < 0:
        raise ZeroDivisionError(f"0 ** {n!r} is undefined: it divides by zero")
    if x < 0.0 and not float(n).is_integer():
        raise ValueError(f"{x!r} ** {n!r}: a negative base to a non-integer power is not real")
    return _pow(x, n), (n * _pow(x, n - 1),)


@primitive(
    "**",
    lambda m, x, y: m.pow_value(x, y),
    lambda m, out, x, y: (y * m.pow_value(x, y - 1), m.times_log(out, x)),
    arities=(2,),
    domain=(0.2, 3.0),
)
def power_value(x: float, y: float) -> tuple[float, tuple[float, ...]]:
    """d(x ** y)/dx = y * x ** (y - 1), d(x ** y)/dy = x ** y * log(x), for x > 0 (0 ** y: ∂/∂y = 0)"""
    if x != x or y != y:  # NaN in, NaN out (IEEE would give 1 ** nan = 1)
        return NAN, (NAN, NAN)
    if x > 0.0:
        out = _pow(x, y)
        return out, (y * _pow(x, y - 1) if y else 0.0, out * math.log(x))
    if x == 0.0:
        if y > 0.0:  # 0 ** y = 0, with PyTorch's one-sided derivatives: sqrt'(0) = inf, and ∂/∂y = 0
            return 0.0, (y * _pow(x, y - 1), 0.0)
        if y == 0.0:
            return 1.0, (0.0, 0.0)
        raise ZeroDivisionError(f"0 ** {y!r} is undefined: it divides by zero")
    raise ValueError(
        f"{x!r} ** (a Value): the base must be positive when the exponent is a Value,"
        " because d/dy x**y = x**y * log(x); for a fixed exponent use a number or a constant"
    )


@primitive("exp", lambda m, x: m.exp(x), lambda m, out, x: (out,))
def exp(x: float) -> tuple[float, tuple[float, ...]]:
    """d/dx exp(x) = exp(x)"""
    try:
        e = math.exp(x)
    except OverflowError:
        e = INF
    return e, (e,)


@primitive("log", lambda m, x: m.log(x), lambda m, out, x: (x**-1,), domain=(0.05, 5.0))
def log(x: float) -> tuple[float, tuple[float, ...]]:
    """d/dx log(x) = 1 / x, for x > 0"""
    if x <= 0.0:
        raise ValueError(f"log({x!r}) is undefined: log needs a positive number")
    return math.log(x), (1.0 / x,)


@primitive("tanh", lambda m, x: m.tanh(x), lambda m, out, x: (1.0 - out * out,))
def tanh(x: float) -> tuple[float, tuple[float, ...]]:
    """d/dx tanh(x) = 1 - tanh(x)^2"""
    t = math.tanh(x)
    return t, (1.0 - t * t,)


@primitive("sigmoid", lambda m, x: m.sigmoid(x), lambda m, out, x: (out * (1.0 - out),))
def sigmoid(x: float) -> tuple[float, tuple[float, ...]]:
    """d/dx σ(x) = σ(x) (1 - σ(x)), with σ(x) = 1 / (1 + e^-x)"""
    # Two forms so that exp only ever sees a non-positive number: no overflow.
    if x >= 0.0:
        s = 1.0 / (1.0 + math.exp(-x))
    else:
        e = math.exp(x)
        s = e / (1.0 + e)
    return s, (s * (1.0 - s),)


@primitive("relu", lambda m, x: m.relu(x), lambda m, out, x: (m.step(x),), kinks=(0.0,), piecewise=True)
def relu(x: float) -> tuple[float, tuple[float, ...]]:
    """d/dx relu(x) = 1 if x > 0 else 0 (0 at x = 0, as PyTorch)"""
    if x > 0.0:
        return x, (1.0,)
    if x <= 0.0:
        return 0.0, (0.0,)
    return NAN, (NAN,)


@primitive("abs", lambda m, x: m.abs(x), lambda m, out, x: (m.sign(x),), kinks=(0.0,), piecewise=True)
def absolute(x: float) -> tuple[float, tuple[float, ...]]:
    """d/dx |x| = sign(x) (0 at x = 0, as PyTorch)"""
    if x > 0.0:
        return x, (1.0,)
    if x < 0.0:
        return -x, (-1.0,)
    if x == 0.0:
        return 0.0, (0.0,)
    return NAN, (NAN,)


@primitive("step", lambda m, x: m.step(x), lambda m, out, x: (0.0,), kinks=(0.0,), piecewise=True)
def step(x: float) -> tuple[float, tuple[float, ...]]:
    """d/dx step(x) = 0, with step(x) = 1 if x > 0 else 0: relu's derivative as a node of its own"""
    return relu(x)[1][0], (0.0 if x == x else NAN,)


@primitive("sign", lambda m, x: m.sign(x), lambda m, out, x: (0.0,), kinks=(0.0,), piecewise=True)
def sign(x: float) -> tuple[float, tuple[float, ...]]:
    """d/dx sign(x) = 0, with sign(0) = 0: abs's derivative as a node of its own"""
    return absolute(x)[1][0], (0.0 if x == x else NAN,)


@primitive("sin", lambda m, x: m.sin(x), lambda m, out, x: (m.cos(x),))
def sin(x: float) -> tuple[float, tuple[float, ...]]:
    """d/dx sin(x) = cos(x)"""
    if not math.isfinite(x):
        return NAN, (NAN,)
    return math.sin(x), (math.cos(x),)


@primitive("cos", lambda m, x: m.cos(x), lambda m, out, x: (-m.sin(x),))
def cos(x: float) -> tuple[float, tuple[float, ...]]:
    """d/dx cos(x) = -sin(x)"""
    if not math.isfinite(x):
        return NAN, (NAN,)
    return math.cos(x), (-math.sin(x),)


@primitive("sum", lambda m, *xs: m.sum(xs), lambda m, out, *xs: (1.0,) * len(xs), arities=(1, 2, 5), variadic="any")
def total(*xs: float) -> tuple[float, tuple[float, ...]]:
    """d(Σ x_i)/dx_j = 1"""
    try:
        s = math.fsum(xs)  # exact: the order of the terms does not matter
    except (OverflowError, ValueError):  # fsum refuses what IEEE addition gives as ±inf or nan
        s = sum(xs)
    return s, (1.0,) * len(xs)


def _halves(wx: Sequence[Any]) -> tuple[Any, Any]:
    n = len(wx) // 2
    return tuple(wx[:n]), tuple(wx[n : 2 * n])


@primitive(
    "dot",
    lambda m, *wx: m.dot(*_halves(wx)),
    lambda m, out, *wx: _halves(wx)[1] + _halves(wx)[0],
    arities=(2, 4, 10),
    variadic="pairs",
)
def dot(*wx: float) -> tuple[float, tuple[float, ...]]:
    """Σ w_i x_i over parents (w_1..w_n, x_1..x_n): d/dw_i = x_i, d/dx_i = w_i"""
    n = len(wx) // 2
    ws, xs = wx[:n], wx[n:]
    return sum(map(float.__mul__, ws, xs)), xs + ws


@primitive(
    "linear",
    lambda m, *wxb: m.linear(*_halves(wxb[:-1]), wxb[-1]),
    lambda m, out, *wxb: _halves(wxb[:-1])[1] + _halves(wxb[:-1])[0] + (1.0,),
    arities=(3, 5, 11),
    variadic="pairs and one",
)
def linear(*wxb: float) -> tuple[float, tuple[float, ...]]:
    """b + Σ w_i x_i over parents (w_1..w_n, x_1..x_n, b): d/dw_i = x_i, d/dx_i = w_i, d/db = 1"""
    n = len(wxb) // 2
    ws, xs = wxb[:n], wxb[n:-1]
    return wxb[-1] + sum(map(float.__mul__, ws, xs)), xs + ws + (1.0,)


@primitive(
    "logsumexp",
    lambda m, *xs: m.logsumexp(xs),
    lambda m, out, *xs: tuple(m.exp(x - out) for x in xs),
    arities=(1, 2, 5),
    variadic="any",
)
def logsumexp(*xs: float) -> tuple[float, tuple[float, ...]]:
    """log Σ exp(x_i), shifted by the largest x so exp never overflows: d/dx_j = exp(x_j - logsumexp), the softmax"""
    if any(x != x for x in xs):
        return NAN, (NAN,) * len(xs)
    top = max(xs)
    if math.isinf(top):  # +inf wins; all -inf gives -inf; the derivative is nan at inf - inf, as PyTorch's
        return top, tuple(math.exp(x - top) for x in xs)
    exps = [math.exp(x - top) for x in xs]
    total = math.fsum(exps)
    return top + math.log(total), tuple(e / total for e in exps)


# --- the namespaces the generic forms run on ---


class Namespace:
    """Elementary functions for the generic forms: one object per kind of number."""

    def __init__(self, **functions: Callable[..., Any]) -> None:
        self.__dict__.update(functions)

    def __getattr__(self, name: str) -> Any:  # only reached for a missing name
        raise AttributeError(f"this namespace has no {name!r}: add it for every kind of number")


def numpy_namespace() -> Namespace:
    """The namespace for numpy arrays (numpy is imported here, not with ``autograd``)."""
    import numpy as np

    def sigmoid(x: Any) -> Any:
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def power_of(x: Any, n: float) -> Any:  # NaN in, NaN out: numpy gives nan ** 0 = 1
        return np.where(x == x, np.power(x, n), np.nan) if n == n else np.full_like(x, np.nan)

    def pow_value(x: Any, y: Any) -> Any:  # a negative base is a domain error: NaN, so a replay redoes it eagerly
        return np.where((x >= 0) & (y == y), np.power(np.abs(x), y), np.nan)

    def times_log(out: Any, x: Any) -> Any:
        positive = x > 0
        return np.where(positive, out * np.log(np.where(positive, x, 1.0)), np.where(x == 0, 0.0, np.nan))

    def dot(ws: Sequence[Any], xs: Sequence[Any]) -> Any:
        return np.sum([w * x for w, x in zip(ws, xs)], axis=0)

    def linear(ws: Sequence[Any], xs: Sequence[Any], b: Any) -> Any:
        return b + dot(ws, xs)

    def logsumexp(xs: Any) -> Any:
        # a sequence of arrays, or one array whose first axis runs over the terms
        stacked = xs if isinstance(xs, np.ndarray) else np.stack(np.broadcast_arrays(*xs))
        top = stacked.max(axis=0)
        shift = np.where(np.isfinite(top), top, 0.0)
        return np.log(np.exp(stacked - shift).sum(axis=0)) + shift

    return Namespace(
        pow=power_of,
        pow_value=pow_value,
        exp=np.exp,
        log=np.log,
        tanh=np.tanh,
        sin=np.sin,
        cos=np.cos,
        abs=np.abs,
        relu=lambda x: np.maximum(x, 0.0),  # NaN stays NaN
        sigmoid=sigmoid,
        step=lambda x: np.sign(np.maximum(x, 0.0)),
        sign=np.sign,
        times_log=times_log,
        sum=lambda xs: np.sum(xs, axis=0),
        dot=dot,
        linear=linear,
        logsumexp=logsumexp,
    )


def values_namespace() -> Namespace:
    """The namespace for ``Value`` graphs: derivatives that can be differentiated again."""
    from autograd import functions
    from autograd.value import Value, apply, constant

    def times_log(out: Value, x: Value) -> Value:
        """x ** y's ∂/∂y as a graph: out·log(x) for x > 0 (a node a replay recomputes)."""
        if x.data > 0:
            return out * x.log()
        if x.data == 0:  # a constant 0 here would be frozen into a compiled replay: refuse instead
            raise ValueError(
                "∂(0 ** y)/∂y = 0 ** y · log(0) cannot be built as a graph at a zero base"
                " (its value is 0: take it without create_graph)"
            )
        return constant(NAN)  # a negative base only gets here with a NaN exponent

    return Namespace(
        pow=lambda x, n: x**n,
        pow_value=lambda x, y: x**y,
        exp=Value.exp,
        log=Value.log,
        tanh=Value.tanh,
        sin=Value.sin,
        cos=Value.cos,
        abs=Value.__abs__,
        relu=Value.relu,
        sigmoid=Value.sigmoid,
        # Nodes, not numbers read off x: a compiled replay recomputes them from new inputs.
        step=lambda x: apply("step", [x]),
        sign=lambda x: apply("sign", [x]),
        times_log=times_log,
        sum=functions.sum,
        dot=functions.dot,
        linear=functions.linear,
        logsumexp=lambda xs: apply("logsumexp", xs),
    )


_namespaces: dict[str, Namespace] = {}
_MAKERS = {"NUMPY": numpy_namespace, "VALUES": values_namespace}


def __getattr__(name: str) -> Namespace:
    """``ops.NUMPY`` and ``ops.VALUES``, made on first use so that importing stays light."""
    if name in _MAKERS:
        if name not in _namespaces:
            _namespaces[name] = _MAKERS[name]()
        return _namespaces[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
