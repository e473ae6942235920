"""Activations and output functions by name, log-sum-exp, softmax and log-softmax — all made of `Value` ops."""

from __future__ import annotations

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


def seed_value(seed: int | None) -> int | None:
    """A seed that ``random.Random`` takes: numpy integers become ``int`` (Python 3.11 refuses them)."""
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return int(seed)
    return seed
