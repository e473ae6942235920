""" "Check my derivation": a learner's hand-worked gradients against the graph's.

The learner works ∂root/∂node out on paper for some labelled nodes and hands them in:

>>> from autograd import Value
>>> from autograd.check import check_gradients
>>> a = Value(3.0, label="a")
>>> e = a * a
>>> e.label = "e"
>>> result = check_gradients(e, {"a": 3.0})   # forgot that a reaches e along two edges
>>> result.all_right
False
>>> result.wrong
['a']

For each wrong answer the result shows the sum over paths that makes the right one: every
path from the root down to the node, as the product of the local derivatives along it
(∂e/∂a = 3 on each of the two edges of ``a * a``), so the learner sees which path or factor
went missing. Every number printed on a path multiplies out as shown (the stepper's rule:
more digits where rounding would break the product).

The check leaves every ``.grad`` in the graph as it found it (it runs its own backward pass
and puts the stored gradients back), so ``draw(root, highlight_nodes=result.wrong_nodes)``
shows whatever the graph held before: zeros after ``zero_grad()``, say. ``result.draw()``
colours the nodes that disagree and the paths into them, and shows the gradients the
answers were checked against.

The output is named as the stepper and the player name it
(:func:`autograd.narrate.output_name`): ``∂y/∂x`` for a root labelled ``y``, else ``∂L/∂x``.

When is an answer right? Hand-worked numbers are rounded, so the verdict allows for it.
An answer is *right* when it is within ``rtol`` (1e-2, one percent) of the graph's value,
or when it is the graph's value rounded to the digits the learner wrote, provided they
wrote at least two significant digits (``0.0027`` for 0.002653 is right; ``1`` for 1.4 is
not: one digit is too coarse to tell a rounding from a slip). A tiny ``atol`` (1e-9)
lets ``0`` be right for a gradient that is zero up to float noise.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autograd.checks import non_negative, whole_number
from autograd.graph import topological_order
from autograd.higher import side_gradients
from autograd.numbers import format_number
from autograd.ops import display

if TYPE_CHECKING:
    from autograd.drawing import Drawing
    from autograd.value import Value

RTOL = 1e-2
ATOL = 1e-9
MAX_PATHS = 8
HEADINGS = ("label", "yours", "graph's", "verdict")
# Looking for the subset of paths a learner summed is 2**n work: only for a few paths.
_MAX_SUBSET_PATHS = 10


class UnknownLabelError(ValueError):
    """A label in the learner's answers names no node of the graph (or more than one)."""


@dataclass(frozen=True)
class Factor:
    """One local derivative on a path: ∂child/∂parent along one edge.

    Attributes:
        child: the node the edge leads into.
        parent: the node it leaves (one of ``child.parents``).
        edge: the parent's position in ``child.parents`` (``a * a`` has edges 0 and 1).
        local: ∂child/∂parent, recorded in the forward pass.
        name: how it is written, e.g. ``∂e/∂a``.
    """

    child: Value
    parent: Value
    edge: int
    local: float
    name: str

    def text(self, shown: str | None = None) -> str:
        """``∂e/∂a = 3``; ``shown`` is the number as written, when more digits are needed."""
        return f"{self.name} = {format_number(self.local) if shown is None else shown}"


@dataclass(frozen=True)
class Path:
    """A path from the root down to a node: its factors, root first, and their product."""

    factors: tuple[Factor, ...]

    @property
    def product(self) -> float:
        return math.prod(f.local for f in self.factors)

    @property
    def nodes(self) -> list[Value]:
        return [self.factors[0].child, *(f.parent for f in self.factors)] if self.factors else []


@dataclass(frozen=True)
class Row:
    """One checked label.

    Attributes:
        label: the label the learner used.
        node: the node it names.
        yours: the learner's value.
        graph: the graph's ∂root/∂node for this pass.
        right: the verdict.
        how: why it is right (``"within 1%"``, ``"to the digits you gave"``) or what looks
            wrong (``"sign flipped"``, ``"matches paths 1, 3 only"``).
        paths: the first paths from the root to the node (at most ``max_paths``).
        path_count: how many paths there are in all.
    """

    label: str
    node: Value
    yours: float
    graph: float
    right: bool
    how: str
    paths: tuple[Path, ...]
    path_count: int

    @property
    def verdict(self) -> str:
        return "right" if self.right else "WRONG"


@dataclass
class GradientCheck:
    """The result of :func:`check_gradients`: a table (``str()``; HTML in Jupyter) plus the details.

    Attributes:
        root: the node the gradients are of.
        rows: one :class:`Row` per label checked, in the order given.
        not_checked: labels of graph nodes the learner did not give.
        rtol: the relative tolerance used.
        max_paths: how many paths are shown for a wrong answer.
    """

    root: Value
    rows: list[Row]
    not_checked: list[str]
    rtol: float = RTOL
    max_paths: int = MAX_PATHS
    _root_name: str = field(default="", repr=False)

    @property
    def all_right(self) -> bool:
        """Every checked answer agrees with the graph."""
        return all(row.right for row in self.rows)

    @property
    def wrong(self) -> list[str]:
        """The labels whose answers disagree with the graph."""
        return [row.label for row in self.rows if not row.right]

    @property
    def wrong_nodes(self) -> list[Value]:
        """The nodes whose answers disagree: pass to ``draw(root, highlight_nodes=...)``."""
        return [row.node for row in self.rows if not row.right]

    @property
    def wrong_edges(self) -> list[tuple[Value, int]]:
        """The edges on the shown paths to wrong nodes: for ``draw(root, highlight_edges=...)``."""
        edges: dict[tuple[int, int], tuple[Value, int]] = {}
        for row in self.rows:
            if not row.right:
                for path in row.paths:
                    for f in path.factors:
                        edges.setdefault((id(f.child), f.edge), (f.child, f.edge))
        return list(edges.values())

    def draw(self, **options: Any) -> Drawing:
        """The graph with the disagreeing nodes (and the paths into them) in colour, each
        record showing the gradient the answers were checked against (a fresh backward pass).

        The graph's own ``.grad`` are left as they were.
        """
        from autograd.drawing import draw

        options.setdefault("highlight_nodes", self.wrong_nodes)
        options.setdefault("highlight_edges", self.wrong_edges)
        order = topological_order(self.root)
        nodes = [node for node in order if _has_gradient(node)]
        saved = [node.grad for node in nodes]
        try:
            for node, grad in _graph_gradients(self.root, order).items():
                node.grad = grad
            # the DOT text is made now, from these gradients; no note about earlier passes
            options.setdefault("note", False)
            return draw(self.root, **options)
        finally:
            for node, grad in zip(nodes, saved):
                node.grad = grad

    # --- display ---

    def _explanations(self) -> Iterator[tuple[Row, str, list[tuple[str, str]], str]]:
        """For each wrong row: a heading, (path, factors-and-product) lines and a closing note."""
        for row in self.rows:
            if row.right:
                continue
            d = f"∂{self._root_name}/∂{row.label}"
            n = row.path_count
            if n == 1:
                heading = (
                    f"{row.label}: the graph's {d} = {format_number(row.graph)} is the product of the "
                    f"local derivatives along the one path from {self._root_name} down to {row.label}"
                )
            else:
                heading = (
                    f"{row.label}: the graph's {d} = {format_number(row.graph)} is the sum over "
                    f"{n} paths from {self._root_name} down to {row.label} "
                    "of the product of the local derivatives along each"
                )
            lines = []
            products = []
            for i, path in enumerate(row.paths, 1):
                route = " → ".join(self._node_name(node) for node in path.nodes)
                factors, product = _path_text(path)
                lines.append((f"path {i}: {route}", f"{factors}  →  {product}"))
                products.append(product)
            note = ""
            if n > len(row.paths):
                shown = math.fsum(p.product for p in row.paths)
                note = (
                    f"… and {n - len(row.paths)} more paths not shown (the first {len(row.paths)} "
                    f"sum to {format_number(shown)}; all {n} sum to {format_number(row.graph)}). "
                    "Raise max_paths= to see more."
                )
            elif n > 1:
                total = _signed_sum(products)  # the products as the path lines show them
                adds = math.fsum(float(p) for p in products)
                exact = any(format_number(adds, k) == format_number(row.graph, k) for k in (4, 3))
                note = f"sum: {total} {'=' if exact else '≈'} {format_number(row.graph)}"
            if row.how:
                guess = f"yours, {format_number(row.yours)}: {row.how}"
                note = f"{note}\n{guess}" if note else guess
            yield row, heading, lines, note

    def __str__(self) -> str:
        head = HEADINGS
        body = [(r.label, format_number(r.yours), format_number(r.graph), _verdict_text(r)) for r in self.rows]
        widths = [max(len(row[i]) for row in [head, *body]) for i in range(4)]
        out = [f"{self._heading()}:", ""]
        for row in [head, *body]:
            out.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        right = sum(r.right for r in self.rows)
        out.append("")
        out.append(f"{right} of {len(self.rows)} right.")
        for _row, heading, lines, note in self._explanations():
            out.append("")
            out.append(heading + ":")
            for route, factors in lines:
                out.append(f"  {route}")
                out.append(f"      {factors}")
            for line in note.splitlines():
                out.append(f"  {line}")
        if self.not_checked:
            out.append("")
            out.append("not checked: " + ", ".join(self.not_checked))
        return "\n".join(out)

    def _introduced(self) -> str:
        """`` (L = tanh(a*b + c))`` when the output's name is not its label, else ``""``."""
        from autograd.narrate import Namer

        intro = Namer(self.root).introduce()
        return f" ({intro})" if intro else ""

    def _heading(self) -> str:
        return f"Your gradients of {self._root_name} against the graph's{self._introduced()}"

    def _node_name(self, node: Value) -> str:
        return self._root_name if node is self.root else _name(node, self.root)

    def __repr__(self) -> str:
        return f"<GradientCheck of {self._root_name}: {sum(r.right for r in self.rows)} of {len(self.rows)} right>"

    def _repr_html_(self) -> str:
        e = html.escape
        right_style = "color:#1a7f37;font-weight:bold"
        wrong_style = "color:#d62728;font-weight:bold"
        cell = "padding:2px 10px;text-align:left;border-bottom:1px solid #ddd"
        rows = []
        for r in self.rows:
            style = right_style if r.right else wrong_style
            rows.append(
                f"<tr><td style='{cell}'><b>{e(r.label)}</b></td>"
                f"<td style='{cell};font-family:ui-monospace,Menlo,Consolas,monospace'>{e(format_number(r.yours))}</td>"
                f"<td style='{cell};font-family:ui-monospace,Menlo,Consolas,monospace'>{e(format_number(r.graph))}</td>"
                f"<td style='{cell};{style}'>{e(_verdict_text(r))}</td></tr>"
            )
        parts = [
            "<div class='chainrule-check' style='font-family:sans-serif;font-size:15px;line-height:1.4'>",
            f"<p>Your gradients of <b>{e(self._root_name)}</b> against the graph's{e(self._introduced())}: "
            f"<b>{sum(r.right for r in self.rows)} of {len(self.rows)}</b> right.</p>",
            "<table style='border-collapse:collapse'>",
            "<tr>" + "".join(f"<th style='{cell}'>{h}</th>" for h in HEADINGS) + "</tr>",
            *rows,
            "</table>",
        ]
        for _row, heading, lines, note in self._explanations():
            parts.append(f"<p style='margin-top:1em'>{e(heading)}:</p><ol style='margin-top:0'>")
            for route, factors in lines:
                parts.append(
                    f"<li>{e(route.split(': ', 1)[1])}<br><code style='font-size:1em'>{e(factors)}</code></li>"
                )
            parts.append("</ol>")
            if note:
                parts.append("<p>" + "<br>".join(e(line) for line in note.splitlines()) + "</p>")
        if self.not_checked:
            parts.append(f"<p style='color:#555'>not checked: {e(', '.join(self.not_checked))}</p>")
        parts.append("</div>")
        return "\n".join(parts)


def check_gradients(
    root: Value,
    yours: Mapping[str, float],
    *,
    rtol: float = RTOL,
    atol: float = ATOL,
    max_paths: int = MAX_PATHS,
) -> GradientCheck:
    """Compare hand-worked gradients ∂root/∂node, keyed by node label, with the graph's.

    The graph's gradients come from a backward pass of ``root`` run just for this check:
    the gradients already stored on the nodes (which leaves accumulate across
    ``backward()`` calls) are put back afterwards, untouched.

    Args:
        root: the output whose gradients were worked by hand (a loss, say).
        yours: the learner's answers, ``{"a": -0.004, "b": 0.0027}``.
        rtol: relative tolerance of a right answer; see the module docstring for the rule
            that also accepts an answer rounded to the digits given.
        atol: absolute tolerance, for gradients that are zero.
        max_paths: how many root-to-node paths to show for a wrong answer (a graph can
            have exponentially many).

    Returns:
        A :class:`GradientCheck`: print it, or display it in Jupyter.

    Raises:
        UnknownLabelError: a label names no node of the graph, or several; the message
            lists the labels the graph has.
        TypeError: ``root`` is not a Value, ``yours`` is not a dict of label → number, an
            answer is not a real number, or an option has the wrong type.
        ValueError: ``rtol`` or ``atol`` is negative or not finite, or ``max_paths`` < 1.
    """
    from autograd.narrate import output_name, require_value

    require_value(root, "check_gradients()")
    if not isinstance(yours, Mapping):
        raise TypeError(
            "yours must be a dict of label → number, such as {'a': -0.004}, "
            f"got {type(yours).__name__}: {_clip(repr(yours))}"
        )
    for label in yours:
        if not isinstance(label, str):
            raise TypeError(f"the labels in yours must be text (a str), got {type(label).__name__}: {label!r}")
    rtol = non_negative("rtol", rtol)
    atol = non_negative("atol", atol)
    max_paths = whole_number("max_paths", max_paths)
    order = topological_order(root)
    by_label: dict[str, list[Value]] = {}
    for node in order:
        if node.label and _has_gradient(node):
            by_label.setdefault(node.label, []).append(node)
    missing = [label for label in yours if label not in by_label]
    if missing:
        available = ", ".join(sorted(by_label)) or "(none: give nodes labels, Value(2.0, label='a'))"
        raise UnknownLabelError(
            f"no node labelled {_listing(missing)} in the graph of {_name(root, root)}; its labels are: {available}"
        )
    doubled = [label for label in yours if len(by_label[label]) > 1]
    if doubled:
        raise UnknownLabelError(
            f"{_listing(doubled)}: several nodes carry this label, so the answer is ambiguous; "
            "give each node its own label"
        )
    answers = {label: _as_number(label, value) for label, value in yours.items()}
    graph = _graph_gradients(root, order)
    rows = []
    for label, mine in answers.items():
        node = by_label[label][0]
        count = _count_paths(root, node, order)
        paths = tuple(itertools.islice(_paths(root, node, order), max_paths))
        right, how = _verdict(mine, graph[node], rtol, atol)
        if not right:
            how = _diagnose(mine, graph[node], paths if count == len(paths) else (), rtol, atol)
        rows.append(Row(label, node, mine, graph[node], right, how, paths, count))
    # ∂root/∂root = 1 needs no checking: the root is never listed as not checked
    not_checked = [label for label, nodes in by_label.items() if label not in answers and root not in nodes]
    return GradientCheck(root, rows, not_checked, rtol, max_paths, _root_name=output_name(root, order))


# --- the graph's side ---


def _has_gradient(node: Value) -> bool:
    return bool(getattr(node, "requires_grad", True))


def _graph_gradients(root: Value, order: Sequence[Value]) -> dict[Value, float]:
    """∂root/∂node for every node, as one fresh ``backward()`` gives them, without touching ``.grad``."""
    fresh = side_gradients(root)
    return {node: fresh[node] for node in order if _has_gradient(node)}


def _edges_toward(target: Value, order: Sequence[Value]) -> set[Value]:
    """The nodes from which ``target`` can be reached by following parents (``target`` included)."""
    reaches = {target}
    for node in order:  # parents before children: a node reaches target if a parent does
        if any(p in reaches for p in node.parents):
            reaches.add(node)
    return reaches


def _count_paths(root: Value, target: Value, order: Sequence[Value]) -> int:
    """How many root-to-target paths there are (edges counted separately: ``a * a`` gives 2)."""
    count: dict[Value, int] = {target: 1}
    for node in order:
        if node is not target and node.parents:
            count[node] = sum(count.get(p, 0) for p in node.parents)
    return count.get(root, 0)


def _paths(root: Value, target: Value, order: Sequence[Value]) -> Iterator[Path]:
    """Every path from ``root`` down to ``target``, in the order of each node's parents (lazily)."""
    reaches = _edges_toward(target, order)
    if root not in reaches:
        return
    if root is target:
        yield Path(())
        return
    # An explicit stack of (node, next edge to try): graphs can be deep.
    stack: list[tuple[Value, int]] = [(root, 0)]
    factors: list[Factor] = []
    while stack:
        node, edge = stack[-1]
        if edge == len(node.parents):
            stack.pop()
            if factors:  # leave the edge that led into this node
                factors.pop()
            continue
        stack[-1] = (node, edge + 1)
        parent = node.parents[edge]
        if parent not in reaches:
            continue
        factors.append(_factor(root, node, edge))
        if parent is target:
            yield Path(tuple(factors))
            factors.pop()
        else:
            stack.append((parent, 0))


def _factor(root: Value, child: Value, edge: int) -> Factor:
    from autograd.narrate import output_name

    parent = child.parents[edge]
    top = output_name(root) if child is root else _name(child, root)
    name = f"∂{top}/∂{_name(parent, root)}"
    if child.parents.count(parent) > 1:  # a * a: say which edge
        name += f" (edge {edge + 1} of {display(child)})"
    return Factor(child, parent, edge, child.local_grads[edge], name)


# --- the verdict ---


def _verdict(mine: float, graph: float, rtol: float, atol: float) -> tuple[bool, str]:
    if not (math.isfinite(mine) and math.isfinite(graph)):
        same = mine == graph or (math.isnan(mine) and math.isnan(graph))
        return same, ""
    if abs(mine - graph) <= max(rtol * abs(graph), atol):
        return True, ""
    digits, place = _digits_given(mine)
    if digits >= 2 and abs(mine - graph) <= 0.5 * 10.0**place * (1 + 1e-9):
        return True, "to the digits you gave"
    return False, ""


def _digits_given(x: float) -> tuple[int, int]:
    """Significant digits in the shortest form of ``x``, and the power of ten of the last one.

    ``0.0027`` -> (2, -4); ``-3.0`` -> (1, 0); ``120.0`` -> (2, 1).
    """
    if x == 0:
        return 1, 0
    mantissa, _, exp_text = repr(abs(x)).partition("e")
    exponent = int(exp_text) if exp_text else 0
    whole, _, frac = mantissa.partition(".")
    frac = frac.rstrip("0")
    if frac:
        digits, place = (whole + frac).lstrip("0"), -len(frac)
    else:
        stripped = whole.rstrip("0")
        digits, place = stripped.lstrip("0"), len(whole) - len(stripped)
    return max(len(digits), 1), place + exponent


def _diagnose(mine: float, graph: float, paths: Sequence[Path], rtol: float, atol: float) -> str:
    """A guess at the slip: some of the paths left out, a flipped sign, or a factor of 2."""

    def close(x: float) -> bool:
        return _verdict(mine, x, rtol, atol)[0]

    if 1 < len(paths) <= _MAX_SUBSET_PATHS:
        for size in range(1, len(paths)):
            for chosen in itertools.combinations(range(len(paths)), size):
                if close(math.fsum(paths[i].product for i in chosen)):
                    kept = ", ".join(str(i + 1) for i in chosen)
                    left = ", ".join(str(i + 1) for i in range(len(paths)) if i not in chosen)
                    missing = "paths" if len(paths) - size > 1 else "path"
                    return f"equals the sum over path{'s' if size > 1 else ''} {kept} alone: {missing} {left} missing?"
    from autograd.narrate import SIGN_FLIPPED, half_of, twice  # the quizzes use the same words

    if graph != 0 and close(-graph):
        return SIGN_FLIPPED
    if graph != 0 and close(graph / 2):
        return half_of("the graph's value")
    if graph != 0 and close(graph * 2):
        return twice("the graph's value")
    return ""


# --- names ---


_INFIX = {"+": " + ", "*": "*", "**": "**"}


def _name(node: Value, root: Value | None = None) -> str:
    """A node's label; ``root`` for an unlabelled root; else its op over its parents' labels, ``(a*b)``.

    An unlabelled parent shows as ``…``: label the nodes you reason about, and their names
    are what you wrote on paper.
    """
    if node.label:
        return node.label
    if node is root:
        return "root"
    if not node.parents:
        return format_number(node.data)
    inner = [p.label or ("…" if p.parents else format_number(p.data)) for p in node.parents]
    op = display(node)
    if node.op in _INFIX and len(inner) == 2:
        return f"({inner[0]}{_INFIX[node.op]}{inner[1]})"
    if op.startswith("**") and len(inner) == 1:
        return f"({inner[0]}{op})"
    return f"{op}({', '.join(inner)})"


def _path_text(path: Path) -> tuple[str, str]:
    """``("∂L/∂d = 0.001341 × ∂d/∂e = 1", "0.001341")``: factors and product that multiply out as shown."""
    from autograd.narrate import product_texts

    if not path.factors:
        return "1", "1"
    shown, product = product_texts([f.local for f in path.factors], path.product)
    return " × ".join(f.text(text) for f, text in zip(path.factors, shown)), product


def _verdict_text(row: Row) -> str:
    return f"{row.verdict} ({row.how})" if row.how and row.right else row.verdict


def _signed_sum(terms: Sequence[str]) -> str:
    """``3 + 3 + 1``, ``-0.4985 - 0.2991``: each term (as shown) after the first with its own sign."""
    text = terms[0]
    for shown in terms[1:]:
        text += f" - {shown[1:]}" if shown.startswith("-") else f" + {shown}"
    return text


def _listing(labels: Collection[str]) -> str:
    return ", ".join(repr(label) for label in labels)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_number(label: str, value: object) -> float:
    from autograd.value import as_float

    try:
        return as_float(value)
    except TypeError:
        raise TypeError(f"your answer for {label!r} must be a number, got {type(value).__name__}: {value!r}") from None
