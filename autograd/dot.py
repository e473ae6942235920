"""A computation graph as DOT text: micrograd's look, deterministic, safe for any label.

Every value is a record ``{ label | data 2 | grad -3 }``; every op result also gets a small
node with the op's name, fed by one edge per parent (so ``a * a`` shows two). A constant
(the ``10`` of ``a*b + 10``, the ``-1`` of a subtraction, a mean's ``1/N``) carries no
gradient, so it gets no record: it is folded into its op's label (``+ 10``, ``* -1``) or,
where that would not read, drawn as a plain small number. Node ids are ``n0, n1, …`` in
topological order, never ``id()``: the same graph always gives the same text, byte for byte.

Numbers are written with :func:`autograd.numbers.format_number` (significant digits), and an
edge label ``local × upstream = contribution`` gets as many digits as it takes to multiply out.

Layout time is bounded. Graphviz's network simplex can run for minutes on graphs of a few
hundred nodes (``x + x + … + x``); small graphs get no limits (they look exactly as they
always did), medium ones bounded iterations, and large ones positions computed here in
linear time (a layered layout drawn by Graphviz's ``nop2``, which only draws).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from autograd.checks import whole_number
from autograd.graph import topological_order
from autograd.numbers import DIGITS, format_number
from autograd.ops import display

if TYPE_CHECKING:
    from autograd.value import Value

MAX_NODES = 2000
HIGHLIGHT_COLOUR = "#d62728"
HIGHLIGHT = f'color="{HIGHLIGHT_COLOUR}", penwidth=2.5'
# Up to this many DOT nodes Graphviz runs unbounded: the picture is exactly as it always was.
SMALL_GRAPH = 60
# Network-simplex iterations per node for larger graphs: 3 keeps the 100-term sum near a
# second (it took 20-35 s unbounded) and leaves ordinary graphs of this size as they were.
NS_LIMIT = 3
# Above this many edges, or this estimated cost of network simplex (nodes times the ranks
# all edges span, each edge label counting as a node and doubling the ranks), the layered
# layout of this module replaces Graphviz's: dot would take tens of seconds. A 2-16-16-1
# MLP's loss over 20 samples has 15,000 edges; the 100-term sum costs 2,000,000.
FAST_LAYOUT_EDGES = 3000
FAST_LAYOUT_COST = 2_500_000
# Dummy nodes the fast layout may add for edges that span ranks (its time is linear in them).
LANE_BUDGET = 100_000
LAYOUTS = ("auto", "dot", "fast")
# Hover texts for graphs of up to this many values: beyond, they would add megabytes to an SVG
# that is only ever looked at as a whole (a 20-sample MLP loss: 7,000 values, 6.7 MB with them).
HOVER_UP_TO = 1000
THEMES = ("light", "dark")
# Characters with a meaning inside a DOT record label, escaped so they show up literally.
_RECORD_SPECIAL = {c: "\\" + c for c in '{}|<>"'}
_RECORD_SPECIAL.update({"\\": "\\\\", "&": "&amp;", "\n": "\\n"})
_FOLDABLE = {"+", "*"}  # binary ops that read well with a constant operand in their label
_MAX_DIGITS = 17  # enough for any float to round-trip
_MAX_BENDS = 300  # points of one routed edge (system dot refuses strings over 16 kB)


@dataclass(frozen=True)
class Theme:
    """Colours of a drawing (``None``: Graphviz's default)."""

    background: str | None
    ink: str | None
    muted: str
    note: str
    highlight: str


LIGHT = Theme(background=None, ink=None, muted="#777777", note="#8a5a00", highlight=HIGHLIGHT_COLOUR)
DARK = Theme(background="#1e1e1e", ink="#e8e8e8", muted="#a0a0a0", note="#ffcc66", highlight="#ff6b6b")


class GraphTooLargeError(ValueError):
    """The graph has more nodes than can be laid out legibly (and quickly)."""


def record_text(text: str) -> str:
    """Escape ``text`` for a field of a DOT record label (a NUL or a lone surrogate shows as �)."""
    return "".join(_RECORD_SPECIAL.get(c, c) for c in _printable(text))


def _printable(text: str) -> str:
    """``text`` with what Graphviz cannot take (a NUL, a lone surrogate) shown as �."""
    return "".join("\ufffd" if c == "\0" or "\ud800" <= c <= "\udfff" else c for c in text)


def quoted(text: str) -> str:
    """``text`` as a DOT double-quoted string (for plain, non-record labels)."""
    text = _printable(text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;").replace("\n", "\\n") + '"'


def check_size(n: int, max_nodes: int, hint: str = "draw(..., max_nodes=N)") -> None:
    if n > max_nodes:
        raise GraphTooLargeError(
            f"this graph has {n} nodes, more than max_nodes={max_nodes} can be drawn legibly "
            f"(and graphviz may take minutes to lay it out); draw a smaller part of it, or "
            f"raise the limit with {hint}"
        )


def product_text(local: float, upstream: float, contribution: float, digits: int = DIGITS) -> tuple[str, str, str]:
    """``local``, ``upstream`` and ``contribution`` as text that visibly multiplies out.

    The factors get ``d >= digits`` significant digits and the contribution ``d`` or ``d - 1``,
    never fewer than ``digits`` (so it agrees with a box that shows the same number to
    ``digits``): the smallest ``d`` for which the exact product of the shown factors rounds to
    the shown contribution (a tie, ``1.0231 × 0.5 = 0.51155``, may round either way).

    Example:
        >>> product_text(2.0, 0.0013250, 0.002650)
        ('2', '0.001325', '0.00265')
        >>> product_text(-1.023128, 0.5, -0.511564)
        ('-1.0231', '0.5', '-0.5116')
    """
    if not all(math.isfinite(x) for x in (local, upstream, contribution)):
        return format_number(local, digits), format_number(upstream, digits), format_number(contribution, digits)
    box = format_number(contribution, digits)  # what a record shows of the same number
    for d in range(digits, _MAX_DIGITS + 1):
        shown_local, shown_upstream = format_number(local, d), format_number(upstream, d)
        exact = Decimal(shown_local) * Decimal(shown_upstream)
        for k in (d, d - 1) if d > digits else (d,):
            shown = format_number(contribution, k)
            if _rounds_to(exact, shown, k) and (k == digits or format_number(float(shown), digits) == box):
                return shown_local, shown_upstream, shown
    return format_number(local, digits), format_number(upstream, digits), format_number(contribution, digits)


def _rounds_to(exact: Decimal, shown: str, digits: int) -> bool:
    """Whether ``exact`` rounds to ``shown`` (written with ``digits`` significant digits), a tie either way."""
    value = Decimal(shown)
    if value == 0:
        return exact == 0
    half_unit = Decimal(5).scaleb(value.adjusted() - digits)  # half of the last shown digit's unit
    return abs(exact - value) <= half_unit


def check_options(*, rankdir: object, digits: object, fontsize: object, max_nodes: object) -> None:
    """The option checks every drawing shares (a graph's, and nn's network diagrams): a ValueError naming it."""
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be LR, TB, RL or BT, got {rankdir!r}")
    whole_number("digits", digits)
    if not (isinstance(fontsize, (int, float)) and 4 <= fontsize <= 72):
        raise ValueError(f"fontsize must be a number of points between 4 and 72, got {fontsize!r}")
    whole_number("max_nodes", max_nodes)


def theme_named(name: str) -> Theme:
    if name not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}, got {name!r}")
    return DARK if name == "dark" else LIGHT


def size_attribute(size: str | tuple[float, float] | None) -> str | None:
    """``size="w,h!"`` (inches; the picture is scaled up or down to fit), or ``None``."""
    if size is None:
        return None
    try:
        parts = size.rstrip("!").split(",") if isinstance(size, str) else [str(x) for x in size]
        width, height = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height) in inches, e.g. (13.33, 7.5), got {size!r}") from None
    if not (width > 0 and height > 0 and math.isfinite(width) and math.isfinite(height)):
        raise ValueError(f"size must be two positive numbers of inches, got {size!r}")
    return f'size="{width:g},{height:g}!"'


def header(name: str, rankdir: str, fontsize: float, theme: Theme, size: str | None) -> list[str]:
    """The opening lines of a drawing: direction, fonts, colours and size."""
    ink = f', fontcolor="{theme.ink}", color="{theme.ink}"' if theme.ink else ""
    lines = [f"digraph {name} {{", f"  rankdir={rankdir};"]
    if theme.background:
        lines.append(f'  bgcolor="{theme.background}";')
    if size:
        lines.append(f"  {size};")
    lines.append(f'  node [fontname="Helvetica", fontsize={fontsize:g}{ink}];')
    lines.append(f'  edge [fontname="Helvetica", fontsize={fontsize * 10 / 12:g}{ink}];')
    return lines


@dataclass
class _Shape:
    """One DOT node: its id, attributes, and an estimate of its size in points for the fast layout."""

    id: str
    attributes: str
    width: float
    height: float
    succ: list[int] = field(default_factory=list)
    pred: list[int] = field(default_factory=list)
    tall: tuple[float, float] | None = None  # (width, height) top to bottom, when not the same


def _text_width(text: str, fontsize: float) -> float:
    """A generous estimate of Helvetica's width for ``text`` (digits are 0.556 em)."""
    return 0.62 * fontsize * len(text)


def _label_size(attributes: str, fontsize: float, rankdir: str) -> tuple[float, float] | None:
    """An edge label's room along and across the ranks, in points; ``None`` without a label."""
    found = re.search(r'label="((?:[^"\\]|\\.)*)"', attributes)
    if not found:
        return None
    lines = found.group(1).split("\\n")
    width, height = max(_text_width(line, fontsize) for line in lines) + 4, 1.25 * fontsize * len(lines) + 2
    return (width, height) if rankdir in ("LR", "RL") else (height, width)


def node_ids(order: Sequence[Value]) -> dict[Value, str]:
    """The one source of node ids, ``n0, n1, …`` in topological order: the drawing, the stepper
    and the player all name a node by this id, so the same graph always has the same ids."""
    return {node: f"n{i}" for i, node in enumerate(order)}


def to_dot(
    root: Value,
    *,
    show_grad: bool = True,
    number_format: str | None = None,
    digits: int = DIGITS,
    rankdir: str | None = None,
    highlight_nodes: Collection[Value] = (),
    highlight_edges: Collection[tuple[Value, int]] = (),
    edge_labels: bool | str = False,
    max_nodes: int = MAX_NODES,
    fontsize: float = 12,
    theme: str = "light",
    size: str | tuple[float, float] | None = None,
    layout: str = "auto",
    note: bool = True,
    caption: str | None = None,
) -> str:
    """The DOT text of the graph that ``root`` depends on.

    Args:
        root: the output node; everything it depends on is drawn.
        show_grad: include each node's gradient in its record.
        number_format: a format spec for every number, e.g. ``".4f"``; by default numbers
            get ``digits`` significant digits.
        digits: significant digits for data, grad and edge labels (default 4).
        rankdir: ``LR`` (left to right) or ``TB`` (top to bottom); ``RL``, ``BT`` mirror them.
            By default ``LR``; but with ``size``, ``TB`` when left to right would shrink the
            records' text below :data:`LEGIBLE_POINTS` on the page and top to bottom would
            not shrink it as much (a long chain such as a loss's graph: a strip with a 5-point
            font on a slide). If even the better direction is that small, it warns
            (``UserWarning``): the graph is too deep for one slide. An explicit ``rankdir`` is
            kept; with ``size`` it warns when its text would be that small.
        highlight_nodes: values to draw in colour.
        highlight_edges: edges to draw in colour, each ``(child, i)``: the edge from
            ``child.parents[i]`` into ``child``.
        edge_labels: ``True`` labels each edge with its local derivative and (with
            ``show_grad``) ``local × upstream = contribution``; ``"local"`` with the local
            derivative only.
        max_nodes: refuse graphs with more values than this (:class:`GraphTooLargeError`).
        fontsize: the records' font size in points (edge labels are 5/6 of it).
        theme: ``"light"`` or ``"dark"``.
        size: ``(width, height)`` in inches: the picture is scaled to fit (a 16:9 slide is
            ``(13.33, 7.5)``).
        layout: ``"auto"`` (Graphviz's ``dot``, bounded, up to a size; then a fast layered
            layout), ``"dot"`` or ``"fast"``.
        note: say on the picture when leaves hold gradient from earlier backward passes.
        caption: a line of text over the picture, such as a legend to the highlight colour.

    Every node and edge (of a graph of up to :data:`HOVER_UP_TO` values) has a hover text (an
    SVG ``<title>``) that says what it is: a value's name, formula and value, an op's formula,
    an edge's ends (and, with ``edge_labels``, its local derivative). They never show a
    gradient, so a quiz drawn without edge labels gives nothing away. The DOT node ids
    (``n0``, ``n0_op``) stay the first ``<title>`` of each group, where pages look them up.
    """
    check_options(rankdir=rankdir or "LR", digits=digits, fontsize=fontsize, max_nodes=max_nodes)
    if caption is not None and not isinstance(caption, str):
        raise TypeError(f"caption must be text (a str) or None, got {type(caption).__name__}")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    if edge_labels not in (True, False, "local"):
        raise ValueError(f"edge_labels must be True, False or 'local', got {edge_labels!r}")
    colours = theme_named(theme)
    order = topological_order(root)
    check_size(len(order), max_nodes)
    ids = node_ids(order)
    lit_nodes = set(highlight_nodes)
    lit_edges = {(ids.get(child), i) for child, i in highlight_edges}
    lit = f'color="{colours.highlight}", penwidth=2.5'

    def number(x: float) -> str:
        return format(x, number_format) if number_format else format_number(x, digits)

    def precise(x: float) -> str:  # hover texts: a few more digits than the boxes
        return format(x, number_format) if number_format else format_number(x, max(digits, 6))

    folded = _folded_constants(order)
    shapes: list[_Shape] = []
    index: dict[str, int] = {}
    edges: list[tuple[str, str, str]] = []

    def add(shape: _Shape) -> None:
        index[shape.id] = len(shapes)
        shapes.append(shape)

    small = fontsize * 10 / 12
    emitted: list[str | tuple[str, str, str]] = []  # node ids and edges, in today's order
    tips: dict[int, str] = {}  # id() of an edge -> its hover text
    hovering = len(order) <= HOVER_UP_TO
    for node in order:
        nid = ids[node]
        style = f", {lit}" if node in lit_nodes else ""
        if not node.requires_grad and not node.parents:
            if node in folded:
                continue
            named = node.label and not _names_its_number(node)
            text = f"{node.label} = {number(node.data)}" if named else number(node.data)
            tip = f"{node.label} = {precise(node.data)}" if named else f"the number {precise(node.data)}"
            attributes = f"shape=plaintext, fontsize={small:g}, label={quoted(text)}{style}"
            attributes += f", tooltip={quoted(tip + ': a constant')}" if hovering else ""
            add(_Shape(nid, attributes, _text_width(text, small) + 16, 24))
            emitted.append(nid)
            continue
        fields = [record_text(node.label)] if node.label else []
        fields.append(f"data {number(node.data)}")
        if show_grad:
            fields.append(f"grad {number(node.grad)}")
        widths = [_text_width(f, fontsize) + 16 for f in fields]
        formula = _formula(node, number) if node.parents else ""
        if formula == node.label:  # exp(a) named "exp(a)": said once
            formula = ""
        called = node.label or ("" if node.parents else "a leaf")
        tip = " = ".join(t for t in (called, formula, precise(node.data)) if t)
        record = _Shape(
            nid,
            f'shape=record, label="{{ {" | ".join(fields)} }}"{style}'
            + (f", tooltip={quoted(tip)}" if hovering else ""),
            sum(widths),
            36.0,
            tall=(max(54.0, *widths), max(36.0, 20.0 * len(fields))),
        )
        emitted.append(nid)
        if node.parents:
            op = display(node)
            constants = [p for p in node.parents if p in folded]
            text = " ".join([op] + [number(c.data) for c in constants])
            op_id = f"{nid}_op"
            tip = f"the {op} op: " + " = ".join(t for t in (node.label, formula) if t)
            add(
                _Shape(
                    op_id,
                    f"label={quoted(text)}{style}" + (f", tooltip={quoted(tip)}" if hovering else ""),
                    max(54.0, _text_width(text, fontsize) + 24),
                    36,
                )
            )
            emitted.append(op_id)
            edge = (op_id, nid, lit if style else "")
            edges.append(edge)
            emitted.append(edge)
            tips[id(edge)] = f"{op} → {_name(node, number)}"
        add(record)  # after its op: the shapes are in topological order for the fast layout
    for node in order:
        for i, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            if parent in folded:
                continue
            parts = []
            tip = f"{_name(parent, number)} → {display(node)} → {_name(node, number)}"
            if not parent.requires_grad:
                parts.append(f'color="{colours.muted}"')
                tip += ": a constant, nothing flows back into it"
            elif edge_labels:
                shown: tuple[str, ...] = (number(local),)
                if show_grad and edge_labels != "local":
                    if number_format:
                        shown = (number(local), number(node.grad), number(local * node.grad))
                    else:
                        shown = product_text(local, node.grad, local * node.grad, digits)
                # the local derivative as the product below it shows it (7.3891, not 7.389 over 7.3891 × …)
                text = f"local {shown[0]}"
                if len(shown) == 3:
                    text += "\n{} × {} = {}".format(*shown)
                parts.append(f"label={quoted(text)}")
                child, source = _operand(_name(node, number)), _operand(_name(parent, number))
                tip += f": local derivative ∂{child}/∂{source} = {precise(local)}"
            if (ids[node], i) in lit_edges:
                parts.append(lit)
            edge = (ids[parent], f"{ids[node]}_op", ", ".join(parts))
            edges.append(edge)
            emitted.append(edge)
            tips[id(edge)] = tip

    for tail, head, _ in edges:
        shapes[index[tail]].succ.append(index[head])
        shapes[index[head]].pred.append(index[tail])
    links = [(index[tail], index[head]) for tail, head, _ in edges]
    fitted = size_attribute(size)
    words = _accumulation_note(root, order) if note and show_grad else None
    direction = rankdir or "LR"
    if fitted:
        direction = _direction_for(rankdir, shapes, links, [a for _, _, a in edges], fontsize, size)
    if direction in ("TB", "BT"):
        for shape in shapes:
            if shape.tall:
                shape.width, shape.height = shape.tall
    lines = header("chainrule", direction, fontsize, colours, fitted)
    if caption or words:
        said = [line for w in (caption, words) if w for line in w.split("\n")]
        text = '"' + "".join(quoted(line)[1:-1] + "\\l" for line in said) + '"'  # \l: lines flush left
        lines.append(f"  label={text}; labelloc=t; labeljust=l; fontname=Helvetica;")
        lines.append(f'  fontsize={fontsize:g}; fontcolor="{(colours.ink or "black") if caption else colours.note}";')
    placed = None
    labelled = sum(1 for _, _, attributes in edges if "label=" in attributes)
    if layout == "fast" or (layout == "auto" and _too_slow_for_dot(shapes, len(edges), labelled)):
        sizes = [_label_size(attributes, small, direction) for _, _, attributes in edges]
        placed = _layered(shapes, links, direction, sizes)
        lines.append("  layout=nop2; outputorder=edgesfirst;")
    elif len(shapes) > SMALL_GRAPH:
        lines.append(f"  nslimit={NS_LIMIT}; nslimit1={NS_LIMIT};")
    number_of = {id(edge): e for e, edge in enumerate(edges)}
    for item in emitted:
        if isinstance(item, str):
            shape = shapes[index[item]]
            where = ""
            if placed:
                x, y = placed.centres[index[item]]
                where = (
                    f'pos="{x:.1f},{y:.1f}", fixedsize=true, '
                    f"width={shape.width / 72:.2f}, height={shape.height / 72:.2f}, "
                )
            lines.append(f"  {item} [{where}{shape.attributes}];")
        else:
            tail, head, attributes = item
            hover = tips.get(id(item)) if hovering else None
            if hover:  # on the line, and on its label when it has one
                also = f", labeltooltip={quoted(hover)}" if "label=" in attributes else ""
                attributes += f"{', ' if attributes else ''}tooltip={quoted(hover)}{also}"
            if placed:
                e = number_of[id(item)]
                where = f'pos="{_spline(placed.paths[e], placed.point)}"'
                if e in placed.labels:
                    where += ', lp="{:.1f},{:.1f}"'.format(*placed.labels[e])
                attributes = f"{attributes}, {where}" if attributes else where
            lines.append(f"  {tail} -> {head}{' [' + attributes + ']' if attributes else ''};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _name(node: Value, number: Callable[[float], str]) -> str:
    """What a hover text calls a value: its label, else a leaf's number or an op's formula."""
    if node.label:
        return node.label
    if not node.parents:
        return number(node.data)
    return f"({_formula(node, number)})"


def _formula(node: Value, number: Callable[[float], str]) -> str:
    """``a * b``, ``tanh(d)``, ``x**2``: the op on its parents' names (a leaf's number, ``…`` for an unnamed op)."""
    names = [_operand(p.label) or (number(p.data) if not p.parents else "…") for p in node.parents]
    op = display(node)
    if op in ("+", "*", "**") and len(names) == 2:
        return f"{names[0]} {op} {names[1]}"
    if op.startswith("**") and len(names) == 1:
        return f"{names[0]}{op}"
    return f"{op}({', '.join(names)})"


def _operand(name: str) -> str:
    """``name`` fit to be an operand: ``(y - t)`` for a name that is an expression, else as it is."""
    if name and any(c in name for c in " +-*/") and not _in_brackets(name):
        return f"({name})"
    return name


def _in_brackets(name: str) -> bool:
    """Whether one pair of brackets holds all of ``name``: ``(a + b)``, but not ``(a + b) * (c + d)``."""
    depth = 0
    for i, c in enumerate(name):
        depth += (c == "(") - (c == ")")
        if depth == 0 and i < len(name) - 1:
            return False
    return name.startswith("(") and depth == 0


# Below this many points on the page (10 pixels on a 1280-pixel-wide 13.33-inch slide), a
# record's text is too small to read: with ``size``, the direction is chosen to stay above it.
LEGIBLE_POINTS = 7.5


def _direction_for(
    rankdir: str | None,
    shapes: Sequence[_Shape],
    links: Sequence[tuple[int, int]],
    edge_attributes: Sequence[str],
    fontsize: float,
    size: str | tuple[float, float] | None,
) -> str:
    """The direction for a drawing fitted to ``size``: see ``rankdir`` in :func:`to_dot`."""
    fitted = size_attribute(size)
    assert fitted
    width, height = (float(x) * 72 for x in fitted.split('"')[1].rstrip("!").split(","))
    text = {d: fontsize * _fit_scale(shapes, links, edge_attributes, fontsize, d, width, height) for d in ("LR", "TB")}
    if rankdir is None:
        chosen = "TB" if text["LR"] < LEGIBLE_POINTS and text["TB"] > text["LR"] else "LR"
        if text[chosen] < LEGIBLE_POINTS:
            warnings.warn(
                f"fitted to {size!r} inches, even the better direction, rankdir={chosen!r}, shrinks the text to "
                f"about {text[chosen]:.1f} pt (under {LEGIBLE_POINTS:g} pt, 10 pixels on a 1280-pixel slide): "
                "the graph is too deep for one slide; draw a part of it"
                + (", or without edge labels" if any("label=" in a for a in edge_attributes) else ""),
                UserWarning,
                stacklevel=4,
            )
        return chosen
    mine = text.get(rankdir, text["LR" if rankdir == "RL" else "TB"])
    if mine < LEGIBLE_POINTS:
        other = "TB" if rankdir in ("LR", "RL") else "LR"
        better = f"; rankdir={other!r} would give {text[other]:.1f} pt" if text[other] > mine else ""
        warnings.warn(
            f"fitted to {size!r} inches, rankdir={rankdir!r} shrinks the text to about {mine:.1f} pt "
            f"(under {LEGIBLE_POINTS:g} pt, 10 pixels on a 1280-pixel slide){better}; or leave rankdir out",
            UserWarning,
            stacklevel=4,
        )
    return rankdir


def _fit_scale(
    shapes: Sequence[_Shape],
    links: Sequence[tuple[int, int]],
    edge_attributes: Sequence[str],
    fontsize: float,
    rankdir: str,
    width: float,
    height: float,
) -> float:
    """How much a drawing fitted to ``width`` × ``height`` points is scaled, by an estimate of its
    layout (the fast layered one: close to dot's for the chains this decides on)."""
    flat = rankdir in ("LR", "RL")
    sized = [
        _Shape(s.id, "", *((s.width, s.height) if flat or not s.tall else s.tall), succ=s.succ, pred=s.pred)
        for s in shapes
    ]
    labels = [_label_size(a, fontsize * 10 / 12, rankdir) for a in edge_attributes]
    placed = _layered(sized, links, rankdir, labels, ranksep=18.0 if any(labels) else 36.0)  # as dot halves it
    xs = [x + sign * s.width / 2 for (x, _), s in zip(placed.centres, sized) for sign in (-1, 1)]
    ys = [y + sign * s.height / 2 for (_, y), s in zip(placed.centres, sized) for sign in (-1, 1)]
    for x, y in placed.labels.values():
        xs.append(x)
        ys.append(y)
    extent_x, extent_y = max(xs) - min(xs) + 16, max(ys) - min(ys) + 16
    return min(width / extent_x, height / extent_y)


def _folded_constants(order: Sequence[Value]) -> set[Value]:
    """Constants shown inside their op's label (``+ 10``): unlabelled, used once, by a ``+`` or ``*``
    whose other operand carries a gradient."""
    uses: dict[Value, int] = {}
    for node in order:
        for parent in node.parents:
            uses[parent] = uses.get(parent, 0) + 1
    folded = set()
    for node in order:
        if node.op in _FOLDABLE and len(node.parents) == 2:
            constants = [p for p in node.parents if not p.requires_grad and not p.parents]
            if len(constants) == 1 and _names_its_number(constants[0]) and uses[constants[0]] == 1:
                folded.add(constants[0])
    return folded


def _names_its_number(node: Value) -> bool:
    """A constant without a name of its own: unlabelled, or labelled with its number (``"0.5"``)."""
    if not node.label:
        return True
    try:
        return float(node.label) == node.data
    except ValueError:
        return False


def _accumulation_note(root: Value, order: Sequence[Value]) -> str | None:
    """When leaves hold more than this graph's one backward pass, a sentence that says so."""
    from autograd.narrate import fresh_gradients  # deferred: only needed when gradients are shown

    held = [node for node in order if not node.parents and node.requires_grad and node.grad != 0.0]
    if not held:
        return None
    fresh = fresh_gradients(root)
    extra: list[tuple[Value, int | None]] = []
    for node in held:
        one = fresh.get(node, 0.0)
        ratio = node.grad / one if one != 0.0 else math.nan
        k = round(ratio) if math.isfinite(ratio) else None
        if k is not None and math.isclose(ratio, k, rel_tol=1e-9, abs_tol=1e-12):
            if k != 1:
                extra.append((node, k - 1))
        else:
            extra.append((node, None))
    if not extra:
        return None
    names = [node.label or "a leaf" for node, _ in extra]
    shown = ", ".join(f"{n}.grad" for n in names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    counts = {k for _, k in extra}
    if len(counts) == 1 and None not in counts:
        (k,) = counts
        assert k is not None
        if k > 0:
            passes = f"{k} earlier backward pass{'' if k == 1 else 'es'}"
            verb = "includes" if len(names) == 1 else "include"
            return f"{shown} {verb} {passes}; call zero_grad() to start afresh"
    verb = "holds" if len(names) == 1 else "hold"
    return (
        f"{shown} {verb} gradient from other backward passes, not only this graph's; call zero_grad() to start afresh"
    )


# --- a layered layout in linear time, for graphs too large for network simplex ---------------


@dataclass
class _Layout:
    """Where the fast layout puts things, in points: node centres, and a path for each long edge."""

    centres: list[tuple[float, float]]
    paths: list[list[tuple[float, float]]]  # per edge, its route as (depth, across) points
    point: Callable[[float, float], tuple[float, float]]  # (depth, across) -> (x, y)
    labels: dict[int, tuple[float, float]]  # edge number -> where its label goes


def _ranks(shapes: Sequence[_Shape]) -> list[int]:
    """Longest path from the sources, then each source moved next to its first consumer."""
    rank = [0] * len(shapes)
    for k, shape in enumerate(shapes):  # shapes are in topological order
        if shape.pred:
            rank[k] = max(rank[p] for p in shape.pred) + 1
    for k, shape in enumerate(shapes):
        if not shape.pred and shape.succ:
            rank[k] = min(rank[s] for s in shape.succ) - 1
    return rank


def _too_slow_for_dot(shapes: Sequence[_Shape], edges: int, labelled: int) -> bool:
    """Whether Graphviz's dot would take more than a few seconds (measured: benchmarks/render.py)."""
    if edges > FAST_LAYOUT_EDGES:
        return True
    cost = (len(shapes) + labelled) * _layout_work(shapes) * (3 if labelled else 1)
    return cost > FAST_LAYOUT_COST


def _layout_work(shapes: Sequence[_Shape]) -> int:
    """Nodes plus the ranks every edge spans: roughly the size of dot's positioning problem."""
    rank = _ranks(shapes)
    return len(shapes) + sum(rank[s] - rank[k] for k, shape in enumerate(shapes) for s in shape.succ)


def _layered(
    shapes: Sequence[_Shape],
    links: Sequence[tuple[int, int]],
    rankdir: str,
    labels: Sequence[tuple[float, float] | None] = (),
    ranksep: float = 36.0,
) -> _Layout:
    """Sugiyama's layered drawing, cheaply: ranks, barycentre ordering with a dummy node wherever
    an edge crosses a rank (so long edges run in lanes between the nodes, not through them),
    then each rank stacked near its neighbours.

    ``labels[e]`` is the size of edge ``e``'s label (along, across the ranks). As in dot, a
    labelled graph gets a rank between every two, where each label takes a dummy's place.
    """
    rank = _ranks(shapes)
    spread = 2 if any(labels) else 1
    rank = [spread * r for r in rank]
    flat = rankdir in ("LR", "RL")
    across = [s.height if flat else s.width for s in shapes]  # extent across the ranks
    along = [s.width if flat else s.height for s in shapes]
    pred: list[list[int]] = [[] for _ in shapes]
    succ: list[list[int]] = [[] for _ in shapes]
    chains: list[list[int]] = []
    holders: dict[int, int] = {}  # edge -> the dummy that holds its label
    laned = _lanes(rank, links)
    for e, (tail, head) in enumerate(links):
        chain = [tail]
        label = labels[e] if e < len(labels) else None
        for r in range(rank[tail] + 1, rank[head] if e in laned else rank[tail] + (2 if label else 1)):
            if label and r == rank[tail] + 1:
                holders[e] = len(rank)
                along.append(label[0])
                across.append(2 * label[1] + 6)  # the line runs through the middle, the label below it
            else:
                along.append(0.0)
                across.append(4.0)
            chain.append(len(rank))
            rank.append(r)
            pred.append([])
            succ.append([])
        chain.append(head)
        for a, b in zip(chain, chain[1:]):
            succ[a].append(b)
            pred[b].append(a)
        chains.append(chain)
    real = len(shapes)
    levels: dict[int, list[int]] = {}
    for k in range(len(rank)):
        levels.setdefault(rank[k], []).append(k)
    ordered = [levels[r] for r in sorted(levels)]
    place = [0.0] * len(rank)
    for level in ordered:
        _stack(level, across, real, place, None)
    for sweep in range(6 if len(rank) < 20000 else 2):
        down = sweep % 2 == 0
        for level in ordered if down else reversed(ordered):
            wanted = {}
            for k in level:
                neighbours = pred[k] if down else succ[k]
                wanted[k] = sum(place[n] for n in neighbours) / len(neighbours) if neighbours else place[k]
            level.sort(key=lambda k: (wanted[k], place[k]))
            _stack(level, across, real, place, wanted)
    for sweep in range(2):  # keep the order; straighten the lanes: a dummy wants its neighbour's place
        down = sweep % 2 == 0
        for level in ordered if down else reversed(ordered):
            wanted = {}
            for k in level:
                neighbours = pred[k] if down else succ[k]
                if k >= real and neighbours:
                    wanted[k] = place[neighbours[0]]
                else:
                    wanted[k] = sum(place[n] for n in neighbours) / len(neighbours) if neighbours else place[k]
            _stack(level, across, real, place, wanted)
    depth = [0.0] * len(rank)
    column: dict[int, tuple[float, float]] = {}  # rank -> where its column starts and ends
    start = 0.0
    for level in ordered:
        extent = max(along[k] for k in level)
        for k in level:
            depth[k] = start + extent / 2
        column[rank[level[0]]] = (start, start + extent)
        start += extent + ranksep

    def point(d: float, a: float) -> tuple[float, float]:
        return {"LR": (d, -a), "RL": (-d, -a), "TB": (a, -d), "BT": (a, d)}[rankdir]

    # Every edge leaves its tail's far side and enters its head's near side, runs straight
    # across each rank it crosses (in its lane), and bends only in the gaps between ranks.
    paths = []
    for chain in chains:
        tail, head = chain[0], chain[-1]
        way = [(depth[tail] + along[tail] / 2, place[tail]), (column[rank[tail]][1], place[tail])]
        for k in chain[1:-1]:
            way += [(column[rank[k]][0], place[k]), (column[rank[k]][1], place[k])]
        way += [(column[rank[head]][0], place[head]), (depth[head] - along[head] / 2, place[head])]
        paths.append(way)
    spots = {}
    for e, k in holders.items():
        size = labels[e]
        if size:
            spots[e] = point(depth[k], place[k] + size[1] / 2 + 3)
    return _Layout([point(depth[k], place[k]) for k in range(real)], paths, point, spots)


def _lanes(rank: Sequence[int], links: Sequence[tuple[int, int]]) -> set[int]:
    """The edges that get a lane (a dummy in every rank they cross), shortest first, within a
    budget that keeps the layout fast; the longest ones of a huge graph are drawn straight."""
    spans = sorted((rank[head] - rank[tail], e) for e, (tail, head) in enumerate(links))
    laned, budget = set(), LANE_BUDGET
    for span, e in spans:
        budget -= span - 1
        if budget < 0:
            break
        laned.add(e)
    return laned


def _stack(
    level: Sequence[int], across: Sequence[float], real: int, place: list[float], wanted: dict[int, float] | None
) -> None:
    """Place a rank's nodes in their order, as near their wanted positions as the gaps allow
    (least squares, by pooling adjacent violators); dummies (edge lanes) pack closer than nodes."""
    offsets, offset = [], 0.0
    for n, k in enumerate(level):
        if n:
            before = level[n - 1]
            gap = 18.0 if k < real and before < real else 8.0 if k < real or before < real else 4.0
            offset += across[before] / 2 + gap + across[k] / 2
        offsets.append(offset)
    if wanted is None:
        for k, o in zip(level, offsets):
            place[k] = o
        return
    # Minimise Σ (x - wanted)² with x[n+1] - x[n] >= the gap: y = x - offset must not decrease.
    blocks: list[list[float]] = []  # [sum of targets, count]
    for k, o in zip(level, offsets):
        blocks.append([wanted[k] - o, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    n = 0
    for total, count in blocks:
        for _ in range(int(count)):
            place[level[n]] = total / count + offsets[n]
            n += 1


def _spline(way: Sequence[tuple[float, float]], point: Callable[[float, float], tuple[float, float]]) -> str:
    """A route (``(depth, across)`` points) as Graphviz's edge ``pos``: straight runs, S-bends
    between them, and an arrowhead arriving along the ranks."""
    (tip_d, tip_a), arrow = way[-1], 10.0
    points = [way[0]]
    for d, a in way[1:-1]:
        if d >= tip_d - arrow and abs(a - tip_a) < 0.5:
            break  # the last straight run ends where the arrowhead begins
        if (d, a) == points[-1]:
            continue
        if len(points) > 1 and abs(a - points[-1][1]) < 0.5 and abs(points[-1][1] - points[-2][1]) < 0.5:
            points[-1] = (d, a)  # still running straight: move the run's end
        else:
            points.append((d, a))
    points.append((tip_d - arrow, tip_a))
    if len(points) > _MAX_BENDS:  # a route this long would overflow dot's 16 kB string: go straight
        points = [points[0], points[-1]]
    out = [points[0]]
    for (ad, aa), (bd, ba) in zip(points, points[1:]):
        if abs(aa - ba) < 0.5:  # a straight run
            out += [(ad + (bd - ad) / 3, aa), (ad + 2 * (bd - ad) / 3, ba)]
        else:  # an S-bend: leave and arrive along the ranks
            out += [((ad + bd) / 2, aa), ((ad + bd) / 2, ba)]
        out.append((bd, ba))
    tx, ty = point(tip_d, tip_a)
    return f"e,{tx:.1f},{ty:.1f} " + " ".join("{:.1f},{:.1f}".format(*point(d, a)) for d, a in out)
