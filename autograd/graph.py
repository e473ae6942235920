"""Walking a graph: topological order, the backward pass, stepping through it."""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from autograd.value import Value

_creation_number = attrgetter("_created")


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on (itself included), each once, parents before children.

    Iterative, so depth is limited only by memory. The order is deterministic: nodes are
    sorted by when they were made, and a node is always made after its parents.
    """
    seen = {root}
    frontier = [root]
    while frontier:
        node = frontier.pop()
        for parent in node.parents:
            if parent not in seen:
                seen.add(parent)
                frontier.append(parent)
    return sorted(seen, key=_creation_number)


class Step(NamedTuple):
    """One application of the chain rule: ``parent.grad += local * upstream``.

    Attributes:
        node: the node whose gradient flows back.
        upstream: ∂root/∂node, final by the time the node is visited.
        parent: the parent receiving a contribution.
        index: the parent's position in ``node.parents`` (``a * a`` has two edges, 0 and 1).
        local: ∂node/∂parent, recorded in the forward pass.
        contribution: ``local * upstream``.
        before: ``parent.grad`` before the ``+=``.
        after: ``parent.grad`` after it.
    """

    node: Value
    upstream: float
    parent: Value
    index: int
    local: float
    contribution: float
    before: float
    after: float


def _chain_rule(root: Value, record: bool) -> Iterator[Step]:
    """The backward pass; yields a :class:`Step` per edge when ``record`` is true.

    ``backward`` runs this without recording and ``backward_steps`` with it, so the two
    cannot disagree.
    """
    order = topological_order(root)
    for node in order:
        if node.parents:  # leaves accumulate across passes; the rest start afresh
            node.grad = 0.0
    root.grad += 1.0
    for node in reversed(order):
        upstream = node.grad
        index = 0
        for parent, local in zip(node.parents, node.local_grads):
            before = parent.grad
            parent.grad = before + local * upstream
            if record:
                yield Step(node, upstream, parent, index, local, local * upstream, before, parent.grad)
                index += 1


def backward(root: Value) -> None:
    """Back-propagate from ``root``; see :meth:`Value.backward`."""
    for _ in _chain_rule(root, record=False):
        pass  # never reached: without recording the pass yields nothing


def backward_steps(root: Value) -> Iterator[Step]:
    """Back-propagate from ``root`` one chain-rule step at a time.

    Yields a :class:`Step` per edge, in exactly the order :func:`backward` applies them;
    exhausting the iterator leaves the same gradients as ``root.backward()``.
    """
    return _chain_rule(root, record=True)


def zero_grad(root: Value) -> None:
    """Set the gradient of ``root`` and of every node it depends on to 0."""
    for node in topological_order(root):
        node.grad = 0.0
