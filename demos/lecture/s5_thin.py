"""§5 A deep thin network: one unit per layer, so backprop is a plain product.

∂L/∂w_1 = ∂L/∂ŷ · ∂ŷ/∂a_L · ∂a_L/∂h_{L−1} · ∂h_{L−1}/∂a_{L−1} · … · ∂h_1/∂a_1 · ∂a_1/∂w_1.
Each factor is worked by hand from forward values, and multiplied in one at a time, from the
output back. After each factor the running product is ∂L/∂ of the node just reached, which
the graph also holds, so every line is a check. With sigmoid units each ∂h/∂a is at most
¼, which is why the gradient of the first weight shrinks with depth (the vanishing gradient).

    python -m demos.lecture.s5_thin
"""

from autograd.numbers import format_number as fmt
from demos.lecture.agreement import Report
from demos.lecture.networks import network


def factors(model, trace, x: float, y: float) -> list[tuple[str, str, float, object]]:
    """(name, formula, value, node reached) for every factor of ∂L/∂w_1, from the output back."""
    L = len(model.layers)
    y_hat = trace.output[0]
    out = [
        ("∂L/∂ŷ", "2(ŷ − y)", 2 * (y_hat.data - y), y_hat),
        (f"∂ŷ/∂a_{L}", "1 (O = id)", 1.0, trace.a[L - 1][0]),
    ]
    for k in range(L, 1, -1):  # layer k's weight, then layer k − 1's sigmoid
        w_k = model.layers[k - 1].neurons[0].w[0]
        h = trace.h[k - 1][0]
        out.append((f"∂a_{k}/∂h_{k - 1}", f"w_{k}", w_k.data, h))
        out.append((f"∂h_{k - 1}/∂a_{k - 1}", f"σ'(a_{k - 1})", h.data * (1 - h.data), trace.a[k - 2][0]))
    out.append(("∂a_1/∂w_1", "x", x, model.layers[0].neurons[0].w[0]))
    return out


def run(show=print) -> list:
    r = Report(show, __doc__)
    r.say("Each line: a factor, its formula and value; notes = the product so far; graph = ∂L/∂ that node.")
    for depth in (3, 6, 10):
        model = network(1, [1] * depth, "sigmoid", seed=depth)
        x, y = 0.8, 0.25
        trace = model.forward_trace([x])
        loss = (trace.output[0] - y) ** 2
        loss.backward()
        r.say(f"\ndepth {depth}, L = (ŷ − y)²:")
        product = 1.0
        for name, formula, value, node in factors(model, trace, x, y):
            product *= value
            r.agree(f"× {name:<11s} = {formula:<10s} = {fmt(value):>9s}", product, node.grad)
        r.say(f"  ∂L/∂w_1 = {fmt(product)} at depth {depth}")
    return r.summary()


if __name__ == "__main__":
    run()
