"""§4 The chain rule along several paths.

If z = f(x, y) with x = g(s, t) and y = h(s, t), then ∂z/∂s = ∂z/∂x ∂x/∂s + ∂z/∂y ∂y/∂s.
In a graph, s feeds two nodes, so two chain-rule steps each add a contribution into s.grad:
that `+=` is the sum over paths. A hidden unit feeds every unit of the next layer, so its
gradient is the sum Σ_m ∂L/∂a_{i+1,m} · W_{i+1,m,j}.

    python -m demos.lecture.s4_paths
"""

import math

import nn
from autograd import Value, backward_steps
from autograd.dot import product_text
from autograd.numbers import format_number as fmt
from demos.lecture.agreement import Report
from demos.lecture.networks import network


def run(show=print) -> list:
    r = Report(show, __doc__)
    s, t = Value(0.6, label="s"), Value(-0.4, label="t")
    x = s * t
    y = s + t.tanh()
    z = x * y.exp()
    x.label, y.label, z.label = "x", "y", "z"

    r.say("The steps that reach s, from the stepper (python -m demos.step shows them all):")
    arriving = [step for step in backward_steps(z) if step.parent is s]
    for step in arriving:
        via = step.node.label
        local, upstream, contribution = product_text(step.local, step.upstream, step.contribution)
        numbers = f"{local} × {upstream} = {contribution}"  # as many digits as it takes to multiply out
        r.say(f"  from {via}: ∂{via}/∂s × ∂z/∂{via} = {numbers};  s.grad {fmt(step.before)} → {fmt(step.after)}")
    dz_dx, dz_dy = math.exp(y.data), x.data * math.exp(y.data)  # z = x e^y
    dx_ds, dy_ds = t.data, 1.0  # x = s t, y = s + tanh t
    by_path = {step.node.label: step.contribution for step in arriving}
    r.claim("two paths, two contributions into s", sorted(by_path) == ["x", "y"] and len(arriving) == 2)
    r.agree("path through x: ∂z/∂x ∂x/∂s", dz_dx * dx_ds, by_path.get("x", math.nan))
    r.agree("path through y: ∂z/∂y ∂y/∂s", dz_dy * dy_ds, by_path.get("y", math.nan))
    r.agree("∂z/∂s = ∂z/∂x ∂x/∂s + ∂z/∂y ∂y/∂s", dz_dx * dx_ds + dz_dy * dy_ds, s.grad)
    r.agree("∂z/∂t = ∂z/∂x ∂x/∂t + ∂z/∂y ∂y/∂t", dz_dx * s.data + dz_dy * (1 - math.tanh(t.data) ** 2), t.grad)

    r.say("\nA hidden unit's gradient sums over every unit it feeds:")
    model = network(2, [3, 4], "tanh", seed=8)
    trace = model.forward_trace([0.5, -0.7])
    nn.mse_loss(trace.output, [0.1, 0.2, 0.3, 0.4], reduction="sum").backward()
    W2 = [[w.data for w in n.w] for n in model.layers[1].neurons]
    for j in range(3):
        paths = sum(trace.a[1][m].grad * W2[m][j] for m in range(4))
        r.agree(f"∂L/∂h1[{j}] = Σ_m ∂L/∂a2[m] W2[m,{j}]", paths, trace.h[1][j].grad)
    return r.summary()


if __name__ == "__main__":
    run()
