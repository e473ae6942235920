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
# # From a neuron to an MLP
#
# A neuron is a few `Value`s: weights, a bias, a weighted sum and an activation. A layer is a
# list of neurons; a multi-layer perceptron (MLP) is a list of layers. Because everything is
# made of `Value`s, `loss.backward()` gives the gradient of every weight, and training is a
# loop of forward, backward, step. We end by training micrograd's two-moons classifier while
# watching the loss and the decision boundary move.

# %%
import random
import time

import matplotlib.pyplot as plt
from IPython.display import display

import nn
from autograd import Value, draw, no_grad

# %% [markdown]
# ## 1. One neuron
#
# `nn.Neuron(2)` computes `tanh(b + w₀x₀ + w₁x₁)`. The weighted sum is a single `linear` node
# whose local derivatives are the inputs (toward the weights), the weights (toward the
# inputs) and 1 (toward the bias).

# %%
neuron = nn.Neuron(2, activation="tanh", rng=random.Random(1))
x = [Value(1.0, label="x0"), Value(-2.0, label="x1")]
out = neuron(x)
out.label = "out"
out.backward()
draw(out)

# %% [markdown]
# Each weight's gradient is its input times tanh′ of the pre-activation:
# ∂out/∂wᵢ = xᵢ · (1 − out²).

# %%
for w, xi in zip(neuron.w, x):
    print(f"∂out/∂{w.label} = {w.grad:+.6f}   x · (1 − out²) = {xi.data * (1 - out.data**2):+.6f}")
    assert abs(w.grad - xi.data * (1 - out.data**2)) < 1e-12

# %% [markdown]
# With `fused=False` the weighted sum is built from binary `*` and `+` nodes, so you can see
# every multiplication (the same numbers, a bigger graph).

# %%
unfused = nn.Neuron(2, activation="tanh", fused=False, rng=random.Random(1))
draw(unfused(x), show_grad=False)

# %% [markdown]
# ## 2. Layers and an MLP
#
# A layer is `nout` neurons sharing their inputs; an MLP stacks layers. micrograd's moons
# classifier is an MLP 2 → 16 → 16 → 1 with ReLU hidden units: 337 parameters.

# %%
model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
model

# %% [markdown]
# That is too many units to follow by eye, so take a small one, 2 → 2 → 1. `draw` shows a
# network as units and weights (blue positive, red negative, thicker when larger)...

# %%
tiny = nn.MLP(2, [2, 1], activation="tanh", seed=0)
draw(tiny)

# %% [markdown]
# ...and the graph of one prediction as `Value`s, every node named in the lecture's notation
# (`a1[0]` is layer 1's first pre-activation, `h1[0]` its activation, `W2[0,1]` the weight
# from `h1[1]` into output 0):

# %%
[score] = tiny([0.5, -1.0])
score.backward()
draw(score)

# %% [markdown]
# ## 3. The data: two moons
#
# 100 points in two interleaving half circles. No straight line separates them: the hidden
# layers must bend the boundary.

# %%
X, labels = nn.make_moons(100, noise=0.1, seed=0)
y = [2 * t - 1 for t in labels]  # the hinge loss wants labels -1 and +1
colours = ["#e8710a" if t < 0 else "#1a73c8" for t in y]
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.scatter([p[0] for p in X], [p[1] for p in X], c=colours, s=20)
ax.set_title("two moons")
plt.show()

# %% [markdown]
# ## 4. Training, with the loss and the boundary live
#
# micrograd's recipe: the max-margin (hinge) loss plus a little L2 penalty, full-batch SGD with
# the learning rate decaying from 1 to 0.1. Every few steps the figure redraws: the loss so
# far, and the boundary the model draws now (the model evaluated on a 30 × 30 grid under
# `no_grad()`, which records no graph).

# %%
GRID = 30
xs = [-1.6 + 4.2 * i / (GRID - 1) for i in range(GRID)]
ys = [-1.1 + 2.7 * j / (GRID - 1) for j in range(GRID)]


def boundary(model: nn.MLP) -> list[list[float]]:
    with no_grad():
        return [[model([u, v])[0].data for u in xs] for v in ys]


def picture(losses: list[float], accuracy: float, scores: list[list[float]]) -> plt.Figure:
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.plot(losses, color="#202124")
    left.set_xlabel("step")
    left.set_ylabel("loss")
    left.set_title(f"loss {losses[-1]:.3f}, accuracy {accuracy:.0%}")
    right.contourf(xs, ys, scores, levels=[-1e9, 0, 1e9], colors=["#f7c99a", "#a9cbee"])
    right.contour(xs, ys, scores, levels=[0], colors="#202124", linewidths=1)
    right.scatter([p[0] for p in X], [p[1] for p in X], c=colours, s=14, edgecolors="#202124", linewidths=0.4)
    right.set_title(f"decision boundary after {len(losses)} steps")
    fig.tight_layout()
    plt.close(fig)  # shown through the display handle only
    return fig


STEPS = 60
model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
opt = nn.SGD(model.parameters(), lr=1.0)
schedule = nn.LinearDecay(opt, 1.0, 0.1, STEPS)
losses: list[float] = []
live = display(picture([1.0], 0.5, boundary(model)), display_id=True)
start = time.perf_counter()
for step in range(STEPS):
    scores = [model(p)[0] for p in X]
    loss = nn.hinge_loss(scores, y) + 1e-4 * nn.l2_penalty(model.parameters())
    opt.zero_grad()
    loss.backward()
    opt.step()
    schedule.step()
    losses.append(loss.data)
    accuracy = sum((s.data > 0) == (t > 0) for s, t in zip(scores, y)) / len(y)
    if step % 10 == 9 or step == STEPS - 1:
        live.update(picture(losses, accuracy, boundary(model)))
print(f"{STEPS} steps in {time.perf_counter() - start:.1f} s; final loss {losses[-1]:.4f}, accuracy {accuracy:.0%}")

# %% [markdown]
# ## 5. The trained network
#
# The 2 → 16 → 16 → 1 network after training: each line a weight, coloured by sign, as thick
# as it is large.

# %%
draw(model)

# %% [markdown]
# A finer look at the final boundary: 60 × 60 evaluations, still under `no_grad()`.

# %%
GRID = 60
xs = [-1.6 + 4.2 * i / (GRID - 1) for i in range(GRID)]
ys = [-1.1 + 2.7 * j / (GRID - 1) for j in range(GRID)]
scores = boundary(model)
fig, ax = plt.subplots(figsize=(6, 4))
ax.contourf(xs, ys, scores, levels=[-1e9, 0, 1e9], colors=["#f7c99a", "#a9cbee"])
ax.scatter([p[0] for p in X], [p[1] for p in X], c=colours, s=18, edgecolors="#202124", linewidths=0.4)
ax.set_title("two moons: MLP 2-16-16-1 trained by chainrule")
plt.show()
with no_grad():
    final = sum((model(p)[0].data > 0) == (t > 0) for p, t in zip(X, y)) / len(y)
print(f"training accuracy {final:.0%}")
assert final >= 0.9

# %% [markdown]
# ## 6. Play with it
#
# From a terminal at the top of the checkout, the training playground replays a run as one
# page with a slider over the steps (decision boundary, loss curve and weights together):
#
# ```bash
# python -m demos.playground --dataset moons      # or circles, spirals, xor
# ```
#
# Things to try here: change `STEPS`, the hidden sizes, `activation="tanh"`, or the learning
# rate, and run section 4 again.
