"""§7 Two slips in the notes, caught by the graph.

The graph knows only each op's local derivative, so it cannot copy a slip in a derivation.
Slip 1: a slide vectorises ∂C/∂W^(2) = h · (o ⊙ (1 − o) ⊙ (o − y))ᵀ for C = Σ (o − y)²,
dropping the factor 2 that its own per-weight formula has.
Slip 2: a derivation writes ∂L/∂a_j = ½ (y_j − a_j) for L = ½ Σ (y − a)²; the correct value
is (a_j − y_j): the ½ cancels the 2, and the sign flips.

    python -m demos.lecture.s7_slips
"""

import nn
from autograd import Value
from demos.lecture.agreement import Report


def run(show=print) -> list:
    r = Report(show, __doc__)

    r.say("Slip 1: C = Σ (o − y)² with sigmoid outputs o, weights W^(2) of the output layer.")
    model = nn.MLP(2, [3, 2], activation="sigmoid", output="sigmoid", seed=12)
    trace, y = model.forward_trace([0.3, -0.8]), [1.0, 0.0]
    nn.mse_loss(trace.output, y, reduction="sum").backward()
    h, o = [v.data for v in trace.h[1]], [v.data for v in trace.output]
    for j, neuron in enumerate(model.layers[1].neurons):
        for i, w in enumerate(neuron.w):
            slide = h[i] * o[j] * (1 - o[j]) * (o[j] - y[j])
            r.say(f"  W2[{j},{i}]: slide {slide:+.6f}, graph {w.grad:+.6f}")
            r.agree(f"graph = 2 × slide's formula, W2[{j},{i}]", 2 * slide, w.grad)
            r.claim(f"the slide's formula alone is off, W2[{j},{i}]", abs(slide - w.grad) > 1e-6)

    r.say("\nSlip 2: L = ½ Σ (y − a)².")
    a = [Value(0.8, label="a0"), Value(-0.3, label="a1")]
    targets = [0.2, 0.5]
    loss = 0.5 * sum((t - aj) ** 2 for t, aj in zip(targets, a))
    loss.backward()
    for j, (aj, t) in enumerate(zip(a, targets)):
        written = 0.5 * (t - aj.data)
        r.say(f"  a{j}: notes wrote ½(y − a) = {written:+.4f}; graph says {aj.grad:+.4f}")
        r.agree(f"∂L/∂a{j} = a{j} − y{j}", aj.data - t, aj.grad)
        r.claim(
            f"½(y − a) is wrong for a{j} (sign and size)",
            abs(written - aj.grad) > 1e-6 and written * aj.grad < 0,
        )
    return r.summary()


if __name__ == "__main__":
    run()
