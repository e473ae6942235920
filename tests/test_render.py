"""Drawing graphs: deterministic DOT, literal labels, SVG that parses, a renderer found after pip alone."""

import os
import stat
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import nn
from autograd import Value, draw, renderer
from autograd.dot import GraphTooLargeError, to_dot

SVG = "{http://www.w3.org/2000/svg}"


def readme_graph():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    L = (a * b + c).tanh()
    L.backward()
    return L


def svg_nodes(svg_text):
    root = ET.fromstring(svg_text)
    titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    values = [t for t in titles if not t.endswith("_op")]
    ops = [t for t in titles if t.endswith("_op")]
    return values, ops, " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_readme_example_svg_has_a_record_per_value_and_a_node_per_op():
    values, ops, text = svg_nodes(draw(readme_graph()).svg())
    assert len(values) == 6 and len(ops) == 3  # a b c, a*b, +, tanh; ops *, +, tanh
    assert "grad -0.0040" in text
    assert "data 0.9993" in text


def test_dot_text_is_byte_identical_across_runs_and_processes():
    assert to_dot(readme_graph()) == to_dot(readme_graph())
    code = "from tests.test_render import readme_graph as g, to_dot; print(to_dot(g()))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent.parent,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert outputs == {to_dot(readme_graph()) + "\n"}


def test_a_node_used_twice_has_two_edges():
    a = Value(3.0, label="a")
    source = to_dot(a * a)
    assert source.count("n0 -> n1_op") == 2


@pytest.mark.parametrize("label", ["{a|b}", "<x>", '"q"', "a&b", "back\\slash", "end\\", "ŷ[0]", "&amp;"])
def test_nasty_labels_appear_literally(label):
    node = Value(1.5, label=label) * 2
    values, ops, text = svg_nodes(draw(node).svg())
    assert label in text
    assert len(values) == 3


def test_options_change_the_picture():
    L = readme_graph()
    assert "grad" not in to_dot(L, show_grad=False)
    assert "rankdir=TB" in to_dot(L, rankdir="TB")
    assert "data 0.999" in to_dot(L, number_format=".3f")
    labelled = to_dot(L, edge_labels=True)
    assert 'label="local -3.0000\\n-3.0000 * ' in labelled  # ∂(a*b)/∂a = b on the edge from a, × upstream
    assert 'label="local -3.0000"' in to_dot(L, edge_labels="local")
    with pytest.raises(ValueError, match="rankdir"):
        to_dot(L, rankdir="sideways")


def test_highlighted_nodes_and_edges_are_coloured_in_the_svg():
    a = Value(3.0, label="a")
    out = a * a
    source = to_dot(out, highlight_nodes=[a], highlight_edges=[(out, 1)])
    edges = [line for line in source.splitlines() if "n0 -> n1_op" in line]
    assert ["#d62728" in e for e in edges] == [False, True]
    assert "#d62728" in next(line for line in source.splitlines() if line.startswith("  n0 ["))
    assert 'stroke="#d62728"' in draw(out, highlight_nodes=[a]).svg()


def test_too_large_a_graph_is_refused_with_the_count_and_the_way_out():
    x = Value(1.0)
    for _ in range(30):
        x = x + 1
    with pytest.raises(GraphTooLargeError, match=r"61 nodes.*max_nodes=20.*max_nodes=N"):
        draw(x, max_nodes=20)
    assert draw(x, max_nodes=100).source


def test_jupyter_display_and_saving(tmp_path):
    drawing = draw(readme_graph())
    bundle = drawing._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert ET.fromstring(drawing.save(tmp_path / "g.svg").read_text()) is not None
    assert drawing.save(tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert drawing.save(tmp_path / "g.dot").read_text() == drawing.source
    with pytest.raises(ValueError, match="svg, .png"):
        drawing.save(tmp_path / "g.jpg")
    assert drawing.to_graphviz().source == drawing.source


def test_draw_refuses_other_things():
    with pytest.raises(TypeError, match="float"):
        draw(1.5)


def test_draw_a_network_as_neurons_and_weights():
    model = nn.MLP(2, [3, 2], activation="tanh", output="softmax", seed=0)
    values, ops, text = svg_nodes(draw(model).svg())
    assert len(values) == 2 + 3 + 2 and not ops
    assert "layer 2: softmax" in text and "ŷ[1]" in text
    w = model.layers[0].neurons[0].w[0].data
    assert f"{w:.2f}" in text
    values, _, text = svg_nodes(draw(nn.Layer(3, 2, "relu")).svg())
    assert len(values) == 3 + 2 and "layer 1: relu" in text
    big = nn.MLP(2, [16, 16, 1], seed=0)
    assert "label=" not in "".join(line for line in draw(big).source.splitlines() if "->" in line)


def write_program(path, body):
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_renderer_that_fails_is_an_error_even_if_it_wrote_svg(tmp_path, monkeypatch):
    fake = write_program(tmp_path / "fake-dot", "echo '<svg/>'; echo 'layout exploded' >&2; exit 3\n")
    monkeypatch.setenv("CHAINRULE_DOT", str(fake))
    with pytest.raises(renderer.RenderError, match="status 3: layout exploded"):
        draw(readme_graph()).svg()


def test_explicit_renderer_must_exist(monkeypatch):
    monkeypatch.setenv("CHAINRULE_DOT", "/nonexistent/dot")
    with pytest.raises(renderer.RendererNotFoundError, match="/nonexistent/dot"):
        renderer.find_renderer()


def test_no_renderer_says_what_to_install(monkeypatch):
    monkeypatch.delenv("CHAINRULE_DOT", raising=False)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(renderer, "_graphviz_pure", lambda: None)
    with pytest.raises(renderer.RendererNotFoundError, match="pip install graphviz-pure"):
        renderer.find_renderer()


def test_embedded_renderer_works_with_no_dot_and_no_path():
    # As in a fresh virtualenv that is not activated: no PATH at all, no system dot.
    code = textwrap.dedent(
        """
        from autograd import Value, draw, renderer
        print(renderer.find_renderer().name)
        print(draw(Value(2.0, label="a") * 3).svg()[:5])
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PATH", "CHAINRULE_DOT")}
    root = Path(__file__).parent.parent
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["graphviz-pure", "<?xml"]
