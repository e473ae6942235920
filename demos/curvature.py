"""The curvature of tanh, and the backward pass as a graph of its own.

In the op table, tanh's local derivative is not only a float (1 − t²) but also a Value
expression, ``1 - out*out``, built on the tanh node itself. ``grad(y, [x], create_graph=True)``
chains such expressions by the chain rule, so ∂y/∂x comes back as a *graph*: every
``local × upstream`` of the backward pass is now a ``*`` node, every sum over paths a ``+``
node. That graph is differentiated like any other (tanh'', tanh''', …), drawn, and
stepped through. With ``--out DIR`` the gradient's graph is written to DIR/gradient_graph.svg.

    python -m demos.curvature [--out DIR]
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable
from pathlib import Path

from autograd import Value, backward_steps, format_number, ops, topological_order
from autograd.dot import node_ids, to_dot
from autograd.drawing import Drawing
from autograd.higher import grad, hessian
from demos.examples import readme_example
from demos.lecture.agreement import Report, Result


def derivatives(fn: Callable[[Value], Value], z: float, order: int) -> list[float]:
    """fn(z), fn'(z), …, up to the given order: each a gradient of the previous one's graph."""
    x = Value(z, label="x")
    found = [fn(x)]
    for _ in range(order):
        (d,) = grad(found[-1], [x], create_graph=True)
        found.append(d)
    return [d.data for d in found]


def name(node: Value) -> str:
    """How a node is called in the listings: its label, else its op (a constant is its value)."""
    if node.label:
        return node.label
    if not node.requires_grad:
        return format_number(node.data)
    return f"{ops.display(node) or 'leaf'}"


def gradient_graph() -> Value:
    """∂L/∂a for the README example L = tanh(a·b + c), as a graph, its backward-pass nodes named."""
    L = readme_example()
    a = L.parents[0].parents[0].parents[0]
    (dLda,) = grad(L, [a], create_graph=True)
    # ∂L/∂a = b × ∂L/∂e, and ∂L/∂e is ∂L/∂d itself (a + passes its upstream on unchanged);
    # ∂L/∂d = (1 − L²) × ∂L/∂L, with ∂L/∂L = 1; and tanh's local 1 − L² = 1 + (−1 × L·L).
    dLdd = dLda.parents[1]
    one_minus = dLdd.parents[0]
    minus = one_minus.parents[1]
    square = minus.parents[0]
    for node, label in ((dLda, "∂L/∂a"), (dLdd, "∂L/∂d"), (one_minus, "1 − L²"), (minus, "−L²"), (square, "L²")):
        node.label = label
    return dLda


LEGEND = (  # red: autograd.dot.HIGHLIGHT_COLOUR
    "red: the forward graph, L = tanh(a·b + c)\n"
    "black: the nodes grad(L, [a], create_graph=True) added, the backward pass as a graph with output ∂L/∂a"
)


def save_gradient_graph(path: Path, dLda: Value | None = None) -> Path:
    """Draw ∂L/∂a's graph (see :func:`gradient_graph`) to ``path``, shaped for a 16:9 slide.

    Two rows: the forward graph in red, left to right; under it the backward pass, right to
    left from L back to ∂L/∂a (below a and b, where it started). A legend says what the red is.
    """
    dLda = dLda or gradient_graph()
    order = topological_order(dLda)
    L = next(node for node in order if node.label == "L")
    forward = topological_order(L)
    inside = set(forward)
    # Red throughout the forward graph: its nodes, and the edges between them (into an op and out of it).
    edges = [(node, i) for node in forward for i, parent in enumerate(node.parents) if parent in inside]
    source = to_dot(dLda, highlight_nodes=forward, highlight_edges=edges, show_grad=False, rankdir="TB", caption=LEGEND)
    ids = node_ids(order)

    def row(nodes: list[Value]) -> list[list[str]]:
        """The drawing's nodes of ``nodes`` in columns, an op's node before its value's; a leaf shares
        the column of the value before it (a over b)."""
        columns: list[list[str]] = []
        for node in nodes:
            if node.parents:
                columns.append([f"{ids[node]}_op"])
                columns.append([ids[node]])
            elif node.requires_grad:
                if columns and not columns[-1][0].endswith("_op"):  # beside another value: a over b, e over c
                    columns[-1].append(ids[node])
                else:
                    columns.append([ids[node]])
        return columns

    top = row(forward)
    bottom = row([node for node in order if node not in inside])
    width = 95.0 * (len(bottom) - 1)  # points; 12-point text stays 12 points on a 13.33-inch slide
    where: dict[str, tuple[float, float]] = {}
    for c, column in enumerate(top):
        for k, name in enumerate(column):
            where[name] = (width * c / (len(top) - 1), 150 + 30 * (len(column) - 1) - 60 * k)
    for c, column in enumerate(bottom):
        (name,) = column
        where[name] = (width * (1 - c / (len(bottom) - 1)), 0.0)
    lines = []
    for line in source.splitlines():
        found = re.match(r"  (n\d+(?:_op)?) \[", line)
        if found and found.group(1) in where:
            x, y = where[found.group(1)]
            line = f'  {found.group(1)} [pos="{x / 72:.3f},{y / 72:.3f}!", {line[found.end() :]}'
        elif line.startswith("  rankdir="):
            line += " layout=neato; splines=true;"  # positions pinned here; neato routes the edges
        lines.append(line)
    missing = set(where) ^ {m for m in re.findall(r"^  (n\d+(?:_op)?) \[", source, flags=re.M)}
    assert not missing, f"the layout has no place for {sorted(missing)}"
    return Drawing("\n".join(lines) + "\n").save(path)


def run(show: Callable[[str], object] = print, out: Path | None = None) -> list[Result]:
    r = Report(show, __doc__)

    r.say("tanh' = 1 − t², tanh'' = −2t(1 − t²), tanh''' = −2(1 − t²)(1 − 3t²) by hand, with t = tanh x;")
    r.say("each from the graph of the one before:")
    for z in (-2.0, -0.5, 0.0, 0.5, 1.5):
        t = math.tanh(z)
        _, d1, d2, d3 = derivatives(Value.tanh, z, 3)
        r.agree(f"tanh'({z:+.1f})", 1 - t * t, d1)
        r.agree(f"tanh''({z:+.1f}) = −2·tanh·(1 − tanh²)", -2 * t * (1 - t * t), d2)
        r.agree(f"tanh'''({z:+.1f})", -2 * (1 - t * t) * (1 - 3 * t * t), d3)

    r.say("\nWhere does tanh bend most? Where tanh''' = 0: Newton's method on tanh''' takes")
    r.say("tanh'''' from the graph too (four gradients deep). By hand: tanh x = 1/√3.")
    x = 0.5
    for _ in range(8):
        *_, d3, d4 = derivatives(Value.tanh, x, 4)
        x -= d3 / d4
    r.agree("argmin tanh'' = atanh(1/√3)", math.atanh(1 / math.sqrt(3)), x)
    r.agree("min tanh'' = −4/(3√3)", -4 / (3 * math.sqrt(3)), derivatives(Value.tanh, x, 2)[2])

    r.say("\nThe gradient's graph. README example: L = tanh(a·b + c), a = 2, b = −3, c = 10.")
    dLda = gradient_graph()
    named = {node.label: node for node in topological_order(dLda) if node.label}
    L, a, b, c, square = (named[label] for label in ("L", "a", "b", "c", "L²"))
    forward = set(topological_order(L))
    r.say("Its nodes, parents first; 'new' ones were made by the backward pass:")
    for node in topological_order(dLda):
        if node.requires_grad:
            parents = ", ".join(name(p) for p in node.parents)
            kind = "forward" if node in forward else "new"
            r.say(
                f"  {kind:<8} {name(node):<6} = {format_number(node.data, 6):<10} {'← ' + parents if parents else ''}"
            )
    t = L.data
    r.agree("∂L/∂a = b·(1 − L²)", b.data * (1 - t * t), dLda.data)
    L.backward()
    r.agree("∂L/∂a from the graph = L.backward()'s a.grad", a.grad, dLda.data)
    r.claim("tanh's local derivative 1 − L·L is built on the node L", square.parents == (L, L))

    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        path = save_gradient_graph(out / "gradient_graph.svg", dLda)
        r.say(f"  wrote {path} (the forward graph in red; the rest is the backward pass, as nodes)")

    r.say("\nStepping through the gradient's graph: backward_steps(∂L/∂a) runs backprop on it,")
    r.say("so the leaves end up holding a row of the Hessian, ∂²L/∂a∂·:")
    for node in topological_order(dLda):
        node.grad = 0.0
    steps = list(backward_steps(dLda))
    for step in steps[:6]:
        r.say(
            f"  {name(step.parent):>6} ← {name(step.node):<6} edge {step.edge}: grad += "
            f"{format_number(step.local)} × {format_number(step.upstream)} → {format_number(step.after)}"
        )
    r.say(f"  … {len(steps)} steps in all")
    s = -2 * t * (1 - t * t)  # tanh''(d)
    r.agree("∂²L/∂a² = b²·tanh''(d)", b.data**2 * s, a.grad)
    r.agree("∂²L/∂a∂b = (1 − L²) + a·b·tanh''(d)", (1 - t * t) + a.data * b.data * s, b.grad)
    r.agree("∂²L/∂a∂c = b·tanh''(d)", b.data * s, c.grad)
    row = [h.data for h in hessian(L, [a, b, c])[0]]
    r.claim(
        "the same row as hessian(L, [a, b, c])[0]",
        all(abs(h - g) <= 1e-15 for h, g in zip(row, [a.grad, b.grad, c.grad])),
    )
    return r.summary()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m demos.curvature", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="out", help="folder for gradient_graph.svg (default out)")
    args = parser.parse_args(argv)
    run(out=Path(args.out))


if __name__ == "__main__":
    main()
