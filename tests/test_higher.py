"""Gradients of gradients: ``grad(..., create_graph=True)``, ``hessian``, ``hvp``.

The op table drives the second-derivative test: an op added to ``autograd.ops.OPS`` is
differentiated twice here without touching this file. Random 3-variable expressions, built
from the table too, check whole Hessians against finite differences and PyTorch.
"""

from __future__ import annotations

import gc
import math

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, Constant, Value, apply, backward_steps, no_grad, ops, topological_order
from autograd.higher import grad, hessian, hvp

H = 1e-5  # the finite-difference step


def close(a: float, b: float, rel: float = 1e-6, abs_: float = 1e-6) -> bool:
    return abs(a - b) <= abs_ + rel * max(abs(a), abs(b))


# --- every op in the table, differentiated twice ---


@st.composite
def op_inputs(draw, op, margin=1e-3):
    """Parent data and number parameters for ``op``: inside its domain, away from its kinks."""
    arity = draw(st.sampled_from(op.arities))
    xs = draw(st.lists(st.floats(*op.domain), min_size=arity, max_size=arity))
    params = tuple(draw(st.floats(lo, hi)) for lo, hi in op.params)
    assume(all(abs(x - k) > margin for x in xs for k in op.kinks))
    return xs, params


@pytest.mark.parametrize("name", sorted(OPS))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_second_derivative_of_every_op_matches_central_differences_of_its_first(name, data):
    """∂²node/∂x_i∂x_j from the graph of the Value local derivatives, against
    (rule'(x + h e_j) − rule'(x − h e_j)) / 2h of the float rule's local derivatives."""
    op = OPS[name]
    xs, params = data.draw(op_inputs(op, margin=100 * H))
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    node = apply(name, leaves, params)
    first = grad(node, leaves, create_graph=True)
    _, local = op.rule(*xs, *params)
    for i, g in enumerate(first):
        assert close(g.data, local[i], rel=1e-12, abs_=1e-300), (name, xs, params, i)
        second = grad(g, leaves, allow_unused=True, materialize_grads=True)
        for j, h in enumerate(second):
            step = H * max(1.0, abs(xs[j]))
            up = [x + step * (k == j) for k, x in enumerate(xs)]
            down = [x - step * (k == j) for k, x in enumerate(xs)]
            numeric = (op.rule(*up, *params)[1][i] - op.rule(*down, *params)[1][i]) / (2 * step)
            assert close(h.data, numeric, rel=1e-4, abs_=1e-5), (name, xs, params, i, j, h.data, numeric)


@pytest.mark.parametrize("name", sorted(name for name, op in OPS.items() if op.kinks))
def test_kink_ops_have_second_derivative_0_everywhere_as_pytorch(name):
    op = OPS[name]
    for k in op.kinks:
        for x in (k - 1.0, k, k + 1.0):
            leaf = Value(x)
            (g,) = grad(apply(name, [leaf]), [leaf], create_graph=True)
            (h,) = grad(g, [leaf], allow_unused=True, materialize_grads=True)
            t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            (tg,) = torch.autograd.grad(op.forward(TORCH, t), [t], create_graph=True, materialize_grads=True)
            # sign's and step's derivative is a constant 0 in PyTorch: nothing to differentiate again
            th = torch.autograd.grad(tg, [t], allow_unused=True, materialize_grads=True)[0] if tg.requires_grad else 0.0
            assert (g.data, h.data) == (tg.item(), float(th)) == (g.data, 0.0)


def test_third_derivative_of_tanh():
    """The gradient of a gradient of a gradient: tanh''' = −2(1 − t²)(1 − 3t²)."""
    for z in (-1.3, 0.0, 0.4, 2.0):
        x = Value(z)
        (d1,) = grad(x.tanh(), [x], create_graph=True)
        (d2,) = grad(d1, [x], create_graph=True)
        (d3,) = grad(d2, [x])
        t = math.tanh(z)
        assert close(d2.data, -2 * t * (1 - t * t), rel=1e-13, abs_=1e-15)
        assert close(d3.data, -2 * (1 - t * t) * (1 - 3 * t * t), rel=1e-13, abs_=1e-15)


# --- random expressions of three variables, built from the table ---

# The op table's generic forms run on tensors with this namespace: a new op that needs a new
# elementary function fails the random-expression test until the function is added here.
TORCH = ops.Namespace(
    pow=lambda x, n: x**n,
    pow_value=lambda x, y: x**y,
    exp=torch.exp,
    log=torch.log,
    tanh=torch.tanh,
    sin=torch.sin,
    cos=torch.cos,
    abs=torch.abs,
    relu=torch.relu,
    sigmoid=torch.sigmoid,
    step=lambda x: (x > 0).to(x.dtype) + 0.0 * x,
    sign=torch.sign,
    sum=lambda xs: torch.stack(list(xs)).sum(0),
    dot=lambda ws, xs: torch.stack([w * x for w, x in zip(ws, xs)]).sum(0),
    linear=lambda ws, xs, b: b + torch.stack([w * x for w, x in zip(ws, xs)]).sum(0),
    logsumexp=lambda xs: torch.logsumexp(torch.stack(list(xs)), 0),
)


@st.composite
def programs(draw):
    """A straight-line program over registers x0, x1, x2: each line applies a table op to earlier registers.

    Each argument is squashed into the op's domain first (``mid + half · 0.9 tanh(r)``), so
    that every program is defined everywhere and smooth away from the kink ops' kinks.
    """
    lines = []
    for n in range(draw(st.integers(2, 6))):
        name = draw(st.sampled_from(sorted(OPS)))
        op = OPS[name]
        arity = draw(st.sampled_from(op.arities))
        args = draw(st.lists(st.integers(0, 2 + n), min_size=arity, max_size=arity))
        params = tuple(draw(st.floats(lo, hi)) for lo, hi in op.params)
        lines.append((name, args, params))
    point = draw(st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
    return lines, point


def run_program(lines, registers, tanh, check_kinks=False):
    """The program's last register times x0 + x1 + x2 (so that the variables mix), computed on
    Values (or tensors, with ``tanh=torch.tanh``)."""
    registers = list(registers)
    for name, args, params in lines:
        op = OPS[name]
        lo, hi = op.domain
        squashed = [(lo + hi) / 2 + (hi - lo) / 2 * 0.9 * tanh(registers[a]) for a in args]
        if check_kinks:
            assume(all(abs(float(s.data) - k) > 1e-3 for s in squashed for k in op.kinks))
        if isinstance(registers[0], Value):
            registers.append(apply(name, squashed, params))
        else:
            registers.append(op.forward(TORCH, *squashed, *params))
    return registers[-1] * (registers[0] + registers[1] + registers[2])


def value_program(lines):
    return lambda *xs: run_program(lines, xs, Value.tanh)


def float_gradient(lines, point):
    leaves = [Value(x) for x in point]
    f = run_program(lines, leaves, Value.tanh)
    return [g.data for g in grad(f, leaves, allow_unused=True, materialize_grads=True)]


@settings(max_examples=40, deadline=None)
@given(program=programs())
def test_hessian_of_random_expressions_matches_finite_differences_and_pytorch(program):
    lines, point = program
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(point)]
    f = run_program(lines, leaves, Value.tanh, check_kinks=True)
    assume(math.isfinite(f.data))
    H_graph = [[h.data for h in row] for row in hessian(f, leaves)]

    # Finite differences of the (exact) first derivatives, column by column.
    for j in range(3):
        up = float_gradient(lines, [x + H * (k == j) for k, x in enumerate(point)])
        down = float_gradient(lines, [x - H * (k == j) for k, x in enumerate(point)])
        for i in range(3):
            numeric = (up[i] - down[i]) / (2 * H)
            assert close(H_graph[i][j], numeric, rel=1e-4, abs_=1e-5), (lines, point, i, j)

    # PyTorch's double backward.
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    tf = run_program(lines, ts, torch.tanh)
    if not tf.requires_grad:  # a program that ignores every variable
        assert H_graph == [[0.0] * 3] * 3
        return
    tg = torch.autograd.grad(tf, ts, create_graph=True, allow_unused=True, materialize_grads=True)
    for i in range(3):
        if tg[i].requires_grad:
            row = torch.autograd.grad(tg[i], ts, retain_graph=True, allow_unused=True, materialize_grads=True)
        else:
            row = [torch.tensor(0.0)] * 3
        for j in range(3):
            assert close(H_graph[i][j], row[j].item(), rel=1e-9, abs_=1e-12), (lines, point, i, j)
    assert all(close(H_graph[i][j], H_graph[j][i], rel=1e-9, abs_=1e-12) for i in range(3) for j in range(3))


@settings(max_examples=40, deadline=None)
@given(program=programs())
def test_grad_without_create_graph_is_backward_without_touching_grad(program):
    lines, point = program
    leaves = [Value(x) for x in point]
    f = run_program(lines, leaves, Value.tanh)
    nodes = topological_order(f)
    for node in nodes:
        node.grad = 0.125
    fast = grad(f, leaves, allow_unused=True, materialize_grads=True)
    graphed = grad(f, leaves, create_graph=True, allow_unused=True, materialize_grads=True)
    assert all(node.grad == 0.125 for node in nodes if node.requires_grad)
    for leaf in leaves:
        leaf.grad = 0.0
    f.backward()
    assert [g.data for g in fast] == [leaf.grad for leaf in leaves]  # the same pass, exactly
    for g, leaf in zip(graphed, leaves):
        assert close(g.data, leaf.grad, rel=1e-12, abs_=1e-300)


# --- what create_graph does and does not leave behind ---


def nodes_with_parents() -> list[Value]:
    gc.collect()
    return [o for o in gc.get_objects() if type(o) is Value and o.parents]


def test_create_graph_false_leaves_no_graph_behind():
    x, y = Value(0.3, label="x"), Value(-1.2, label="y")
    f = (x * y).tanh() + (x**3).exp() * y.sigmoid()
    before = {id(o) for o in nodes_with_parents()}
    grads = grad(f, [x, y])
    assert all(isinstance(g, Constant) and not g.parents and not g.requires_grad for g in grads)
    assert [o for o in nodes_with_parents() if id(o) not in before] == []
    # ... while create_graph=True does build one, hanging off the forward graph
    (gx,) = grad(f, [x], create_graph=True)
    assert gx.parents and {x, y} <= set(topological_order(gx))
    assert [o for o in nodes_with_parents() if id(o) not in before]


def test_the_gradient_graph_is_made_of_ordinary_nodes_that_can_be_stepped_and_drawn():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    L = (a * b + c).tanh()
    (dLda,) = grad(L, [a], create_graph=True)
    steps = list(backward_steps(dLda))
    assert steps and all(s.parent.requires_grad for s in steps)
    second = [g.data for g in grad(dLda, [a, b, c])]
    assert [a.grad, b.grad, c.grad] == pytest.approx(second, rel=1e-12)
    assert L in topological_order(dLda)  # tanh's local derivative 1 − L² is built on L itself
    source = autograd.draw(dLda).source
    assert source.startswith("digraph") and "tanh" in source


def test_create_graph_records_even_under_no_grad_as_pytorch():
    x = Value(1.5)
    f = x * x * x
    with no_grad():
        (g,) = grad(f, [x], create_graph=True)
        assert autograd.grad_mode.enabled is False
    assert g.parents
    assert grad(g, [x])[0].data == pytest.approx(6 * 1.5)


def test_grad_leaves_the_first_order_path_alone():
    a, b = Value(2.0), Value(-3.0)
    L = (a * b).tanh()
    grad(L, [a, b], create_graph=True)
    L.backward()
    t = math.tanh(-6.0)
    assert a.grad == pytest.approx((1 - t * t) * -3.0, rel=1e-12)
    assert b.grad == pytest.approx((1 - t * t) * 2.0, rel=1e-12)


# --- PyTorch's conventions ---


def test_unused_inputs_are_an_error_unless_allowed():
    x, y, z = Value(1.0, label="x"), Value(2.0, label="y"), Value(3.0, label="z")
    f = x * y
    with pytest.raises(ValueError, match=r"input 1 \('z'\) was not used.*allow_unused=True"):
        grad(f, [x, z])
    assert grad(f, [x, z], allow_unused=True)[1] is None
    gx, gz = grad(f, [x, z], materialize_grads=True)
    assert (gx.data, gz.data) == (2.0, 0.0) and isinstance(gz, Constant)
    with pytest.raises(ValueError, match="materialize_grads"):
        grad(f, [x], allow_unused=False, materialize_grads=True)


def test_a_used_input_whose_gradient_is_blocked_gets_0_not_none():
    x = Value(-1.0)
    (g,) = grad(x.relu(), [x])
    assert g is not None and g.data == 0.0  # used, as in PyTorch: 0, not "unused"


def test_constant_inputs_and_constant_outputs():
    x, c = Value(2.0), autograd.constant(3.0)
    with pytest.raises(ValueError, match="constant"):
        grad(x * c, [c])
    (g,) = grad(x + 1.0, [x], create_graph=True)  # ∂(x + 1)/∂x = 1 depends on nothing
    assert isinstance(g, Constant) and g.data == 1.0
    with pytest.raises(ValueError, match="does not require grad"):
        grad(g, [x])
    assert grad(g, [x], allow_unused=True) == (None,)
    assert grad(g, [x], materialize_grads=True)[0].data == 0.0


def test_argument_types():
    x = Value(1.0)
    with pytest.raises(TypeError, match="inputs"):
        grad(x * x, 3.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"inputs\[1\]"):
        grad(x * x, [x, 2.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="grad_outputs has 2 entries"):
        grad(x * x, [x], [1.0, 2.0])


def test_single_values_sequences_duplicates_and_inner_nodes():
    a, b = Value(0.7), Value(-0.4)
    inner = a * b
    f = inner.tanh()
    t = math.tanh(-0.28)
    (g_inner,) = grad(f, inner)  # an inner node is a fine input, as in PyTorch
    assert g_inner.data == pytest.approx(1 - t * t, rel=1e-12)
    ga, ga_again = grad(f, [a, a], retain_graph=True)  # retain_graph is accepted and ignored
    assert ga.data == ga_again.data == pytest.approx((1 - t * t) * -0.4, rel=1e-12)


def test_several_outputs_and_grad_outputs_weight_the_sum():
    x, y = Value(0.5), Value(2.0)
    u, v = x * y, x.exp()
    (g,) = grad([u, v], [x], [3.0, -1.0])
    assert g.data == pytest.approx(3.0 * 2.0 - math.exp(0.5), rel=1e-12)
    w = Value(4.0)
    (g,) = grad([u], [x], [w], create_graph=True)  # a Value weight joins the gradient's graph
    assert grad(g, [w])[0].data == pytest.approx(2.0)


def test_grad_matches_torch_autograd_grad_on_a_small_example():
    x, y = Value(0.8), Value(-1.1)
    f = (x * y).sin() * (x - y).exp() + (x**2 + y**2) ** 0.5
    tx, ty = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.8, -1.1))
    tf = (tx * ty).sin() * (tx - ty).exp() + (tx**2 + ty**2) ** 0.5
    ours = grad(f, [x, y], create_graph=True)
    theirs = torch.autograd.grad(tf, [tx, ty], create_graph=True)
    for g, tg in zip(ours, theirs):
        assert g.data == pytest.approx(tg.item(), rel=1e-13)
        for h, th in zip(grad(g, [x, y]), torch.autograd.grad(tg, [tx, ty], retain_graph=True)):
            assert h.data == pytest.approx(th.item(), rel=1e-12)


def test_the_numeric_contract_holds_on_both_paths():
    """A kink op's zero derivative blocks an infinite upstream: 0, never NaN (as backward())."""
    x = Value(-1.0)
    f = x.relu() * math.inf
    (fast,) = grad(f, [x])
    (graphed,) = grad(f, [x], create_graph=True)
    f.backward()
    assert fast.data == graphed.data == x.grad == 0.0
    y = Value(2.0)
    g = (y**0) * math.inf  # not a kink op: 0 × inf is NaN on every path, as in PyTorch
    assert math.isnan(grad(g, [y])[0].data) and math.isnan(grad(g, [y], create_graph=True)[0].data)


def test_detect_anomaly_names_the_op_in_grad():
    x = Value(1000.0)
    f = x.exp() * 0.0 + x
    with autograd.detect_anomaly(), pytest.raises(FloatingPointError, match="through exp"):
        grad(f, [x])


# --- hessian, hvp, mixed partials ---


def test_hessian_of_a_known_function():
    x, y, z = Value(1.0), Value(2.0), Value(0.5)
    f = x * x * y + y * z.exp() + x  # ∂²: xx 2y, xy 2x, yz e^z, zz y e^z
    H = [[h.data for h in row] for row in hessian(f, [x, y, z])]
    e = math.exp(0.5)
    expected = [[4.0, 2.0, 0.0], [2.0, 0.0, e], [0.0, e, 2.0 * e]]
    assert H == [pytest.approx(row, rel=1e-14) for row in expected]


def test_mixed_partials_by_nesting_grad():
    x, y = Value(0.3), Value(1.7)
    f = (x * y).sin() + x**3 * y
    (fx,) = grad(f, [x], create_graph=True)
    (fy,) = grad(f, [y], create_graph=True)
    (fxy,) = grad(fx, [y])
    (fyx,) = grad(fy, [x])
    by_hand = math.cos(0.51) - 0.51 * math.sin(0.51) + 3 * 0.3**2
    assert fxy.data == pytest.approx(by_hand, rel=1e-13) and fyx.data == pytest.approx(by_hand, rel=1e-13)


def test_hvp_is_the_hessian_times_v():
    xs = [Value(v) for v in (0.2, -0.7, 1.1)]
    f = (xs[0] * xs[1]).tanh() * xs[2] ** 2 + (xs[0] + xs[2]).exp()
    v = [0.5, -2.0, 3.0]
    H = [[h.data for h in row] for row in hessian(f, xs)]
    Hv = [g.data for g in hvp(f, xs, v)]
    assert Hv == pytest.approx([sum(H[i][j] * v[j] for j in range(3)) for i in range(3)], rel=1e-12)
    with pytest.raises(ValueError, match="v has 2 entries"):
        hvp(f, xs, v[:2])


def hvp_node_count(n: int) -> int:
    xs = [Value(0.1 * i) for i in range(n)]
    f = autograd.sum([(xs[i] * xs[i + 1]).tanh() for i in range(n - 1)])
    before = {id(o) for o in nodes_with_parents()}
    result = hvp(f, xs, [1.0] * n, create_graph=True)
    made = [o for o in nodes_with_parents() if id(o) not in before]
    assert len(result) == n
    return len(made)


def test_hvp_costs_two_passes_not_a_hessian():
    """The nodes hvp makes grow linearly with n; a full Hessian would be n passes."""
    small, large = hvp_node_count(20), hvp_node_count(40)
    assert large < 2.3 * small


def test_hessian_and_hvp_with_create_graph_give_third_derivatives():
    x = Value(0.6)
    f = x.sin() * x
    (row,) = hessian(f, [x], create_graph=True)
    (third,) = grad(row[0], [x])
    # f = x sin x: f''' = −3 sin x − x cos x
    assert third.data == pytest.approx(-3 * math.sin(0.6) - 0.6 * math.cos(0.6), rel=1e-13)
    (hv,) = hvp(f, [x], [1.0], create_graph=True)
    assert grad(hv, [x])[0].data == pytest.approx(third.data, rel=1e-13)


def test_the_docstring_examples_run(monkeypatch):
    import doctest

    from autograd import higher

    for name in ("grad", "hessian", "hvp"):  # as autograd exports them
        monkeypatch.setattr(autograd, name, getattr(higher, name), raising=False)
    result = doctest.testmod(higher, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0
