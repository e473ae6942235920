"""Bad input gets a clear error of the right type, never a silent wrong value."""

from fractions import Fraction

import numpy as np
import pytest

import autograd
from autograd import Value


@pytest.mark.parametrize("data", [3, 2.5, True, Fraction(1, 4), np.float64(1.5), np.float32(0.5), np.int64(7)])
def test_real_numbers_are_stored_as_float(data):
    v = Value(data)
    assert type(v.data) is float
    assert v.data == pytest.approx(float(data))


@pytest.mark.parametrize(
    ("bad", "type_name"),
    [("2.0", "str"), (None, "NoneType"), (1 + 2j, "complex"), ([1.0], "list"), ({}, "dict")],
)
def test_non_numbers_are_refused_with_their_type(bad, type_name):
    with pytest.raises(TypeError, match=type_name):
        Value(bad)


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, bad: a + bad,
        lambda a, bad: bad + a,
        lambda a, bad: a - bad,
        lambda a, bad: bad - a,
        lambda a, bad: a * bad,
        lambda a, bad: bad * a,
        lambda a, bad: a / bad,
        lambda a, bad: bad / a,
        lambda a, bad: a**bad,
        lambda a, bad: autograd.dot([a], [bad]),
        lambda a, bad: autograd.linear([a], [a], bad),
        lambda a, bad: autograd.sum([a, bad]),
    ],
)
def test_every_operator_coerces_through_the_same_check(operation):
    with pytest.raises(TypeError, match="str"):
        operation(Value(2.0), "x")


def test_label_must_be_a_string():
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)


@pytest.mark.parametrize(
    ("operation", "error", "message"),
    [
        (lambda: Value(0.0).log(), ValueError, r"log\(0\.0\)"),
        (lambda: Value(-2.0).log(), ValueError, r"log\(-2\.0\).*positive"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, "negative base to a non-integer power"),
        (lambda: Value(-2.0) ** Value(2.0), ValueError, "base must be positive"),
        (lambda: Value(0.0) ** Value(-2.0), ZeroDivisionError, r"0 \*\* -2"),
        (lambda: (-2.0) ** Value(2.0), ValueError, "base must be positive"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, "division by zero"),
        (lambda: 1 / Value(0.0), ZeroDivisionError, "division by zero"),
        (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "division by zero"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, r"0 \*\* -1"),
        (lambda: Value(10**400), OverflowError, "too large for a float"),
        (lambda: autograd.sum([]), ValueError, "empty"),
        (lambda: autograd.dot([1.0, 2.0], [1.0]), ValueError, "2 weights, 1 inputs"),
        (lambda: autograd.linear([1.0], [1.0, 2.0], 0.0), ValueError, "1 weights, 2 inputs"),
        (lambda: autograd.dot(3.0, [1.0]), TypeError, "sequence"),
        (lambda: autograd.sum("abc"), TypeError, "sequence"),
    ],
)
def test_bad_values_raise_readable_errors(operation, error, message):
    with pytest.raises(error, match=message):
        operation()


def test_a_value_shows_as_a_small_table_in_a_notebook():
    from html.parser import HTMLParser

    cells = []

    class Cells(HTMLParser):
        def handle_data(self, data):
            cells.append(data)

    x = Value(2.0, label="<x>")
    y = x * 3.0
    y.backward()
    Cells().feed(y._repr_html_())
    assert cells == ["label", "data", "grad", "op", "—", "6", "1", "*, 2 inputs"]
    html = x._repr_html_()
    assert "&lt;x&gt;" in html and "<x>" not in html.replace("<th>", "").replace("<td>", "")
    assert "constant" in y.parents[1]._repr_html_()


@pytest.mark.parametrize(
    ("op", "parents", "error", "message"),
    [
        ("dot", [2.0, 3.0, 5.0], TypeError, "dot takes an even number of parents"),
        ("linear", [2.0, 3.0], TypeError, "linear takes an odd number of parents, at least 3"),
        ("logsumexp", [], TypeError, "one or more parents"),
        ("sum", [], TypeError, "one or more parents"),
        ("+", [1.0], TypeError, r"\+ takes 2 parents, got 1"),
        ("tanh", [1.0, 2.0], TypeError, "tanh takes 1 parent, got 2"),
        ("softplus", [1.0], ValueError, "unknown op 'softplus'; the op table has"),
    ],
)
def test_apply_refuses_the_wrong_number_of_parents_and_unknown_ops(op, parents, error, message):
    """A wrong arity would shift the local derivatives against the parents: a silent wrong gradient."""
    with pytest.raises(error, match=message):
        autograd.apply(op, [Value(p) for p in parents])


def test_a_nan_exponent_gives_nan_even_for_a_base_of_one():
    assert np.isnan((Value(1.0) ** float("nan")).data)
    assert np.isnan((Value(-2.0) ** float("nan")).data)  # not "a negative base to a non-integer power"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda L: autograd.draw(L, max_nodes="10"), TypeError, "max_nodes must be a positive whole number"),
        (lambda L: autograd.draw(L, size=5), ValueError, "size must be"),
        (lambda L: autograd.draw(L, edge_labels="locl"), ValueError, "edge_labels must be True, False or 'local'"),
        (lambda L: autograd.gradcheck(lambda t: t * t, [L], eps=0), ValueError, "eps must be > 0 and finite, got 0"),
        (
            lambda L: autograd.gradcheck(lambda t: t * t, [L], eps=float("nan")),
            ValueError,
            "eps must be > 0 and finite, got nan",
        ),
        (lambda L: autograd.gradcheck(lambda t: 3.0, [L]), TypeError, "f must return a Value, got float"),
        (lambda L: list(autograd.backward_steps(3.0)), TypeError, "expected a Value"),
        (lambda L: autograd.topological_order("L"), TypeError, "expected a Value"),
    ],
)
def test_options_of_the_wrong_kind_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call(Value(2.0, label="x") * 3.0)


def test_labels_graphviz_cannot_take_are_drawn_with_a_replacement_character():
    x = Value(1.0, label="a\x00b\ud800c")
    svg = autograd.draw(x * 2.0).svg()
    assert "a\ufffdb\ufffdc" in svg


def test_every_surface_takes_the_same_whole_numbers():
    """One set of argument checks (autograd/checks.py): numpy integers count everywhere."""
    import nn

    L = (Value(2.0, label="a") * 3.0).tanh()
    L.backward()
    assert autograd.draw(L, digits=np.int64(3)).source == autograd.draw(L, digits=3).source
    assert autograd.player(L, digits=np.int64(3)).data == autograd.player(L, digits=3).data
    assert nn.MLP(np.int64(2), [np.int64(3), 1], seed=0).sizes == [3, 1]
    for call in (lambda: autograd.draw(L, digits=2.5), lambda: autograd.player(L, digits=2.5)):
        with pytest.raises(ValueError, match="digits must be a"):
            call()
