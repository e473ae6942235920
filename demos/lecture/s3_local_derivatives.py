"""§3 Local derivatives.

The notes derive σ' = σ(1 − σ), tanh' = 1 − tanh², linear' = 1, the softmax Jacobian
∂ŷ_ℓ/∂a_i = ŷ_ℓ(1(i = ℓ) − ŷ_i), the derivative of −log ŷ_ℓ, the famous softmax +
cross-entropy shortcut ∇_a L = −(e(ℓ) − ŷ), and the output deltas of squared error with an
identity, a sigmoid and a tanh output. Each is worked by hand from forward values and compared with what
backward() put on the graph — which knows none of these formulas, only each op's rule.

    python -m demos.lecture.s3_local_derivatives
"""

import math

import nn
from autograd import Value
from demos.lecture.agreement import Report
from demos.lecture.networks import network


def run(show=print) -> list:
    r = Report(show, __doc__)

    r.say("Activations, differentiated by the graph at a few points:")
    for z in (-2.0, 0.0, 1.5):
        for name, formula, by_hand in (
            ("sigmoid", "σ(1−σ)", lambda s: s * (1 - s)),
            ("tanh", "1−tanh²", lambda t: 1 - t * t),
            ("linear", "1", lambda _: 1.0),
        ):
            x = Value(z)
            h = nn.activation(name)(x) * 1.0  # × 1 so that a linear unit is a node too
            h.backward()
            g = h.parents[0].data
            r.agree(f"{name}'({z:+.1f}) = {formula}", by_hand(g), x.grad)

    r.say("\nThe softmax Jacobian, as its own step: backward from each ŷ_ℓ alone gives ∂ŷ_ℓ/∂a_i.")
    model = network(2, [4, 3], "tanh", "softmax", seed=5)
    trace = model.forward_trace([0.9, -0.2])
    a, y_hat = trace.a[-1], trace.output
    p = [v.data for v in y_hat]
    jacobian = [[p[ell] * ((i == ell) - p[i]) for i in range(3)] for ell in range(3)]
    for ell in range(3):
        y_hat[ell].zero_grad()
        y_hat[ell].backward()
        for i in range(3):
            r.agree(f"∂ŷ_{ell}/∂a_{i} = ŷ_{ell}(1(i=ℓ) − ŷ_{i})", jacobian[ell][i], a[i].grad)

    label = 1
    r.say(f"\nSoftmax + cross-entropy L = −log ŷ_ℓ, with true class ℓ = {label}:")
    loss = -y_hat[label].log()
    for v in y_hat:  # clear every ŷ: the ŷ_i ≠ ŷ_ℓ are not in L's graph, and must read 0
        v.zero_grad()
    loss.backward()
    for i in range(3):
        r.agree(f"∂(−log ŷ_ℓ)/∂ŷ_{i} = −1(i=ℓ)/ŷ_ℓ", -(i == label) / p[label], y_hat[i].grad)
    r.say("  Only ŷ_ℓ reaches L, so ∂L/∂a_i = ∂L/∂ŷ_ℓ · ∂ŷ_ℓ/∂a_i, the Jacobian's row ℓ:")
    for i in range(3):
        r.agree(f"∂L/∂a_{i} = −1/ŷ_ℓ · ŷ_ℓ(1(i=ℓ) − ŷ_{i})", -1 / p[label] * jacobian[label][i], a[i].grad)
    for i in range(3):
        r.agree(f"∂L/∂a_{i} = −(e(ℓ)_{i} − ŷ_{i}) = ŷ_{i} − 1(i=ℓ)", p[i] - (i == label), a[i].grad)

    r.say("\nSquared error with identity output, f = ŷ:")
    for half, formula, factor in ((False, "δ = 2(f − y)", 2.0), (True, "δ = (f − y) with ½", 1.0)):
        model = network(2, [3, 1], "tanh", seed=6)
        trace, y = model.forward_trace([0.4, 0.8]), 0.3
        nn.mse_loss(trace.output, [y], reduction="sum", half=half).backward()
        r.agree(formula, factor * (trace.output[0].data - y), trace.a[-1][0].grad)

    r.say("\nSquared error with sigmoid outputs o = σ(z):")
    for half, formula in ((True, "δ_j = (o_j − y_j) σ'(z_j), ½"), (False, "δ_j = 2(o_j − y_j) o_j(1 − o_j)")):
        model = network(2, [3, 2], "tanh", "sigmoid", seed=7)
        trace, y = model.forward_trace([0.4, 0.8]), [1.0, 0.0]
        nn.mse_loss(trace.output, y, reduction="sum", half=half).backward()
        for j in range(2):
            o = 1 / (1 + math.exp(-trace.a[-1][j].data))
            r.agree(f"{formula} [{j}]", (1 if half else 2) * (o - y[j]) * o * (1 - o), trace.a[-1][j].grad)

    r.say("\nSquared error e = (x^(L) − y)² with a tanh output θ, x^(L) = θ(s^(L)):")
    model = network(2, [3, 1], "tanh", seed=8)  # its last layer computes the signal s^(L)
    trace, y = model.forward_trace([0.4, 0.8]), -0.6
    s_L = trace.a[-1][0]
    x_L = s_L.tanh()
    e = (x_L - y) ** 2
    e.backward()
    theta_prime = 1 - x_L.data**2  # θ'(s) = 1 − tanh²(s), from the forward value
    r.agree("δ^(L) = 2(x^(L) − y) θ'(s^(L))", 2 * (x_L.data - y) * theta_prime, s_L.grad)
    return r.summary()


if __name__ == "__main__":
    run()
