"""§3 Local derivatives.

The notes derive σ' = σ(1 − σ), tanh' = 1 − tanh², linear' = 1, the derivative of −log ŷ_ℓ,
the famous softmax + cross-entropy shortcut ∇_a L = ŷ − e(ℓ), and the output deltas of
squared error. Each is worked by hand from forward values and compared with what
backward() put on the graph — which knows none of these formulas, only each op's rule.

    python -m demos.lecture.s3_local_derivatives
"""

import math

import nn
from autograd import Value
from demos.lecture.agreement import Report


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

    r.say("\nSoftmax + cross-entropy, with true class ℓ = 1:")
    model = nn.MLP(2, [4, 3], activation="tanh", output="softmax", seed=5)
    trace, label = model.forward_trace([0.9, -0.2]), 1
    y_hat = trace.output
    loss = -y_hat[label].log()
    loss.backward()
    for i in range(3):
        r.agree(f"∂(−log ŷ_ℓ)/∂ŷ_{i} = −1(i=ℓ)/ŷ_ℓ", -(i == label) / y_hat[label].data, y_hat[i].grad)
    for i in range(3):
        r.agree(f"∂L/∂a_{i} = ŷ_{i} − 1(i=ℓ)", y_hat[i].data - (i == label), trace.a[-1][i].grad)

    r.say("\nSquared error with identity output, f = ŷ:")
    for half, formula, factor in ((False, "δ = 2(f − y)", 2.0), (True, "δ = (f − y) with ½", 1.0)):
        model = nn.MLP(2, [3, 1], activation="tanh", seed=6)
        trace, y = model.forward_trace([0.4, 0.8]), 0.3
        nn.mse_loss(trace.output, [y], reduction="sum", half=half).backward()
        r.agree(formula, factor * (trace.output[0].data - y), trace.a[-1][0].grad)

    r.say("\nSquared error with sigmoid outputs o = σ(z):")
    for half, formula in ((True, "δ_j = (o_j − y_j) σ'(z_j), ½"), (False, "δ_j = 2(o_j − y_j) o_j(1 − o_j)")):
        model = nn.MLP(2, [3, 2], activation="tanh", output="sigmoid", seed=7)
        trace, y = model.forward_trace([0.4, 0.8]), [1.0, 0.0]
        nn.mse_loss(trace.output, y, reduction="sum", half=half).backward()
        for j in range(2):
            o = 1 / (1 + math.exp(-trace.a[-1][j].data))
            r.agree(f"{formula} [{j}]", (1 if half else 2) * (o - y[j]) * o * (1 - o), trace.a[-1][j].grad)
    return r.summary()


if __name__ == "__main__":
    run()
