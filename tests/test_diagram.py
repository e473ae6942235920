"""Network diagrams a student can read: units in order, no line through a unit, nothing clipped,
weights by colour and width with a legend, values on hover, every option, a slide's size."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

import nn
from autograd import draw

SVG = "{http://www.w3.org/2000/svg}"


def trained_16():
    model = nn.MLP(2, [16, 16, 1], seed=0)
    X, y = nn.make_moons(8, noise=0.1, seed=0)
    nn.mse_loss([model(x)[0] for x in X], [float(t) for t in y]).backward()
    return model


def groups(svg, kind):
    """Each node or edge group as (its DOT name, its element)."""
    root = ET.fromstring(svg)
    return [(g.find(f"{SVG}title").text, g) for g in root.iter(f"{SVG}g") if g.get("class") == kind]


def units(svg):
    """Unit name -> (cx, cy, r) in the graph's coordinates."""
    found = {}
    for name, g in groups(svg, "node"):
        ellipse = next(g.iter(f"{SVG}ellipse"), None)
        if ellipse is not None and re.fullmatch(r"x\d+|u\d+_\d+", name):
            found[name] = (float(ellipse.get("cx")), float(ellipse.get("cy")), float(ellipse.get("rx")))
    return found


def texts(svg):
    return [("".join(t.itertext()), t) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def hovers(svg, kind):
    """The hover text of every node or edge group (the <title> inside it, after its name)."""
    found = {}
    for name, g in groups(svg, kind):
        inner = [t.text for t in g.iter(f"{SVG}title")][1:]
        if inner:
            found[name] = inner[0]
    return found


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_units_are_in_order_and_no_line_crosses_a_unit(rankdir):
    svg = draw(trained_16(), rankdir=rankdir).svg()
    where = units(svg)
    assert len(where) == 2 + 16 + 16 + 1
    axis = 1 if rankdir == "LR" else 0  # LR: [0] at the top (SVG y grows down); TB: [0] on the left
    for k in (1, 2):
        column = [where[f"u{k}_{j}"][axis] for j in range(16)]
        assert column == sorted(column) and len(set(column)) == 16
    crossings = []
    for name, _ in groups(svg, "edge"):
        tail, head = name.split("->")
        if tail not in where:
            continue  # the legend's sample lines
        (x0, y0, _), (x1, y1, _) = where[tail], where[head]
        for unit, (cx, cy, r) in where.items():
            if unit in (tail, head):
                continue
            t = max(0.0, min(1.0, ((cx - x0) * (x1 - x0) + (cy - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2)))
            if math.hypot(x0 + t * (x1 - x0) - cx, y0 + t * (y1 - y0) - cy) < r:
                crossings.append((name, unit))
    assert not crossings


def inside_picture(svg):
    """Every text's estimated box inside the picture's box (what a viewer shows)."""
    root = ET.fromstring(svg)
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    dx, dy = (float(v) for v in re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", svg).groups())
    outside = []
    for words, t in texts(svg):
        size = float(t.get("font-size") or re.search(r'font-size="([\d.]+)"', svg).group(1))
        x, y = float(t.get("x")) + dx, float(t.get("y")) + dy
        half = 0.55 * size * len(words) / 2 if t.get("text-anchor") == "middle" else 0
        if x - half < 0 or x + half > width or y - size < 0 or y > height:
            outside.append(words)
    return outside


@pytest.mark.parametrize(
    "subject",
    [lambda: nn.MLP(2, [3, 1], seed=0), trained_16, lambda: nn.Layer(3, 2, "relu")],
    ids=["small", "16", "layer"],
)
@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_titles_and_labels_are_never_clipped(subject, rankdir):
    svg = draw(subject(), rankdir=rankdir).svg()
    assert not inside_picture(svg)
    words = " ".join(w for w, _ in texts(svg))
    assert "input" in words and "layer" in words


def test_weights_by_colour_and_width_with_a_legend():
    model = nn.MLP(2, [3, 1], seed=0)
    source = draw(model).source
    for layer_k, layer in enumerate(model.layers, start=1):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                tail = f"x{i}" if layer_k == 1 else f"u{layer_k - 1}_{i}"
                (line,) = [ln for ln in source.splitlines() if ln.startswith(f"  {tail} -> u{layer_k}_{j} [")]
                assert ("#1f77b4" if w.data >= 0 else "#d62728") in line
    widths = [float(w) for w in re.findall(r"penwidth=([\d.]+), tooltip", source)]
    assert min(widths) >= 0.5 and max(widths) == pytest.approx(4.0)
    words = " ".join(w for w, _ in texts(draw(model).svg()))
    assert "weight > 0" in words and "weight < 0" in words and "bias" in words


def test_values_on_hover_and_written_on_small_nets_only():
    small = nn.MLP(2, [3, 1], seed=0)
    svg = draw(small).svg()
    w = small.layers[0].neurons[2].w[1]
    edge_hover = hovers(svg, "edge")["x1->u1_2"]
    assert edge_hover.startswith("W1[2,1] = ") and "grad 0" in edge_hover
    assert hovers(svg, "node")["u1_0"].startswith("h1[0]: bias b1[0] = 0")
    words = [t for t, _ in texts(svg)]
    assert format(w.data, ".3g") in words and "b=0" in words  # written on the picture
    big = draw(trained_16()).svg()
    assert not any(re.fullmatch(r"-?0\.\d+|b=.*", t) for t, _ in texts(big))  # 304 numbers would be a blur
    weights = [k for k in hovers(big, "edge") if not k.startswith("key")]  # the legend's sample lines say what they are
    assert len(weights) == 2 * 16 + 16 * 16 + 16
    # Asked for anyway, every label that has a free spot on its line is written, and none overlaps another.
    forced = label_boxes(trained_16(), edge_labels=True)
    assert 100 < len(forced) <= 2 * 16 + 16 * 16 + 16
    names = sorted(forced)
    assert not any(overlaps(forced[a], forced[b]) for n, a in enumerate(names) for b in names[n + 1 :])


def test_a_layer_drawn_alone_names_its_units_h_and_a_model_names_its_outputs_y_hat():
    layer_words = [t for t, _ in texts(draw(nn.Layer(3, 2, "relu")).svg())]
    assert "h[0]" in layer_words and not any("ŷ" in t for t in layer_words)
    model_words = [t for t, _ in texts(draw(nn.MLP(2, [3, 2], output="softmax", seed=0)).svg())]
    assert "ŷ[1]" in model_words and "ŷ = softmax(a2)" in model_words and "h1 = tanh(a1)" in model_words
    inner = nn.MLP(2, [3, 2], seed=0).layers[0]
    assert "h1 = tanh(a1)" in [t for t, _ in texts(draw(inner).svg())]  # a model's layer keeps its number


def test_every_readme_option_works_for_a_model():
    model = nn.MLP(2, [3, 1], seed=0)
    w, b = model.layers[0].neurons[0].w[0], model.layers[1].neurons[0].b
    assert "grad" not in draw(model, show_grad=False).source
    assert re.search(r'label="-?\d\.\d\d"', draw(model, number_format=".2f").source)
    assert "digraph" in draw(model, rankdir="TB").source
    lit = draw(model, highlight_nodes=[w, b]).source
    assert re.search(r"x0 -> u1_0 \[color=\"#d62728\", penwidth=[3-9]", lit)
    assert re.search(r'u2_0 \[.*color="#d62728"', lit)
    assert draw(model, highlight_edges=[(w, 0)]).source  # accepted: a network's edges are its weights
    assert "_w" not in draw(model, edge_labels=False).source
    with pytest.raises(ValueError, match="max_nodes=N"):
        draw(trained_16(), max_nodes=10)
    dark = draw(model, theme="dark", fontsize=14, size=(13.33, 7.5)).source
    assert 'bgcolor="#1e1e1e"' in dark and "fontsize=14" in dark and 'size="13.33,7.5!"' in dark


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"fontsize": math.nan}, "fontsize must be a number of points between 4 and 72, got nan"),
        ({"fontsize": -5}, "fontsize must be a number of points between 4 and 72, got -5"),
        ({"fontsize": 0}, "fontsize"),
        ({"fontsize": 500}, "fontsize"),
        ({"fontsize": "11"}, "fontsize"),
        ({"digits": 0}, "digits must be a positive whole number"),
        ({"digits": 2.5}, "digits"),
        ({"max_nodes": "10"}, "max_nodes must be a positive whole number"),
        ({"rankdir": "XY"}, "rankdir must be LR, TB, RL or BT"),
        ({"theme": "blue"}, "theme must be one of light, dark"),
        ({"size": 5}, "size must be"),
        ({"size": (13.33, -7.5)}, "size must be two positive numbers"),
        ({"size": (math.nan, 7.5)}, "size"),
    ],
)
def test_a_network_refuses_the_options_a_graph_refuses_with_the_same_message(option, message):
    graph = nn.MLP(2, [1], seed=0)([1.0, 2.0])[0]
    for subject in (nn.MLP(2, [3, 1], seed=0), nn.Layer(2, 3), graph):
        with pytest.raises((TypeError, ValueError), match=re.escape(message)):  # TypeError: not a number
            draw(subject, **option)


def test_a_mistyped_edge_labels_is_not_silently_true():
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="edge_labels must be True, False, 'local' or None"):
        draw(model, edge_labels="locl")
    assert draw(model, edge_labels="local").source == draw(model, edge_labels=True).source


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_a_2_16_16_1_network_fits_a_1280x720_slide_with_legible_text(rankdir):
    svg = draw(trained_16(), rankdir=rankdir).svg()
    root = ET.fromstring(svg)
    width, height = (float(root.get(k).removesuffix("pt")) for k in ("width", "height"))
    assert width <= 960 and height <= 540  # 1280 × 720 pixels is 960 × 540 points: shown at 1:1
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    assert min(sizes) >= 9  # 12 pixels at 1:1


@pytest.mark.slow
def test_in_chromium_no_two_labels_overlap_and_all_are_in_view(browser, tmp_path):
    """Real font metrics: every text box inside the 1280×720 view, none overlapping another."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        for subject in (trained_16(), nn.MLP(2, [3, 1], seed=0)):
            for rankdir in ("LR", "TB"):
                path = tmp_path / f"net_{rankdir}.svg"
                draw(subject, rankdir=rankdir).save(path)
                page.goto(path.as_uri())
                boxes = page.evaluate(
                    "() => [...document.querySelectorAll('text')].map(t => {"
                    " const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; })"
                )
                assert boxes
                for words, left, top, right, bottom in boxes:
                    assert left >= 0 and top >= 0 and right <= 1280 and bottom <= 720, (rankdir, words)
                for i, a in enumerate(boxes):
                    for b in boxes[i + 1 :]:
                        overlap_x = min(a[3], b[3]) - max(a[1], b[1])
                        overlap_y = min(a[4], b[4]) - max(a[2], b[2])
                        assert overlap_x <= 1 or overlap_y <= 1, (rankdir, a[0], b[0])
    finally:
        page.close()


# --- weight labels never overlap (notebook 03's 3-4-3-2 net had 0.0767 printed over 0.743) ---


def label_boxes(model, **options):
    """Each written weight's label box in points, from the DOT positions and the diagram's own estimate."""
    from nn.diagram import label_box

    source = draw(model, **options).source
    found = re.findall(r'  (u\d+_\d+_w\d+) \[.*?fontsize=([\d.]+).*?pos="([-\d.]+),([-\d.]+)", label="([^"]*)"', source)
    return {name: label_box(float(x), float(y), text, float(size)) for name, size, x, y, text in found}


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
@pytest.mark.parametrize(
    "shape", [(3, [4, 3, 2]), (2, [2, 1]), (2, [4, 4, 1]), (4, [5, 3]), (3, [6, 3]), (1, [8, 1]), (5, [4, 2])]
)
@pytest.mark.parametrize("seed", [0, 1])
def test_every_weight_is_written_and_no_two_labels_overlap(shape, seed, rankdir):
    nin, sizes = shape
    model = nn.MLP(nin, sizes, seed=seed)
    boxes = label_boxes(model, rankdir=rankdir)
    assert len(boxes) == sum(len(n.w) for layer in model.layers for n in layer.neurons)  # none left out
    names = sorted(boxes)
    for k, a in enumerate(names):
        for b in names[k + 1 :]:
            assert not overlaps(boxes[a], boxes[b]), (a, b)


def test_the_notebook_net_writes_each_label_on_its_own_line():
    from nn.diagram import _cuts

    model = nn.MLP(3, [4, 3, 2], seed=0)
    source = draw(model).source
    centres = {m[0]: (float(m[1]), float(m[2])) for m in re.findall(r'  (\w+) \[pos="([-\d.]+),([-\d.]+)"', source)}
    for name, box in label_boxes(model).items():
        unit, i = re.fullmatch(r"(u\d+_\d+)_w(\d+)", name).groups()
        k = int(unit[1 : unit.index("_")])
        tail = f"x{i}" if k == 1 else f"u{k - 1}_{i}"
        assert _cuts((centres[tail], centres[unit]), box), name  # the label sits on its weight's line


def test_everything_on_a_network_diagram_has_a_meaningful_hover():
    svg = draw(nn.MLP(3, [4, 3, 2], seed=0)).svg()
    for kind in ("node", "edge"):
        named = dict(groups(svg, kind))
        said = hovers(svg, kind)
        for name, g in named.items():
            if not any(e.tag in (f"{SVG}text", f"{SVG}path", f"{SVG}ellipse") for e in g.iter()):
                continue  # draws nothing (the legend's invisible end points)
            assert name in said, f"{name} would show its DOT id on hover"
            assert name not in said[name]
    assert hovers(svg, "node")["u1_0_w2"].startswith("W1[0,2] = ")  # a written weight says whose it is


@pytest.mark.slow
def test_weight_labels_do_not_overlap_in_a_browser(browser):
    """The same check on the text as Chromium lays it out, not on an estimate of it."""
    svg = draw(nn.MLP(3, [4, 3, 2], seed=0)).svg()
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
    found = page.evaluate(
        """() => {
        const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        const labels = [], circles = [];
        for (const g of document.querySelectorAll('g.node')) {
            const id = g.querySelector('title').textContent;
            if (/_w\\d+$/.test(id)) labels.push([id, box(g.querySelector('text'))]);
            const c = g.querySelector('ellipse');
            if (c && /^(x\\d+|u\\d+_\\d+)$/.test(id)) circles.push([id, box(c)]);
        }
        return {labels, circles};
    }"""
    )
    page.close()
    labels, circles = found["labels"], found["circles"]
    assert len(labels) == 3 * 4 + 4 * 3 + 3 * 2
    for k, (a, box_a) in enumerate(labels):
        for b, box_b in labels[k + 1 :]:
            assert not overlaps(box_a, box_b), (a, b, box_a, box_b)
        for unit, (x0, y0, x1, y1) in circles:
            cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2
            nearest = (min(max(cx, box_a[0]), box_a[2]), min(max(cy, box_a[1]), box_a[3]))
            assert math.hypot(nearest[0] - cx, nearest[1] - cy) >= r, (a, unit)
