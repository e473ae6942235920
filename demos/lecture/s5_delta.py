"""§5 The backward recursion, in δ form, for a network with two hidden layers.

With δ^(k) = ∂L/∂a_k the notes derive, from the output back:
δ^(L) = 2(ŷ − y);  ∇_{W_k} L = δ^(k) h_{k−1}ᵀ;  ∇_{b_k} L = δ^(k);
∇_{h_{k−1}} L = W_kᵀ δ^(k);  δ^(k−1) = (W_kᵀ δ^(k)) ⊙ g'(a_{k−1}).
Here the whole recursion runs by hand on plain floats (forward values only), and every
weight's, bias's and pre-activation's gradient is compared with the graph's. Then the
notes' "simplest interesting case" (one input, two hidden units, one output) with their
L = (y − f)², no ½, so that δ = −2(y − f)(g^L)'.

    python -m demos.lecture.s5_delta
"""

import nn
from autograd import Value
from autograd.numbers import format_number as fmt
from demos.lecture.agreement import Report
from demos.lecture.networks import network


def simplest_interesting_case(r: Report) -> None:
    r.say("\nThe notes' simplest interesting case: one input a_1^(1) = x, two hidden units, one output")
    r.say("f = g^L(Z_1^(3)), all sigmoid, and the notes' L = (y − f)², no ½. Weights w_ij^(l) go from")
    r.say("unit j of layer l to unit i of layer l + 1, so w_12^(2) joins hidden unit 2 to the output.")
    model = network(1, [2, 1], "sigmoid", "sigmoid", seed=9)
    x, y = 0.6, 1.0
    trace = model.forward_trace([x])
    f = trace.output[0]
    L = (y - f) ** 2  # as the notes write it
    L.backward()
    Z2, Z3 = trace.a[0], trace.a[1][0]
    a2 = [v.data for v in trace.h[1]]

    def w(layer: int, i: int, j: int) -> Value:  # w_ij^(l), units counted from 1 as in the notes
        return model.layers[layer - 1].neurons[i - 1].w[j - 1]

    g_prime_L = f.data * (1 - f.data)  # (g^L)'(Z^(3)) = σ(1 − σ), from the forward value
    delta3 = -2 * (y - f.data) * g_prime_L
    r.agree("δ_1^(3) = −2(y − f)(g^L)'(Z_1^(3))", delta3, Z3.grad)
    for j in (1, 2):
        r.agree(f"∂L/∂w_1{j}^(2) = δ_1^(3) · a_{j}^(2)", delta3 * a2[j - 1], w(2, 1, j).grad)
    for j in (1, 2):
        g_prime = a2[j - 1] * (1 - a2[j - 1])  # g'(Z_j^(2))
        delta2 = delta3 * w(2, 1, j).data * g_prime
        r.agree(f"δ_{j}^(2) = δ_1^(3) · w_1{j}^(2) · g'(Z_{j}^(2))", delta2, Z2[j - 1].grad)
        r.agree(f"∂L/∂w_{j}1^(1) = δ_{j}^(2) · a_1^(1)", delta2 * x, w(1, j, 1).grad)


def run(show=print) -> list:
    r = Report(show, __doc__)
    model = network(3, [4, 3, 2], "sigmoid", seed=10)
    x, y = [0.2, -0.9, 0.4], [0.5, -0.5]
    trace = model.forward_trace(x)
    nn.mse_loss(trace.output, y, reduction="sum").backward()

    L = len(model.layers)
    delta = [2 * (o.data - t) for o, t in zip(trace.output, y)]
    for k in range(L, 0, -1):
        layer, h_prev = model.layers[k - 1], [v.data for v in trace.h[k - 1]]
        W = [[w.data for w in n.w] for n in layer.neurons]
        r.say(f"\nLayer {k}: δ^({k}) = [{', '.join(fmt(d) for d in delta)}]")
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

    simplest_interesting_case(r)
    return r.summary()


if __name__ == "__main__":
    run()
