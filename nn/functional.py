"""Activations and output functions by name, log-sum-exp, softmax and log-softmax — all made of `Value` ops."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence

import autograd
from autograd import Value, as_value

Activation = Callable[[Value], Value]


def _identity(x: Value) -> Value:
    return x


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "relu": Value.relu,
    "linear": _identity,
}


def activation(name: str) -> Activation:
    """The activation called ``name``: one of ``tanh``, ``sigmoid`` (logistic), ``relu``, ``linear``."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}") from None


def logsumexp(values: Sequence[Value | float]) -> Value:
    """log Σ_i e^{a_i} as one node (the op table's ``logsumexp``); ∂/∂a_j = softmax(a)_j.

    The op shifts by the largest input inside its own rule, so ``logsumexp([1000, 0])`` is
    1000 and nothing overflows; because the shift is part of the op, a compiled function
    (``autograd.compile``) recomputes it for every new input instead of freezing it.
    """
    return autograd.logsumexp(values)  # it names an empty sequence itself


def softmax(values: Sequence[Value | float]) -> list[Value]:
    """ŷ_j = e^{a_j} / Σ_i e^{a_i} = exp(a_j − logsumexp(a)), stable for large inputs (``softmax([1000, 0])`` works).

    Every exponent is at most 0, so nothing overflows, and the gradients are the softmax
    Jacobian ∂ŷ_j/∂a_i = ŷ_j (1(i = j) − ŷ_i).
    """
    values = _values(values)
    minus_total = -autograd.logsumexp(values)
    return [(v + minus_total).exp() for v in values]


def log_softmax(values: Sequence[Value | float]) -> list[Value]:
    """log ŷ_j = a_j − logsumexp(a), computed stably (no exp of a large number)."""
    values = _values(values, "log_softmax")
    minus_total = -autograd.logsumexp(values)
    return [v + minus_total for v in values]


def _values(values: Sequence[Value | float], who: str = "softmax") -> list[Value]:
    nodes = [as_value(v) for v in values]
    if not nodes:
        raise ValueError(f"{who} of an empty sequence: there is nothing to normalise")
    return nodes


OUTPUTS = {"linear", "sigmoid", "softmax"}


def output_function(name: str) -> Callable[[list[Value]], list[Value]]:
    """The output function O applied to the last layer's pre-activations: linear, sigmoid or softmax."""
    if name == "softmax":
        return softmax
    if name in OUTPUTS:
        g = ACTIVATIONS[name]
        return lambda a: [g(v) for v in a]
    raise ValueError(f"unknown output {name!r}; choose one of {sorted(OUTPUTS)}")


def whole_number(name: str, value: object, minimum: int = 1) -> int:
    """``value`` as an ``int``, if it is a whole number of at least ``minimum``.

    Any ``numbers.Integral`` counts, numpy's integers (``np.int64(3)``) included; ``bool`` does
    not, and neither does a float such as ``2.0``. The messages name the argument.

    Raises:
        TypeError: if ``value`` is not a number at all (a str, None, a list, a bool).
        ValueError: if it is a number but not a whole one, or it is below ``minimum``.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        n = int(value)
        if n >= minimum:
            return n
    wanted = "a positive whole number" if minimum == 1 else f"a whole number >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise TypeError(f"{name} must be {wanted}, got {type(value).__name__} {value!r:.60}")
    raise ValueError(f"{name} must be {wanted}, got {value!r}")


def non_negative(name: str, value: object) -> float:
    """``value`` as a float that is finite and >= 0 (a hyper-parameter, a noise level ...).

    Raises:
        TypeError: if ``value`` is not a real number (a str, None, a bool, a complex).
        ValueError: if it is negative, NaN or infinite.
    """
    x = _real(name, value)
    if not (x >= 0.0 and math.isfinite(x)):  # NaN fails >= 0 too
        raise ValueError(f"{name} must be >= 0 and finite, got {value!r:.60}")
    return x


def positive(name: str, value: object) -> float:
    """``value`` as a float that is finite and > 0 (a decay factor, Adam's eps).

    Raises:
        TypeError: if ``value`` is not a real number.
        ValueError: if it is 0, negative, NaN or infinite.
    """
    x = _real(name, value)
    if not (x > 0.0 and math.isfinite(x)):
        raise ValueError(f"{name} must be > 0 and finite, got {value!r:.60}")
    return x


def _real(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:  # an int beyond ±1.8e308
        return math.inf


def seed_value(seed: int | None) -> int | None:
    """A seed that ``random.Random`` takes: numpy integers become ``int`` (Python 3.11 refuses them)."""
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return int(seed)
    return seed
