"""The lecture notes' hand-derived formulas (shared/LECTURE.md §3–§5), checked against the graph.

Each right-hand side is computed here by hand from the forward values; each left-hand side
is a ``.grad`` that came out of ``backward()`` on an ``nn.MLP``'s graph.
"""

import math

import pytest

import nn
from autograd import Value

TOL = 1e-9

G_PRIME = {  # g'(a) written by hand from the forward value, as in §3
    "tanh": lambda a: 1 - math.tanh(a) ** 2,
    "sigmoid": lambda a: (1 / (1 + math.exp(-a))) * (1 - 1 / (1 + math.exp(-a))),
    "relu": lambda a: 1.0 if a > 0 else 0.0,
    "linear": lambda a: 1.0,
}


def weights(layer):
    """W_k as a list of rows: W[j][i] is the weight from input i to unit j."""
    return [[w.data for w in n.w] for n in layer.neurons]


def grads(values):
    return [v.grad for v in values]


@pytest.mark.parametrize("g", ["tanh", "sigmoid", "relu", "linear"])
def test_delta_recursion_and_weight_gradients(g):
    model = nn.MLP(3, [4, 3, 2], activation=g, seed=11)
    x, y = [0.5, -1.2, 0.8], [0.3, -0.4]
    trace = model.forward_trace(x)
    loss = nn.mse_loss(trace.output, y, reduction="sum")  # Σ (ŷ − y)², identity output
    loss.backward()

    L = len(model.layers)
    # δ^(L) = 2 (f − y) for squared error with identity output (§3)
    delta = [2 * (o.data - t) for o, t in zip(trace.output, y)]
    assert grads(trace.a[L - 1]) == pytest.approx(delta, abs=TOL)
    for k in range(L, 0, -1):  # layer k = L..1; trace.a[k-1] is a_k, trace.h[k-1] is h_{k-1}
        h_prev = [v.data for v in trace.h[k - 1]]
        W = weights(model.layers[k - 1])
        # ∇_{W_k} L = δ^(k) h_{k−1}ᵀ  and  ∇_{b_k} L = δ^(k)
        for j, neuron in enumerate(model.layers[k - 1].neurons):
            assert grads(neuron.w) == pytest.approx([delta[j] * h for h in h_prev], abs=TOL)
            assert neuron.b.grad == pytest.approx(delta[j], abs=TOL)
        # ∇_{h_{k−1}} L = W_kᵀ δ^(k): a sum over every unit h feeds (§4)
        back = [sum(W[j][i] * delta[j] for j in range(len(delta))) for i in range(len(h_prev))]
        if k > 1:
            assert grads(trace.h[k - 1]) == pytest.approx(back, abs=TOL)
            # δ^(k−1) = (W_kᵀ δ^(k)) ⊙ g'(a_{k−1})
            delta = [b * G_PRIME[g](a.data) for b, a in zip(back, trace.a[k - 2])]
            assert grads(trace.a[k - 2]) == pytest.approx(delta, abs=TOL)


@pytest.mark.parametrize("true_class", [0, 1, 2])
def test_softmax_cross_entropy_output_gradient(true_class):
    model = nn.MLP(2, [5, 3], activation="tanh", output="softmax", seed=4)
    trace = model.forward_trace([0.7, -0.3])
    y_hat = trace.output
    loss = -y_hat[true_class].log()  # −Σ_c y_c log ŷ_c = −log ŷ_ℓ
    loss.backward()
    # ∂(−log ŷ_ℓ)/∂ŷ_i = −1(i=ℓ)/ŷ_ℓ
    assert y_hat[true_class].grad == pytest.approx(-1 / y_hat[true_class].data, abs=TOL)
    # ∇_{a_L} L = ŷ − e(ℓ)
    expected = [p.data - e for p, e in zip(y_hat, nn.one_hot(true_class, 3))]
    assert grads(trace.a[-1]) == pytest.approx(expected, abs=TOL)


def test_cross_entropy_on_logits_gives_the_same_output_gradient():
    model = nn.MLP(2, [5, 3], activation="tanh", output="linear", seed=4)
    trace = model.forward_trace([0.7, -0.3])
    nn.cross_entropy(trace.a[-1], 2).backward()
    probs = [p.data for p in nn.softmax([a.data for a in trace.a[-1]])]
    assert grads(trace.a[-1]) == pytest.approx([p - e for p, e in zip(probs, nn.one_hot(2, 3))], abs=TOL)


@pytest.mark.parametrize("half", [False, True])
def test_sigmoid_output_with_squared_error(half):
    model = nn.MLP(2, [3, 2], activation="tanh", output="sigmoid", seed=5)
    y = [1.0, 0.0]
    trace = model.forward_trace([0.1, 0.9])
    nn.mse_loss(trace.output, y, reduction="sum", half=half).backward()
    o = [v.data for v in trace.output]
    if half:  # δ_j = (o_j − y_j) σ'(z_j)
        expected = [(oj - yj) * oj * (1 - oj) for oj, yj in zip(o, y)]
    else:  # δ_j = 2 (o_j − y_j) o_j (1 − o_j)
        expected = [2 * (oj - yj) * oj * (1 - oj) for oj, yj in zip(o, y)]
    assert grads(trace.a[-1]) == pytest.approx(expected, abs=TOL)


def test_local_derivatives_of_the_activations():
    for z in (-2.0, -0.3, 0.0, 0.7, 3.0):
        s, t = Value(z).sigmoid(), Value(z).tanh()
        assert s.local_grads[0] == pytest.approx(s.data * (1 - s.data), abs=TOL)  # σ' = σ(1 − σ)
        assert t.local_grads[0] == pytest.approx(1 - t.data**2, abs=TOL)  # tanh' = 1 − tanh²


def test_chain_rule_along_two_paths():
    # z = f(x, y) with x = g(s, t), y = h(s, t): ∂z/∂s = ∂z/∂x ∂x/∂s + ∂z/∂y ∂y/∂s
    s, t = Value(0.4), Value(-1.1)
    x = s * t
    y = s + t.tanh()
    z = x * y.exp()
    z.backward()
    dz_dx, dz_dy = math.exp(y.data), x.data * math.exp(y.data)
    assert s.grad == pytest.approx(dz_dx * t.data + dz_dy * 1.0, abs=TOL)
    assert t.grad == pytest.approx(dz_dx * s.data + dz_dy * (1 - math.tanh(t.data) ** 2), abs=TOL)


def test_deep_thin_network_is_a_product_of_local_derivatives():
    depth = 6
    model = nn.MLP(1, [1] * depth, activation="sigmoid", seed=2)
    trace = model.forward_trace([0.8])
    y = 0.25
    nn.mse_loss(trace.output, [y], reduction="sum").backward()
    # ∂L/∂w_1 = ∂L/∂ŷ · ∂ŷ/∂a_L · ∂a_L/∂h_{L−1} · … · ∂h_1/∂a_1 · ∂a_1/∂w_1
    product = 2 * (trace.output[0].data - y)  # ∂L/∂ŷ, and ∂ŷ/∂a_L = 1 (identity output)
    for k in range(depth, 1, -1):
        product *= model.layers[k - 1].neurons[0].w[0].data  # ∂a_k/∂h_{k−1} = w_k
        product *= G_PRIME["sigmoid"](trace.a[k - 2][0].data)  # ∂h_{k−1}/∂a_{k−1}
    product *= 0.8  # ∂a_1/∂w_1 = x
    assert model.layers[0].neurons[0].w[0].grad == pytest.approx(product, abs=TOL)


def test_simplest_interesting_case():
    # One input, two hidden units, one output, squared loss (§5's last example).
    model = nn.MLP(1, [2, 1], activation="sigmoid", seed=9)
    x, y = 0.6, 1.0
    trace = model.forward_trace([x])
    nn.mse_loss(trace.output, [y], reduction="sum", half=True).backward()
    delta3 = trace.output[0].data - y  # δ_1^(3), with the ½ convention
    w12 = model.layers[1].neurons[0].w[1].data  # weight from hidden unit 2 to the output
    delta22 = delta3 * w12 * G_PRIME["sigmoid"](trace.a[0][1].data)  # δ_2^(2) = δ_1^(3) w_12^(2) g'(Z_2^(2))
    assert trace.a[0][1].grad == pytest.approx(delta22, abs=TOL)
    # ∂L/∂w_21^(1) = δ_2^(2) · a_1^(1): the input x feeding hidden unit 2
    assert model.layers[0].neurons[1].w[0].grad == pytest.approx(delta22 * x, abs=TOL)
