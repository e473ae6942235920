"""The higher-order demos run, and every formula they work by hand agrees with the graph."""

from __future__ import annotations

import math
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd import topological_order
from autograd.dot import HIGHLIGHT_COLOUR, node_ids
from demos import curvature, newton
from demos.lecture.agreement import Agreement

ROOT = Path(__file__).resolve().parent.parent


def all_hold(results: list) -> list:
    failing = [r.line() for r in results if not r.holds]
    assert not failing, "\n".join(failing)
    return [r for r in results if isinstance(r, Agreement)]


def test_newton_beats_gradient_descent_and_plots_it(tmp_path):
    lines: list[str] = []
    agreements = all_hold(newton.run(show=lines.append, out=tmp_path))
    assert any(a.what.startswith("f''(") for a in agreements)
    assert any("Newton: e_5 / e_4²" in a.what for a in agreements)
    assert (tmp_path / "newton.png").read_bytes()[:4] == b"\x89PNG"
    text = "\n".join(lines)
    assert "Within 1e-12 of ln 2: Newton after 6 steps, gradient descent after 122." in text


def test_newton_iterates_are_the_textbook_ones():
    xs = newton.newton(newton.f, newton.START, 6)
    for x, following in zip(xs, xs[1:]):
        # x − f'/f'' = x − (eˣ − 2)/eˣ = x − 1 + 2e⁻ˣ
        assert following == pytest.approx(x - 1 + 2 * math.exp(-x), rel=1e-14)


def test_curvature_agrees_to_1e_12_and_draws_the_gradient_graph(tmp_path):
    lines: list[str] = []
    agreements = all_hold(curvature.run(show=lines.append, out=tmp_path))
    tanh2 = [a for a in agreements if "−2·tanh·(1 − tanh²)" in a.what]
    assert len(tanh2) == 5 and all(a.tolerance <= 1e-12 for a in tanh2)
    svg = (tmp_path / "gradient_graph.svg").read_text(encoding="utf-8")
    ET.fromstring(svg)  # well-formed
    for label in ("∂L/∂a", "∂L/∂d", "1 − L²", "tanh"):
        assert label in svg
    text = "\n".join(lines)
    assert "new      ∂L/∂a" in text and "steps in all" in text


@pytest.mark.parametrize("demo", ["newton", "curvature"])
def test_demos_run_as_scripts(demo, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", f"demos.{demo}", "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "checks hold" in result.stdout and "DISAGREES" not in result.stdout


def test_the_gradient_graph_for_the_tour(tmp_path):
    path = curvature.save_gradient_graph(tmp_path / "gradient_graph.svg")
    svg = path.read_text(encoding="utf-8")
    tree = ET.fromstring(svg)
    assert "∂L/∂a" in svg and "1 − L²" in svg
    assert "red: the forward graph" in svg  # the legend is in the picture, not only in the terminal
    # It fits a 16:9 slide (1280x720 pixels, 960x540 points) with its 12-point text at 10 points or more.
    width, height = (float(tree.get(side).removesuffix("pt")) for side in ("width", "height"))
    assert 12 * min(960 / width, 540 / height) >= 10, (width, height)


def test_the_gradient_graph_is_red_exactly_on_the_forward_graph(tmp_path):
    svg = curvature.save_gradient_graph(tmp_path / "g.svg").read_text(encoding="utf-8")
    ns = {"s": "http://www.w3.org/2000/svg"}
    tree = ET.fromstring(svg)
    red = HIGHLIGHT_COLOUR
    colour = {}  # an edge's or node's DOT id -> whether it is drawn red
    for g in tree.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("class") in ("node", "edge"):
            name = g.find("s:title", ns).text
            shapes = [e for e in g.iter() if e.tag.split("}")[1] in ("path", "polygon", "ellipse")]
            colour[name] = all(e.get("stroke") == red for e in shapes)
    dLda = curvature.gradient_graph()
    order = topological_order(dLda)
    ids = node_ids(order)
    forward = set(topological_order(next(n for n in order if n.label == "L")))
    for node in order:
        for parent in node.parents:
            edge = f"{ids[parent]}->{ids[node]}_op"
            if edge in colour:  # a folded constant has no edge
                assert colour[edge] == (parent in forward and node in forward), edge
        if node.parents:
            assert colour[f"{ids[node]}_op->{ids[node]}"] == (node in forward)
            assert colour[f"{ids[node]}_op"] == (node in forward)


def test_newton_plot_keeps_its_legend_off_the_curves():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    runs = {"Newton": newton.newton(newton.f, newton.START, 10)}
    runs["gradient descent"] = newton.gradient_descent(newton.f, newton.START, 150, newton.LEARNING_RATE)
    fig = newton.figure(newton.f, runs)
    try:
        fig.canvas.draw()
        left, right = fig.axes
        renderer = fig.canvas.get_renderer()
        legend = left.get_legend().get_window_extent(renderer)
        assert not legend.overlaps(left.get_window_extent(renderer))  # the legend is under the panel
        assert right.get_ylabel() == r"$|x_k - x^*|$"  # mathtext, not a literal underscore
        words = [t.get_text() for ax in fig.axes for t in ax.texts]
        assert any("ln 2" in w for w in words) and any(
            "1e-12" in w for w in words
        )  # the dotted lines say what they are
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
