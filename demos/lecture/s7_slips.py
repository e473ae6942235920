"""§7 Five slips in the notes, each caught by the graph.

The graph knows only each op's local derivative, so it cannot copy a slip in a derivation.
For every slip we work the slide's formula and the corrected one by hand, from forward
values, and put both beside the gradient that came out of the graph: the corrected one
agrees (to 1e-12), the slide's does not — except where a slip is right by accident.

(a) A slide vectorises ∂C/∂W^(2) for C = Σ (o − y)² and drops the factor 2.
(b) A derivation writes ∂L/∂a_j = ½ (y_j − a_j) for L = ½ Σ (y − a)²: the ½ and the sign.
(c) It carries the wrong sign into ∂L/∂w_ij before a later slide gets δ_j right.
(d) The softmax + cross-entropy slides write ŷ_ℓ where ŷ_i is meant, twice.
(e) The two-path rule, ∂e/∂S_j and the layer index of the weights, as typed.

    python -m demos.lecture.s7_slips
"""

import math

import autograd
from autograd import Value
from demos.lecture.agreement import Report
from demos.lecture.networks import network


def sigma(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def slip_a(r: Report) -> None:
    r.say("(a) C = Σ_j (o_j − y_j)² with sigmoid outputs o = σ(z), hidden activations h.")
    r.say("    The slide's own per-weight formula has the 2; its vectorised form drops it.")
    model = network(2, [3, 2], "sigmoid", "sigmoid", seed=12)
    trace, y = model.forward_trace([0.3, -0.8]), [1.0, 0.0]
    o = trace.output
    C = autograd.sum([(o_j - y_j) ** 2 for o_j, y_j in zip(o, y)])
    C.backward()
    h, o_ = [v.data for v in trace.h[1]], [v.data for v in o]
    r.formulas(
        slide="∂C/∂W^(2) = h · (o ⊙ (1 − o) ⊙ (o − y))ᵀ",
        corrected="∂C/∂W^(2) = 2 h · (o ⊙ (1 − o) ⊙ (o − y))ᵀ, i.e. ∂C/∂W_ij = 2 h_i o_j (1 − o_j)(o_j − y_j)",
    )
    for j, neuron in enumerate(model.layers[1].neurons):
        for i, w in enumerate(neuron.w):
            slide = h[i] * o_[j] * (1 - o_[j]) * (o_[j] - y[j])
            r.slip(f"(a) ∂C/∂W^(2)_{i}{j}", slide, 2 * slide, w.grad)


def slips_b_c(r: Report) -> None:
    r.say("\n(b), (c) L = ½ Σ_j (y_j − a_j)², sigmoid output units a_j = σ(z_j), inputs a_i^(l−1).")
    model = network(2, [3, 2], "sigmoid", "sigmoid", seed=13)
    trace, y = model.forward_trace([0.7, 0.2]), [0.0, 1.0]
    a, z, a_prev = trace.output, trace.a[-1], [v.data for v in trace.h[-2]]
    L = 0.5 * autograd.sum([(y_j - a_j) ** 2 for y_j, a_j in zip(y, a)])  # as the notes write it
    L.backward()

    r.say("\n(b) The ½ cancels the 2 of the square, and the inner derivative ∂(y − a)/∂a = −1 flips the sign.")
    r.formulas(slide="∂L/∂a_j = ½ (y_j − a_j)", corrected="∂L/∂a_j = a_j − y_j")
    for j, a_j in enumerate(a):
        r.slip(f"(b) ∂L/∂a_{j}", 0.5 * (y[j] - a_j.data), a_j.data - y[j], a_j.grad)

    r.say("\n(c) The wrong sign carried into the weights (the ½ is gone, the sign is not).")
    r.formulas(
        slide="∂L/∂w_ij = [(y_j − a_j) σ'(z_j)] a_i^(l−1)",
        corrected="∂L/∂w_ij = [(a_j − y_j) σ'(z_j)] a_i^(l−1) = δ_j a_i^(l−1)",
    )
    for j, neuron in enumerate(model.layers[-1].neurons):
        s = sigma(z[j].data)
        for i, w in enumerate(neuron.w):
            slide = (y[j] - a[j].data) * s * (1 - s) * a_prev[i]
            corrected = (a[j].data - y[j]) * s * (1 - s) * a_prev[i]
            r.slip(f"(c) ∂L/∂w_{i}{j}", slide, corrected, w.grad)
    r.say("    The later slide has the right sign:")
    for j in range(len(a)):
        s = sigma(z[j].data)
        r.agree(f"δ_{j} = (a_{j} − y_{j}) σ'(z_{j}) = ∂L/∂z_{j}", (a[j].data - y[j]) * s * (1 - s), z[j].grad)


def slip_d(r: Report) -> None:
    r.say("\n(d) Softmax outputs ŷ = softmax(a_L), cross-entropy L = −log ŷ_ℓ, true class ℓ = 2.")
    model = network(2, [4, 3], "tanh", "softmax", seed=14)
    trace, ell = model.forward_trace([0.9, -0.4]), 2
    a, y_hat = trace.a[-1], trace.output
    p = [v.data for v in y_hat]

    r.say("    The step that goes wrong, the softmax Jacobian: backward from ŷ_ℓ alone.")
    r.formulas(
        slide="∂ŷ_ℓ/∂a_i = ŷ_ℓ 1(i = ℓ) − softmax(a)_ℓ · softmax(a)_ℓ",
        corrected="∂ŷ_ℓ/∂a_i = ŷ_ℓ 1(i = ℓ) − softmax(a)_ℓ · softmax(a)_i",
    )
    y_hat[ell].zero_grad()
    y_hat[ell].backward()
    for i in range(len(a)):
        slide, corrected = p[ell] * (i == ell) - p[ell] * p[ell], p[ell] * (i == ell) - p[ell] * p[i]
        r.slip(f"(d) ∂ŷ_{ell}/∂a_{i}", slide, corrected, a[i].grad, slide_should_agree=i == ell)

    r.say("    Times ∂L/∂ŷ_ℓ = −1/ŷ_ℓ, the slides' result, on every build:")
    r.formulas(slide="∂L/∂a_{L,i} = −(1(ℓ = i) − ŷ_ℓ)", corrected="∂L/∂a_{L,i} = −(1(ℓ = i) − ŷ_i)")
    L = -y_hat[ell].log()
    L.zero_grad()
    L.backward()
    for i in range(len(a)):
        r.slip(f"(d) ∂L/∂a_{i}", -((i == ell) - p[ell]), -((i == ell) - p[i]), a[i].grad, slide_should_agree=i == ell)
    r.say("    The two forms agree only for i = ℓ; for every other unit the graph sides with ŷ_i.")


def slip_e(r: Report) -> None:
    r.say("\n(e) One set of notes, as typed. First the two-path rule, for z = x·e^y, x = s·t, y = s + tanh t.")
    s, t = Value(0.6, label="s"), Value(-0.4, label="t")
    x = s * t
    y = s + t.tanh()
    z = x * y.exp()
    z.backward()
    dz_dx, dx_ds = math.exp(y.data), t.data
    dz_dy, dy_ds = x.data * math.exp(y.data), 1.0
    two_paths = dz_dx * dx_ds + dz_dy * dy_ds
    r.formulas(
        slide="∂z/∂z = ∂z/∂x ∂x/∂s + ∂y/∂z ∂y/∂s   (∂y/∂z read as 1 / (∂z/∂y))",
        corrected="∂z/∂s = ∂z/∂x ∂x/∂s + ∂z/∂y ∂y/∂s",
    )
    r.slip("(e) left side", 1.0, two_paths, s.grad)  # the slide's left side ∂z/∂z is 1, whatever s is
    r.slip("(e) right side", dz_dx * dx_ds + dy_ds / dz_dy, two_paths, s.grad)
    r.agree("∂z/∂z = 1: the seed of backward, not ∂z/∂s", 1.0, z.grad)

    r.say("\n    A network in these notes' notation: S_j^(l) = W_0j^(l) + Σ_k W_kj^(l) x_k^(l−1),")
    r.say("    x^(l) = θ(S^(l)) with θ = tanh, an identity output x^(3) = S^(3), error e = (x^(3) − y)².")
    model = network(2, [2, 2, 1], "tanh", seed=15)
    trace, target = model.forward_trace([0.5, -0.9]), 0.4
    S = trace.a  # S[l − 1][j] is S_j^(l)
    e = (trace.output[0] - target) ** 2
    e.backward()
    x_ = [[v.data for v in layer] for layer in trace.h]  # x_[l][k] is x_k^(l), x_[0] the input

    def W(layer: int, k: int, j: int) -> Value:  # W_kj^(l): from x_k^(l−1) into S_j^(l)
        return model.layers[layer - 1].neurons[j].w[k]

    def W0(layer: int, j: int) -> float:  # the bias W_0j^(l)
        return model.layers[layer - 1].neurons[j].b.data

    # δ_j^(l) = ∂e/∂S_j^(l), worked by hand from the output back (§5), never read off the graph
    delta = {3: [2 * (x_[3][0] - target)]}
    for layer in (3, 2):
        delta[layer - 1] = [
            (1 - x_[layer - 1][j] ** 2) * sum(W(layer, j, m).data * d for m, d in enumerate(delta[layer]))
            for j in range(2)
        ]

    r.say("\n    δ_j = ∂e/∂S_j; x_i δ_j is ∂e/∂W_ij, which is what the slide meant (layer l = 2):")
    r.formulas(slide="∂e/∂S_j = x_i δ_j", corrected="∂e/∂S_j = δ_j   (and ∂e/∂W_ij = x_i δ_j)")
    for j in range(2):
        for i in range(2):
            r.slip(f"(e) ∂e/∂S_{j}^(2), i = {i}", x_[1][i] * delta[2][j], delta[2][j], S[1][j].grad)
    for j in range(2):
        for i in range(2):
            r.agree(f"∂e/∂W_{i}{j}^(2) = x_{i}^(1) δ_{j}^(2)", x_[1][i] * delta[2][j], W(2, i, j).grad)

    r.say("\n    The weights into layer l are W^(l), not W^(l−1): first the forward value S_j^(2),")
    r.formulas(
        slide="S_j^(l) = W_0j^(l) + Σ_k W_kj^(l−1) x_k^(l−1)",
        corrected="S_j^(l) = W_0j^(l) + Σ_k W_kj^(l) x_k^(l−1)",
    )
    for j in range(2):
        slide = W0(2, j) + sum(W(1, k, j).data * x_[1][k] for k in range(2))
        corrected = W0(2, j) + sum(W(2, k, j).data * x_[1][k] for k in range(2))
        r.slip(f"(e) S_{j}^(2), forward", slide, corrected, S[1][j].data)
    r.say("    then the gradient: x_k^(l−1) δ_j^(l) belongs to W^(l); W^(l−1) gets x_k^(l−2) δ_j^(l−1).")
    r.formulas(slide="∂e/∂W_kj^(l−1) = x_k^(l−1) δ_j^(l)", corrected="∂e/∂W_kj^(l−1) = x_k^(l−2) δ_j^(l−1)")
    for j in range(2):
        for k in range(2):
            r.slip(f"(e) ∂e/∂W_{k}{j}^(1)", x_[1][k] * delta[2][j], x_[0][k] * delta[1][j], W(1, k, j).grad)


def run(show=print) -> list:
    r = Report(show, __doc__)
    slip_a(r)
    slips_b_c(r)
    slip_d(r)
    slip_e(r)
    r.say("\nThe notes also state, without a slip, the tanh-output δ^(L) and the softmax Jacobian")
    r.say("(python -m demos.lecture.s3_local_derivatives) and the simplest interesting case with")
    r.say("L = (y − f)², no ½ (python -m demos.lecture.s5_delta).")
    return r.summary()


if __name__ == "__main__":
    run()
