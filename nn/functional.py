"""Activations and output functions by name, softmax and log-softmax — all made of `Value` ops."""

from __future__ import annotations

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


def softmax(values: Sequence[Value | float]) -> list[Value]:
    """ŷ_j = e^{a_j} / Σ_i e^{a_i}, stable for large inputs (``softmax([1000, 0])`` works).

    The largest input is subtracted first as a constant; that changes neither the result
    nor the gradients, and keeps every exponent at or below 0.
    """
    shifted = _shift_by_max(values)
    exps = [s.exp() for s in shifted]
    inverse_total = autograd.sum(exps) ** -1
    return [e * inverse_total for e in exps]


def log_softmax(values: Sequence[Value | float]) -> list[Value]:
    """log ŷ_j = a_j - log Σ_i e^{a_i}, computed stably (no exp of a large number)."""
    shifted = _shift_by_max(values)
    log_total = autograd.sum([s.exp() for s in shifted]).log()
    return [s - log_total for s in shifted]


def _shift_by_max(values: Sequence[Value | float]) -> list[Value]:
    values = [as_value(v) for v in values]
    if not values:
        raise ValueError("softmax of an empty sequence")
    top = max(v.data for v in values)
    return [v + (-top) for v in values]


OUTPUTS = {"linear", "sigmoid", "softmax"}


def output_function(name: str) -> Callable[[list[Value]], list[Value]]:
    """The output function O applied to the last layer's pre-activations: linear, sigmoid or softmax."""
    if name == "softmax":
        return softmax
    if name in OUTPUTS:
        g = ACTIVATIONS[name]
        return lambda a: [g(v) for v in a]
    raise ValueError(f"unknown output {name!r}; choose one of {sorted(OUTPUTS)}")
