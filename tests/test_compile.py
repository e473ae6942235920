"""``autograd.compile``: the replay equals the eager engine, and never answers wrong silently.

Equality is checked to 1e-12 *relative to the size of the terms*: the replay sums in numpy's
order, the eager engine with ``math.fsum`` or left to right, so a cancelling sum may differ
in its last bits relative to its terms, not relative to its (small) result. ``scales`` below
computes, from the eager graph, each value's and each gradient's first-order error scale:
Σ over paths of the absolute local derivatives, times the absolute values involved.
"""

from __future__ import annotations

import doctest
import importlib
import io
import math
import random
import re
import subprocess
import sys

import numpy as np
import pytest

import autograd
import nn
from autograd import OPS, Value, apply, no_grad, ops, topological_order
from autograd.compile import CompiledValue, ConcreteValueError
from autograd.compile import compile as jit

C = importlib.import_module("autograd.compile")
REL = 1e-12


@pytest.fixture(params=["numpy", "floats"])
def mode(request, monkeypatch):
    """Run each test with every group as arrays, and again with every group on Python floats."""
    monkeypatch.setattr(C, "FLOAT_GROUP", -1 if request.param == "numpy" else 10**9)
    monkeypatch.setattr(C, "MAX_FLOAT_NODES", 10**9)
    monkeypatch.setattr(C, "_EAGER_NODE_US", 1e9)  # never fall back to eager: test the replay itself
    return request.param


# --- the reference: eager value and gradients, with their error scales ---


def scales(out: Value, params: list[Value]) -> tuple[float, list[float]]:
    """First-order rounding-error scales (in units of the rounding error) of ``out`` and of each ∂out/∂p.

    A value's scale is |value| plus its parents' scales times |∂value/∂parent|: what a
    re-ordered sum can change. A gradient is a sum over paths of products of local
    derivatives; each local derivative is computed from values that carry their own error
    (tanh' = 1 − t² near |t| = 1 cancels), so a gradient's scale is Σ over paths of
    Σ_k (local_k's error) · Π_{j≠k} |local_j|, with local_k's error from the op's rule:
    |local_k| + Σ_q |∂local_k/∂x_q| · scale(x_q), the derivative by central differences.
    """
    order = topological_order(out)
    size: dict[Value, float] = {}
    for node in order:
        size[node] = abs(node.data) + sum(_times(g, size[p]) for p, g in zip(node.parents, node.local_grads))
    paths: dict[Value, float] = {out: 1.0}  # Σ over paths of Π |local|
    error: dict[Value, float] = {out: 0.0}  # Σ over paths of Σ_k error_k Π_{j≠k} |local_j|
    for node in reversed(order):
        a, b = paths.get(node, 0.0), error.get(node, 0.0)
        if not node.parents or (a == 0.0 and b == 0.0):
            continue
        local_errors = _local_errors(node, size)
        for p, g, e in zip(node.parents, node.local_grads, local_errors):
            paths[p] = paths.get(p, 0.0) + _times(g, a)
            error[p] = error.get(p, 0.0) + _times(g, b) + _times(e, a)
    return size[out], [paths.get(p, 0.0) + error.get(p, 0.0) for p in params]


def _local_errors(node: Value, size: dict[Value, float]) -> list[float]:
    """Each local derivative's error scale: |local| + Σ |∂local/∂input| · scale(input) + |∂local/∂out| · scale(out).

    The derivatives are taken by central differences of the op's generic ``grads`` form,
    which computes the locals from the inputs and from the node's own (rounded) value.
    """
    op = OPS[node.op]
    xs = [p.data for p in node.parents]
    sizes = [size[p] for p in node.parents] + [size[node]]

    def grads(args: list[float]) -> list[float]:
        try:
            with np.errstate(all="ignore"):
                return [float(g) for g in op.grads(ops.NUMPY, args[-1], *args[:-1], *node.params)]
        except (ValueError, ZeroDivisionError):
            return [math.inf] * len(xs)

    point = [*xs, node.data]
    errors = [abs(g) for g in node.local_grads]
    for q, scale in enumerate(sizes):
        if scale == 0.0:
            continue
        h = 1e-6 * max(1.0, abs(point[q]))
        up, down = list(point), list(point)
        up[q] += h
        down[q] -= h
        for k, (hi, lo) in enumerate(zip(grads(up), grads(down))):
            errors[k] += _times(abs(hi - lo) / (2 * h), scale)
    return errors


def _times(a: float, b: float) -> float:
    """|a · b| where a zero blocks an infinity (as a flat piecewise op blocks an infinite upstream)."""
    return 0.0 if a == 0.0 or b == 0.0 else abs(a * b)


def eager(fn, args, params):
    for p in params:
        p.grad = 0.0
    out = fn(*args)
    out.backward()
    value_scale, grad_scales = scales(out, params)
    return out.data, [p.grad for p in params], value_scale, grad_scales


def compiled(step, args, params):
    for p in params:
        p.grad = 0.0
    out = step(*args)
    out.backward()
    return out.data, [p.grad for p in params]


def assert_same(step, fn, args, params, plain_args=None, replayed=True):
    """The compiled call equals the eager one: value and every parameter's gradient."""
    value, grads, value_scale, grad_scales = eager(fn, plain_args or args, params)
    c_value, c_grads = compiled(step, args, params)
    assert all(program.mode == "replay" for program in step._cache.values()) == replayed
    assert abs(c_value - value) <= REL * value_scale, (c_value, value)
    for k, (a, b, s) in enumerate(zip(c_grads, grads, grad_scales)):
        assert abs(a - b) <= REL * s + 1e-300, f"parameter {k}: compiled {a!r}, eager {b!r}"


# --- random graphs from every op of the table ---


def squash(v: Value, domain: tuple[float, float]) -> Value:
    """Map any value into the op's domain smoothly: mid + 0.45 · width · tanh(v)."""
    lo, hi = domain
    return v.tanh() * (0.45 * (hi - lo)) + (lo + hi) / 2


def random_program(rng: random.Random, names: list[str], lines: int) -> list[tuple[str, list[int], tuple[float, ...]]]:
    """Lines ``(op, registers, params)`` over registers x0, x1 (per sample) and p0..p2 (parameters)."""
    program = []
    for k in range(lines):
        name = names[k % len(names)]
        op = OPS[name]
        arity = rng.choice(op.arities)
        registers = [rng.randrange(5 + k) for _ in range(arity)]
        params = tuple(round(rng.uniform(*interval), 3) for interval in op.params)
        program.append((name, registers, params))
    return program


def run_program(program, x: list[Value | float], params: list[Value]) -> Value:
    registers: list[Value | float] = [*x, *params]
    for name, args, numbers in program:
        op = OPS[name]
        registers.append(apply(name, [squash(autograd.as_value(registers[a]), op.domain) for a in args], numbers))
    return registers[-1] + registers[-2]


def program_case(seed: int, names: list[str]):
    rng = random.Random(seed)
    program = random_program(rng, names, lines=2 * len(names) + 2)
    params = [Value(rng.uniform(-1, 1)) for _ in range(3)]

    def fn(X):
        return autograd.sum([run_program(program, x, params) for x in X])

    batches = [[[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(8)] for _ in range(3)]
    return fn, params, batches, rng


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_replays_as_eager(name, mode):
    fn, params, batches, rng = program_case(sum(map(ord, name)), [name, "+", name])
    step = jit(fn)
    for X in batches:
        assert_same(step, fn, [X], params)
        for p in params:  # the replay reads the parameters' current values
            p.data += rng.uniform(-0.3, 0.3)
    assert step.traces == 1


@pytest.mark.parametrize("seed", range(6))
def test_random_graphs_of_all_ops_replay_as_eager(seed, mode):
    names = sorted(OPS)
    random.Random(seed).shuffle(names)
    fn, params, batches, _ = program_case(seed, names)
    step = jit(fn)
    for X in batches:
        assert_same(step, fn, [X], params)


# --- MLPs: every activation and loss, 20 optimiser steps with new data every step ---


def mlp_case(activation: str, loss: str, fused: bool = True):
    classes = 3 if loss == "cross_entropy" else 1
    output = "sigmoid" if loss == "binary_cross_entropy" else "linear"
    model = nn.MLP(3, [5, classes], activation=activation, output=output, fused=fused, seed=1)
    params = model.parameters()

    def fn(X, Y):
        outputs = [model(x) for x in X]
        if loss == "cross_entropy":
            terms = autograd.sum([nn.cross_entropy(o, t) for o, t in zip(outputs, Y)]) * (1 / len(X))
        elif loss == "mse":
            terms = nn.mse_loss([o[0] for o in outputs], Y)
        elif loss == "binary_cross_entropy":
            terms = nn.binary_cross_entropy([o[0] for o in outputs], Y)
        else:
            terms = nn.hinge_loss([o[0] for o in outputs], Y)
        return terms + 1e-3 * nn.l2_penalty(params) + 1e-3 * nn.l1_penalty(params)

    def batch(rng: random.Random, size: int = 6):
        X = [[rng.uniform(-2, 2) for _ in range(3)] for _ in range(size)]
        if loss == "cross_entropy":
            Y = [nn.one_hot(rng.randrange(3), 3) for _ in range(size)]
        elif loss == "binary_cross_entropy":
            Y = [float(rng.random() < 0.5) for _ in range(size)]
        elif loss == "hinge":
            Y = [rng.choice([-1.0, 1.0]) for _ in range(size)]
        else:
            Y = [rng.uniform(-1, 1) for _ in range(size)]
        return X, Y

    return fn, model, params, batch


@pytest.mark.parametrize("loss", ["mse", "cross_entropy", "binary_cross_entropy", "hinge"])
@pytest.mark.parametrize("activation", sorted(nn.ACTIVATIONS))
def test_mlp_training_compiled_equals_eager_for_20_steps(activation, loss, monkeypatch):
    monkeypatch.setattr(C, "_EAGER_NODE_US", 1e9)
    fn, model, params, batch = mlp_case(activation, loss)
    step = jit(fn)
    opt = nn.Adam(params, lr=0.05)
    rng = random.Random(0)
    for _ in range(20):
        X, Y = batch(rng)
        assert_same(step, fn, [X, Y], params)
        opt.step()  # with the compiled gradients
    assert step.traces == 1


def test_mlp_of_binary_nodes_and_numpy_arguments(monkeypatch):
    """``fused=False`` builds neurons from + and * (no matmul); arguments may be numpy arrays."""
    monkeypatch.setattr(C, "_EAGER_NODE_US", 1e9)
    fn, model, params, batch = mlp_case("tanh", "cross_entropy", fused=False)
    step = jit(fn)
    opt = nn.SGD(params, lr=0.1, momentum=0.9)
    rng = random.Random(1)
    for _ in range(5):
        X, Y = batch(rng)
        assert_same(step, fn, [np.array(X), np.array(Y)], params, plain_args=[X, Y])
        opt.step()


def test_layers_run_as_matrix_products():
    fn, model, params, batch = mlp_case("relu", "mse")
    step = jit(fn)
    step(*batch(random.Random(0), size=32))
    out = io.StringIO()
    step.explain(file=out)
    assert out.getvalue().count("matmul") == 2  # both layers
    assert "32×3 @ 3×5" in out.getvalue()


def test_the_readme_training_loop_runs_compiled_with_one_added_line():
    X, y = nn.make_moons(100, noise=0.1, seed=0)
    labels = [2 * t - 1 for t in y]
    runs = []
    for compiled in (False, True):
        model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
        opt = nn.SGD(model.parameters(), lr=0.5, momentum=0.9)

        def step(X, y, model=model):
            return nn.hinge_loss([model(x)[0] for x in X], y)

        if compiled:
            step = jit(step)  # the one added line
        losses = []
        for _ in range(50):
            loss = step(X, labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.data)
        runs.append((losses, [p.data for p in model.parameters()]))
    (eager_losses, eager_params), (losses, params) = runs
    assert losses == pytest.approx(eager_losses, rel=1e-10, abs=1e-12)
    assert params == pytest.approx(eager_params, rel=1e-10, abs=1e-12)
    assert step.traces == 1 and next(iter(step._cache.values())).mode == "replay"


# --- the cache: structure is the key ---


def test_a_new_shape_traces_again_and_the_cache_is_bounded():
    fn, model, params, batch = mlp_case("tanh", "mse")
    step = jit(fn, cache_size=2)
    rng = random.Random(0)
    step(*batch(rng, 8))
    step(*batch(rng, 8))
    assert step.traces == 1
    X, Y = batch(rng, 5)  # a smaller last minibatch
    assert_same(step, fn, [X, Y], params)
    assert step.traces == 2
    step(*batch(rng, 8))
    assert step.traces == 2
    step(*batch(rng, 3))  # a third shape evicts the least recently used (5)
    step(*batch(rng, 5))
    assert step.traces == 4


def test_nested_and_ragged_arguments_and_several_outputs(monkeypatch):
    monkeypatch.setattr(C, "_EAGER_NODE_US", 1e9)
    w = Value(0.7)

    @jit
    def fn(pairs, scale, ragged):
        outs = [(w * a + b).tanh() for a, b in pairs]
        extra = autograd.sum([w * x for row in ragged for x in row])
        return autograd.sum(outs) * scale + extra * 0.0, outs

    loss, outs = fn([[1.0, 2.0], (3.0, -1.0)], 0.5, [[1.0], [2.0, 3.0]])  # the trace
    loss, outs = fn([[0.5, 2.0], (1.0, -1.0)], 2.0, [[4.0], [5.0, 6.0]])  # the replay
    assert isinstance(loss, CompiledValue) and len(outs) == 2
    expected = [math.tanh(0.7 * 0.5 + 2.0), math.tanh(0.7 - 1.0)]
    assert [o.data for o in outs] == pytest.approx(expected, rel=1e-15)
    loss.backward()
    assert w.grad == pytest.approx(2.0 * (0.5 * (1 - expected[0] ** 2) + (1 - expected[1] ** 2)), rel=1e-14)
    assert fn.traces == 1
    fn([[0.5, 2.0]], 2.0, [[4.0], [5.0, 6.0]])
    fn([[0.5, 2.0], (1.0, -1.0)], 2.0, [[4.0, 5.0], [6.0]])  # same count, other nesting
    assert fn.traces == 3
    with pytest.raises(TypeError, match="numbers, not Values"):
        fn([[Value(1.0), 2.0]], 1.0, [])
    with pytest.raises(TypeError, match="str"):
        fn("ab", 1.0, [])


def test_backward_accumulates_like_eager_and_the_result_is_not_a_value(monkeypatch):
    monkeypatch.setattr(C, "_EAGER_NODE_US", 1e9)
    w = Value(0.3)
    step = jit(lambda xs: autograd.sum([w * x for x in xs]))
    step([1.0, 2.0])
    loss = step([1.0, 2.0])
    loss.backward()
    loss.backward()
    assert w.grad == pytest.approx(6.0)
    with pytest.raises(TypeError):
        loss * 2  # noqa: B018 - arithmetic on a compiled result would leave the parameters out
    with no_grad():
        plain = step([1.0, 2.0])
    assert type(plain) is Value and plain.data == pytest.approx(0.9) and not plain.parents


def test_a_first_call_under_no_grad_still_traces(monkeypatch):
    """Evaluation often comes first under no_grad(): the trace records the graph anyway."""
    monkeypatch.setattr(C, "_EAGER_NODE_US", 1e9)
    w = Value(0.3)
    step = jit(lambda xs: [w * x for x in xs])
    with no_grad():
        first = step([1.0, 2.0])
        again = step([3.0, 4.0])
    assert [type(v) for v in first] == [Value, Value] and [v.data for v in again] == pytest.approx([0.9, 1.2])
    assert step.traces == 1
    step([1.0, 1.0])[1].backward()
    assert w.grad == 1.0


# --- the pitfalls: each must fail loudly or be right, never silently wrong ---


def test_cross_entropy_targets_are_data_not_frozen_into_the_trace(mode):
    """The study's bug: ``logits[target]`` baked the traced batch's classes in (gradients off by 73%)."""
    fn, model, params, batch = mlp_case("tanh", "cross_entropy")
    step = jit(fn)
    rng = random.Random(5)
    X, Y = batch(rng)
    step(X, Y)
    X2, Y2 = X, [list(reversed(y)) for y in Y]  # same inputs, other classes
    assert_same(step, fn, [X2, Y2], params)


def test_softmax_shift_replays_for_inputs_a_hundred_thousand_times_larger(mode):
    """The study's bug: the max subtracted before exp became a stale constant, and 1e5 gave NaN."""
    w = [Value(0.5), Value(-1.0), Value(2.0)]

    def fn(xs):
        logits = [wi * x for wi, x in zip(w, xs)]
        return nn.softmax(logits)[0] + nn.log_softmax(logits)[2] + nn.cross_entropy(logits, [0.0, 1.0, 0.0])

    step = jit(fn)
    step([1.0, 2.0, 0.5])
    big = [1e5, 2e5, 0.5e5]
    value, grads = compiled(step, [big], w)
    assert all(map(math.isfinite, [value, *grads]))
    assert_same(step, fn, [big], w)


def test_a_branch_on_a_traced_value_raises_and_names_the_line():
    w = Value(1.0)

    def fn(xs):
        total = w * 0.0
        for x in xs:
            y = w * x
            if y.data > 0:  # a concrete read: the branch would be frozen
                total = total + y
        return total

    step = jit(fn)
    with pytest.raises(ConcreteValueError, match=r"test_compile.py:\d+ in fn: `if y.data > 0:"):
        step([1.0, -2.0])
    assert step.traces == 0


@pytest.mark.parametrize(
    "body",
    [
        "print(f'{w.data}')",  # a parameter's value is a number of this step only
        "w.data = 2.0",  # a side effect that the replay would not repeat
        "float(x.data)",
    ],
)
def test_reading_or_writing_numbers_inside_is_refused(body):
    w = Value(1.0)
    namespace = {"w": w, "autograd": autograd}
    exec(f"def fn(xs):\n    x = w * xs[0]\n    {body}\n    return x", namespace)
    with pytest.raises(ConcreteValueError, match="frozen"):
        jit(namespace["fn"])([1.0])


def test_swallowing_the_error_inside_does_not_hide_it():
    w = Value(1.0)

    def fn(xs):
        y = w * xs[0]
        try:
            bigger = y.data > 0
        except ConcreteValueError:
            bigger = True
        return y if bigger else -y

    with pytest.raises(ConcreteValueError):
        jit(fn)([1.0])


def test_values_computed_under_no_grad_are_refused():
    w = Value(2.0)

    def fn(xs):
        with no_grad():
            scale = w * xs[0]  # would be frozen at the first call's value
        return w * scale

    with pytest.raises(ConcreteValueError, match="no_grad"):
        jit(fn)([3.0])


def test_constants_and_structure_are_fine_to_read():
    w = Value(1.0)

    def fn(xs):
        half = autograd.constant(0.5)
        assert half.data == 0.5  # a constant is the same number in every call
        return autograd.sum([w * x * half for x in xs]) * (1 / len(xs))

    step = jit(fn)
    step([1.0, 3.0])
    assert step([2.0, 4.0]).data == pytest.approx(1.5)


def test_domain_errors_and_infinities_are_exactly_eager(mode):
    """A replay that meets a non-finite value redoes the call eagerly: same error, same inf."""
    w = Value(1.0)
    step = jit(lambda xs: autograd.sum([(w * x).log() for x in xs]))
    step([1.0, 2.0])
    with pytest.raises(ValueError, match="log"):
        step([1.0, -2.0])
    grow = jit(lambda xs: autograd.sum([(w * x).exp() for x in xs]))
    grow([1.0, 2.0])
    assert grow([1.0, 1000.0]).data == math.inf


def test_relu_blocks_an_infinite_upstream_in_the_replay_too(mode):
    """sqrt'(0) = inf meets relu'(x <= 0) = 0: the contract says 0, not NaN (0 · inf)."""
    w = Value(1.0)

    def fn(xs):
        return autograd.sum([(w * x).relu() ** 0.5 for x in xs])

    step = jit(fn)
    step([1.0, 2.0])
    assert_same(step, fn, [[-1.0, 4.0]], [w])
    assert w.grad == pytest.approx(0.5 * 4.0**-0.5 * 4.0)


def test_detect_anomaly_runs_eagerly_and_names_the_op():
    w = Value(1.0)
    step = jit(lambda xs: autograd.sum([(w * x).exp() for x in xs]))
    step([1.0, 2.0])
    with autograd.detect_anomaly(), pytest.raises(FloatingPointError, match="exp"):
        step([1.0, 1000.0])


def test_a_long_chain_runs_eagerly_and_says_why():
    w = Value(0.5)

    def chain(xs):
        y = w * xs[0]
        for _ in range(3000):
            y = y.tanh()
        return y

    step = jit(chain)
    step([1.0])
    out = io.StringIO()
    step.explain(file=out)
    assert "runs eagerly" in out.getvalue()
    assert_same(step, chain, [[0.7]], [w], replayed=False)


def test_explain_shows_the_groups_and_the_program(monkeypatch):
    monkeypatch.setattr(C, "_EAGER_NODE_US", 1e9)
    w = Value(0.5)
    step = jit(lambda xs: autograd.sum([(w * x).tanh() for x in xs]))
    out = io.StringIO()
    step.explain(file=out)
    assert "not traced yet" in out.getvalue()
    step([1.0] * 20)
    step.explain(source=True, file=out)
    text = out.getvalue()
    assert "tanh" in text and "for arguments (20)" in text and "def program" in text


def test_importing_the_compiler_does_not_import_numpy():
    code = (
        "import sys, autograd; before = 'numpy' in sys.modules; import autograd.compile; "
        "assert ('numpy' in sys.modules) == before, 'autograd.compile imported numpy'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_module_docstring_example_runs():
    assert doctest.testmod(C, optionflags=doctest.ELLIPSIS).failed == 0


# --- bad-input hunt: rebinding, .grad, data checks, arguments, messages ---


def _in_namespace(source: str, **names):
    """Run ``source`` as a notebook cell would: in a module namespace of its own (its globals)."""
    namespace = {"autograd": autograd, "nn": nn, "jit": jit, **names}
    exec(source, namespace)
    return namespace


def _moons():
    X, y = nn.make_moons(40, noise=0.1, seed=0)
    return X, [2 * t - 1 for t in y]


def test_rebinding_a_global_model_traces_again_with_the_new_parameters():
    """The notebook re-run: ``model = nn.MLP(...)`` again, then the same compiled step."""
    X, Y = _moons()
    cell = _in_namespace(
        "model = nn.MLP(2, [8, 1], activation='relu', seed=0)\n"
        "step = jit(lambda X, y: nn.hinge_loss([model(x)[0] for x in X], y))\n"
    )
    step = cell["step"]
    step(X, Y)
    step(X, Y)
    assert step.traces == 1  # nothing rebound: the guard passes and the trace is kept
    cell["model"] = model = nn.MLP(2, [8, 1], activation="relu", seed=1)  # the re-run cell
    loss = step(X, Y)
    eager = nn.hinge_loss([model(x)[0] for x in X], Y)
    assert loss.data == pytest.approx(eager.data, rel=1e-12)
    loss.backward()
    eager_grads = [p.grad for p in model.parameters()]
    model.zero_grad()
    eager.backward()
    assert eager_grads == pytest.approx([p.grad for p in model.parameters()], rel=1e-12, abs=1e-15)
    assert sum(abs(g) for g in eager_grads) > 0  # the new model is the one that learns
    assert step.traces == 2 and step.rebinds == 1


def test_rebinding_a_closure_variable_or_a_helpers_global_traces_again(monkeypatch):
    monkeypatch.setattr(C, "_EAGER_NODE_US", 1e9)

    def make():
        w = Value(2.0)

        def step(xs):
            return autograd.sum([w * x for x in xs])

        def rebind(new):
            nonlocal w
            w = new

        return jit(step), rebind

    step, rebind = make()
    assert step([1.0, 2.0]).data == 6.0
    rebind(Value(10.0))
    assert step([1.0, 2.0]).data == 30.0
    cell = _in_namespace(
        "w = autograd.Value(2.0)\n"
        "def loss(xs):\n    return autograd.sum([w * x for x in xs])\n"
        "step = jit(lambda xs: loss(xs) * 1.0)\n"  # the global is read by a helper defined beside it
    )
    assert cell["step"]([1.0, 2.0]).data == 6.0
    cell["w"] = Value(-1.0)
    assert cell["step"]([1.0, 2.0]).data == -3.0


def test_a_global_rebound_at_every_call_warns_that_each_call_traces():
    cell = _in_namespace(
        "scale = 1.0\nw = autograd.Value(0.5)\nstep = jit(lambda xs: autograd.sum([w * x * scale for x in xs]))\n"
    )
    step = cell["step"]
    for k in range(C.REBIND_WARNING):  # the first call traces, then each rebinding traces again
        cell["scale"] = float(k)  # a plain number, rebound: no longer frozen at the first one
        assert step([1.0, 2.0]).data == pytest.approx(1.5 * k)
    with pytest.warns(RuntimeWarning, match="scale changed between calls"):
        cell["scale"] = 9.0
        step([1.0, 2.0])


def test_the_rebinding_guard_costs_microseconds():
    import timeit

    cell = _in_namespace(
        "model = nn.MLP(2, [8, 1], seed=0)\nstep = jit(lambda X, y: nn.hinge_loss([model(x)[0] for x in X], y))\n"
    )
    step = cell["step"]
    step(*_moons())
    per_call = min(timeit.repeat(step._guards.changed, number=1000, repeat=5)) / 1000
    assert per_call < 5e-6


def test_reading_or_writing_a_gradient_inside_is_refused_and_names_the_line():
    """``w.grad`` read while tracing is the number of that moment: the replay would keep it."""
    w = Value(1.0)

    def read(xs):
        return autograd.sum([w * x for x in xs]) * w.grad

    with pytest.raises(ConcreteValueError, match=r"gradient \(\.grad\).*test_compile.py:\d+ in read: `return"):
        jit(read)([1.0, 2.0])
    model = nn.MLP(2, [3, 1], seed=0)

    def zeroing(X):
        model.zero_grad()  # eagerly this zeroes at every call; a replay would not
        return autograd.sum([model(x)[0] for x in X])

    with pytest.raises(ConcreteValueError, match="wrote the gradient"):
        jit(zeroing)([[1.0, 2.0]])
    step = jit(lambda xs: autograd.sum([w * x for x in xs]))  # the engine's own .grad writes are fine
    step([1.0, 2.0]).backward()
    assert w.grad == 3.0


def test_hinge_labels_are_checked_on_the_trace_and_on_every_replay(mode):
    """0/1 labels (the forgotten ``2*t - 1``) fail at the first call and at any later call, as eagerly."""
    model = nn.MLP(2, [4, 1], seed=0)
    X = [[0.1, 0.2], [0.3, -0.1], [1.0, 0.5]]
    step = jit(lambda X, Y: nn.hinge_loss([model(x)[0] for x in X], Y))
    with pytest.raises(ValueError, match="labels must be -1 or \\+1, got 0"):
        step(X, [0, 1, 0])  # the trace
    step(X, [1, -1, 1])
    assert step.traces == 1 and next(iter(step._cache.values())).mode == "replay"
    with pytest.raises(ValueError, match="labels must be -1 or \\+1, got 0.0"):
        step(X, [1, 1, 0])  # a replay
    with pytest.raises(ValueError, match="got nan"):
        step(X, [1, float("nan"), 1])
    assert step(X, [-1, 1, -1]).data == pytest.approx(nn.hinge_loss([model(x)[0] for x in X], [-1, 1, -1]).data)
    inside = jit(lambda X, t: nn.hinge_loss([model(x)[0] for x in X], [2 * y - 1 for y in t]))
    inside(X, [0, 1, 0])  # labels computed inside are checked too
    with pytest.raises(ValueError, match="got 3.0"):
        inside(X, [0, 2, 0])


def test_cross_entropy_targets_are_checked_on_every_replay(mode):
    model = nn.MLP(2, [4, 3], seed=0)
    X = [[0.1, 0.2], [0.3, -0.1], [1.0, 0.5]]
    step = jit(lambda X, Y: autograd.sum([nn.cross_entropy(model(x), t) for x, t in zip(X, Y)]))
    with pytest.raises(ValueError, match="sum to 1"):
        step(X, [[1.0, 1.0, 1.0]] * 3)  # the trace
    good = [nn.one_hot(k, 3) for k in (0, 2, 1)]
    step(X, good)
    assert step.traces == 1 and next(iter(step._cache.values())).mode == "replay"
    with pytest.raises(ValueError, match=r"sum to 1, got \[0.5, 0.0, 0.0\]"):
        step(X, [good[0], [0.5, 0.0, 0.0], good[2]])
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        step(X, [good[0], good[1], [1.5, -0.5, 0.0]])
    soft = [[0.2, 0.3, 0.5]] * 3  # soft targets are fine
    eager = autograd.sum([nn.cross_entropy(model(x), t) for x, t in zip(X, soft)])
    assert step(X, soft).data == pytest.approx(eager.data, rel=1e-12)


def test_cache_size_is_validated():
    with pytest.raises(ValueError, match="cache_size must be at least 1"):
        jit(lambda x: x, cache_size=-1)
    with pytest.raises(ValueError, match="cache_size must be at least 1"):
        jit(lambda x: x, cache_size=0)
    with pytest.raises(TypeError, match="cache_size must be a whole number, got str"):
        jit(lambda x: x, cache_size="a")
    with pytest.raises(TypeError, match="whole number"):
        jit(cache_size=True)(lambda x: x)


def test_a_masked_array_with_masked_items_is_refused_not_unmasked():
    w = Value(1.0)
    step = jit(lambda xs: autograd.sum([w * x for x in xs]))
    with pytest.raises(TypeError, match="masked"):
        step(np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0]))
    assert step(np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 0, 0])).data == 6.0


def test_keyword_arguments_are_refused_clearly():
    w = Value(1.0)
    step = jit(lambda xs: autograd.sum([w * x for x in xs]))
    with pytest.raises(TypeError, match=r"positional arguments only.*'xs'"):
        step(xs=[1.0, 2.0])


def test_a_refusal_inside_the_engine_names_the_users_line():
    """``grad()`` without create_graph is refused in higher.py: the message points at the caller's line."""
    w = Value(0.5)

    def penalised(xs):
        f = autograd.sum([(w * x).tanh() for x in xs])
        (g,) = autograd.grad(f, [w])
        return f * g

    with pytest.raises(ConcreteValueError, match=r"test_compile.py:\d+ in penalised: `\(g,\) = autograd.grad") as info:
        jit(penalised)([1.0, 2.0])
    assert str(info.value).index("test_compile.py") < str(info.value).index("higher.py")


# --- the numpy forms agree with the float rules (A2-A4 of the bad-input hunt) ---


def test_the_exponent_derivative_of_a_power_is_never_frozen_at_a_zero_base(mode):
    """∂(x**p)/∂p = x**p · log x as a graph: at x = 0 it used to become a frozen constant 0.

    Eagerly it is refused at a zero base (no graph node gives 0 · log 0 = 0); compiled, the
    same error comes whether the zero base is traced or replayed, and other bases replay right.
    """
    p = Value(2.0)

    def fn(xs):
        return autograd.sum([autograd.grad(x**p, [p], create_graph=True)[0] for x in xs])

    with pytest.raises(ValueError, match="zero base") as eager_error:
        fn([0.0] * 40)
    message = re.escape(str(eager_error.value))
    step = jit(fn)
    with pytest.raises(ValueError, match=message):
        step([0.0] * 40)  # traced at the zero base: refused, not frozen
    assert step([2.0] * 40).data == pytest.approx(40 * 4 * math.log(2), rel=1e-12)
    assert step.traces == 1 and next(iter(step._cache.values())).mode == "replay"
    with pytest.raises(ValueError, match=message):
        step([2.0] * 39 + [0.0])  # replayed at a zero base: the same error as eager
    assert_same(step, fn, [[0.5, 2.0, 3.0] * 13 + [1.5]], [p])


def _eager_then_compiled(fn, good, bad):
    """The compiled call on ``bad`` after a trace on ``good``: the same error, or the same NaN, as eager."""
    step = jit(fn)
    step(good)
    try:
        expected = fn(bad).data
    except (ValueError, ZeroDivisionError) as error:
        with pytest.raises(type(error), match=re.escape(str(error))):
            step(bad)
        with no_grad(), pytest.raises(type(error), match=re.escape(str(error))):
            step(bad)
        return
    assert math.isnan(expected)
    out = step(bad)
    assert math.isnan(out.data)
    with no_grad():
        assert math.isnan(step(bad).data)


def test_nan_through_a_power_stays_nan_as_eager(mode):
    """numpy's nan**0 = 1 and 1**nan = 1 must not turn NaN into a number (nor hide a log's domain error)."""
    w = Value(0.7)
    n = 40
    _eager_then_compiled(lambda xs: autograd.sum([(w * x) ** 0 for x in xs]) * w, [1.0] * n, [math.nan] * n)
    _eager_then_compiled(lambda xs: autograd.sum([(w * x).log() ** 0 for x in xs]) * w, [1.0] * n, [-1.0] * n)
    _eager_then_compiled(lambda xs: autograd.sum([1.0 ** (w * x) for x in xs]), [1.0] * n, [math.nan] * n)


def test_a_negative_base_to_a_value_power_raises_as_eager(mode):
    """x ** y with a Value y and x < 0 is refused eagerly even when y happens to be a whole number."""
    w = Value(0.7)
    _eager_then_compiled(lambda xs: autograd.sum([x ** (w / w * 2) for x in xs]), [1.0] * 40, [-2.0] * 40)
