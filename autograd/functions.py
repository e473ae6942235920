"""N-ary primitives: one node for a whole sum, dot product or neuron pre-activation.

``b + Σ w·x`` made of binary ``+`` and ``*`` is 2n nodes; as one ``linear`` node it is one
node whose parents are every weight, every input and the bias, with a local derivative
toward each. That is the lecture's pre-activation ``a = b + Σ_i w_i h_i`` as a single node.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from autograd import ops
from autograd.value import Value, as_value, make_node

Number = Value | float


_ONLY_VALUES = {Value}
_data = attrgetter("data")


def _values(xs: Sequence[Number], what: str) -> tuple[Value, ...]:
    if isinstance(xs, (str, bytes)) or not hasattr(xs, "__iter__"):
        raise TypeError(f"{what} must be a sequence of numbers or Values, got {type(xs).__name__}")
    xs = tuple(xs)
    # The hot path (a layer's weights and activations) is all Values: check that in C.
    return xs if set(map(type, xs)) <= _ONLY_VALUES else tuple(map(as_value, xs))  # type: ignore[return-value]


def _same_length(ws: tuple[Value, ...], xs: tuple[Value, ...]) -> None:
    if len(ws) != len(xs):
        raise ValueError(f"weights and inputs differ in length: {len(ws)} weights, {len(xs)} inputs")


def sum(values: Sequence[Number]) -> Value:  # noqa: A001 - mirrors torch.sum / numpy.sum
    """Σ values as one node; ∂/∂x_i = 1. An empty sequence is a ``ValueError``."""
    parents = _values(values, "values")
    if not parents:
        raise ValueError("sum() of an empty sequence: there is nothing to add")
    return make_node("sum", parents, *ops.total(*map(_data, parents)))


def logsumexp(values: Sequence[Number]) -> Value:
    """log Σ exp(x_i) as one node, stable for any inputs; ∂/∂x_j = softmax(x)_j."""
    parents = _values(values, "values")
    if not parents:
        raise ValueError("logsumexp() of an empty sequence: there is nothing to add")
    return make_node("logsumexp", parents, *ops.logsumexp(*map(_data, parents)))


def dot(ws: Sequence[Number], xs: Sequence[Number]) -> Value:
    """Σ w_i x_i as one node; ∂/∂w_i = x_i and ∂/∂x_i = w_i."""
    ws, xs = _values(ws, "ws"), _values(xs, "xs")
    _same_length(ws, xs)
    parents = ws + xs
    return make_node("dot", parents, *ops.dot(*map(_data, parents)))


def linear(ws: Sequence[Number], xs: Sequence[Number], b: Number) -> Value:
    """The pre-activation ``b + Σ w_i x_i`` as one node.

    Args:
        ws: the weights w_1..w_n.
        xs: the inputs x_1..x_n (the previous layer's activations h).
        b: the bias.

    Returns:
        A node with parents ``(*ws, *xs, b)`` and local derivatives ``(*xs, *ws, 1)``.
    """
    ws, xs = _values(ws, "ws"), _values(xs, "xs")
    _same_length(ws, xs)
    parents = ws + xs + (as_value(b),)
    return make_node("linear", parents, *ops.linear(*map(_data, parents)))
