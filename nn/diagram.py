"""A stack of layers drawn as a network: inputs, one circle per unit, one line per weight.

The scalar graph of even a small network has thousands of nodes; this picture has one node
per unit, laid out here (Graphviz only draws it, with ``nop2``), so that it reads like a
textbook figure:

- units in order, ``[0]`` at the top (left to right with ``rankdir="TB"``), in columns;
- weights only join neighbouring columns, as straight lines, so none crosses a unit;
- a line's colour is the weight's sign (blue +, red −) and its width the weight's size; a
  unit's fill is its bias, in the same colours; a legend says so;
- every unit and weight has a hover text in SVG with its name and value (and gradient), as
  do the written numbers, titles and legend (never a bare DOT id); small networks also get
  the numbers written on the picture (``edge_labels``), placed so that no two overlap;
- a 2-16-16-1 network fits a 1280×720 slide with every label legible.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from autograd.dot import check_options, check_size, header, quoted, size_attribute, theme_named
from autograd.drawing import register_drawer
from autograd.numbers import format_number
from autograd.value import Value
from nn.layers import MLP, Layer

Place = Callable[[int, int], "tuple[float, float]"]  # (column, unit) -> centre in points
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points

MAX_UNITS = 500
WEIGHT_LABELS_UP_TO = 40  # more written weights than this are unreadable
POSITIVE, NEGATIVE = "#1f77b4", "#d62728"
_SLIDE_HEIGHT = 440.0  # points for the units of the tallest column (a 720-pixel slide is 540 points)
_SLIDE_WIDTH = 860.0
_INDEX = re.compile(r"[A-Za-z]+(\d+)\[")


def network_dot(
    nin: int,
    layers: Sequence[Layer],
    output: str,
    *,
    rankdir: str = "LR",
    show_grad: bool = True,
    number_format: str | None = None,
    digits: int = 3,
    edge_labels: bool | str | None = None,
    weight_labels: bool | None = None,
    highlight_nodes: Collection[Value] = (),
    highlight_edges: Collection[object] = (),
    max_nodes: int = MAX_UNITS,
    fontsize: float = 11,
    theme: str = "light",
    size: str | tuple[float, float] | None = None,
    last: str = "output",
    legend: bool = True,
) -> str:
    """The DOT text of a stack of layers as a network diagram.

    Args:
        nin: the number of inputs.
        layers: the layers, first to last.
        output: the name shown for the last layer's function (an MLP's output function).
        rankdir: ``LR`` (inputs on the left) or ``TB`` (inputs at the top); ``RL``, ``BT`` mirror them.
        show_grad: include each weight's and bias's gradient in its hover text.
        number_format: a format spec for the numbers written on the picture, e.g. ``".2f"``;
            by default they get ``digits`` significant digits.
        digits: significant digits of written numbers (hover texts get 4 or more).
        edge_labels: write each weight on its line and each bias under its unit; by default
            only for networks of up to 40 weights. ``weight_labels`` is the same option. No
            two labels overlap: each sits on its own line, at the free spot nearest the middle
            that crosses the fewest other lines; on a denser network than 40 weights, a
            weight with no free spot is left unwritten (its line's hover text has it).
        weight_labels: the old name of ``edge_labels``.
        highlight_nodes: parameters to draw in colour: a weight's line, a bias's unit.
        highlight_edges: accepted for the same call as a computation graph; a network's
            lines are weights, so pass those in ``highlight_nodes``.
        max_nodes: refuse networks with more units than this.
        fontsize: the font size of unit names, in points (titles are a little larger).
        theme: ``"light"`` or ``"dark"``.
        size: ``(width, height)`` in inches: the picture is scaled to fit.
        last: ``"output"`` names the last layer's units ŷ; ``"hidden"`` names them h, as for a
            layer drawn on its own.
        legend: draw the key to colours and widths.
    """
    del highlight_edges  # see the docstring: a network's edges are its weights
    check_options(rankdir=rankdir, digits=digits, fontsize=fontsize, max_nodes=max_nodes)  # as draw(value) does
    if last not in ("output", "hidden"):
        raise ValueError(f"last must be 'output' or 'hidden', got {last!r}")
    colours = theme_named(theme)
    units = nin + sum(layer.nout for layer in layers)
    check_size(units, max_nodes, hint="draw(model, max_nodes=N)")
    weights = [w for layer in layers for n in layer.neurons for w in n.w]
    labels = edge_labels if edge_labels is not None else weight_labels
    if labels not in (None, True, False, "local"):  # a typo such as "locl" is not silently True
        raise ValueError(f"edge_labels must be True, False, 'local' or None (by size), got {labels!r}")
    write = len(weights) <= WEIGHT_LABELS_UP_TO if labels is None else bool(labels)
    biggest = max((abs(w.data) for w in weights if math.isfinite(w.data)), default=0.0) or 1.0
    biases = [n.b for layer in layers for n in layer.neurons]
    biggest_b = max((abs(b.data) for b in biases if math.isfinite(b.data)), default=0.0) or 1.0
    lit = set(highlight_nodes)
    ink = colours.ink or "black"
    paper = colours.background or "white"

    def shown(x: float) -> str:
        return format(x, number_format) if number_format else format_number(x, digits)

    def hover(name: str, v: Value) -> str:
        text = f"{name} = {format_number(v.data, max(4, digits))}"
        return text + (f", grad {format_number(v.grad, max(4, digits))}" if show_grad else "")

    # --- who is who ---
    columns: list[list[str]] = [[f"x[{i}]" for i in range(nin)]]
    titles = ["input\nx"]
    for k, layer in enumerate(layers, start=1):
        final = k == len(layers) and last == "output"
        number = str(k) if last == "output" else _layer_number(layer)
        h = "ŷ" if final else f"h{number}"
        columns.append([f"{h}[{j}]" for j in range(layer.nout)])
        g = output if final else layer.activation
        formula = f"{h} = a{number}" if g == "linear" else f"{h} = {g}(a{number})"
        titles.append(f"layer {number}\n{formula}" if number else f"layer\n{formula}")
    ids = [[f"x{i}" for i in range(nin)]] + [
        [f"u{k}_{j}" for j in range(layer.nout)] for k, layer in enumerate(layers, start=1)
    ]

    # --- geometry, in points: `along` runs from inputs to outputs, `across` over a column ---
    tallest = max(len(c) for c in columns)
    small = fontsize * 0.85
    title_size = fontsize * 1.1
    widest_title = max(_width(line, title_size) for t in titles for line in t.splitlines())
    flat = rankdir in ("LR", "RL")
    if flat:
        pitch = min(72.0, max(26.0, _SLIDE_HEIGHT / tallest))
        gap = max(widest_title + 24, 120.0, min(260.0, _SLIDE_WIDTH / max(1, len(layers))))
    else:  # rows: units spread across, rows far enough apart for the lines to read
        pitch = min(80.0, max(30.0, (_SLIDE_WIDTH - widest_title - 30) / tallest))
        gap = min(170.0, max(100.0, (_SLIDE_HEIGHT + 10) / max(1, len(layers))))
    # A line from a unit to the far end of the next column passes its neighbour at a distance
    # of pitch · gap / length: the circles are made smaller than that, so no line crosses one.
    clear = min(pitch * gap / math.hypot(gap, (len(a) + len(b) - 2) * pitch / 2) for a, b in zip(columns, columns[1:]))
    radius = min(24.0, 0.42 * pitch, 0.9 * clear)
    span = (tallest - 1) * pitch

    def at(column: int, j: int) -> tuple[float, float]:
        """Centre of unit ``j`` of ``column``: ``[0]`` first, each column centred."""
        along = column * gap
        across = (j - (len(columns[column]) - 1) / 2) * pitch + span / 2
        return _placed(rankdir, along, across)

    lines = header("network", "LR" if flat else "TB", fontsize, colours, size_attribute(size))
    lines.append("  layout=nop2; outputorder=edgesfirst;")
    lines.append(
        f'  node [shape=circle, fixedsize=true, width={2 * radius / 72:.3f}, style=filled, fillcolor="{paper}"];'
    )
    lines.append("  edge [arrowhead=none];")

    # titles: above each column (LR), left of the rows (TB); text nodes, so never clipped
    left = min(at(c, 0)[0] for c in range(len(columns))) - radius - 14 - widest_title / 2
    for c, title in enumerate(titles):
        x, y = at(c, 0)
        if flat:
            top = _placed(rankdir, c * gap, -radius - 24)[1]
            where = f"{x:.1f},{top:.1f}"
        else:
            where = f"{left:.1f},{y:.1f}"
        lines.append(
            f'  title{c} [shape=plaintext, style="", fixedsize=false, fontsize={title_size:g}, '
            f"pos={quoted(where)}, label={quoted(title)}, tooltip={quoted(title.replace(chr(10), ': '))}];"
        )

    # units
    bias_boxes: list[Box] = []
    for c, (names, column_ids) in enumerate(zip(columns, ids)):
        fits = all(_width(n, fontsize) <= 2 * radius - 4 for n in names)
        shown_names = names if fits else [str(j) for j in range(len(names))]  # the title says h1
        room = (2 * radius - 5) / (0.62 * max(len(n) for n in shown_names))
        inside = f", fontsize={max(8.0, room):.1f}" if room < fontsize else ""  # shrunk to fit its circle
        for j, (name, uid) in enumerate(zip(names, column_ids)):
            x, y = at(c, j)
            attributes = [f'pos="{x:.1f},{y:.1f}"', f"label={quoted(shown_names[j])}{inside}"]
            if c == 0:
                attributes.append(f"tooltip={quoted(name)}")
            else:
                neuron = layers[c - 1].neurons[j]
                attributes.append(f"tooltip={quoted(name + ': bias ' + hover(neuron.b.label or 'b', neuron.b))}")
                attributes.append(f'fillcolor="{_tint(neuron.b.data / biggest_b, paper)}"')
                if neuron.b in lit:
                    attributes.append(f'color="{colours.highlight}", penwidth=3')
                if write:
                    bx, by = _placed(rankdir, c * gap, (j - (len(names) - 1) / 2) * pitch + span / 2 + radius + 8)
                    if not flat:
                        bx, by = x + radius + 6 + _width("b=" + shown(neuron.b.data), small) / 2, y
                    bias_boxes.append(label_box(bx, by, "b=" + shown(neuron.b.data), small))
                    tip = quoted(hover(neuron.b.label or "b", neuron.b))
                    lines.append(
                        f'  {uid}_b [shape=plaintext, style="", fixedsize=false, fontsize={small:g}, '
                        f'pos="{bx:.1f},{by:.1f}", label={quoted("b=" + shown(neuron.b.data))}, tooltip={tip}];'
                    )
            lines.append(f"  {uid} [{', '.join(attributes)}];")

    # weights, thinnest first so that the strong ones are drawn on top
    drawn = []
    for k, layer in enumerate(layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                drawn.append((abs(w.data) if math.isfinite(w.data) else math.inf, k, j, i, w))
    drawn.sort(key=lambda item: item[0])
    for _, k, j, i, w in drawn:
        colour = colours.highlight if w in lit else POSITIVE if w.data >= 0 else NEGATIVE
        width = 0.5 + 3.5 * min(1.0, abs(w.data) / biggest) if math.isfinite(w.data) else 4.0
        if w in lit:
            width = max(width, 3.0)
        tip = quoted(hover(w.label or f"W{k}[{j},{i}]", w))
        lines.append(f'  {ids[k - 1][i]} -> {ids[k][j]} [color="{colour}", penwidth={width:.2f}, tooltip={tip}];')
    if write:
        lines += _weight_labels(layers, at, ids, shown, small, paper, radius, hover, bias_boxes)
    if legend:
        lines += _legend(flat, at, columns, radius, biggest, small, ink)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _layer_number(layer: Layer) -> str:
    """A layer's number k from its parameters' labels (``b2[0]``), else ``""`` for a lone layer."""
    found = _INDEX.match(layer.neurons[0].b.label) if layer.neurons else None
    return found.group(1) if found else ""


def _placed(rankdir: str, along: float, across: float) -> tuple[float, float]:
    """Graphviz coordinates (y up) of a point ``along`` the layers and ``across`` a column."""
    if rankdir == "LR":
        return along, -across
    if rankdir == "RL":
        return -along, -across
    if rankdir == "TB":
        return across, -along
    return across, along


def _width(text: str, fontsize: float) -> float:
    return 0.6 * fontsize * len(text)


def _box(text: str, fontsize: float) -> str:
    """A text node's size from our estimate, not the renderer's font metrics: graphviz-pure measures
    text narrower than browsers draw it, and the picture's edge would clip it."""
    return f"fixedsize=true, width={_width(text, fontsize) / 72:.2f}, height={1.4 * fontsize / 72:.2f}"


def _tint(share: float, paper: str) -> str:
    """A bias's fill: its sign's colour, stronger for a bigger bias, never so strong that the name is lost."""
    if not math.isfinite(share):
        return "#999999"
    strength = 0.45 * min(1.0, abs(share))
    base = POSITIVE if share >= 0 else NEGATIVE
    r, g, b = (int(base[i : i + 2], 16) for i in (1, 3, 5))
    pr, pg, pb = (int(paper[i : i + 2], 16) for i in (1, 3, 5)) if paper.startswith("#") else (255, 255, 255)
    mix = [round(p + (c - p) * strength) for c, p in ((r, pr), (g, pg), (b, pb))]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _weight_labels(
    layers: Sequence[Layer],
    at: Place,
    ids: list[list[str]],
    shown: Callable[[float], str],
    fontsize: float,
    paper: str,
    radius: float,
    hover: Callable[[str, Value], str],
    taken: Sequence[Box] = (),
) -> list[str]:
    """Each weight written on its line, where no two labels overlap (see :func:`place_weight_labels`).

    A label that finds no free place is left out: its weight is still in its line's hover text.
    """
    lines = []
    for (k, j, i), (x, y) in place_weight_labels(layers, at, shown, fontsize, radius, taken).items():
        w = layers[k - 1].neurons[j].w[i]
        colour = POSITIVE if w.data >= 0 else NEGATIVE
        tip = quoted(hover(w.label or f"W{k}[{j},{i}]", w))
        lines.append(
            f'  {ids[k][j]}_w{i} [shape=plaintext, fixedsize=false, style=filled, fillcolor="{paper}", '
            f'margin="0.02,0", height=0, width=0, fontsize={fontsize:g}, fontcolor="{colour}", '
            f'pos="{x:.1f},{y:.1f}", label={quoted(shown(w.data))}, tooltip={tip}];'
        )
    return lines


_SPOTS = sorted((0.05 + 0.9 * n / 45 for n in range(46)), key=lambda t: (abs(t - 0.5), t))  # middle first


_EM = {".": 0.278, "-": 0.333, "+": 0.584, ",": 0.278, "=": 0.584}  # Helvetica's widths; digits and e are 0.556


def label_box(x: float, y: float, text: str, fontsize: float) -> Box:
    """The room a weight's label takes, centred at ``(x, y)``: its text in Helvetica (Liberation Sans,
    Arimo: the same widths), the 0.02-inch margin of its paper-coloured box, and a point to spare."""
    half_width = fontsize * sum(_EM.get(c, 0.556 if c.isdigit() or c == "e" else 0.65) for c in text) / 2 + 2.5
    half_height = 0.6 * fontsize + 1
    return (x - half_width, y - half_height, x + half_width, y + half_height)


def place_weight_labels(
    layers: Sequence[Layer],
    at: Place,
    shown: Callable[[float], str],
    fontsize: float,
    radius: float,
    taken: Sequence[Box] = (),
) -> dict[tuple[int, int, int], tuple[float, float]]:
    """Where each weight's label goes: on its own line, at the free spot nearest the middle.

    Labels are placed one by one, the most crowded lines first; each takes the spot along its line
    (from the middle outwards) that overlaps no label already placed, no unit, nothing in ``taken``
    (bias labels), and crosses the fewest other lines, so that a label is not read as another line's.
    Returns ``{(layer k, unit j, input i): centre}``; a weight with no free spot is missing.
    """
    placed: dict[tuple[int, int, int], tuple[float, float]] = {}
    for k, layer in enumerate(layers, start=1):  # labels between two columns meet only each other
        boxes: list[Box] = list(taken)
        units = [at(c, j) for c in (k - 1, k) for j in range(layer.nin if c == k - 1 else layer.nout)]
        segments = {(j, i): (at(k - 1, i), at(k, j)) for j in range(layer.nout) for i in range(layer.nin)}
        order = sorted(segments, key=lambda key: (-_crossings(segments, key), key))
        for j, i in order:
            (x0, y0), (x1, y1) = segments[j, i]
            text = shown(layer.neurons[j].w[i].data)
            best: tuple[float, float, float] | None = None
            for t in _SPOTS:
                x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
                box = label_box(x, y, text, fontsize)
                if any(_overlap(box, other) for other in boxes):
                    continue
                if any(_box_near_circle(box, u, radius + 2) for u in units):
                    continue
                others = sum(1 for key, seg in segments.items() if key != (j, i) and _cuts(seg, box))
                near = _grown(box, fontsize)  # labels close together read as a pair: keep some room
                crowded = sum(1 for other in boxes if _overlap(near, other))
                cost = others + 0.5 * crowded + abs(t - 0.5)
                if best is None or cost < best[0]:
                    best = (cost, x, y)
            if best is not None:
                placed[k, j, i] = (best[1], best[2])
                boxes.append(label_box(best[1], best[2], text, fontsize))
    return placed


def _crossings(
    segments: dict[tuple[int, int], tuple[tuple[float, float], tuple[float, float]]], key: tuple[int, int]
) -> int:
    """How many of the other lines between the same two columns cross this one."""
    (a, b), count = segments[key], 0
    for other, (c, d) in segments.items():
        if other != key and a != c and b != d and _segments_cross(a, b, c, d):
            count += 1
    return count


def _segments_cross(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float], d: tuple[float, float]
) -> bool:
    def side(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def _grown(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box_near_circle(box: Box, centre: tuple[float, float], reach: float) -> bool:
    nearest_x = min(max(centre[0], box[0]), box[2])
    nearest_y = min(max(centre[1], box[1]), box[3])
    return math.hypot(nearest_x - centre[0], nearest_y - centre[1]) < reach


def _cuts(segment: tuple[tuple[float, float], tuple[float, float]], box: Box) -> bool:
    """Whether the line ``segment`` passes through ``box`` (Liang and Barsky's clipping)."""
    (x0, y0), (x1, y1) = segment
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            low = max(low, r)
        else:
            high = min(high, r)
        if low > high:
            return False
    return True


def _legend(
    flat: bool, at: Place, columns: list[list[str]], radius: float, biggest: float, fontsize: float, ink: str
) -> list[str]:
    """One line under the picture: sample lines for sign and size, and what a unit's fill means."""
    everything = [at(c, j) for c, column in enumerate(columns) for j in range(len(column))]
    x = min(p[0] for p in everything)
    y = min(p[1] for p in everything) - radius - 28
    entries = [
        (POSITIVE, 2.5, "weight > 0"),
        (NEGATIVE, 2.5, "weight < 0"),
        (ink, 0.5, "small |w|"),
        (ink, 4.0, f"|w| = {format_number(biggest, 3)}"),
    ]
    lines = []
    for n, (colour, width, words) in enumerate(entries):
        lines.append(f'  key{n}a [shape=point, width=0.01, style=invis, pos="{x:.1f},{y:.1f}"];')
        lines.append(f'  key{n}b [shape=point, width=0.01, style=invis, pos="{x + 28:.1f},{y:.1f}"];')
        lines.append(f'  key{n}a -> key{n}b [color="{colour}", penwidth={width:g}, tooltip={quoted("key: " + words)}];')
        middle = x + 34 + _width(words, fontsize) / 2
        lines.append(
            f'  key{n} [shape=plaintext, style="", {_box(words, fontsize)}, fontsize={fontsize:g}, '
            f'pos="{middle:.1f},{y:.1f}", label={quoted(words)}, tooltip={quoted("key: " + words)}];'
        )
        x = middle + _width(words, fontsize) / 2 + 22
    words = "unit fill: bias, same colours"
    lines.append(
        f'  key_bias [shape=plaintext, style="", {_box(words, fontsize)}, fontsize={fontsize:g}, '
        f'pos="{x + _width(words, fontsize) / 2:.1f},{y:.1f}", label={quoted(words)}, '
        f"tooltip={quoted('key: ' + words)}];"
    )
    return lines


def draw_mlp(model: MLP, **options: Any) -> str:
    """``autograd.draw(model)``: the network as DOT, one node per unit (see :func:`network_dot`)."""
    return network_dot(model.nin, model.layers, model.output, **options)


def draw_layer(layer: Layer, **options: Any) -> str:
    """``autograd.draw(layer)``: a layer on its own, its units named h, not ŷ."""
    return network_dot(layer.nin, [layer], layer.activation, **{"last": "hidden", **options})


register_drawer(MLP, draw_mlp)
register_drawer(Layer, draw_layer)
