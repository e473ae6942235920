"""A computation graph as DOT text: micrograd's look, deterministic, safe for any label.

Every value is a record ``{ label | data 2.0000 | grad -3.0000 }``; every op result also
gets a small node with the op's name, fed by one edge per parent (so ``a * a`` shows two).
Node ids are ``n0, n1, …`` in topological order, never ``id()``: the same graph always
gives the same text, byte for byte.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from autograd.graph import topological_order

if TYPE_CHECKING:
    from autograd.value import Value

MAX_NODES = 2000
HIGHLIGHT = 'color="#d62728", penwidth=2.5'
# Characters with a meaning inside a DOT record label, escaped so they show up literally.
_RECORD_SPECIAL = {c: "\\" + c for c in '{}|<>"'}
_RECORD_SPECIAL.update({"\\": "\\\\", "&": "&amp;", "\n": "\\n"})


class GraphTooLargeError(ValueError):
    """The graph has more nodes than can be laid out legibly (and quickly)."""


def record_text(text: str) -> str:
    """Escape ``text`` for a field of a DOT record label."""
    return "".join(_RECORD_SPECIAL.get(c, c) for c in text)


def quoted(text: str) -> str:
    """``text`` as a DOT double-quoted string (for plain, non-record labels)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;").replace("\n", "\\n") + '"'


def check_size(n: int, max_nodes: int, hint: str = "draw(..., max_nodes=N)") -> None:
    if n > max_nodes:
        raise GraphTooLargeError(
            f"this graph has {n} nodes, more than max_nodes={max_nodes} can be drawn legibly "
            f"(and graphviz may take minutes to lay it out); draw a smaller part of it, or "
            f"raise the limit with {hint}"
        )


def to_dot(
    root: Value,
    *,
    show_grad: bool = True,
    number_format: str = ".4f",
    rankdir: str = "LR",
    highlight_nodes: Collection[Value] = (),
    highlight_edges: Collection[tuple[Value, int]] = (),
    edge_labels: bool | str = False,
    max_nodes: int = MAX_NODES,
) -> str:
    """The DOT text of the graph that ``root`` depends on.

    Args:
        root: the output node; everything it depends on is drawn.
        show_grad: include each node's gradient in its record.
        number_format: a format spec for data and grad, e.g. ``".4f"`` or ``".3g"``.
        rankdir: ``LR`` (left to right, the default) or ``TB`` (top to bottom).
        highlight_nodes: values to draw in colour.
        highlight_edges: edges to draw in colour, each ``(child, i)``: the edge from
            ``child.parents[i]`` into ``child``.
        edge_labels: ``True`` labels each edge with its local derivative and (with
            ``show_grad``) the contribution ``local × upstream``; ``"local"`` with the
            local derivative only.
        max_nodes: refuse graphs with more values than this (:class:`GraphTooLargeError`).
    """
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be LR, TB, RL or BT, got {rankdir!r}")
    order = topological_order(root)
    check_size(len(order), max_nodes)
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    lit_nodes = set(highlight_nodes)
    lit_edges = {(ids.get(child), i) for child, i in highlight_edges}

    def number(x: float) -> str:
        return format(x, number_format)

    lines = [
        "digraph chainrule {",
        f"  rankdir={rankdir};",
        '  node [fontname="Helvetica", fontsize=12];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in order:
        nid = ids[node]
        fields = [record_text(node.label)] if node.label else []
        fields.append(f"data {number(node.data)}")
        if show_grad:
            fields.append(f"grad {number(node.grad)}")
        style = f", {HIGHLIGHT}" if node in lit_nodes else ""
        lines.append(f'  {nid} [shape=record, label="{{ {" | ".join(fields)} }}"{style}];')
        if node.parents:
            lines.append(f"  {nid}_op [label={quoted(node.op)}{style}];")
            lines.append(f"  {nid}_op -> {nid}{' [' + HIGHLIGHT + ']' if style else ''};")
    for node in order:
        for i, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            attributes = []
            if edge_labels:
                text = f"local {number(local)}"
                if show_grad and edge_labels != "local":
                    text += f"\\n{number(local)} * {number(node.grad)} = {number(local * node.grad)}"
                attributes.append(f'label="{text}"')
            if (ids[node], i) in lit_edges:
                attributes.append(HIGHLIGHT)
            suffix = f" [{', '.join(attributes)}]" if attributes else ""
            lines.append(f"  {ids[parent]} -> {ids[node]}_op{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
