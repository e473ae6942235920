"""§5 The backward recursion, in δ form, for a network with two hidden layers.

With δ^(k) = ∂L/∂a_k the notes derive, from the output back:
δ^(L) = 2(ŷ − y);  ∇_{W_k} L = δ^(k) h_{k−1}ᵀ;  ∇_{b_k} L = δ^(k);
∇_{h_{k−1}} L = W_kᵀ δ^(k);  δ^(k−1) = (W_kᵀ δ^(k)) ⊙ g'(a_{k−1}).
Here the whole recursion runs by hand on plain floats (forward values only), and every
weight's, bias's and pre-activation's gradient is compared with the graph's.

    python -m demos.lecture.s5_delta
"""

import nn
from demos.lecture.agreement import Report


def run(show=print) -> list:
    r = Report(show, __doc__)
    model = nn.MLP(3, [4, 3, 2], activation="sigmoid", output="linear", seed=10)
    x, y = [0.2, -0.9, 0.4], [0.5, -0.5]
    trace = model.forward_trace(x)
    nn.mse_loss(trace.output, y, reduction="sum").backward()

    L = len(model.layers)
    delta = [2 * (o.data - t) for o, t in zip(trace.output, y)]
    for k in range(L, 0, -1):
        layer, h_prev = model.layers[k - 1], [v.data for v in trace.h[k - 1]]
        W = [[w.data for w in n.w] for n in layer.neurons]
        r.say(f"\nLayer {k}: δ^({k}) = {[round(d, 6) for d in delta]}")
        for j, neuron in enumerate(layer.neurons):
            r.agree(f"δ^({k})[{j}] = ∂L/∂a{k}[{j}]", delta[j], trace.a[k - 1][j].grad)
            r.agree(f"∇b{k}[{j}] = δ^({k})[{j}]", delta[j], neuron.b.grad)
            for i, w in enumerate(neuron.w):
                r.agree(f"∇W{k}[{j},{i}] = δ^({k})[{j}] · h{k - 1}[{i}]", delta[j] * h_prev[i], w.grad)
        if k > 1:
            back = [sum(W[j][i] * delta[j] for j in range(len(delta))) for i in range(len(h_prev))]
            for i in range(len(h_prev)):
                r.agree(f"∇h{k - 1}[{i}] = (W{k}ᵀ δ^({k}))[{i}]", back[i], trace.h[k - 1][i].grad)
            sig = h_prev  # h = σ(a), so g'(a) = h (1 − h)
            delta = [back[i] * sig[i] * (1 - sig[i]) for i in range(len(back))]

    r.say("\nThe notes' simplest interesting case: 1 input, 2 hidden units, 1 output, ½ squared loss.")
    model = nn.MLP(1, [2, 1], activation="sigmoid", seed=9)
    x1, target = 0.6, 1.0
    trace = model.forward_trace([x1])
    nn.mse_loss(trace.output, [target], reduction="sum", half=True).backward()
    delta3 = trace.output[0].data - target
    h2 = trace.h[1][1].data
    delta22 = delta3 * model.layers[1].neurons[0].w[1].data * h2 * (1 - h2)
    r.agree("δ_2^(2) = δ_1^(3) · w_12^(2) · g'(Z_2^(2))", delta22, trace.a[0][1].grad)
    r.agree("∂L/∂w_21^(1) = δ_2^(2) · a_1^(1)", delta22 * x1, model.layers[0].neurons[1].w[0].grad)
    return r.summary()


if __name__ == "__main__":
    run()
