"""The numeric contract, enforced for every op in the table at the edges of the floats.

Every op meets {nan, ±inf, ±0, tiny, huge, domain edges}, alone and in pairs. Where PyTorch's
answer is finite, ours must agree with it; elsewhere ours must keep the contract (README,
"The numeric contract"): NaN in gives NaN out, overflow follows IEEE as PyTorch does, and we
refuse (with a domain error) only what PyTorch cannot answer with finite numbers either.
"""

from __future__ import annotations

import itertools
import math

import pytest
import torch

from autograd import OPS, Value, apply, detect_anomaly

EDGES = [math.nan, math.inf, -math.inf, 0.0, -0.0, 5e-324, 1e-300, -1e-300, 1e300, -1e300, 1.0, -1.0, 0.5, 710.0]
EXPONENTS = [2.0, 3.0, 0.5, -1.0, -1.5, 0.0]


def _halves(xs):
    n = len(xs) // 2
    return torch.stack(xs[:n]), torch.stack(xs[n : 2 * n])


# How PyTorch computes each op. A test below insists this names every op in the table.
TORCH = {
    "+": lambda x, y: x + y,
    "*": lambda x, y: x * y,
    "**n": lambda x, n: x**n,
    "**": lambda x, y: x**y,
    "exp": torch.exp,
    "log": torch.log,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "abs": torch.abs,
    "step": lambda x: torch.where(x > 0, torch.ones_like(x), torch.where(x <= 0, torch.zeros_like(x), x)),
    "sign": torch.sign,
    "sin": torch.sin,
    "cos": torch.cos,
    "sum": lambda *xs: torch.stack(xs).sum(),
    "logsumexp": lambda *xs: torch.logsumexp(torch.stack(xs), 0),
    "dot": lambda *wx: (_halves(wx)[0] * _halves(wx)[1]).sum(),
    "linear": lambda *wxb: wxb[-1] + (_halves(wxb[:-1])[0] * _halves(wxb[:-1])[1]).sum(),
}


# The documented domain errors (README): where these hold we raise, and nowhere else unless
# PyTorch has no finite answer either (x / 0, 0 ** -1).
DOMAIN = {
    "log": lambda x: x <= 0,
    "**n": lambda x, n: x < 0 and not float(n).is_integer(),
    "**": lambda x, y: x < 0,
}


def test_every_op_has_a_pytorch_counterpart():
    assert set(TORCH) == set(OPS)


def cases():
    for name, op in sorted(OPS.items()):
        arity = min(op.arities)
        params = [(n,) for n in EXPONENTS] if op.params else [()]
        for xs in itertools.product(EDGES, repeat=min(arity, 2)):
            xs = (xs + (1.5,) * arity)[:arity]  # n-ary ops: the edges meet an ordinary number
            for p in params:
                yield name, xs, p


def pytorch(name, xs, params):
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = TORCH[name](*leaves, *params)
    grads = torch.autograd.grad(out, leaves, allow_unused=True)
    return out.item(), [0.0 if g is None else g.item() for g in grads]


def same(ours, theirs, scale):
    """Agree where PyTorch is finite; where it is nan, ours is not finite either (PyTorch itself
    gives nan for (-inf) ** 0.5 through sqrt, but 0 for (-inf) ** -1.5 through pow)."""
    if math.isnan(theirs):
        return not math.isfinite(ours)
    if math.isinf(theirs):
        return ours == theirs
    return math.isfinite(ours) and abs(ours - theirs) <= 1e-12 * max(scale, abs(theirs), 1e-300)


CASES = list(cases())


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_keeps_the_contract_at_the_edges(name):
    checked = 0
    for _, xs, params in (case for case in CASES if case[0] == name):
        value, grads = pytorch(name, xs, params)
        where = f"{name}{xs} params {params}"
        try:
            node = apply(name, [Value(x) for x in xs], params)
        except (ValueError, ZeroDivisionError):
            documented = name in DOMAIN and DOMAIN[name](*xs, *params)
            finite = all(map(math.isfinite, [value, *grads]))
            assert documented or not finite, f"{where}: we refuse, PyTorch gives {value}, {grads}"
            continue
        nan_in = any(math.isnan(x) for x in xs)
        assert nan_in or not (name in DOMAIN and DOMAIN[name](*xs, *params)), f"{where}: a domain error must raise"
        if nan_in:
            assert math.isnan(node.data), f"{where}: a NaN input must give NaN, got {node.data}"
            continue
        scale = sum(abs(x) for x in xs if math.isfinite(x))
        assert same(node.data, value, scale), f"{where}: value {node.data!r}, PyTorch {value!r}"
        signed_zero = any(x == 0 and math.copysign(1, x) < 0 for x in xs)
        for i, (ours, theirs) in enumerate(zip(node.local_grads, grads)):
            if signed_zero and math.isinf(theirs) and math.isinf(ours):
                continue  # 1/sqrt(-0.0) is -inf through PyTorch's sqrt, +inf through IEEE pow
            assert same(ours, theirs, max(scale, 1.0)), f"{where}: ∂/∂x{i} {ours!r}, PyTorch {theirs!r}"
        checked += 1
    assert checked > 0


def test_nan_never_becomes_a_number():
    nan = Value(math.nan)
    for name, op in OPS.items():
        arity = min(op.arities)
        params = (2.0,) * len(op.params)
        for position in range(arity):
            xs = [nan if i == position else Value(0.7) for i in range(arity)]
            assert math.isnan(apply(name, xs, params).data), (name, position)


def test_a_diverged_loss_is_nan_not_zero():
    weights = [Value(math.nan), Value(1.0)]
    loss = (weights[0] * 2.0).relu() + abs(weights[1] - 3.0)
    loss.backward()
    assert math.isnan(loss.data) and math.isnan(weights[0].grad)


def test_overflow_follows_ieee_for_every_op_as_pytorch():
    assert Value(1000.0).exp().data == math.inf
    assert (Value(1e200) * Value(1e200)).data == math.inf
    assert (Value(-1e200) ** 3).data == -math.inf
    assert apply("sum", [Value(1e308), Value(1e308)]).data == math.inf


def test_a_finite_value_never_fails_because_its_derivative_overflows():
    x = Value(1e-155)
    y = Value(1.0) / x
    assert y.data == pytest.approx(1e155)
    y.backward()
    assert x.grad == -math.inf  # -1/x², as PyTorch
    z = Value(1e-200)
    w = z**-1.5
    assert w.data == pytest.approx(1e300) and w.local_grads[0] == -math.inf


@pytest.mark.parametrize("piecewise", [name for name, op in OPS.items() if op.piecewise])
def test_piecewise_ops_block_an_infinite_upstream_where_flat(piecewise):
    x = Value(0.0 if piecewise == "relu" else 0.0)
    flat = apply(piecewise, [x - 1.0 if piecewise == "relu" else x])
    (flat**0.5).backward()  # sqrt'(0) = inf flows back into the flat part
    assert x.grad == 0.0  # PyTorch's answer; 0 × inf would be NaN


def test_zero_to_a_positive_value_power():
    y = Value(2.0)
    z = Value(0.0) ** y
    z.backward()
    assert z.data == 0.0 and y.grad == 0.0
    assert (0.0**y).data == 0.0


def test_detect_anomaly_names_the_first_non_finite_op():
    x = Value(800.0, label="x")
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"exp\(800\.0\) gave inf"):
        x.exp() * 2
    assert (x.exp() * 2).data == math.inf  # outside the block: IEEE


def test_detect_anomaly_in_backward_names_the_node():
    x = Value(0.0)
    root = x**0.5
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"\*\*0.5 gave inf"):
        root.backward()
