"""Walking a graph: topological order, the backward pass, stepping through it.

The walker needs only what the :class:`Node` protocol names, not the ``Value`` class.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, Protocol, TypeVar

from autograd import grad_mode, ops

N = TypeVar("N", bound="Node")


class Node(Protocol):
    """What the graph walker reads and writes on a node."""

    grad: float

    @property
    def op(self) -> str: ...

    @property
    def parents(self: N) -> Sequence[N]: ...

    @property
    def local_grads(self) -> Sequence[float]: ...

    @property
    def requires_grad(self) -> bool: ...


def topological_order(root: N) -> list[N]:
    """Every node ``root`` depends on (itself included), each once, parents before children.

    An iterative depth-first post-order from the root, so depth is limited only by memory,
    and the order depends on nothing but the graph: the same graph always gives the same
    order, even after pickling it and extending it in another process.
    """
    if not hasattr(root, "parents"):
        raise TypeError(f"expected a Value (a node of a graph), got {type(root).__name__}: {root!r:.60}")
    order: list[N] = []
    seen = {root}
    stack = [(root, iter(root.parents))]
    collecting = gc.isenabled()
    gc.disable()  # the walk makes no garbage, but its stack would make the collector rescan the graph
    try:
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if parent not in seen:
                    seen.add(parent)
                    if parent.parents:
                        stack.append((parent, iter(parent.parents)))
                        break
                    order.append(parent)  # a leaf is finished as soon as it is found
            else:
                stack.pop()
                order.append(node)
    finally:
        if collecting:
            gc.enable()
    return order


class Step(NamedTuple):
    """One application of the chain rule: ``parent.grad += local * upstream``.

    Attributes:
        node: the node whose gradient flows back.
        upstream: ∂root/∂node, final by the time the node is visited.
        parent: the parent receiving a contribution.
        edge: the parent's position in ``node.parents`` (``a * a`` has two edges, 0 and 1).
        local: ∂node/∂parent, recorded in the forward pass.
        contribution: ``local * upstream``.
        before: ``parent.grad`` before the ``+=``.
        after: ``parent.grad`` after it.
    """

    # Typed Any so that callers keep their own node type (a Value); the walker needs only Node.
    node: Any
    upstream: float
    parent: Any
    edge: int
    local: float
    contribution: float
    before: float
    after: float


def contribution_of(node: Node, local: float, upstream: float) -> float:
    """``local * upstream``, except that a piecewise op's zero derivative blocks anything (0, not NaN)."""
    if local == 0.0 and not math.isfinite(upstream) and ops.OPS[node.op].piecewise:
        return 0.0
    return local * upstream


def _chain_rule(root: Node, record: bool) -> Iterator[Step]:
    """The backward pass; yields a :class:`Step` per edge when ``record`` is true.

    ``backward`` runs this without recording and ``backward_steps`` with it, so the two
    cannot disagree. Edges into constants carry nothing and are not yielded.
    """
    order = topological_order(root)
    for node in order:
        if node.parents:  # leaves accumulate across passes; the rest start afresh
            node.grad = 0.0
    root.grad += 1.0
    checking = grad_mode.anomaly
    for node in reversed(order):
        upstream = node.grad
        if not record and upstream - upstream == 0.0 and not checking:  # the fast path: a finite upstream
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * upstream
            continue
        for edge, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            if not parent.requires_grad:
                continue
            contribution = contribution_of(node, local, upstream)
            if checking and not math.isfinite(contribution):
                raise FloatingPointError(
                    f"detect_anomaly: backward through {ops.display(node)} gave {contribution!r} for its parent "
                    f"{edge} (local derivative {local!r} × upstream {upstream!r})"
                )
            before = parent.grad
            parent.grad = before + contribution
            if record:
                yield Step(node, upstream, parent, edge, local, contribution, before, parent.grad)


def backward(root: Node) -> None:
    """Back-propagate from ``root``; see :meth:`Value.backward`."""
    for _ in _chain_rule(root, record=False):
        pass  # never reached: without recording the pass yields nothing


def backward_steps(root: Node) -> Iterator[Step]:
    """Back-propagate from ``root`` one chain-rule step at a time.

    Yields a :class:`Step` per edge (edges into constants carry nothing and are skipped),
    in exactly the order :func:`backward` applies them; exhausting the iterator leaves the
    same gradients as ``root.backward()``.
    """
    return _chain_rule(root, record=True)


def zero_grad(root: Node) -> None:
    """Set the gradient of ``root`` and of every node it depends on to 0."""
    for node in topological_order(root):
        node.grad = 0.0
