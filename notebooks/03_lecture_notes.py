# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The lecture notes, checked by the graph
#
# The lecture notes derive the gradients of a feed-forward network by hand. Here each section
# of the notes (§1–§7) gets a cell: the notes' formula, worked by hand from the forward values
# with plain floats, beside the number that came out of the graph (`backward()`), which knows
# nothing but each op's local derivative. They must agree to 1e-12.
#
# §7 lists five slips in the notes. For each, the slide's formula is worked too: the graph
# disagrees with the slide and agrees with the corrected form. (Every cell asserts what it
# prints, so a broken derivation stops the notebook.)

# %%
import math

import autograd
import nn
from autograd import Value, backward_steps, format_number
from autograd.check import check_gradients

TOLERANCE = 1e-12
held = {"checks": 0, "slips": 0}


def close(x: float, y: float) -> bool:
    return abs(x - y) <= TOLERANCE * max(1.0, abs(x))


def agree(what: str, notes: float, graph: float) -> None:
    """The notes' formula, worked by hand, beside the graph's number."""
    ok = close(notes, graph)
    mark = "agrees" if ok else "DISAGREES"
    print(f"  {what:<46} notes {format_number(notes, 10):>15}   graph {format_number(graph, 10):>15}   {mark}")
    assert ok, what
    held["checks"] += 1


def slip(what: str, slide: float, corrected: float, graph: float, slide_right: bool = False) -> None:
    """A slide's formula and the corrected one, beside the graph's number."""
    assert close(corrected, graph), f"{what}: the corrected form disagrees with the graph"
    assert close(slide, graph) == slide_right, (
        f"{what}: the slide was expected to be {'right' if slide_right else 'wrong'}"
    )
    verdict = "slide right here (by accident)" if slide_right else "slide WRONG, corrected agrees"
    print(
        f"  {what:<30} slide {format_number(slide, 8):>13}   corrected {format_number(corrected, 8):>13}"
        f"   graph {format_number(graph, 8):>13}   {verdict}"
    )
    held["slips" if not slide_right else "checks"] += 1


def sigma(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def weights(layer: nn.Layer) -> list[list[float]]:
    """W_k as numbers: W[j][i] is the weight from input i into unit j."""
    return [[w.data for w in unit.w] for unit in layer.neurons]


def biases(layer: nn.Layer) -> list[float]:
    return [unit.b.data for unit in layer.neurons]


# %% [markdown]
# ## §1 The network and the forward pass
#
# Layer k: `a_k = b_k + W_k h_{k−1}`, `h_k = g(a_k)`, `h_0 = x`; the output is `ŷ = O(a_L)`. Here
# g = tanh and O = identity (regression): the output is `ŷ = a_3` itself, with no g applied.
# `forward_trace` keeps every `a_k` and `h_k` as graph nodes, named as in the notes.

# %%
model = nn.MLP(3, [4, 3, 2], activation="tanh", seed=1)
x = [0.5, -1.2, 0.3]
trace = model.forward_trace(x)

h = x  # worked by hand, with floats
for k, layer in enumerate(model.layers, start=1):
    W, b = weights(layer), biases(layer)
    a = [b[j] + sum(W[j][i] * h[i] for i in range(len(h))) for j in range(len(b))]
    last = k == len(model.layers)
    for j in range(len(a)):
        agree(f"a_{k}[{j}] = b_{k}[{j}] + Σ_i W_{k}[{j},i] h_{k - 1}[i]", a[j], trace.a[k - 1][j].data)
    h = a if last else [math.tanh(v) for v in a]  # O = identity on the last layer
    if not last:
        for j in range(len(h)):
            agree(f"h_{k}[{j}] = tanh(a_{k}[{j}])", h[j], trace.h[k][j].data)
for j, y_j in enumerate(trace.output):
    agree(f"ŷ[{j}] = O(a_3[{j}]) = a_3[{j}]  (identity output)", h[j], y_j.data)
print("the output nodes are the last pre-activations:", [node.label for node in trace.output])
assert all(out is a3 for out, a3 in zip(trace.output, trace.a[-1]))
autograd.draw(model)

# %% [markdown]
# ## §2 Losses and output functions
#
# | problem | output O | loss |
# |---|---|---|
# | real-valued | identity | `Σ_j (ŷ_j − y_j)²`, also with ½, and as a mean over N samples |
# | k classes | softmax `ŷ_j = e^{a_j} / Σ_i e^{a_i}` | `−Σ_c y_c log ŷ_c = −log ŷ_ℓ` |
# | k classes, sigmoid outputs | logistic | squared error against the one-hot y |

# %%
y = [0.2, -0.4]
y_hat = [v.data for v in trace.output]
sq = sum((p - t) ** 2 for p, t in zip(y_hat, y))
agree("Σ_j (ŷ_j − y_j)²", sq, nn.mse_loss(trace.output, y, reduction="sum").data)
agree("½ Σ_j (ŷ_j − y_j)²", 0.5 * sq, nn.mse_loss(trace.output, y, reduction="sum", half=True).data)

batch = [[0.5, -1.2, 0.3], [0.1, 0.4, -0.9], [-0.7, 0.0, 0.6]]
targets = [[0.2, -0.4], [0.0, 0.3], [-0.5, 0.1]]
outputs = [model(xn) for xn in batch]
mean_loss = autograd.sum([nn.mse_loss(o, t, reduction="sum") for o, t in zip(outputs, targets)]) / len(batch)
by_hand = sum(sum((o.data - t) ** 2 for o, t in zip(on, tn)) for on, tn in zip(outputs, targets)) / len(batch)
agree("(1/N) Σ_n Σ_j (ŷ_nj − y_nj)²", by_hand, mean_loss.data)

classifier = nn.MLP(3, [4, 3], activation="tanh", output="softmax", seed=2)
ell = 1
p = [v.data for v in classifier(x)]
logits = classifier.forward_trace(x).a[-1]
e = [math.exp(v.data) for v in logits]
agree("softmax: ŷ_j = e^{a_j} / Σ_i e^{a_i}  (j = 0)", e[0] / sum(e), p[0])
onehot = nn.one_hot(ell, 3)
agree("−Σ_c y_c log ŷ_c", -sum(yc * math.log(pc) for yc, pc in zip(onehot, p)), nn.cross_entropy(logits, ell).data)
agree("−log ŷ_ℓ", -math.log(p[ell]), nn.cross_entropy(logits, ell).data)

logistic = nn.MLP(3, [4, 3], activation="tanh", output="sigmoid", seed=3)
o = logistic(x)
agree(
    "Σ_j (σ(a_j) − y_j)² against one-hot y",
    sum((sigma(a.data) - t) ** 2 for a, t in zip(logistic.forward_trace(x).a[-1], onehot)),
    nn.mse_loss(o, onehot, reduction="sum").data,
)

# %% [markdown]
# ## §3 Local derivatives
#
# σ′(z) = σ(z)(1 − σ(z)); tanh′(z) = 1 − tanh²(z); linear′ = 1; ∂(−log ŷ_ℓ)/∂ŷ_i = −1(i = ℓ)/ŷ_ℓ;
# softmax + cross-entropy together: ∇_{a_L} L = ŷ − e(ℓ); and the softmax Jacobian on its own,
# ∂ŷ_ℓ/∂a_i = ŷ_ℓ (1(i = ℓ) − ŷ_i). Output deltas: `(f − y)²` with identity output gives
# δ^(L) = 2(f − y), with a ½ (f − y); with sigmoid outputs δ_j = 2(o_j − y_j) o_j (1 − o_j), or
# (o_j − y_j) σ′(z_j) with the ½.

# %%
for z0 in (-2.0, 0.3):
    z = Value(z0, label="z")
    z.sigmoid().backward()
    agree(f"σ'({z0}) = σ(1 − σ)", sigma(z0) * (1 - sigma(z0)), z.grad)
    z = Value(z0, label="z")
    z.tanh().backward()
    agree(f"tanh'({z0}) = 1 − tanh²", 1 - math.tanh(z0) ** 2, z.grad)
z = Value(0.3, label="z")
nn.activation("linear")(z).backward()
agree("linear'(z) = 1", 1.0, z.grad)

probs = [Value(v, label=f"ŷ{i}") for i, v in enumerate([0.2, 0.5, 0.3])]
(-probs[ell].log()).backward()
for i, q in enumerate(probs):
    agree(f"∂(−log ŷ_ℓ)/∂ŷ_{i} = −1(i = ℓ)/ŷ_ℓ", -(i == ell) / probs[ell].data, q.grad)

a = [Value(v, label=f"a{i}") for i, v in enumerate([0.4, -1.1, 2.0])]
nn.cross_entropy(a, ell).backward()
soft = [math.exp(v.data) / sum(math.exp(u.data) for u in a) for v in a]
for i in range(3):
    agree(f"∂L/∂a_{i} = ŷ_{i} − 1(i = ℓ)", soft[i] - (i == ell), a[i].grad)

a = [Value(v, label=f"a{i}") for i, v in enumerate([0.4, -1.1, 2.0])]
nn.softmax(a)[ell].backward()  # the Jacobian's row ℓ, as its own step
for i in range(3):
    agree(f"∂ŷ_ℓ/∂a_{i} = ŷ_ℓ (1(i = ℓ) − ŷ_{i})", soft[ell] * ((i == ell) - soft[i]), a[i].grad)

f, target = Value(0.7, label="f"), 0.2
((f - target) ** 2).backward()
agree("(f − y)²: δ^(L) = 2(f − y)", 2 * (0.7 - target), f.grad)
f = Value(0.7, label="f")
(0.5 * (f - target) ** 2).backward()
agree("½ (f − y)²: δ^(L) = f − y", 0.7 - target, f.grad)

zs = [Value(0.8, label="z0"), Value(-0.3, label="z1")]
os_ = [v.sigmoid() for v in zs]
autograd.sum([(o_j - t) ** 2 for o_j, t in zip(os_, [1.0, 0.0])]).backward()
for j, t in enumerate([1.0, 0.0]):
    oj = os_[j].data
    agree(f"sigmoid output: δ_{j} = 2(o − y) o(1 − o)", 2 * (oj - t) * oj * (1 - oj), zs[j].grad)
zs = [Value(0.8, label="z0"), Value(-0.3, label="z1")]
os_ = [v.sigmoid() for v in zs]
(0.5 * autograd.sum([(o_j - t) ** 2 for o_j, t in zip(os_, [1.0, 0.0])])).backward()
for j, t in enumerate([1.0, 0.0]):
    agree(f"with ½: δ_{j} = (o − y) σ'(z)", (os_[j].data - t) * sigma(zs[j].data) * (1 - sigma(zs[j].data)), zs[j].grad)

# %% [markdown]
# ## §4 The chain rule along several paths
#
# z = f(x, y) with x = g(s, t) and y = h(s, t): ∂z/∂s = ∂z/∂x · ∂x/∂s + ∂z/∂y · ∂y/∂s. Here
# x = s·t, y = s + tanh t, z = x·e^y. In the graph s feeds two nodes, so two chain-rule steps add
# into `s.grad`: that `+=` is the sum over paths. Then `check_gradients` shows a learner who
# kept only one path where the other went.

# %%
s, t = Value(0.6, label="s"), Value(-0.4, label="t")
xs = s * t
ys = s + t.tanh()
z = xs * ys.exp()
xs.label, ys.label, z.label = "x", "y", "z"
for step in backward_steps(z):
    if step.parent is s:
        print(
            f"  from {step.node.label}: ∂{step.node.label}/∂s × ∂z/∂{step.node.label} = "
            f"{format_number(step.local)} × {format_number(step.upstream)} = {format_number(step.contribution)}"
        )
dz_dx, dz_dy = math.exp(ys.data), xs.data * math.exp(ys.data)
agree("∂z/∂s = ∂z/∂x ∂x/∂s + ∂z/∂y ∂y/∂s", dz_dx * t.data + dz_dy * 1.0, s.grad)
agree("∂z/∂t = ∂z/∂x ∂x/∂t + ∂z/∂y ∂y/∂t", dz_dx * s.data + dz_dy * (1 - math.tanh(t.data) ** 2), t.grad)

forgot = check_gradients(z, {"s": dz_dx * t.data})  # only the path through x
assert forgot.wrong == ["s"] and forgot.rows[0].path_count == 2
print()
print(forgot)

# A hidden unit feeds every unit of the next layer: ∂L/∂h_1[j] = Σ_m ∂L/∂a_2[m] · W_2[m, j].
wide = nn.MLP(2, [3, 4], activation="tanh", seed=8)
tr = wide.forward_trace([0.5, -0.7])
nn.mse_loss(tr.output, [0.1, 0.2, 0.3, 0.4], reduction="sum").backward()
W2 = weights(wide.layers[1])
print()
for j in range(3):
    agree(
        f"∂L/∂h_1[{j}] = Σ_m ∂L/∂a_2[m] W_2[m,{j}]", sum(tr.a[1][m].grad * W2[m][j] for m in range(4)), tr.h[1][j].grad
    )

# %% [markdown]
# ## §5 The backward recursion (the δ form)
#
# With δ^(k) = ∂L/∂a_k: `∇_{h_{k−1}} L = W_kᵀ δ^(k)`, `δ^(k−1) = (W_kᵀ δ^(k)) ⊙ g′(a_{k−1})`,
# `∇_{W_k} L = δ^(k) h_{k−1}ᵀ`, `∇_{b_k} L = δ^(k)`. For the §1 network, L = Σ (ŷ − y)² with an
# identity output, so δ^(3) = 2(ŷ − y). Every δ is worked by hand from the output back,
# never read off the graph, then compared with it.

# %%
model.zero_grad()
trace = model.forward_trace(x)
L = nn.mse_loss(trace.output, y, reduction="sum")
L.backward()
hs = [[v.data for v in layer] for layer in trace.h]  # hs[k] is h_k as numbers
delta = {3: [2 * (trace.output[j].data - y[j]) for j in range(2)]}
for k in (3, 2, 1):
    W = weights(model.layers[k - 1])
    for j in range(len(delta[k])):
        agree(f"δ^({k})[{j}] = ∂L/∂a_{k}[{j}]", delta[k][j], trace.a[k - 1][j].grad)
        agree(f"∇b_{k}[{j}] = δ^({k})[{j}]", delta[k][j], model.layers[k - 1].neurons[j].b.grad)
        for i in range(len(hs[k - 1])):
            agree(
                f"∇W_{k}[{j},{i}] = δ^({k})[{j}] h_{k - 1}[{i}]",
                delta[k][j] * hs[k - 1][i],
                model.layers[k - 1].neurons[j].w[i].grad,
            )
    back = [sum(W[m][i] * delta[k][m] for m in range(len(delta[k]))) for i in range(len(hs[k - 1]))]
    if k > 1:
        for i in range(len(back)):
            agree(f"∇h_{k - 1}[{i}] = (W_{k}ᵀ δ^({k}))[{i}]", back[i], trace.h[k - 1][i].grad)
        delta[k - 1] = [back[i] * (1 - hs[k - 1][i] ** 2) for i in range(len(back))]  # ⊙ tanh'(a_{k−1})

# %% [markdown]
# **A tanh output.** The notes: δ^(L) = 2(x^(L) − y) θ′(s^(L)) for a squared error with a tanh
# output θ, where s^(L) is the output's pre-activation.

# %%
net = nn.MLP(2, [3, 1], activation="tanh", seed=4)
tr = net.forward_trace([0.3, -0.6])
s_L = tr.a[-1][0]
x_L = s_L.tanh()
((x_L - 0.5) ** 2).backward()
agree("δ^(L) = 2(x^(L) − y) θ'(s^(L))", 2 * (x_L.data - 0.5) * (1 - x_L.data**2), s_L.grad)

# %% [markdown]
# **Deep and thin.** One unit per layer (sigmoid), so ∂L/∂w_1 is a plain product:
# ∂L/∂ŷ · ∂ŷ/∂a_L · ∂a_L/∂h_{L−1} · ∂h_{L−1}/∂a_{L−1} · … · ∂a_1/∂w_1. Each factor is named and
# worked by hand; after each one the running product is ∂L/∂(the node just reached), which the
# graph also holds. With sigmoids each ∂h/∂a is at most ¼: the gradient vanishes with depth.

# %%
depth = 6
thin = nn.MLP(1, [1] * depth, activation="sigmoid", seed=6)
x1, target = 0.8, 0.25
tr = thin.forward_trace([x1])
y_hat = tr.output[0]
L = (y_hat - target) ** 2
L.backward()
factors = [("∂L/∂ŷ", "2(ŷ − y)", 2 * (y_hat.data - target), y_hat), (f"∂ŷ/∂a_{depth}", "1 (O = id)", 1.0, tr.a[-1][0])]
for k in range(depth, 1, -1):
    w_k = thin.layers[k - 1].neurons[0].w[0]
    h_prev = tr.h[k - 1][0]
    factors.append((f"∂a_{k}/∂h_{k - 1}", f"w_{k}", w_k.data, h_prev))
    factors.append((f"∂h_{k - 1}/∂a_{k - 1}", f"σ'(a_{k - 1})", h_prev.data * (1 - h_prev.data), tr.a[k - 2][0]))
factors.append(("∂a_1/∂w_1", "x", x1, thin.layers[0].neurons[0].w[0]))
product = 1.0
for name, formula, value, node in factors:
    product *= value
    agree(f"× {name} = {formula} = {format_number(value)}", product, node.grad)
print(f"  ∂L/∂w_1 = {format_number(product)} through {depth} sigmoid layers")

# %% [markdown]
# **The simplest interesting case** (one input, two hidden units, one output, sigmoid g at every
# layer), with the notes' L = (y − f)², no ½, so δ_1^(3) = −2(y − f)(g^L)′(Z^(3)). Then
# δ_2^(2) = δ_1^(3) · w_12^(2) · g′(Z_2^(2)) and ∂L/∂w_21^(1) = δ_2^(2) · a_1^(1), where a_1^(1) = x
# and w_jk^(l) is the weight from unit k of layer l into unit j of layer l + 1.

# %%
small = nn.MLP(1, [2, 1], activation="sigmoid", output="sigmoid", seed=5)
x0, y0 = 0.7, 1.0
tr = small.forward_trace([x0])
f_out = tr.output[0]
L = (y0 - f_out) ** 2
L.backward()
Z3, Z2_2 = tr.a[1][0], tr.a[0][1]
w12_2 = small.layers[1].neurons[0].w[1]  # from hidden unit 2 into the output
w21_1 = small.layers[0].neurons[1].w[0]  # from the input into hidden unit 2
d3 = -2 * (y0 - f_out.data) * sigma(Z3.data) * (1 - sigma(Z3.data))
d2_2 = d3 * w12_2.data * sigma(Z2_2.data) * (1 - sigma(Z2_2.data))
agree("δ_1^(3) = −2(y − f)(g^L)'(Z^(3))", d3, Z3.grad)
agree("δ_2^(2) = δ_1^(3) w_12^(2) g'(Z_2^(2))", d2_2, Z2_2.grad)
agree("∂L/∂w_21^(1) = δ_2^(2) a_1^(1)", d2_2 * x0, w21_1.grad)

# %% [markdown]
# ## §6 Learning
#
# Gradient descent θ_{t+1} = θ_t − η ∇θ_t for 1000 iterations; minibatch SGD over epochs
# k = 1..K and batches b = 1..B; a learning-rate schedule; momentum and Nesterov momentum; L1 and
# L2 regularisation. The checks are independent of the code they check: gradients in closed
# form, updates by hand, and the optimiser's result compared with both.

# %%
# Gradient descent on least squares, y ≈ w x + b, with the loss as a mean over N points.
X1 = [i / 10 - 1 for i in range(21)]
Y1 = [2 * u + 1 + 0.1 * math.sin(7 * u) for u in X1]
N = len(X1)
w, b = Value(0.0, label="w"), Value(0.0, label="b")
eta = 0.3
opt = nn.SGD([w, b], lr=eta)


def mse(w: Value, b: Value) -> Value:
    return autograd.sum([(w * u + b - v) ** 2 for u, v in zip(X1, Y1)]) / N


w0, b0 = w.data, b.data
grad_w = 2 / N * sum((w0 * u + b0 - v) * u for u, v in zip(X1, Y1))  # closed form, not the graph
grad_b = 2 / N * sum(w0 * u + b0 - v for u, v in zip(X1, Y1))
loss = mse(w, b)
opt.zero_grad()
loss.backward()
agree("∂L/∂w = (2/N) Σ (w x + b − y) x", grad_w, w.grad)
agree("∂L/∂b = (2/N) Σ (w x + b − y)", grad_b, b.grad)
opt.step()
agree("θ_1 = θ_0 − η ∇θ_0  (w)", w0 - eta * grad_w, w.data)
agree("θ_1 = θ_0 − η ∇θ_0  (b)", b0 - eta * grad_b, b.data)
for _ in range(999):
    loss = mse(w, b)
    opt.zero_grad()
    loss.backward()
    opt.step()
mx, my = sum(X1) / N, sum(Y1) / N
w_star = sum((u - mx) * (v - my) for u, v in zip(X1, Y1)) / sum((u - mx) ** 2 for u in X1)
b_star = my - w_star * mx
agree("after 1000 iterations, w = least-squares w*", w_star, w.data)
agree("after 1000 iterations, b = least-squares b*", b_star, b.data)

# %%
# Minibatch SGD: epochs k = 1..K, each a pass over the data in batches b = 1..B.
K, size = 3, 6
seen: dict[int, list[float]] = {}
batches = list(nn.minibatches(X1, Y1, batch_size=size, epochs=K, seed=0))
for batch in batches:
    seen.setdefault(batch.epoch, []).extend(batch.X)
B = math.ceil(N / size)
assert [batch.number for batch in batches] == list(range(1, B + 1)) * K
assert all(sorted(seen[k]) == sorted(X1) for k in range(1, K + 1))
print(f"  {K} epochs of B = ⌈{N}/{size}⌉ = {B} batches; each epoch covers every point once: yes")

# A schedule: StepDecay multiplies η by γ every s steps, η_t = η γ^⌊t/s⌋.
opt = nn.SGD([Value(1.0)], lr=0.5)
decay = nn.StepDecay(opt, step_size=3, gamma=0.1)
for step in range(1, 8):
    agree(f"η_{step} = 0.5 · 0.1^⌊{step}/3⌋", 0.5 * 0.1 ** (step // 3), decay.step())

# %%
# Momentum and Nesterov momentum by hand, on f(θ) = (θ − 3)², whose gradient is 2(θ − 3).
# PyTorch's rule: buf = g on the first step, then buf = μ buf + g; the step is η buf, or
# η (g + μ buf) with Nesterov.
eta, mu = 0.1, 0.9
for nesterov in (False, True):
    theta = Value(0.0, label="θ")
    opt = nn.SGD([theta], lr=eta, momentum=mu, nesterov=nesterov)
    by_hand, buf = 0.0, None
    for _ in range(5):
        g = 2 * (by_hand - 3)  # the gradient by hand
        buf = g if buf is None else mu * buf + g
        by_hand -= eta * ((g + mu * buf) if nesterov else buf)
        opt.zero_grad()
        ((theta - 3) ** 2).backward()  # the gradient from the graph
        opt.step()
    agree(f"{'Nesterov' if nesterov else 'momentum'}: θ after 5 steps", by_hand, theta.data)

# %%
# L1 and L2 regularisation, with weights that tell 2λw, λw and λ sign(w) apart (not w = 0.5).
lam = 0.1
ws = [Value(0.8, label="w0"), Value(-1.5, label="w1")]
(lam * nn.l2_penalty(ws)).backward()
for wi in ws:
    agree(f"L2: ∂(λ Σ w²)/∂{wi.label} = 2λw", 2 * lam * wi.data, wi.grad)
ws = [Value(0.8, label="w0"), Value(-1.5, label="w1")]
(lam * nn.l1_penalty(ws)).backward()
for wi in ws:
    agree(f"L1: ∂(λ Σ |w|)/∂{wi.label} = λ sign(w)", lam * math.copysign(1, wi.data), wi.grad)
assert 2 * lam * 0.8 != lam * 0.8 != lam  # the three candidate answers differ here

# SGD's weight_decay = 2λ takes the same step as the penalty λ Σ w² in the loss.
pair = [Value(0.8), Value(-1.5)]
plain = nn.SGD(pair, lr=0.2)
(pair[0] * pair[1] + lam * nn.l2_penalty(pair)).backward()
plain.step()
decayed = [Value(0.8), Value(-1.5)]
opt = nn.SGD(decayed, lr=0.2, weight_decay=2 * lam)
(decayed[0] * decayed[1]).backward()
opt.step()
for i in range(2):
    agree(f"weight_decay = 2λ ≡ λ Σ w² in the loss (w{i})", pair[i].data, decayed[i].data)

# %% [markdown]
# ## §7 The slips, caught by the graph
#
# The graph knows only each op's local derivative, so it cannot copy a slip. Each slip's slide
# formula and the corrected one are worked by hand from forward values, beside the graph.
#
# **(a)** A slide vectorises ∂C/∂W^(2) = h · (o ⊙ (1 − o) ⊙ (o − y))ᵀ for C = Σ (o − y)², dropping
# the factor 2 that its own per-weight formula has.

# %%
net = nn.MLP(2, [3, 2], activation="sigmoid", output="sigmoid", seed=12)
tr, target = net.forward_trace([0.3, -0.8]), [1.0, 0.0]
o = [v.data for v in tr.output]
hidden = [v.data for v in tr.h[1]]
autograd.sum([(oj - t) ** 2 for oj, t in zip(tr.output, target)]).backward()
for j, unit in enumerate(net.layers[1].neurons):
    for i, wij in enumerate(unit.w):
        slide = hidden[i] * o[j] * (1 - o[j]) * (o[j] - target[j])
        slip(f"(a) ∂C/∂W^(2)[{j},{i}]", slide, 2 * slide, wij.grad)

# %% [markdown]
# **(b)** For L = ½ Σ (y − a)², a derivation writes ∂L/∂a_j = ½ (y_j − a_j); the ½ cancels the 2
# and the inner derivative flips the sign: ∂L/∂a_j = a_j − y_j.
#
# **(c)** It carries the wrong sign into ∂L/∂w_ij = [(y_j − a_j) σ′(z_j)] a_i^(l−1), before a later
# slide gives the correct δ_j = (a_j − y_j) σ′(z_j).

# %%
net = nn.MLP(2, [3, 2], activation="sigmoid", output="sigmoid", seed=13)
tr, target = net.forward_trace([0.7, 0.2]), [0.0, 1.0]
act, zs, prev = tr.output, tr.a[-1], [v.data for v in tr.h[-2]]
(0.5 * autograd.sum([(t - aj) ** 2 for t, aj in zip(target, act)])).backward()
for j, aj in enumerate(act):
    slip(f"(b) ∂L/∂a_{j}", 0.5 * (target[j] - aj.data), aj.data - target[j], aj.grad)
for j, unit in enumerate(net.layers[-1].neurons):
    sp = sigma(zs[j].data) * (1 - sigma(zs[j].data))
    for i, wij in enumerate(unit.w):
        slip(
            f"(c) ∂L/∂w_{i}{j}",
            (target[j] - act[j].data) * sp * prev[i],
            (act[j].data - target[j]) * sp * prev[i],
            wij.grad,
        )
    agree(f"the later slide: δ_{j} = (a_{j} − y_{j}) σ'(z_{j})", (act[j].data - target[j]) * sp, zs[j].grad)

# %% [markdown]
# **(d)** The softmax + cross-entropy slides end with ∂L/∂a_{L,i} = −(1(ℓ = i) − ŷ_ℓ); the subscript
# must be i. One step also writes softmax(a)_ℓ · softmax(a)_ℓ for softmax(a)_ℓ · softmax(a)_i in the
# Jacobian ∂ŷ_ℓ/∂a_i. The two forms agree only for i = ℓ.

# %%
net = nn.MLP(2, [4, 3], activation="tanh", output="softmax", seed=14)
tr, ell = net.forward_trace([0.9, -0.4]), 2
logits, probs = tr.a[-1], tr.output
pv = [v.data for v in probs]
probs[ell].backward()  # the Jacobian step on its own
for i in range(3):
    slip(
        f"(d) ∂ŷ_ℓ/∂a_{i}",
        pv[ell] * (i == ell) - pv[ell] * pv[ell],
        pv[ell] * (i == ell) - pv[ell] * pv[i],
        logits[i].grad,
        slide_right=i == ell,
    )
loss = -probs[ell].log()
loss.zero_grad()
loss.backward()
for i in range(3):
    slip(f"(d) ∂L/∂a_{i}", -((i == ell) - pv[ell]), -((i == ell) - pv[i]), logits[i].grad, slide_right=i == ell)

# %% [markdown]
# **(e)** One set of notes, as typed: the two-path rule as ∂z/∂z = ∂z/∂x ∂x/∂s + ∂y/∂z ∂y/∂s (the
# left side must be ∂z/∂s, and ∂y/∂z must be ∂z/∂y); ∂e/∂S_j = x_i δ_j where ∂e/∂W_ij is meant; and
# S_j^(l) = W_0j^(l) + Σ_k W_kj^(l−1) x_k^(l−1), whose weights must be layer l's.

# %%
s, t = Value(0.6, label="s"), Value(-0.4, label="t")
xs, ys = s * t, s + t.tanh()
z = xs * ys.exp()
z.backward()
dz_dx, dz_dy = math.exp(ys.data), xs.data * math.exp(ys.data)
right = dz_dx * t.data + dz_dy * 1.0
slip("(e) left side ∂z/∂z = 1", 1.0, right, s.grad)
slip("(e) ∂y/∂z read as 1/(∂z/∂y)", dz_dx * t.data + 1.0 / dz_dy, right, s.grad)

# The notes' network: S^(l) = W_0^(l) + W^(l) x^(l−1), x^(l) = tanh(S^(l)), identity output, e = (x^(3) − y)².
net = nn.MLP(2, [2, 2, 1], activation="tanh", seed=15)
tr, target = net.forward_trace([0.5, -0.9]), 0.4
e_loss = (tr.output[0] - target) ** 2
e_loss.backward()
xv = [[v.data for v in layer] for layer in tr.h]


def Wkj(layer: int, k: int, j: int) -> Value:  # W_kj^(l): from x_k^(l−1) into S_j^(l)
    return net.layers[layer - 1].neurons[j].w[k]


d = {3: [2 * (xv[3][0] - target)]}  # δ^(l) = ∂e/∂S^(l), by hand from the output back
for layer in (3, 2):
    d[layer - 1] = [
        (1 - xv[layer - 1][j] ** 2) * sum(Wkj(layer, j, m).data * dm for m, dm in enumerate(d[layer])) for j in range(2)
    ]
for j in range(2):
    for i in range(2):
        slip(f"(e) ∂e/∂S_{j}^(2) = x_{i} δ_{j}?", xv[1][i] * d[2][j], d[2][j], tr.a[1][j].grad)
        agree(f"what was meant: ∂e/∂W_{i}{j}^(2) = x_{i} δ_{j}", xv[1][i] * d[2][j], Wkj(2, i, j).grad)
for j in range(2):
    bias = net.layers[1].neurons[j].b.data
    slide = bias + sum(Wkj(1, k, j).data * xv[1][k] for k in range(2))
    corrected = bias + sum(Wkj(2, k, j).data * xv[1][k] for k in range(2))
    slip(f"(e) S_{j}^(2) with W^(l−1)", slide, corrected, tr.a[1][j].data)

print(f"\n{held['checks']} checks hold; {held['slips']} slide formulas disagree with the graph,")
print("as the notes' slips predict.")
