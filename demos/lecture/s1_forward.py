"""§1 The network and its forward pass.

Layer k computes a_k = b_k + W_k h_{k−1} and h_k = g(a_k), from h_0 = x to the output
ŷ = f(x) = O(a_L), with O the identity (regression) or softmax (k classes). We compute every
a_k and h_k by hand with plain floats, and read the same quantities off the graph of an
nn.MLP, where each a_k[j] and h_k[j] is one node.

    python -m demos.lecture.s1_forward
"""

import math

from demos.lecture.agreement import Report
from demos.lecture.networks import network

G = {  # the hidden activations g of the notes, by hand
    "tanh": math.tanh,
    "sigmoid": lambda a: 1 / (1 + math.exp(-a)),
    "relu": lambda a: max(a, 0.0),
    "linear": lambda a: a,
}


def by_hand(model, x: list[float], g, output: str) -> tuple[list[list[float]], list[list[float]]]:
    """Every a_k and h_k from plain floats: a = b + W h, h = g(a), then ŷ = O(a_L)."""
    a_all, h_all, h = [], [list(x)], list(x)
    for k, layer in enumerate(model.layers, start=1):
        W = [[w.data for w in n.w] for n in layer.neurons]
        b = [n.b.data for n in layer.neurons]
        a = [b[j] + sum(W[j][i] * h[i] for i in range(len(h))) for j in range(len(b))]
        if k < len(model.layers):
            h = [g(v) for v in a]
        elif output == "softmax":
            total = sum(math.exp(v) for v in a)
            h = [math.exp(v) / total for v in a]
        else:
            h = list(a)  # O = identity: ŷ = a_L
        a_all.append(a)
        h_all.append(h)
    return a_all, h_all


def run(show=print) -> list:
    r = Report(show, __doc__)
    model = network(3, [4, 3, 2], "tanh", seed=1)
    x = [0.5, -1.0, 2.0]
    trace = model.forward_trace(x)  # the graph's a_k and h_k
    L = len(model.layers)

    r.say("By hand: a = b + W h, then h = tanh(a); at the output, O = identity.")
    a, h = by_hand(model, x, math.tanh, "linear")
    for k in range(1, L + 1):
        for j in range(len(a[k - 1])):
            r.agree(f"a{k}[{j}] = b{k}[{j}] + Σ_i W{k}[{j},i] h{k - 1}[i]", a[k - 1][j], trace.a[k - 1][j].data)
            if k < L:
                r.agree(f"h{k}[{j}] = g(a{k}[{j}])", h[k][j], trace.h[k][j].data)
            else:
                r.agree(f"ŷ[{j}] = O(a{k}[{j}]) = a{k}[{j}]", h[k][j], trace.output[j].data)

    r.say("\nThe same g in every hidden layer; each choice of g by hand against the graph's ŷ:")
    for g in ("sigmoid", "relu", "linear"):
        model_g = network(3, [4, 3, 2], g, seed=1)
        _, h = by_hand(model_g, x, G[g], "linear")
        for j, y in enumerate(model_g(x)):
            r.agree(f"ŷ[{j}] with g = {g}", h[-1][j], y.data)

    r.say("\nk classes: O = softmax, ŷ_j = e^{a_j} / Σ_i e^{a_i}.")
    model_k = network(3, [4, 3], "tanh", "softmax", seed=2)
    _, h = by_hand(model_k, x, math.tanh, "softmax")
    for j, y in enumerate(model_k(x)):
        r.agree(f"ŷ[{j}] = softmax(a2)[{j}]", h[-1][j], y.data)

    r.say("\nThe parameters θ = (W_1..W_L, b_1..b_L): n_in·n_out weights and n_out biases per layer.")
    sizes = [3, 4, 3, 2]
    count = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:]))
    listed = [w for layer in model.layers for n in layer.neurons for w in (*n.w, n.b)]
    params = model.parameters()
    same = len(params) == count and {id(p) for p in params} == {id(p) for p in listed}
    r.claim(f"θ has {count} numbers: every W_k and b_k, once", same)
    return r.summary()


if __name__ == "__main__":
    run()
