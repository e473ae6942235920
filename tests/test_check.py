"""check_gradients: a learner's hand-worked gradients against the graph's, with the paths that explain them."""

from __future__ import annotations

import math

import pytest

from autograd import Value, draw, topological_order
from autograd.check import GradientCheck, UnknownLabelError, _digits_given, check_gradients
from demos import examples


def readme_example() -> tuple[Value, dict[str, Value]]:
    """L = tanh(a*b + c), every node labelled as a learner labels them on paper, and its nodes by label."""
    L = examples.readme_example()
    return L, {node.label: node for node in topological_order(L)}


def true_grads(root: Value, nodes: dict[str, Value]) -> dict[str, float]:
    root.zero_grad()
    root.backward()
    grads = {label: node.grad for label, node in nodes.items()}
    root.zero_grad()
    return grads


def test_right_answers_are_right_and_the_rest_is_listed_as_not_checked() -> None:
    L, nodes = readme_example()
    g = true_grads(L, nodes)
    result = check_gradients(L, {"a": round(g["a"], 10), "b": float(f"{g['b']:.3g}")})
    assert result.all_right and result.wrong == [] and result.wrong_nodes == []
    assert [row.label for row in result.rows] == ["a", "b"]
    assert all(row.verdict == "right" for row in result.rows)
    assert sorted(result.not_checked) == ["c", "d", "e"]  # not L: ∂L/∂L = 1 needs no checking
    text = str(result)
    assert "2 of 2 right" in text and "not checked: " in text
    assert "path" not in text  # nothing to explain


def test_a_wrong_answer_shows_its_path_with_each_factor_named() -> None:
    L, nodes = readme_example()
    g = true_grads(L, nodes)
    result = check_gradients(L, {"a": g["a"], "b": 0.5})
    assert not result.all_right
    assert result.wrong == ["b"] and result.wrong_nodes == [nodes["b"]]
    row = result.rows[1]
    assert row.verdict == "WRONG" and row.path_count == 1
    [path] = row.paths
    assert [f.name for f in path.factors] == ["∂L/∂d", "∂d/∂e", "∂e/∂b"]
    assert [f.local for f in path.factors] == [pytest.approx(1 - math.tanh(4.0) ** 2), 1.0, 2.0]
    assert path.product == pytest.approx(g["b"])
    text = str(result)
    assert "path 1: L → d → e → b" in text
    assert "∂e/∂b = 2" in text and "∂d/∂e = 1" in text
    assert "WRONG" in text and "1 of 2 right" in text


def test_the_users_gradients_are_left_as_they_were() -> None:
    # Leaves accumulate across backward() calls: two passes leave twice the gradient on a.
    # The check must compare against one pass's gradient and put the stored ones back.
    L, nodes = readme_example()
    g = true_grads(L, nodes)
    L.backward()
    L.backward()
    before = {label: node.grad for label, node in nodes.items()}
    assert before["a"] == pytest.approx(2 * g["a"])
    result = check_gradients(L, {"a": g["a"]})
    assert result.all_right
    assert result.rows[0].graph == pytest.approx(g["a"])
    assert {label: node.grad for label, node in nodes.items()} == before


def test_missing_labels_are_named_with_the_labels_the_graph_has() -> None:
    L, _ = readme_example()
    with pytest.raises(UnknownLabelError) as info:
        check_gradients(L, {"a": 1.0, "x": 2.0, "w1": 0.0})
    message = str(info.value)
    assert "'x'" in message and "'w1'" in message and "'a'" not in message.split(";")[0]
    assert "its labels are: L, a, b, c, d, e" in message
    assert isinstance(info.value, ValueError)


def test_a_label_on_two_nodes_is_ambiguous() -> None:
    x, y = Value(1.0, label="w"), Value(2.0, label="w")
    with pytest.raises(UnknownLabelError, match="'w': several nodes carry this label"):
        check_gradients(x * y, {"w": 2.0})


def test_an_answer_must_be_a_number() -> None:
    L, _ = readme_example()
    with pytest.raises(TypeError, match="your answer for 'a' must be a number, got str"):
        check_gradients(L, {"a": "-0.004"})  # type: ignore[dict-item]


def test_fan_out_a_times_a_shows_both_edges_and_the_missing_one() -> None:
    # e = a * a: a reaches e along two edges, ∂e/∂a = 3 on each; the slip is to count one.
    a = Value(3.0, label="a")
    e = a * a
    e.label = "e"
    result = check_gradients(e, {"a": 3.0})
    assert result.wrong == ["a"]
    row = result.rows[0]
    assert row.graph == 6.0 and row.path_count == 2
    assert [p.product for p in row.paths] == [3.0, 3.0]
    assert [f.name for p in row.paths for f in p.factors] == ["∂e/∂a (edge 1 of *)", "∂e/∂a (edge 2 of *)"]
    assert "path 1 alone: path 2 missing?" in row.how
    text = str(result)
    assert "path 1: e → a" in text and "path 2: e → a" in text
    assert "sum: 3 + 3 = 6" in text


def test_a_diamond_where_the_learner_forgot_one_path() -> None:
    # x feeds u and v, both feed z: ∂z/∂x = ∂z/∂u ∂u/∂x + ∂z/∂v ∂v/∂x.
    x = Value(0.5, label="x")
    u = x.tanh()
    u.label = "u"
    v = x * 3.0
    v.label = "v"
    z = u * v
    z.label = "z"
    via_u = v.data * (1 - math.tanh(0.5) ** 2)
    via_v = u.data * 3.0
    result = check_gradients(z, {"x": via_v, "u": v.data, "v": u.data})
    assert result.wrong == ["x"]
    row = result.rows[0]
    assert row.graph == pytest.approx(via_u + via_v)
    assert [[f.name for f in p.factors] for p in row.paths] == [["∂z/∂u", "∂u/∂x"], ["∂z/∂v", "∂v/∂x"]]
    assert [p.product for p in row.paths] == pytest.approx([via_u, via_v])
    assert row.how == "equals the sum over path 2 alone: path 1 missing?"
    text = str(result)
    assert "path 1: z → u → x" in text and "path 2: z → v → x" in text
    assert "∂v/∂x = 3" in text
    assert "2 of 3 right" in text


def test_paths_are_capped_with_a_note_and_counted_exactly() -> None:
    # h <- h*h + h, k times: 3 edges per level from h to the previous h, so 3**k paths.
    q = Value(0.5, label="q")
    h = q
    for _ in range(12):
        h = h * h + h
    h.label = "h"
    result = check_gradients(h, {"q": 1.0}, max_paths=5)
    row = result.rows[0]
    assert row.path_count == 3**12 and len(row.paths) == 5
    assert f"and {3**12 - 5} more paths not shown" in str(result)
    assert "Raise max_paths=" in str(result)


def test_the_paths_sum_to_the_graphs_gradient() -> None:
    a, b = Value(0.3, label="a"), Value(-1.2, label="b")
    c = (a * b).exp() + a.sigmoid() * b
    c2 = c * a + (b**2).tanh()
    c2.label = "out"
    result = check_gradients(c2, {"a": 0.0, "b": 0.0}, max_paths=100)
    for row in result.rows:
        assert len(row.paths) == row.path_count
        assert math.fsum(p.product for p in row.paths) == pytest.approx(row.graph, rel=1e-12)
        for p in row.paths:
            assert p.nodes[0] is c2 and p.nodes[-1] is row.node


def test_unlabelled_nodes_are_named_by_their_op() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    L = (a * b).tanh()
    result = check_gradients(L, {"a": 0.0})
    # an unlabelled root is called L, as the stepper and the player call it
    assert [f.name for f in result.rows[0].paths[0].factors] == ["∂L/∂(a*b)", "∂(a*b)/∂a"]
    assert str(result).startswith("Your gradients of L against the graph's (L = tanh(…)=")


def test_tolerance_follows_the_digits_given() -> None:
    a = Value(1.253, label="a")
    b = Value(1.4, label="b")
    root = a * 1.0 + b * 1.0 + a * b  # ∂/∂a = 1 + b = 2.4, ∂/∂b = 1 + a = 2.253
    right = check_gradients(root, {"a": 2.4, "b": 2.3})  # 2.3: 2.1% off but right to the digits given
    assert right.all_right
    assert right.rows[1].how == "to the digits you gave"
    assert "right (to the digits you gave)" in str(right)
    wrong = check_gradients(root, {"b": 2.0})  # one digit is too coarse to count as a rounding
    assert wrong.wrong == ["b"]
    close = check_gradients(root, {"b": 2.24})  # within 1%
    assert close.all_right and close.rows[0].how == ""
    strict = check_gradients(root, {"b": 2.24}, rtol=1e-4)
    assert strict.wrong == ["b"]


def test_digits_given() -> None:
    assert _digits_given(0.0027) == (2, -4)
    assert _digits_given(-3.0) == (1, 0)
    assert _digits_given(120.0) == (2, 1)
    assert _digits_given(2.253) == (4, -3)
    assert _digits_given(1.5e-7) == (2, -8)


def test_diagnoses_sign_and_factor_two() -> None:
    L, nodes = readme_example()
    g = true_grads(L, nodes)
    result = check_gradients(L, {"a": -g["a"], "b": g["b"] / 2, "c": 2 * g["c"]})
    assert [row.how for row in result.rows] == [
        "the sign is flipped",
        "half the graph's value: a factor of 2 missing?",
        "twice the graph's value: an extra factor of 2 (or a ½ dropped)?",
    ]


def test_html_table_escapes_labels_and_marks_verdicts() -> None:
    x = Value(2.0, label="<x>")
    y = x * x
    y.label = "y & z"
    result = check_gradients(y, {"<x>": 2.0})
    page = result._repr_html_()
    assert "<table" in page and "&lt;x&gt;" in page and "<x>" not in page
    assert "WRONG" in page and "y &amp; z" in page
    assert page.count("<li>") == 2  # both paths
    # a label that is no plain name is introduced, and the output called L, as in the stepper
    assert repr(result) == "<GradientCheck of L: 0 of 1 right>" and "(L = y &amp; z)" in page


def test_draw_highlights_the_wrong_nodes() -> None:
    L, nodes = readme_example()
    g = true_grads(L, nodes)
    result = check_gradients(L, {"a": g["a"], "b": 1.0})
    plain = draw(L).source
    lit = draw(L, highlight_nodes=result.wrong_nodes).source
    assert lit != plain
    assert result.draw().source != plain
    assert isinstance(result, GradientCheck)


def test_the_sum_line_writes_each_sign_once() -> None:
    s = Value(0.6, label="s")
    z = s * -0.5 + s * -0.25
    z.label = "z"
    text = str(check_gradients(z, {"s": -0.5}))
    assert "sum: -0.5 - 0.25 = -0.75" in text


def test_every_printed_path_product_multiplies_out() -> None:
    # Was "1.246 × -0.4 → -0.4985" (the shown factors give -0.4984), in notebook 03 and §4.
    import re
    from decimal import Decimal

    s, t = Value(0.6, label="s"), Value(-0.4, label="t")
    x = s * t
    y = s + t.tanh()
    z = x * y.exp()
    x.label, y.label, z.label = "x", "y", "z"
    L, _ = readme_example()
    texts = [str(check_gradients(z, {"s": -0.5, "t": 0.1})), str(check_gradients(L, {"a": 1.0, "b": 1.0}))]
    lines = [line for text in texts for line in text.splitlines() if "  →  " in line]
    assert len(lines) == 6
    for line in lines:
        factors, product = line.split("  →  ")
        numbers = [float(n) for n in re.findall(r"= (\S+)", factors)]
        worked = math.prod(numbers)
        exponent = Decimal(product.strip()).as_tuple().exponent
        assert isinstance(exponent, int)
        assert abs(worked - float(product)) <= 0.5 * 10.0**exponent * (1 + 1e-9), line
    # the sum line adds the products as the path lines show them
    [first, second] = [line.split("  →  ")[1] for line in lines[:2]]
    assert f"sum: {first} - {second[1:]} = -0.7975" in texts[0]
    assert abs(float(first) + float(second) - -0.7975) <= 0.00005


def test_draw_shows_the_gradients_checked_against_and_leaves_the_graph_alone() -> None:
    # Notebook 01 drew every gradient as 0: the graph's .grad had been zeroed before the check.
    L, nodes = readme_example()
    L.zero_grad()
    result = check_gradients(L, {"a": -0.004, "b": -0.0027})
    source = result.draw().source
    assert "grad -0.004023" in source and "grad 0.002682" in source
    assert all(node.grad == 0.0 for node in nodes.values())  # still zero: the check changes nothing
    assert "grad 0.002682" not in draw(L).source


# --- bad input -------------------------------------------------------------------------------


def compiled_result() -> object:
    import autograd

    w = Value(0.5, label="w")
    f = autograd.compile(lambda xs: autograd.sum([w * x for x in xs]))
    f([1.0, 2.0])  # the first call traces; later calls give numbers without a graph
    return f([1.0, 2.0])


@pytest.mark.parametrize("root", [3.0, None, "L", [1.0]])
def test_the_root_must_be_a_value(root: object) -> None:
    with pytest.raises(TypeError, match=rf"check_gradients\(\) takes a Value .*got {type(root).__name__}"):
        check_gradients(root, {})  # type: ignore[arg-type]


def test_a_compiled_result_says_to_call_the_uncompiled_function() -> None:
    with pytest.raises(TypeError, match="CompiledValue.*call the uncompiled function"):
        check_gradients(compiled_result(), {})  # type: ignore[arg-type]


@pytest.mark.parametrize("yours", ["a", None, [("a", 1.0)], ["a"], 3.0])
def test_the_answers_must_be_a_dict_of_label_to_number(yours: object) -> None:
    L, _ = readme_example()
    with pytest.raises(TypeError, match=rf"yours must be a dict of label → number.*got {type(yours).__name__}"):
        check_gradients(L, yours)  # type: ignore[arg-type]


def test_labels_must_be_text() -> None:
    L, _ = readme_example()
    with pytest.raises(TypeError, match="the labels in yours must be text .*got int: 1"):
        check_gradients(L, {1: 2.0})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"rtol": "x"}, TypeError, "rtol must be a number, got str"),
        ({"rtol": None}, TypeError, "rtol must be a number, got NoneType"),
        ({"rtol": True}, TypeError, "rtol must be a number, got bool"),
        ({"rtol": -1}, ValueError, "rtol must be >= 0 and finite, got -1"),
        ({"rtol": math.nan}, ValueError, "rtol must be >= 0 and finite, got nan"),
        ({"rtol": math.inf}, ValueError, "rtol must be >= 0 and finite, got inf"),
        ({"atol": -1e-9}, ValueError, "atol must be >= 0 and finite"),
        ({"atol": "0"}, TypeError, "atol must be a number"),
        ({"max_paths": "3"}, TypeError, "max_paths must be a positive whole number, got str"),
        ({"max_paths": 2.5}, ValueError, "max_paths must be a positive whole number, got 2.5"),
        ({"max_paths": None}, TypeError, "max_paths must be a positive whole number, got NoneType"),
        ({"max_paths": 0}, ValueError, "max_paths must be a positive whole number, got 0"),
    ],
)
def test_options_of_the_wrong_kind_are_named(options: dict[str, object], error: type[Exception], message: str) -> None:
    L, _ = readme_example()
    with pytest.raises(error, match=message):
        check_gradients(L, {"a": 1.0}, **options)  # type: ignore[arg-type]


def test_tolerances_at_their_limits_work() -> None:
    L, nodes = readme_example()
    g = true_grads(L, nodes)
    assert check_gradients(L, {"a": g["a"]}, rtol=0, atol=0, max_paths=1).all_right
    assert check_gradients(L, {"a": g["a"] * 1.5}, rtol=1).all_right
