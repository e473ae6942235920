"""The lecture notes' formulas (shared/LECTURE.md §1–§7), checked from the graph.

Each right-hand side is computed here by hand from forward values; each left-hand side is a
``.grad`` (or a forward value) that came out of the graph of an ``nn.MLP`` or of a ``Value``
expression, or a parameter that ``nn.SGD`` moved. The demos in ``demos/lecture`` show the same
formulas to a reader; these tests check them on their own, on other networks and, for the
slips of §7, on random ones: a slide's formula must disagree with the graph, its correction
must agree.
"""

import math
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value, backward_steps

REL, ABS = 1e-12, 1e-14

G = {  # g(a), by hand
    "tanh": math.tanh,
    "sigmoid": lambda a: 1 / (1 + math.exp(-a)),
    "relu": lambda a: max(a, 0.0),
    "linear": lambda a: a,
}
G_PRIME = {  # g'(a) written by hand from the forward value, as in §3
    "tanh": lambda a: 1 - math.tanh(a) ** 2,
    "sigmoid": lambda a: G["sigmoid"](a) * (1 - G["sigmoid"](a)),
    "relu": lambda a: 1.0 if a > 0 else 0.0,
    "linear": lambda a: 1.0,
}


def near(expected):
    return pytest.approx(expected, rel=REL, abs=ABS)


def agrees(a: float, b: float) -> bool:
    return abs(a - b) <= max(REL * max(abs(a), abs(b)), ABS)


def mlp(nin, sizes, g="tanh", output="linear", seed=0):
    """An nn.MLP with non-zero biases, so that a misplaced b would show."""
    model = nn.MLP(nin, sizes, activation=g, output=output, seed=seed)
    rng = random.Random(seed + 1000)
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.b.data = rng.uniform(-0.5, 0.5)
    return model


def weights(layer):
    """W_k as a list of rows: W[j][i] is the weight from input i to unit j."""
    return [[w.data for w in n.w] for n in layer.neurons]


def values(nodes):
    return [v.data for v in nodes]


def grads(nodes):
    return [v.grad for v in nodes]


def softmax(a):
    total = sum(math.exp(v) for v in a)
    return [math.exp(v) / total for v in a]


def sigma(z):
    return 1 / (1 + math.exp(-z))


# --- §1 the network and forward pass -------------------------------------------------------


@pytest.mark.parametrize("g", sorted(G))
@pytest.mark.parametrize("output", ["linear", "softmax"])
def test_forward_pass_layer_by_layer(g, output):
    model = mlp(3, [4, 3, 2], g, output, seed=3)
    x = [0.5, -1.2, 0.8]
    trace = model.forward_trace(x)
    L = len(model.layers)
    h = x
    for k, layer in enumerate(model.layers, start=1):
        W, b = weights(layer), [n.b.data for n in layer.neurons]
        a = [b[j] + sum(W[j][i] * h[i] for i in range(len(h))) for j in range(len(b))]  # a_k = b_k + W_k h_{k−1}
        assert values(trace.a[k - 1]) == near(a)
        if k < L:
            h = [G[g](v) for v in a]  # h_k = g(a_k)
        else:
            h = softmax(a) if output == "softmax" else a  # ŷ = O(a_L)
        assert values(trace.h[k]) == near(h)
    assert values(model(x)) == near(h)


def test_parameters_are_every_weight_and_bias_once():
    model = mlp(3, [4, 3, 2])
    sizes = [3, 4, 3, 2]
    listed = [p for layer in model.layers for n in layer.neurons for p in (*n.w, n.b)]
    params = model.parameters()
    assert len(params) == sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:]))
    assert {id(p) for p in params} == {id(p) for p in listed}


# --- §2 losses and output functions ---------------------------------------------------------


def test_squared_error_with_and_without_half_and_as_a_mean():
    model = mlp(2, [3, 2], seed=2)
    X, Y = [[0.1, 0.4], [-0.8, 0.3], [0.5, -0.5]], [[0.2, -0.1], [0.0, 0.7], [-0.4, 0.3]]
    per_sample = [sum((o - y) ** 2 for o, y in zip(values(model(x)), ys)) for x, ys in zip(X, Y)]
    assert nn.mse_loss(model(X[0]), Y[0], reduction="sum").data == near(per_sample[0])
    assert nn.mse_loss(model(X[0]), Y[0], reduction="sum", half=True).data == near(per_sample[0] / 2)
    mean = autograd.sum([nn.mse_loss(model(x), y, reduction="sum") for x, y in zip(X, Y)]) * (1 / len(X))
    assert mean.data == near(sum(per_sample) / len(X))


@pytest.mark.parametrize("ell", [0, 1, 2])
def test_cross_entropy_is_minus_log_of_the_true_class(ell):
    model = mlp(2, [4, 3], output="softmax", seed=3)
    trace = model.forward_trace([0.3, -0.6])
    p = softmax(values(trace.a[-1]))
    y = nn.one_hot(ell, 3)
    by_hand = -sum(yc * math.log(pc) for yc, pc in zip(y, p))  # −Σ_c y_c log ŷ_c
    assert by_hand == near(-math.log(p[ell]))
    assert nn.cross_entropy(trace.a[-1], ell).data == near(by_hand)
    assert (-trace.output[ell].log()).data == near(by_hand)


def test_sigmoid_outputs_with_squared_error_against_one_hot():
    model = mlp(2, [4, 3], output="sigmoid", seed=3)
    trace = model.forward_trace([0.3, -0.6])
    y = nn.one_hot(1, 3)
    o = [sigma(a) for a in values(trace.a[-1])]
    assert nn.mse_loss(trace.output, y, reduction="sum").data == near(sum((oj - yj) ** 2 for oj, yj in zip(o, y)))


# --- §3 local derivatives -------------------------------------------------------------------


@pytest.mark.parametrize("z", [-2.0, -0.3, 0.0, 0.7, 3.0])
def test_local_derivatives_of_the_activations(z):
    for name, derivative in (("sigmoid", lambda s: s * (1 - s)), ("tanh", lambda t: 1 - t * t)):
        x = Value(z)
        h = nn.activation(name)(x)
        h.backward()
        assert x.grad == near(derivative(h.data))  # σ' = σ(1 − σ), tanh' = 1 − tanh²


@pytest.mark.parametrize("ell", [0, 1, 2, 3])
def test_softmax_jacobian_from_the_graph(ell):
    # ∂ŷ_ℓ/∂a_i = ŷ_ℓ (1(i = ℓ) − ŷ_i): backward from ŷ_ℓ alone
    a = [Value(v) for v in (0.3, -1.1, 0.8, 0.05)]
    y_hat = nn.softmax(a)
    y_hat[ell].backward()
    p = values(y_hat)
    assert grads(a) == near([p[ell] * ((i == ell) - p[i]) for i in range(4)])


@pytest.mark.parametrize("true_class", [0, 1, 2])
def test_softmax_cross_entropy_output_gradient(true_class):
    model = mlp(2, [5, 3], output="softmax", seed=4)
    trace = model.forward_trace([0.7, -0.3])
    y_hat = trace.output
    loss = -y_hat[true_class].log()  # −Σ_c y_c log ŷ_c = −log ŷ_ℓ
    loss.backward()
    # ∂(−log ŷ_ℓ)/∂ŷ_i = −1(i = ℓ)/ŷ_ℓ
    assert grads(y_hat) == near([-(i == true_class) / y_hat[true_class].data for i in range(3)])
    # ∇_{a_L} L = −(e(ℓ) − ŷ)
    expected = [-(e - p.data) for p, e in zip(y_hat, nn.one_hot(true_class, 3))]
    assert grads(trace.a[-1]) == near(expected)


def test_cross_entropy_on_logits_gives_the_same_output_gradient():
    model = mlp(2, [5, 3], seed=4)
    trace = model.forward_trace([0.7, -0.3])
    nn.cross_entropy(trace.a[-1], 2).backward()
    probs = softmax(values(trace.a[-1]))
    assert grads(trace.a[-1]) == near([p - e for p, e in zip(probs, nn.one_hot(2, 3))])


@pytest.mark.parametrize("half", [False, True])
def test_squared_error_with_identity_output(half):
    model = mlp(2, [3, 2], seed=6)
    trace, y = model.forward_trace([0.4, 0.8]), [0.3, -0.2]
    nn.mse_loss(trace.output, y, reduction="sum", half=half).backward()
    factor = 1.0 if half else 2.0  # δ^(L) = 2(f − y), or (f − y) with a ½ in front
    assert grads(trace.a[-1]) == near([factor * (f - t) for f, t in zip(values(trace.output), y)])


@pytest.mark.parametrize("half", [False, True])
def test_sigmoid_output_with_squared_error(half):
    model = mlp(2, [3, 2], output="sigmoid", seed=5)
    y = [1.0, 0.0]
    trace = model.forward_trace([0.1, 0.9])
    nn.mse_loss(trace.output, y, reduction="sum", half=half).backward()
    o = [sigma(z) for z in values(trace.a[-1])]
    if half:  # δ_j = (o_j − y_j) σ'(z_j)
        expected = [(oj - yj) * oj * (1 - oj) for oj, yj in zip(o, y)]
    else:  # δ_j = 2 (o_j − y_j) o_j (1 − o_j)
        expected = [2 * (oj - yj) * oj * (1 - oj) for oj, yj in zip(o, y)]
    assert grads(trace.a[-1]) == near(expected)


@pytest.mark.parametrize("y", [-0.6, 0.0, 0.9])
def test_squared_error_with_a_tanh_output(y):
    # δ^(L) = 2(x^(L) − y) θ'(s^(L)) with θ = tanh, x^(L) = θ(s^(L))
    model = mlp(2, [3, 1], seed=8)
    s = model.forward_trace([0.4, 0.8]).a[-1][0]
    x = s.tanh()
    ((x - y) ** 2).backward()
    assert s.grad == near(2 * (math.tanh(s.data) - y) * (1 - math.tanh(s.data) ** 2))


# --- §4 the chain rule along several paths --------------------------------------------------


def test_chain_rule_along_two_paths():
    # z = f(x, y) with x = g(s, t), y = h(s, t): ∂z/∂s = ∂z/∂x ∂x/∂s + ∂z/∂y ∂y/∂s
    s, t = Value(0.4), Value(-1.1)
    x = s * t
    y = s + t.tanh()
    z = x * y.exp()
    steps = list(backward_steps(z))
    dz_dx, dz_dy = math.exp(y.data), x.data * math.exp(y.data)
    assert s.grad == near(dz_dx * t.data + dz_dy * 1.0)
    assert t.grad == near(dz_dx * s.data + dz_dy * (1 - math.tanh(t.data) ** 2))
    # in the graph the sum is accumulation: one contribution into s along each path
    into_s = {step.node: step.contribution for step in steps if step.parent is s}
    assert into_s == {x: near(dz_dx * t.data), y: near(dz_dy * 1.0)}


def test_a_hidden_unit_sums_over_the_units_it_feeds():
    model = mlp(2, [3, 4], seed=8)
    trace = model.forward_trace([0.5, -0.7])
    nn.mse_loss(trace.output, [0.1, 0.2, 0.3, 0.4], reduction="sum").backward()
    W2 = weights(model.layers[1])
    delta2 = [2 * (f - t) for f, t in zip(values(trace.output), [0.1, 0.2, 0.3, 0.4])]
    # ∂L/∂h_{1,j} = Σ_m ∂L/∂a_{2,m} · W_{2,m,j}
    assert grads(trace.h[1]) == near([sum(delta2[m] * W2[m][j] for m in range(4)) for j in range(3)])


# --- §5 the backward recursion --------------------------------------------------------------


@pytest.mark.parametrize("g", ["tanh", "sigmoid", "relu", "linear"])
def test_delta_recursion_and_weight_gradients(g):
    model = mlp(3, [4, 3, 2], g, seed=11)
    x, y = [0.5, -1.2, 0.8], [0.3, -0.4]
    trace = model.forward_trace(x)
    loss = nn.mse_loss(trace.output, y, reduction="sum")  # Σ (ŷ − y)², identity output
    loss.backward()

    L = len(model.layers)
    # δ^(L) = 2 (f − y) for squared error with identity output (§3)
    delta = [2 * (o.data - t) for o, t in zip(trace.output, y)]
    assert grads(trace.a[L - 1]) == near(delta)
    for k in range(L, 0, -1):  # layer k = L..1; trace.a[k-1] is a_k, trace.h[k-1] is h_{k-1}
        h_prev = values(trace.h[k - 1])
        W = weights(model.layers[k - 1])
        # ∇_{W_k} L = δ^(k) h_{k−1}ᵀ  and  ∇_{b_k} L = δ^(k)
        for j, neuron in enumerate(model.layers[k - 1].neurons):
            assert grads(neuron.w) == near([delta[j] * h for h in h_prev])
            assert neuron.b.grad == near(delta[j])
        # ∇_{h_{k−1}} L = W_kᵀ δ^(k): a sum over every unit h feeds (§4)
        back = [sum(W[j][i] * delta[j] for j in range(len(delta))) for i in range(len(h_prev))]
        if k > 1:
            assert grads(trace.h[k - 1]) == near(back)
            # δ^(k−1) = (W_kᵀ δ^(k)) ⊙ g'(a_{k−1})
            delta = [b * G_PRIME[g](a.data) for b, a in zip(back, trace.a[k - 2])]
            assert grads(trace.a[k - 2]) == near(delta)


@pytest.mark.parametrize("depth", [2, 6, 12])
def test_deep_thin_network_is_a_product_of_local_derivatives(depth):
    model = mlp(1, [1] * depth, "sigmoid", seed=depth)
    trace = model.forward_trace([0.8])
    y = 0.25
    ((trace.output[0] - y) ** 2).backward()
    # ∂L/∂w_1 = ∂L/∂ŷ · ∂ŷ/∂a_L · ∂a_L/∂h_{L−1} · … · ∂h_1/∂a_1 · ∂a_1/∂w_1
    product = 2 * (trace.output[0].data - y) * 1.0  # ∂L/∂ŷ, then ∂ŷ/∂a_L = 1 (identity output)
    for k in range(depth, 1, -1):
        product *= model.layers[k - 1].neurons[0].w[0].data  # ∂a_k/∂h_{k−1} = w_k
        assert trace.h[k - 1][0].grad == near(product)
        product *= G_PRIME["sigmoid"](trace.a[k - 2][0].data)  # ∂h_{k−1}/∂a_{k−1}
        assert trace.a[k - 2][0].grad == near(product)
    product *= 0.8  # ∂a_1/∂w_1 = x
    assert model.layers[0].neurons[0].w[0].grad == near(product)


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_simplest_interesting_case(y):
    # One input a_1^(1) = x, two hidden units, one output f = g^L(Z^(3)); the notes' L = (y − f)², no ½.
    # w_ij^(l) joins unit j of layer l to unit i of layer l + 1.
    model = mlp(1, [2, 1], "sigmoid", "sigmoid", seed=9)
    x = 0.6
    trace = model.forward_trace([x])
    f = trace.output[0]
    ((y - f) ** 2).backward()
    delta3 = -2 * (y - f.data) * f.data * (1 - f.data)  # δ_1^(3) = −2(y − f)(g^L)'(Z_1^(3))
    assert trace.a[1][0].grad == near(delta3)
    for j in (1, 2):
        w_1j = model.layers[1].neurons[0].w[j - 1]  # w_1j^(2)
        a_j = trace.h[1][j - 1].data  # a_j^(2)
        assert w_1j.grad == near(delta3 * a_j)  # ∂L/∂w_1j^(2) = δ_1^(3) a_j^(2)
        delta2 = delta3 * w_1j.data * a_j * (1 - a_j)  # δ_j^(2) = δ_1^(3) · w_1j^(2) · g'(Z_j^(2))
        assert trace.a[0][j - 1].grad == near(delta2)
        # ∂L/∂w_j1^(1) = δ_j^(2) · a_1^(1)
        assert model.layers[0].neurons[j - 1].w[0].grad == near(delta2 * x)


# --- §6 learning ----------------------------------------------------------------------------


def loss_at(theta):
    return (theta * theta - 1.0) ** 2  # not quadratic: where the gradient is taken matters


def grad_at(value):
    theta = Value(value)
    loss_at(theta).backward()
    return theta.grad


def test_gradient_descent_step_is_theta_minus_eta_grad():
    X, y = nn.make_xor()
    model = mlp(2, [3, 1], "sigmoid", "sigmoid", seed=1)
    params, eta = model.parameters(), 0.7
    opt = nn.SGD(params, lr=eta)
    for _ in range(5):
        loss = nn.mse_loss([model(x)[0] for x in X], y, reduction="sum")
        opt.zero_grad()
        loss.backward()
        expected = [p.data - eta * p.grad for p in params]  # θ_{t+1} = θ_t − η ∇θ_t, by hand
        opt.step()
        assert values(params) == near(expected)


def test_momentum_by_hand():
    mu, eta = 0.9, 0.05
    p = Value(0.5)
    opt = nn.SGD([p], lr=eta, momentum=mu)
    theta, v = 0.5, 0.0
    for _ in range(6):
        v = mu * v - eta * grad_at(theta)  # v ← μv − η∇θ
        theta += v  # θ ← θ + v
        opt.zero_grad()
        loss_at(p).backward()
        opt.step()
        assert p.data == near(theta)


def test_nesterov_by_hand():
    # v ← μv − η∇L(θ + μv), θ ← θ + v; nn.SGD (like PyTorch) keeps the look-ahead point θ + μv
    mu, eta = 0.9, 0.05
    p = Value(0.5)
    opt = nn.SGD([p], lr=eta, momentum=mu, nesterov=True)
    theta, v = 0.5, 0.0
    for _ in range(6):
        v = mu * v - eta * grad_at(theta + mu * v)
        theta += v
        opt.zero_grad()
        loss_at(p).backward()
        opt.step()
        assert p.data == near(theta + mu * v)


@pytest.mark.parametrize("w", [-1.5, 0.25, 2.0])
def test_l1_and_l2_regularisation_gradients(w):
    lam = 0.01
    assert not agrees(2 * lam * w, lam * math.copysign(1.0, w))  # a w where the two differ
    for penalty, expected in ((nn.l2_penalty, 2 * lam * w), (nn.l1_penalty, lam * math.copysign(1.0, w))):
        theta = Value(w)
        (loss_at(theta) + lam * penalty([theta])).backward()
        assert theta.grad == near(grad_at(w) + expected)  # ∇L + 2λw, or ∇L + λ sign(w)


def test_the_optimisers_penalties_are_the_gradients_of_the_notes_penalties():
    lam, eta, w = 0.01, 0.1, -1.5
    for options, penalty in (({"weight_decay": 2 * lam}, lambda t: lam * t * t), ({"l1": lam}, lambda t: lam * abs(t))):
        theta = Value(w)
        (loss_at(theta) + penalty(theta)).backward()
        p = Value(w)
        opt = nn.SGD([p], lr=eta, **options)
        loss_at(p).backward()
        opt.step()
        assert p.data == near(w - eta * theta.grad)


def test_epochs_are_passes_over_the_data_in_minibatches():
    X = [[float(i), 0.0] for i in range(23)]
    y = list(range(23))
    epochs: dict[int, list] = {}
    for k, b, batch_X, batch_y in nn.minibatches(X, y, batch_size=5, epochs=3, seed=1):
        assert batch_X == [X[t] for t in batch_y]  # inputs and targets stay paired
        epochs.setdefault(k, []).append((b, batch_y))
    assert sorted(epochs) == [1, 2, 3]  # k = 1..K
    for batches in epochs.values():
        assert [b for b, _ in batches] == [1, 2, 3, 4, 5]  # b = 1..B, B = ⌈23/5⌉
        assert sorted(t for _, ys in batches for t in ys) == y  # every sample once per epoch


def test_step_decay_schedule():
    opt = nn.SGD([Value(1.0)], lr=0.1)
    schedule = nn.StepDecay(opt, step_size=3, gamma=0.5)
    rates = [opt.lr] + [schedule.step() for _ in range(7)]
    assert rates == near([0.1 * 0.5 ** (k // 3) for k in range(8)])


# --- §7 the slips: on random networks, the slide disagrees and the correction agrees ----------

few = settings(max_examples=25, deadline=None)
inputs = st.lists(st.floats(-2, 2), min_size=2, max_size=2)
targets = st.lists(st.floats(0, 1), min_size=2, max_size=2)
seeds = st.integers(0, 10_000)


@few
@given(x=inputs, y=targets, seed=seeds)
def test_slip_a_the_vectorised_weight_gradient_needs_the_factor_2(x, y, seed):
    model = mlp(2, [3, 2], "sigmoid", "sigmoid", seed=seed)
    trace = model.forward_trace(x)
    autograd.sum([(o - t) ** 2 for o, t in zip(trace.output, y)]).backward()  # C = Σ (o − y)²
    h, o = values(trace.h[1]), values(trace.output)
    for j, neuron in enumerate(model.layers[1].neurons):
        for i, w in enumerate(neuron.w):
            slide = h[i] * o[j] * (1 - o[j]) * (o[j] - y[j])  # h · (o ⊙ (1 − o) ⊙ (o − y))ᵀ
            assert w.grad == near(2 * slide)
            if abs(slide) > 1e-9:
                assert not agrees(slide, w.grad)


@few
@given(x=inputs, y=targets, seed=seeds)
def test_slips_b_and_c_the_half_and_the_sign(x, y, seed):
    model = mlp(2, [3, 2], "sigmoid", "sigmoid", seed=seed)
    trace = model.forward_trace(x)
    a, z, a_prev = trace.output, trace.a[-1], values(trace.h[1])
    (0.5 * autograd.sum([(t - aj) ** 2 for t, aj in zip(y, a)])).backward()  # L = ½ Σ (y − a)²
    for j in range(2):
        assume(abs(a[j].data - y[j]) > 1e-6)
        assert a[j].grad == near(a[j].data - y[j])  # the correction
        assert not agrees(0.5 * (y[j] - a[j].data), a[j].grad)  # (b) the slide's ½(y_j − a_j)
        s = sigma(z[j].data)
        assert z[j].grad == near((a[j].data - y[j]) * s * (1 - s))  # δ_j = (a_j − y_j) σ'(z_j)
        for i, w in enumerate(model.layers[1].neurons[j].w):
            slide = (y[j] - a[j].data) * s * (1 - s) * a_prev[i]  # (c) the slide's sign
            assert w.grad == near(-slide)
            assert not agrees(slide, w.grad)


@few
@given(logits=st.lists(st.floats(-3, 3), min_size=3, max_size=5, unique=True), data=st.data())
def test_slip_d_softmax_agrees_only_for_the_true_class(logits, data):
    assume(min(abs(p - q) for i, p in enumerate(logits) for q in logits[i + 1 :]) > 1e-3)
    ell = data.draw(st.integers(0, len(logits) - 1))
    a = [Value(v) for v in logits]
    y_hat = nn.softmax(a)
    p = values(y_hat)
    y_hat[ell].backward()  # the Jacobian row ℓ
    for i, ai in enumerate(a):
        assert ai.grad == near(p[ell] * ((i == ell) - p[i]))
        assert agrees(p[ell] * ((i == ell) - p[ell]), ai.grad) == (i == ell)  # softmax_ℓ · softmax_ℓ
    for ai in a:
        ai.grad = 0.0
    (-y_hat[ell].log()).backward()
    for i, ai in enumerate(a):
        assert ai.grad == near(-((i == ell) - p[i]))
        assert agrees(-((i == ell) - p[ell]), ai.grad) == (i == ell)  # −(1(ℓ = i) − ŷ_ℓ)


@pytest.mark.parametrize("s0, t0", [(0.6, -0.4), (-1.2, 0.9), (2.0, 0.3)])
def test_slip_e_the_two_path_rule_as_typed(s0, t0):
    s, t = Value(s0), Value(t0)
    x = s * t
    y = s + t.tanh()
    z = x * y.exp()
    z.backward()
    dz_dx, dx_ds, dz_dy, dy_ds = math.exp(y.data), t.data, x.data * math.exp(y.data), 1.0
    assert s.grad == near(dz_dx * dx_ds + dz_dy * dy_ds)  # ∂z/∂s = ∂z/∂x ∂x/∂s + ∂z/∂y ∂y/∂s
    assert z.grad == 1.0 and not agrees(s.grad, 1.0)  # the slide's left side ∂z/∂z is 1
    assert not agrees(dz_dx * dx_ds + dy_ds / dz_dy, s.grad)  # ∂y/∂z = 1/(∂z/∂y) in place of ∂z/∂y


@pytest.mark.parametrize("seed", [15, 16, 17])
def test_slip_e_delta_and_the_layer_index_of_the_weights(seed):
    # S_j^(l) = W_0j^(l) + Σ_k W_kj^(l) x_k^(l−1), x^(l) = tanh(S^(l)), identity output, e = (x^(3) − y)²
    model = mlp(2, [2, 2, 1], seed=seed)
    trace = model.forward_trace([0.5, -0.9])
    S, xs = trace.a, [values(h) for h in trace.h]
    ((trace.output[0] - 0.4) ** 2).backward()

    def W(layer, k, j):
        return model.layers[layer - 1].neurons[j].w[k]

    for j in range(2):
        delta = S[1][j].grad  # δ_j^(2) = ∂e/∂S_j^(2)
        for i in range(2):
            assert W(2, i, j).grad == near(xs[1][i] * delta)  # ∂e/∂W_ij = x_i δ_j
            assert not agrees(xs[1][i] * delta, S[1][j].grad)  # the slide's ∂e/∂S_j = x_i δ_j
        bias = model.layers[1].neurons[j].b.data
        assert S[1][j].data == near(bias + sum(W(2, k, j).data * xs[1][k] for k in range(2)))
        assert not agrees(bias + sum(W(1, k, j).data * xs[1][k] for k in range(2)), S[1][j].data)
        for k in range(2):  # W^(l−1) gets x_k^(l−2) δ_j^(l−1), not x_k^(l−1) δ_j^(l)
            assert W(1, k, j).grad == near(xs[0][k] * S[0][j].grad)
            assert not agrees(xs[1][k] * delta, W(1, k, j).grad)
