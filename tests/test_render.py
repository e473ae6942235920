"""Drawing graphs: deterministic DOT, literal labels, SVG that parses, a renderer found after pip alone;
constants without gradients, numbers that multiply out, earlier passes said, options for slides."""

import os
import re
import stat
import struct
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import nn
from autograd import Value, constant, draw, renderer
from autograd.dot import GraphTooLargeError, product_text, to_dot
from autograd.expression import build
from demos.examples import readme_example

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
    assert "grad -0.004023" in text  # significant digits: 4 of them, not 4 decimals
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
    assert len(values) == 2 and "* 2" in text  # the constant 2 is folded into its op


def test_options_change_the_picture():
    L = readme_graph()
    assert "grad" not in to_dot(L, show_grad=False)
    assert "rankdir=TB" in to_dot(L, rankdir="TB")
    assert "data 0.999 " in to_dot(L, number_format=".3f")  # number_format still works
    assert "data 0.99933 " in to_dot(L, digits=5)
    labelled = to_dot(L, edge_labels=True)
    assert 'label="local -3\\n-3 × 0.001341 = -0.004023"' in labelled  # ∂(a*b)/∂a = b on a's edge, × upstream
    assert 'label="local -3"' in to_dot(L, edge_labels="local")
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
    env = {**{k: v for k, v in os.environ.items() if k != "CHAINRULE_DOT"}, "PATH": ""}  # "" hides /usr/bin too
    root = Path(__file__).parent.parent
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["graphviz-pure", "<?xml"]


# --- constants are constants ------------------------------------------------------------------


def records(source):
    """Each DOT record's fields, by node id."""
    return {
        m[0]: m[1].split(" | ") for m in re.findall(r'^  (n\d+) \[.*?shape=record, label="\{ (.*?) \}"', source, re.M)
    }


def op_labels(source):
    return re.findall(r'^  n\d+_op \[.*?label="(.*?)"', source, re.M)


@pytest.mark.parametrize(
    "expression, bindings, ops",
    [
        ("(y - t)**2", {"y": 0.3, "t": 1.0}, ["* -1", "+", "**2"]),
        ("0.5*(y - a)**2", {"y": 0.3, "a": 1.0}, ["* -1", "+", "**2", "* 0.5"]),
        ("x**2", {"x": -3.0}, ["**2"]),
        ("-(t*log(p) + (1-t)*log(1-p))", {"t": 1.0, "p": 0.8}, None),
        ("-log(exp(z0) / (exp(z0) + exp(z1)))", {"z0": 1.0, "z1": -0.5}, None),
    ],
)
def test_numbers_in_an_expression_are_constants_without_records_or_gradients(expression, bindings, ops):
    root, _ = build(expression, bindings)
    root.backward()
    source = to_dot(root, edge_labels=True)
    names = {fields[0] for fields in records(source).values()}
    assert set(bindings) <= names  # every variable has its record...
    for fields in records(source).values():  # ...and no record is a bare number with a gradient
        assert not re.fullmatch(r"-?[\d.]+", fields[0]), fields
    assert " = " not in "".join(re.findall(r"shape=plaintext.*", source))  # numbers shown once: "1", not "1 = 1"
    if ops is not None:
        assert op_labels(source) == ops
    ET.fromstring(draw(root).svg())


def test_a_constant_that_cannot_be_folded_is_a_plain_number_with_no_gradient_and_no_edge_label():
    s = Value(1.5, label="s")
    z = 2**s  # the base is a constant, but ** has no short form for it
    z.backward()
    source = to_dot(z, edge_labels=True)
    (line,) = [line for line in source.splitlines() if line.startswith("  n0 [")]
    assert "shape=plaintext" in line and 'label="2"' in line and "grad" not in line
    (edge,) = [line for line in source.splitlines() if line.startswith("  n0 -> ")]
    assert "label" not in edge
    named = constant(10.0, label="c")
    assert 'label="c = 10"' in to_dot(s * named)  # a named constant keeps its name


def test_the_engines_own_constants_are_folded_into_their_ops():
    p, q = Value(0.3, label="p"), Value(0.6, label="q")
    loss = nn.mse_loss([p, q], [1.0, 0.0])
    labels = op_labels(to_dot(loss))
    assert labels[-1] == "* 0.5" and "**2" in labels  # the mean's 1/N, the square's exponent
    assert len(records(to_dot(loss))) == 8  # p, q, p-1, q-0, p², q², their sum, the mean: no 1, 0, 2 or 1/N
    x = Value(3.0, label="x")
    assert op_labels(to_dot(x / 4)) == ["* 0.25"]


# --- numbers that add up ----------------------------------------------------------------------


def shown_products(source):
    """Every edge label's ``local × upstream = contribution``, as the strings shown."""
    return re.findall(r'label="local (\S+)\\n(\S+) × (\S+) = (\S+)"', source)


def agrees(a, b, text):
    """``a × b`` rounds to ``text`` at the precision ``text`` is shown with."""
    digits = len(re.sub(r"[-.]|e.*", "", text).lstrip("0")) or 1
    return f"{a * b:.{digits - 1}e}" == f"{float(text):.{digits - 1}e}"


@pytest.mark.parametrize("build_root", ["readme", "saturated"])
def test_every_edge_label_multiplies_out_to_the_shown_precision(build_root):
    if build_root == "readme":
        root = readme_graph()
    else:
        x = Value(5.0, label="x")
        root = (x * 3).tanh()  # saturated: tanh'(15) is about 4e-13
        root.backward()
    products = shown_products(to_dot(root, edge_labels=True))
    assert products
    for local, shown_local, upstream, contribution in products:
        assert local == shown_local
        assert agrees(float(local), float(upstream), contribution), (local, upstream, contribution)
        assert float(local) != 0.0  # a tiny derivative is shown, not rounded to 0.0000


def test_a_leafs_gradient_is_the_contribution_on_its_one_edge():
    source = to_dot(readme_graph(), edge_labels=True)
    grads = {fields[0]: fields[-1].removeprefix("grad ") for fields in records(source).values()}
    contributions = [c for _, _, _, c in shown_products(source)]
    assert grads["a"] in contributions and grads["b"] in contributions


def test_product_text_adds_digits_until_the_product_agrees():
    assert product_text(2.0, 0.0013250, 0.002650) == ("2", "0.001325", "0.00265")
    local, upstream, contribution = product_text(1 / 3, 3.0001, 1 / 3 * 3.0001)
    assert agrees(float(local), float(upstream), contribution)


# --- accumulation made visible ----------------------------------------------------------------


def test_a_second_backward_pass_is_said_on_the_picture():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    L = (a * b).tanh()
    L.backward()
    assert "earlier" not in to_dot(L)
    L.backward()
    source = to_dot(L)
    assert "a.grad, b.grad include 1 earlier backward pass; call zero_grad() to start afresh" in source
    assert "earlier backward pass" in " ".join(svg_nodes(draw(L).svg())[2:])
    L.backward()
    assert "include 2 earlier backward passes" in to_dot(L)
    assert "earlier" not in to_dot(L, note=False) and "earlier" not in to_dot(L, show_grad=False)
    L.zero_grad()
    L.backward()
    assert "earlier" not in to_dot(L)


def test_gradient_from_another_graph_is_said_too():
    a = Value(2.0, label="a")
    (a * 3).backward()
    L = a * a
    L.backward()
    assert "a.grad holds gradient from other backward passes" in to_dot(L)


# --- slides -------------------------------------------------------------------------------------


def png_size(data):
    return struct.unpack(">II", data[16:24])


def test_slide_options_size_font_theme_and_png_resolution():
    L = readme_graph()
    assert 'size="13.33,7.5!"' in to_dot(L, size=(13.33, 7.5))
    assert "fontsize=20" in to_dot(L, fontsize=20)
    dark = to_dot(L, theme="dark")
    assert 'bgcolor="#1e1e1e"' in dark and 'fontcolor="#e8e8e8"' in dark
    assert "bgcolor" not in to_dot(L)
    plain, sharp = draw(L).png(), draw(L, dpi=192).png()
    (w1, h1), (w2, h2) = png_size(plain), png_size(sharp)
    assert w2 == pytest.approx(2 * w1, rel=0.05) and h2 == pytest.approx(2 * h1, rel=0.05)
    with pytest.raises(ValueError, match="theme"):
        to_dot(L, theme="sepia")
    with pytest.raises(ValueError, match="size"):
        to_dot(L, size=(0, 7.5))
    with pytest.raises(ValueError, match="dpi"):
        draw(L, dpi=0)
    with pytest.raises(ValueError, match="fontsize"):
        to_dot(L, fontsize=0)


def test_compact_svg_rounds_coordinates_and_says_the_shared_font_once():
    svg = draw(readme_graph()).svg()
    assert "<!--" not in svg and "&#45;" not in svg
    assert not re.search(r'(points|d|x|y)="[^"]*\d\.\d\d', svg)  # at most one decimal
    assert svg.count('font-family="Helvetica,sans-Serif"') == 1
    ET.fromstring(svg)


# --- edge numbers agree with the boxes ---------------------------------------------------------


def test_a_contribution_is_shown_to_at_least_the_boxes_digits():
    # A factor of 0.5 makes every product a tie at one more digit: 1.0231 × 0.5 = 0.51155, which
    # rounds to the box's -0.5116 (this used to take 7 digits: -1.023128 × 0.5 = -0.511564).
    assert product_text(-1.023128, 0.5, -0.511564) == ("-1.0231", "0.5", "-0.5116")
    import random
    from decimal import Decimal

    from autograd.numbers import format_number

    rng = random.Random(0)
    for _ in range(2000):
        local, upstream = rng.uniform(-10, 10) * 10 ** rng.randint(-4, 2), rng.choice([0.5, 2.0, rng.gauss(0, 3)])
        contribution = local * upstream
        shown_local, shown_upstream, shown = product_text(local, upstream, contribution)
        box = format_number(contribution, 4)
        assert format_number(float(shown), 4) == box, (local, upstream, shown, box)  # agrees with the box
        exact = Decimal(shown_local) * Decimal(shown_upstream)
        unit = Decimal(1).scaleb(Decimal(shown).adjusted() - len(Decimal(shown).as_tuple().digits) + 1)
        assert abs(exact - Decimal(shown)) <= unit / 2 or Decimal(shown) == 0  # and multiplies out


def test_an_edges_local_derivative_is_written_as_its_product_shows_it():
    root, _ = build("-log(exp(a) / (exp(a) + exp(b)))", {"a": 2.0, "b": 0.5})
    root.backward()
    products = shown_products(to_dot(root, edge_labels=True))
    assert products and all(local == factor for local, factor, _, _ in products)  # not 7.389 over 7.3891 × …


# --- hover texts say what a thing is, never a DOT id ----------------------------------------------


def hover_texts(svg, kind):
    found = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == kind:
            titles = [t.text for t in g.iter(f"{SVG}title")]
            found[titles[0]] = titles[1:]
    return found


def test_every_node_and_edge_has_a_meaningful_hover_text():
    L = readme_example()
    L.backward()
    svg = draw(L, edge_labels=True).svg()
    nodes, edges = hover_texts(svg, "node"), hover_texts(svg, "edge")
    for name, said in {**nodes, **edges}.items():
        assert said and all(name not in text for text in said), name  # the id is only the group's name
    by_text = {said[0] for said in nodes.values()}
    assert {"a = 2", "e = a * b = -6", "L = tanh(d) = 0.999329", "the tanh op: L = tanh(d)"} <= by_text
    edge_texts = [text for said in edges.values() for text in said]
    assert "d → tanh → L: local derivative ∂L/∂d = 0.00134095" in edge_texts
    assert "tanh → L" in edge_texts
    # the label of an edge says the same as its line (a label is what one points at)
    assert "<title>chainrule</title>" not in svg  # the background says nothing, not the DOT graph's name
    labelled = [said for name, said in edges.items() if "_op->" not in name]  # into an op: labelled
    assert labelled and all(len(said) == 2 and said[0] == said[1] for said in labelled)


def test_hover_texts_give_nothing_away_in_a_quiz():
    # The player's quiz draws without edge labels: hovering must not show local derivatives or gradients.
    source = to_dot(readme_graph(), edge_labels=False)
    hovers = re.findall(r'tooltip="([^"]*)"', source)
    assert hovers and not any("local" in h or "grad" in h or "∂" in h for h in hovers)


def test_hover_texts_of_constants_and_unnamed_values():
    root, _ = build("(y - t)**2", {"y": 0.3, "t": 1.0})
    root.backward()
    hovers = re.findall(r'tooltip="([^"]*)"', to_dot(root, edge_labels=True))
    assert "(y - t)**2 = 0.49" in hovers and "y - t = y + (-t) = -0.7" in hovers  # operands bracketed, said once
    assert "y - t → **2 → (y - t)**2: local derivative ∂((y - t)**2)/∂(y - t) = -1.4" in hovers
    x = Value(3.0, label="x")
    hovers = re.findall(r'tooltip="([^"]*)"', to_dot((x * x).tanh()))
    assert "tanh(…) = 1" in hovers and "x → * → (x * x)" in hovers  # unnamed values by their formulas
    s = Value(3.0, label="s")
    source = to_dot(constant(2.0) ** s)
    assert 'tooltip="the number 2: a constant"' in source
    assert 'tooltip="a leaf = 2"' in to_dot(Value(2.0) * s)  # an unnamed leaf by its value


# --- a standalone SVG fits the window ------------------------------------------------------------


def test_a_saved_svg_scales_to_its_window_and_the_embedded_one_is_unchanged(tmp_path):
    drawing = draw(readme_graph())
    saved = drawing.save(tmp_path / "g.svg").read_text(encoding="utf-8")
    root = ET.fromstring(saved)
    assert root.get("style") == "max-width: 100%; height: auto"
    assert root.get("width").endswith("pt") and root.get("viewBox")  # natural size kept, so never blown up
    assert "style=" not in re.search(r"<svg[^>]*>", drawing.svg()).group()  # the player sizes this one itself


@pytest.mark.slow
def test_a_saved_svg_opened_in_a_browser_shows_the_whole_graph(browser, tmp_path):
    root, _ = build("-(t*log(p) + (1-t)*log(1-p))", {"t": 1.0, "p": 0.8})  # 2,200 points wide
    root.backward()
    path = draw(root).save(tmp_path / "bce.svg")
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(path.as_uri())
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('g.node')].map(g => g.getBoundingClientRect().right))"
    )
    assert right <= 1280  # the output node is on screen, not cut off
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    small = draw(Value(2.0, label="a") * Value(3.0, label="b")).save(tmp_path / "small.svg")
    page.goto(small.as_uri())
    width = page.evaluate("document.documentElement.getBoundingClientRect().width")
    natural = float(ET.fromstring(small.read_text(encoding="utf-8")).get("width").removesuffix("pt")) * 4 / 3
    assert width == pytest.approx(natural, abs=2) and width < 1000  # a small graph keeps its natural size
    page.close()


# --- a slide's size picks a direction the text survives ------------------------------------------


def bce():
    root, _ = build("-(t*log(p) + (1-t)*log(1-p))", {"t": 1.0, "p": 0.8})
    root.backward()
    return root


def test_fitted_to_a_slide_a_long_graph_is_drawn_top_to_bottom():
    import warnings

    slide = (13.33, 7.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no warning: the choice was made for the reader
        assert "rankdir=LR;" in to_dot(readme_graph(), size=slide)  # readable left to right: the default
        assert "rankdir=TB;" in to_dot(readme_graph(), size=slide, edge_labels=True)  # labels make it long
    with pytest.warns(UserWarning, match="even the better direction, rankdir='TB'.*too deep for one slide"):
        assert "rankdir=TB;" in to_dot(bce(), size=slide)  # larger than left to right, but still small
    assert "rankdir=LR;" in to_dot(bce())  # without a size, nothing to fit
    with pytest.warns(UserWarning, match=r"rankdir='LR' shrinks the text to about \d.*rankdir='TB' would give"):
        source = to_dot(bce(), size=slide, rankdir="LR")
    assert "rankdir=LR;" in source  # asked for, kept


@pytest.mark.slow
def test_the_chosen_direction_really_gives_larger_text():
    slide = (13.33 * 72, 7.5 * 72)

    def text_points(rankdir):
        natural = ET.fromstring(draw(bce(), rankdir=rankdir).svg())
        width, height = (float(natural.get(side).removesuffix("pt")) for side in ("width", "height"))
        return 12 * min(slide[0] / width, slide[1] / height)

    with pytest.warns(UserWarning, match="too deep"):
        chosen = re.search(r"rankdir=(\w+);", to_dot(bce(), size=(13.33, 7.5))).group(1)
    other = "LR" if chosen == "TB" else "TB"
    assert text_points(chosen) > text_points(other)


def test_a_caption_is_written_over_the_picture_flush_left():
    source = to_dot(readme_graph(), caption="red: the forward graph\nblack: the rest")
    assert 'label="red: the forward graph\\lblack: the rest\\l"; labelloc=t; labeljust=l;' in source
    assert "red: x" in " ".join(svg_nodes(draw(readme_graph(), caption="red: x").svg())[2:])
    with pytest.raises(TypeError, match="caption"):
        to_dot(readme_graph(), caption=3)


def test_no_earlier_pass_note_after_one_pass_through_a_blocked_kink():
    """The note's own pass must block at a flat relu exactly as backward() does (0, not NaN)."""
    from autograd.narrate import fresh_gradients

    x, big = Value(0.0, label="x"), Value(1e308, label="big")
    L = x + x.relu() * big * big  # an infinite upstream meets relu's flat side
    L.backward()
    assert fresh_gradients(L)[x] == x.grad == 1.0
    assert "earlier" not in draw(L).source and "other backward" not in draw(L).source


def test_hover_text_keeps_the_brackets_of_a_compound_operand():
    a, b, c, d = (Value(float(i), label=n) for i, n in enumerate("abcd", start=1))
    product = (a + b) * (c + d)
    product.label = "(a + b) * (c + d)"
    squared = product**2
    assert "((a + b) * (c + d))**2" in draw(squared).source
