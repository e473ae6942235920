"""§1 The network and its forward pass.

Layer k computes a_k = b_k + W_k h_{k−1} and h_k = g(a_k), from h_0 = x to ŷ = O(a_L).
We compute every a_k and h_k by hand with plain floats, and read the same quantities off
the graph of an nn.MLP, where each a_k[j] and h_k[j] is one node.

    python -m demos.lecture.s1_forward
"""

import math

import nn
from demos.lecture.agreement import Report


def run(show=print) -> list:
    r = Report(show, __doc__)
    model = nn.MLP(3, [4, 3, 2], activation="tanh", output="linear", seed=1)
    x = [0.5, -1.0, 2.0]
    trace = model.forward_trace(x)  # the graph's a_k and h_k

    r.say("By hand: a = b + W h, then h = tanh(a) (identity at the output).")
    h = x
    for k, layer in enumerate(model.layers, start=1):
        W = [[w.data for w in n.w] for n in layer.neurons]
        b = [n.b.data for n in layer.neurons]
        a = [b[j] + sum(W[j][i] * h[i] for i in range(len(h))) for j in range(len(b))]
        h = a if k == len(model.layers) else [math.tanh(v) for v in a]
        for j in range(len(a)):
            r.agree(f"a{k}[{j}] = b + Σ W h", a[j], trace.a[k - 1][j].data)
            r.agree(f"h{k}[{j}] = g(a{k}[{j}])", h[j], trace.h[k][j].data)
    r.say(f"\nŷ = f(x) = {[round(v.data, 6) for v in trace.output]}")
    return r.summary()


if __name__ == "__main__":
    run()
