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
