"""§2 Losses and output functions.

Three pairings from the notes: a linear output with squared error (with or without ½, and
as a mean over N samples); softmax with cross-entropy, where −Σ_c y_c log ŷ_c = −log ŷ_ℓ;
and sigmoid outputs with squared error against a one-hot target.

    python -m demos.lecture.s2_losses
"""

import math

import autograd
import nn
from demos.lecture.agreement import Report
from demos.lecture.networks import network


def run(show=print) -> list:
    r = Report(show, __doc__)

    r.say("Regression: linear output, squared error.")
    model = network(2, [3, 2], "tanh", seed=2)
    X, Y = [[0.1, 0.4], [-0.8, 0.3], [0.5, -0.5]], [[0.2, -0.1], [0.0, 0.7], [-0.4, 0.3]]
    outputs = [[v.data for v in model(x)] for x in X]
    per_sample = [sum((o - y) ** 2 for o, y in zip(out, ys)) for out, ys in zip(outputs, Y)]
    r.agree("Σ_j (ŷ_j − y_j)²", per_sample[0], nn.mse_loss(model(X[0]), Y[0], reduction="sum").data)
    r.agree(
        "½ Σ_j (ŷ_j − y_j)²",
        per_sample[0] / 2,
        nn.mse_loss(model(X[0]), Y[0], reduction="sum", half=True).data,
    )
    N = len(X)
    graph_mean = autograd.sum([nn.mse_loss(model(x), y, reduction="sum") for x, y in zip(X, Y)]) * (1 / N)
    r.agree(f"(1/N) Σ_n Σ_j (ŷ_nj − y_nj)², N = {N}", sum(per_sample) / N, graph_mean.data)

    r.say("\nk classes: softmax output, cross-entropy.")
    model = network(2, [4, 3], "tanh", "softmax", seed=3)
    trace, label = model.forward_trace([0.3, -0.6]), 2
    a = [v.data for v in trace.a[-1]]
    total = sum(math.exp(v) for v in a)
    for j in range(3):
        r.agree(f"ŷ_{j} = e^a_{j} / Σ e^a_i", math.exp(a[j]) / total, trace.output[j].data)
    y = nn.one_hot(label, 3)
    by_hand = -sum(yc * math.log(math.exp(ac) / total) for yc, ac in zip(y, a))
    r.agree("−Σ_c y_c log ŷ_c", by_hand, nn.cross_entropy(trace.a[-1], label).data)
    r.agree("= −log ŷ_ℓ", -math.log(math.exp(a[label]) / total), (-trace.output[label].log()).data)

    r.say("\nk classes: sigmoid outputs, squared error against the one-hot y.")
    model = network(2, [4, 3], "tanh", "sigmoid", seed=3)
    trace = model.forward_trace([0.3, -0.6])
    o = [1 / (1 + math.exp(-v.data)) for v in trace.a[-1]]
    r.agree(
        "Σ_j (σ(a_j) − y_j)²",
        sum((oj - yj) ** 2 for oj, yj in zip(o, y)),
        nn.mse_loss(trace.output, y, reduction="sum").data,
    )
    return r.summary()


if __name__ == "__main__":
    run()
