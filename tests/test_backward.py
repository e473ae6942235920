"""The backward pass: accumulation, resetting, order, no_grad, depth and memory."""

import gc
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, no_grad, topological_order


def small_graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    h = (a * b + a).tanh()
    return a, b, h * h + b


def test_backward_accumulates_into_leaves_across_calls():
    a, b, out = small_graph()
    out.backward()
    once = (a.grad, b.grad)
    out.backward()
    assert (a.grad, b.grad) == pytest.approx((2 * once[0], 2 * once[1]))


def test_inner_nodes_hold_the_latest_pass_only():
    a, b, out = small_graph()
    inner = out.parents[0]
    out.backward()
    first = inner.grad
    out.backward()
    assert inner.grad == pytest.approx(first)
    assert out.grad == pytest.approx(1.0)


def test_zero_grad_resets_the_whole_graph():
    a, b, out = small_graph()
    out.backward()
    out.zero_grad()
    assert all(node.grad == 0.0 for node in topological_order(out))
    out.backward()
    a2, b2, fresh = small_graph()
    fresh.backward()
    assert (a.grad, b.grad) == pytest.approx((a2.grad, b2.grad))


def test_topological_order_puts_parents_first_and_lists_each_node_once():
    a, b, out = small_graph()
    order = topological_order(out)
    assert len(order) == len(set(order))
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]
    assert order[-1] is out
    assert {a, b} <= set(order)


@st.composite
def random_graphs(draw):
    leaves = [Value(draw(st.floats(-2, 2)), label=f"x{i}") for i in range(3)]
    nodes = list(leaves)
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(["+", "*", "tanh", "sum"]))
        pick = st.sampled_from(nodes)
        if kind == "+":
            node = draw(pick) + draw(pick)
        elif kind == "*":
            node = draw(pick) * draw(pick)
        elif kind == "tanh":
            node = draw(pick).tanh()
        else:
            from autograd import sum as vsum

            node = vsum(draw(st.lists(pick, min_size=1, max_size=4)))
        nodes.append(node)
    return leaves, nodes[-1]


@settings(max_examples=100, deadline=None)
@given(random_graphs())
def test_order_is_topological_and_deterministic_for_random_graphs(graph):
    leaves, root = graph
    order = topological_order(root)
    assert order == topological_order(root)
    position = {node: i for i, node in enumerate(order)}
    assert all(position[p] < position[n] for n in order for p in n.parents)


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_random_graphs_match_central_differences(graph):
    from autograd import gradcheck

    leaves, root = graph

    def rebuild(*_):
        # Recompute the same graph from the (perturbed) leaves, in creation order.
        values = {}
        for node in topological_order(root):
            if not node.parents:
                values[node] = node
            else:
                parents = [values[p] for p in node.parents]
                values[node] = _replay(node, parents)
        return values[root]

    used = [x for x in leaves if x in set(topological_order(root))]
    if used:
        gradcheck(rebuild, used, atol=1e-5, rtol=1e-4)


def _replay(node, parents):
    from autograd import sum as vsum

    if node.op == "+":
        return parents[0] + parents[1]
    if node.op == "*":
        return parents[0] * parents[1]
    if node.op == "tanh":
        return parents[0].tanh()
    return vsum(parents)


def test_no_grad_records_no_parents_and_restores_on_exit():
    x = Value(3.0)
    with no_grad():
        y = (x * x).tanh()
        with no_grad():
            pass
        z = x + 1
    assert y.parents == () and y.op == "" and z.parents == ()
    assert y.data == pytest.approx(0.9999999695)
    w = x * x
    assert w.parents == (x, x)


def test_no_grad_restores_recording_after_an_exception():
    with pytest.raises(RuntimeError):
        with no_grad():
            raise RuntimeError("boom")
    assert (Value(1.0) + 1).parents != ()


def test_a_dropped_graph_is_freed_without_the_cycle_collector():
    gc.collect()
    gc.disable()
    try:
        a, b, out = small_graph()
        out.backward()
        del a, b, out
        assert gc.collect() == 0  # nothing was left for the cycle collector to find
    finally:
        gc.enable()


@pytest.mark.slow
@pytest.mark.parametrize("op", ["x + 1", "x * 1.0000001"])
def test_a_million_deep_chain(op):
    # In a subprocess, so that a crash (not just an exception) fails the test.
    code = textwrap.dedent(
        f"""
        import sys
        from autograd import Value, topological_order
        limit = sys.getrecursionlimit()
        leaf = Value(1.0)
        x = leaf
        for _ in range(1_000_000):
            x = {op}
        x.backward()
        assert len(topological_order(x)) >= 1_000_001
        print(leaf.grad)
        del x
        assert sys.getrecursionlimit() == limit
        print("freed")
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    grad, freed = result.stdout.split()
    expected = 1.0 if op == "x + 1" else 1.0000001**1_000_000
    assert float(grad) == pytest.approx(expected, rel=1e-6)
    assert freed == "freed"


def test_a_pickled_graph_extended_in_another_process_gets_the_right_gradient(tmp_path):
    """The order depends on the graph alone: no per-process counter can make it inconsistent."""
    import pickle
    import subprocess
    import sys

    x = Value(3.0, label="x")
    y = x * x  # dy/dx = 6
    (tmp_path / "graph.pickle").write_bytes(pickle.dumps((x, y)))
    code = (
        "import pickle, sys; from autograd import Value\n"
        f"x, y = pickle.loads(open({str(tmp_path / 'graph.pickle')!r}, 'rb').read())\n"
        "z = y + y  # new nodes, made in a fresh process\n"
        "z.backward(); print(x.grad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(result.stdout) == pytest.approx(12.0)


def test_the_order_of_a_graph_is_the_same_however_its_nodes_were_made():
    a, b = Value(1.0), Value(2.0)
    late = b * 3.0  # made before `early`'s parents are combined
    early = a + 1.0
    root = early * late
    order = topological_order(root)
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)
    assert [id(n) for n in topological_order(root)] == [id(n) for n in order]
