"""§5 A deep thin network: one unit per layer, so backprop is a plain product.

∂L/∂w_1 = ∂L/∂ŷ · ∂ŷ/∂a_L · ∂a_L/∂h_{L−1} · … · ∂h_1/∂a_1 · ∂a_1/∂w_1.
With sigmoid units each factor ∂h/∂a is at most ¼, which is why the gradient of the first
weight shrinks with depth (the vanishing gradient), as the product below shows.

    python -m demos.lecture.s5_thin
"""

import nn
from demos.lecture.agreement import Report


def run(show=print) -> list:
    r = Report(show, __doc__)
    for depth in (3, 6, 10):
        model = nn.MLP(1, [1] * depth, activation="sigmoid", seed=depth)
        x, y = 0.8, 0.25
        trace = model.forward_trace([x])
        nn.mse_loss(trace.output, [y], reduction="sum").backward()
        factors = [2 * (trace.output[0].data - y), 1.0]  # ∂L/∂ŷ, ∂ŷ/∂a_L (identity output)
        for k in range(depth, 1, -1):
            h = trace.h[k - 1][0].data
            factors += [
                model.layers[k - 1].neurons[0].w[0].data,
                h * (1 - h),
            ]  # ∂a_k/∂h_{k−1}, ∂h_{k−1}/∂a_{k−1}
        factors.append(x)  # ∂a_1/∂w_1
        product = 1.0
        for f in factors:
            product *= f
        r.say(f"\ndepth {depth}: {len(factors)} factors, e.g. {', '.join(f'{f:.3f}' for f in factors[:5])}, …")
        r.agree(f"∂L/∂w_1, depth {depth}, as a product", product, model.layers[0].neurons[0].w[0].grad)
    return r.summary()


if __name__ == "__main__":
    run()
