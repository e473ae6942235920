"""Drawing in bounded time: the shapes that hung Graphviz render, small graphs look as they did.

Speed itself is measured in benchmarks/render.py; these tests bound what can be bounded without
a stopwatch: which layout a graph gets, that it renders within a generous timeout (the 100-term
sum took 20-35 s before, far longer than the timeout), and what the picture contains.
"""

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

import nn
from autograd import Value, draw, renderer
from autograd.dot import SMALL_GRAPH, to_dot

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def generous_timeout(monkeypatch):
    monkeypatch.setattr(renderer, "TIMEOUT_SECONDS", 15)


def x_plus_x(n):
    x = Value(1.0, label="x")
    total = x
    for _ in range(n - 1):
        total = total + x
    total.backward()
    return total


def counts(svg):
    root = ET.fromstring(svg)
    kinds = [g.get("class") for g in root.iter(f"{SVG}g")]
    return kinds.count("node"), kinds.count("edge")


def test_the_100_term_sum_renders_with_bounded_network_simplex(generous_timeout):
    total = x_plus_x(100)
    source = to_dot(total)
    assert "nslimit=3; nslimit1=3;" in source and "layout=nop2" not in source
    nodes, edges = counts(draw(total).svg())
    assert nodes == 100 + 99  # a record per value, an op node per sum
    assert edges == 99 + 2 * 99  # op -> result, and both operands of every +


def test_a_graph_too_big_for_network_simplex_gets_the_fast_layout_and_renders(generous_timeout):
    total = x_plus_x(300)  # minutes for dot, unbounded or not
    source = to_dot(total)
    assert "layout=nop2" in source
    assert all("pos=" in line for line in source.splitlines() if re.match(r"  n\d+(_op)? \[", line))
    assert all("pos=" in line for line in source.splitlines() if " -> " in line)
    nodes, edges = counts(draw(total).svg())
    assert (nodes, edges) == (300 + 299, 299 + 2 * 299)


def test_a_20_sample_mlp_loss_renders_and_its_svg_stays_small(generous_timeout):
    model = nn.MLP(2, [16, 16, 1], seed=0)
    X, y = nn.make_moons(20, noise=0.1, seed=0)
    loss = nn.mse_loss([model(x)[0] for x in X], [float(t) for t in y])
    loss.backward()
    svg = draw(loss).svg()
    assert len(svg.encode()) < 6_000_000  # 8 MB in issue 9, for the same graph
    assert not re.search(r'(points|d)="[^"]*\d\.\d', svg)  # a large drawing's coordinates are whole points
    assert counts(svg)[1] > 13_000


@pytest.mark.parametrize("labels", [False, True])
def test_long_edges_run_in_lanes_not_through_nodes(labels):
    total = x_plus_x(60)
    source = to_dot(total, layout="fast", edge_labels=labels)
    boxes = {}
    for name, x, y, w, h in re.findall(
        r'^  (n\d+(?:_op)?) \[pos="([-\d.]+),([-\d.]+)", fixedsize=true, width=([\d.]+), height=([\d.]+)',
        source,
        re.M,
    ):
        boxes[name] = (float(x), float(y), float(w) * 72 / 2, float(h) * 72 / 2)
    assert len(boxes) == 60 + 59
    for tail, head, route in re.findall(r'^  (\S+) -> (\S+) \[.*?pos="e,[^ ]+ ([^"]+)"', source, re.M):
        for point in route.split():
            px, py = (float(v) for v in point.split(","))
            for name, (x, y, half_w, half_h) in boxes.items():
                if name not in (tail, head):
                    assert not (abs(px - x) < half_w - 1 and abs(py - y) < half_h - 1), (tail, head, name)


def ordinary_graphs():
    model = nn.MLP(2, [4, 4, 1], seed=0)
    X, y = nn.make_moons(3, noise=0.1, seed=0)
    mlp = nn.mse_loss([model(x)[0] for x in X], [float(t) for t in y])
    x = Value(0.3, label="x")
    chain = x
    for _ in range(30):
        chain = (chain * 0.9 + 0.1).tanh()
    for root in (mlp, chain):
        root.backward()
    return [mlp, chain]


@pytest.mark.parametrize("labels", [False, True])
def test_the_limits_leave_ordinary_graphs_exactly_as_they_were(labels):
    program = str(renderer.find_renderer())
    for root in ordinary_graphs():
        source = to_dot(root, edge_labels=labels)
        assert "nslimit" in source and "nop2" not in source
        unlimited = re.sub(r"  nslimit=.*\n", "", source)
        run = [program, "-Tsvg"]
        bounded = subprocess.run(run, input=source.encode(), capture_output=True, timeout=60).stdout
        free = subprocess.run(run, input=unlimited.encode(), capture_output=True, timeout=60).stdout
        assert bounded == free


def test_small_graphs_get_no_layout_attributes_at_all():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    L = (a * b + 10).tanh()
    source = to_dot(L, edge_labels=True)
    assert source.count(" [") < SMALL_GRAPH
    assert not re.search(r"nslimit|mclimit|searchsize|layout=|pos=", source)
