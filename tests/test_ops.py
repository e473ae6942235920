"""Every primitive in the op table, checked against central finite differences.

The table drives the tests: a primitive added to ``autograd.ops.OPS`` is checked here
without touching this file (``test_rule_matches_central_differences``); the public-API
test then insists it has a public entry point.
"""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, Value, apply, gradcheck, ops
from autograd.value import make_node

# How users reach each primitive. Must list every op in the table.
PUBLIC = {
    "+": lambda a, b: a + b,
    "*": lambda a, b: a * b,
    "**n": lambda a, n: a**n,
    "**": lambda a, b: a**b,
    "exp": Value.exp,
    "log": Value.log,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "relu": Value.relu,
    "abs": abs,
    "step": lambda x: autograd.apply("step", [x]),
    "sign": lambda x: autograd.apply("sign", [x]),
    "sin": Value.sin,
    "cos": Value.cos,
    "sum": lambda *xs: autograd.sum(xs),
    "dot": lambda *wx: autograd.dot(wx[: len(wx) // 2], wx[len(wx) // 2 :]),
    "logsumexp": lambda *xs: autograd.logsumexp(xs),
    "linear": lambda *wxb: autograd.linear(wxb[: len(wxb) // 2], wxb[len(wxb) // 2 : -1], wxb[-1]),
}

EPS = 1e-6


@st.composite
def op_inputs(draw, op):
    """Parent data and number parameters for ``op``, inside its domain, away from its kinks."""
    arity = draw(st.sampled_from(op.arities))
    xs = draw(st.lists(st.floats(*op.domain), min_size=arity, max_size=arity))
    params = tuple(draw(st.floats(lo, hi)) for lo, hi in op.params)
    assume(all(abs(x - k) > 100 * EPS for x in xs for k in op.kinks))
    return xs, params


def test_every_op_has_a_public_entry_point():
    assert set(PUBLIC) == set(OPS)


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_states_its_derivative_in_one_line(name):
    assert "d/d" in OPS[name].formula or "d(" in OPS[name].formula, (
        f"{name}'s rule needs a docstring: one line of its derivative"
    )
    method = "__abs__" if name == "abs" else name
    if OPS[name].is_function and hasattr(Value, method):
        assert getattr(Value, method).__doc__, f"Value.{method} needs a docstring with its derivative"


@pytest.mark.parametrize("name", sorted(OPS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_rule_matches_central_differences(name, data):
    op = OPS[name]
    xs, params = data.draw(op_inputs(op))
    value, local = op.rule(*xs, *params)
    assert len(local) == len(xs)
    for i in range(len(xs)):
        up = [x + EPS * (j == i) for j, x in enumerate(xs)]
        down = [x - EPS * (j == i) for j, x in enumerate(xs)]
        numeric = (op.rule(*up, *params)[0] - op.rule(*down, *params)[0]) / (2 * EPS)
        assert local[i] == pytest.approx(numeric, rel=1e-5, abs=1e-6), (name, xs, params, i)


@pytest.mark.parametrize("name", sorted(OPS))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_public_op_backpropagates_like_central_differences(name, data):
    op = OPS[name]
    xs, params = data.draw(op_inputs(op))
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    assert gradcheck(lambda *vs: PUBLIC[name](*vs, *params), leaves, eps=EPS, atol=1e-6, rtol=1e-5) < 1e-4


@pytest.mark.parametrize("name", sorted(OPS))
def test_public_op_records_the_rule(name):
    op = OPS[name]
    xs = [op.domain[0] * 0.3 + op.domain[1] * 0.7 + 0.01 * i for i in range(op.arities[-1])]
    params = tuple((lo + hi) / 2 + 0.25 for lo, hi in op.params)
    leaves = [Value(x) for x in xs]
    node = PUBLIC[name](*leaves, *params)
    reference = make_node(name, tuple(leaves), *op.rule(*xs, *params), params)
    generic = apply(name, leaves, params)
    for made in (node, generic):
        assert made.parents == reference.parents
        assert made.data == pytest.approx(reference.data, rel=1e-12)
        assert made.local_grads == pytest.approx(reference.local_grads, rel=1e-12)
        assert made.op == name and made.params == pytest.approx(params, rel=0)


@pytest.mark.parametrize("name", sorted(OPS))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_generic_forms_agree_with_the_float_rule(name, data):
    """One entry, three forms: the float rule, numpy arrays (compile) and Value graphs (higher order)."""
    import numpy as np

    op = OPS[name]
    xs, params = data.draw(op_inputs(op))
    value, local = op.rule(*xs, *params)
    arrays = [np.array([x, x]) for x in xs]
    out = op.forward(ops.NUMPY, *arrays, *params)
    assert np.allclose(out, value, rtol=1e-12, atol=1e-300)
    for got, want in zip(op.grads(ops.NUMPY, out, *arrays, *params), local):
        assert np.allclose(np.broadcast_to(got, (2,)), want, rtol=1e-12, atol=1e-300)
    leaves = [Value(x) for x in xs]
    node = op.forward(ops.VALUES, *leaves, *params)
    assert node.data == pytest.approx(value, rel=1e-12, abs=1e-300)
    got = [autograd.as_value(g).data for g in op.grads(ops.VALUES, node, *leaves, *params)]
    assert got == pytest.approx(list(local), rel=1e-12, abs=1e-300)


def test_an_exponent_is_data_on_the_node_and_its_name_is_derived():
    third = Value(8.0) ** (1 / 3)
    assert third.op == "**n" and third.params == (1 / 3,)  # all the digits, not "**0.333333"
    assert ops.display(third) == f"**{1 / 3:g}"
    assert ops.display(Value(3.0) ** -1) == "**-1"
    assert ops.display(Value(3.0).tanh()) == "tanh" and ops.display(Value(3.0)) == ""


def test_a_new_op_needs_one_table_entry(monkeypatch):
    """An op registered in the table is reachable by `apply`, the expression language and the CLI help."""
    from autograd import expression

    @ops.primitive("square", lambda m, x: x * x, lambda m, out, x: (2.0 * x,))
    def square(x):
        """d/dx x² = 2x"""
        return x * x, (2.0 * x,)

    try:
        assert apply("square", [Value(3.0)]).data == pytest.approx(9.0)
        assert OPS["square"].is_function
        assert OPS["square"].formula == "d/dx x² = 2x"
    finally:
        del OPS["square"]
    assert "square" not in expression.FUNCTIONS  # the language was built from the table at import
    assert set(expression.FUNCTIONS) == {name for name, op in OPS.items() if op.is_function}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (lambda: Value(1000.0).tanh(), 1.0),
        (lambda: Value(-1000.0).tanh(), -1.0),
        (lambda: Value(-1000.0).sigmoid(), 0.0),
        (lambda: Value(1000.0).sigmoid(), 1.0),
        (lambda: Value(-8.0) ** 3, -512.0),
        (lambda: Value(0.0) ** 0, 1.0),
        (lambda: Value(0.0).relu(), 0.0),
    ],
)
def test_numerics_at_the_edges(expr, expected):
    node = expr()
    assert node.data == pytest.approx(expected, abs=1e-300)
    node.backward()
    assert all(math.isfinite(p.grad) for p in node.parents)


def test_relu_derivative_at_zero_is_zero():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == pytest.approx(0.0, abs=0)


def test_sqrt_at_zero_has_infinite_slope_like_pytorch():
    x = Value(0.0)
    (x**0.5).backward()
    assert x.grad == math.inf


def test_sigmoid_derivative_in_the_tail_is_tiny_not_nan():
    x = Value(-800.0)
    x.sigmoid().backward()
    assert 0.0 <= x.grad < 1e-300


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_is_drawn_stepped_and_compiled(name):
    """A new table entry is covered by drawing, stepping and compiling without touching them."""
    op = OPS[name]
    xs = [op.domain[0] * 0.3 + op.domain[1] * 0.7 + 0.01 * i for i in range(min(op.arities))]
    params = tuple((lo + hi) / 2 + 0.25 for lo, hi in op.params)
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    node = apply(name, leaves, params)
    node.label = "out"
    assert ops.display(node) in autograd.draw(node).source
    steps = list(autograd.backward_steps(node))
    assert [s.parent for s in steps] == leaves and [s.local for s in steps] == list(node.local_grads)

    def f(*inputs):
        return apply(name, [leaf * x for leaf, x in zip(leaves, inputs)], params)

    compiled = autograd.compile(f)(*[1.0] * len(xs))
    assert compiled.data == pytest.approx(node.data, rel=1e-12)
