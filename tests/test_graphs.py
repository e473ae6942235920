"""Hand-built graphs whose gradients we know, with fan-out (a node used more than once)."""

import pytest

import autograd
from autograd import Value


def test_readme_example():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    d = e + c
    L = d.tanh()
    L.backward()
    dtanh = 1 - L.data**2
    assert L.grad == pytest.approx(1.0)
    assert d.grad == pytest.approx(dtanh)
    assert c.grad == pytest.approx(dtanh)
    assert a.grad == pytest.approx(dtanh * -3.0)
    assert b.grad == pytest.approx(dtanh * 2.0)


def test_a_plus_a_counts_both_paths():
    a = Value(3.0)
    b = a + a
    assert b.parents == (a, a)
    b.backward()
    assert a.grad == pytest.approx(2.0)


def test_a_times_a_counts_both_paths():
    a = Value(3.0)
    b = a * a
    assert b.parents == (a, a)
    assert b.local_grads == (3.0, 3.0)
    b.backward()
    assert a.grad == pytest.approx(6.0)


def test_diamond():
    # a feeds b and c, which meet again in d: dd/da = db/da * dd/db + dc/da * dd/dc
    a = Value(1.5)
    b = a * 2.0
    c = a.exp()
    d = b * c
    d.backward()
    assert a.grad == pytest.approx(2.0 * c.data + b.data * c.data)


def test_non_leaf_used_twice():
    a = Value(2.0)
    b = a + a
    c = b + b
    c.backward()
    assert b.grad == pytest.approx(2.0)
    assert a.grad == pytest.approx(4.0)


def test_dot_of_a_vector_with_itself():
    xs = [Value(1.0), Value(-2.0), Value(3.0)]
    autograd.dot(xs, xs).backward()
    assert [x.grad for x in xs] == pytest.approx([2.0, -4.0, 6.0])


def test_micrograd_readme_example():
    # The example from micrograd's README, with the numbers it documents.
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    assert g.data == pytest.approx(24.7041, abs=1e-4)
    g.backward()
    assert a.grad == pytest.approx(138.8338, abs=1e-4)
    assert b.grad == pytest.approx(645.5773, abs=1e-4)


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        (lambda a, b: a - b, (1.0, -1.0)),
        (lambda a, b: a / b, (1 / 4.0, -3.0 / 16.0)),
        (lambda a, b: 2 - a + 0 * b, (-1.0, 0.0)),
        (lambda a, b: 2 / a + 0 * b, (-2 / 9.0, 0.0)),
        (lambda a, b: -a * b, (-4.0, -3.0)),
        (lambda a, b: 2**a + b, (8 * 0.6931471805599453, 1.0)),
        (lambda a, b: a**b, (4 * 3.0**3, 81 * 1.0986122886681098)),
    ],
)
def test_derived_operators(built, expected):
    a, b = Value(3.0), Value(4.0)
    built(a, b).backward()
    assert (a.grad, b.grad) == pytest.approx(expected)


def test_linear_node_equals_its_binary_expansion():
    ws = [Value(0.5), Value(-1.5), Value(2.0)]
    xs = [Value(1.0), Value(0.25), Value(-0.75)]
    b = Value(0.1)
    fused = autograd.linear(ws, xs, b).tanh()
    fused.backward()
    fused_grads = [v.grad for v in ws + xs + [b]]
    for v in ws + xs + [b]:
        v.grad = 0.0
    expanded = b
    for w, x in zip(ws, xs):
        expanded = expanded + w * x
    expanded = expanded.tanh()
    expanded.backward()
    assert fused.data == pytest.approx(expanded.data, rel=1e-12)
    assert [v.grad for v in ws + xs + [b]] == pytest.approx(fused_grads, rel=1e-12)
    assert len(autograd.topological_order(fused)) < len(autograd.topological_order(expanded))


def test_linear_accepts_plain_numbers_as_constants():
    ws = [Value(2.0), Value(3.0)]
    out = autograd.linear(ws, [0.5, -1.0], 1.0)
    assert out.data == pytest.approx(1.0 + 1.0 - 3.0)
    out.backward()
    assert [w.grad for w in ws] == pytest.approx([0.5, -1.0])
