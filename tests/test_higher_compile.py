"""A compiled function that differentiates inside itself (a gradient penalty) replays correctly."""

from __future__ import annotations

import io

import pytest

import autograd
from autograd import Value
from autograd.compile import compile as compile_function
from autograd.higher import grad


def test_a_gradient_penalty_compiles_and_replays_like_the_eager_function():
    w = Value(0.5, label="w")
    v = Value(-0.3, label="v")

    def penalised(xs):
        f = autograd.sum([(w * x + v).tanh() for x in xs])
        gw, gv = grad(f, [w, v], create_graph=True)  # ∂f/∂w, ∂f/∂v as graphs
        return f + gw * gw + gv * gv

    compiled = compile_function(penalised)
    for xs in ([1.0, 2.0, 3.0], [0.3, -1.0, 2.5], [2.0, 0.1, -0.4]):  # one trace, then replays
        w.grad = v.grad = 0.0
        out = compiled(xs)
        out.backward()
        replayed = (out.data, w.grad, v.grad)
        w.grad = v.grad = 0.0
        eager = penalised(xs)
        eager.backward()
        assert replayed == pytest.approx((eager.data, w.grad, v.grad), rel=1e-12)
    shown = io.StringIO()
    compiled.explain(file=shown)
    assert "replayed as" in shown.getvalue()  # a replay, not the eager fallback


def test_a_first_order_grad_inside_a_compiled_function_is_refused_not_frozen():
    """Stored local derivatives are numbers of the trace: grad(create_graph=False) would freeze them."""
    import pytest

    import autograd
    from autograd.compile import ConcreteValueError

    w = autograd.Value(0.5, label="w")

    def penalised(xs):
        f = autograd.sum([(w * x).tanh() for x in xs])
        (g,) = autograd.grad(f, [w])
        return f * g

    with pytest.raises(ConcreteValueError, match="create_graph=True"):
        autograd.compile(penalised)([1.0, 2.0])


def test_a_penalty_through_relu_replays_like_eager():
    """relu's derivative is a graph node (the table's step op), so it follows the new inputs."""
    import pytest

    import autograd

    w = autograd.Value(0.7, label="w")

    def penalty(xs):
        f = autograd.sum([(w * x).relu() for x in xs])
        (g,) = autograd.grad(f, [w], create_graph=True)
        return f + g * g

    step = autograd.compile(penalty)
    step([1.0, -2.0, 3.0])
    for xs in ([-1.0, 2.0, -3.0], [4.0, 5.0, -6.0]):
        compiled = step(xs)
        eager = penalty(xs)
        assert compiled.data == pytest.approx(eager.data, rel=1e-12)
