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
# # Backpropagation, read off the graph
#
# This notebook follows the arc of micrograd's lecture with chainrule: build an expression out
# of `Value`s, draw it, look at the *local* derivative each node recorded in the forward pass,
# run `backward()`, and watch the chain rule fill in the gradients one step at a time.
#
# Run the cells top to bottom (Shift+Enter). Nothing here needs the internet.

# %%
import math

from autograd import Value, backward_steps, draw, format_number
from autograd.check import check_gradients
from autograd.player import player

# %% [markdown]
# ## 1. Values
#
# A `Value` is a number that remembers where it came from. Give the ones you care about a
# label: the drawing and every message will use it.

# %%
a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = Value(10.0, label="c")
e = a * b
e.label = "e"
d = e + c
d.label = "d"
L = d.tanh()
L.label = "L"
L

# %% [markdown]
# ## 2. Drawing the graph
#
# Each rectangle is a value (its label, `data` and `grad`); each small node is the op that made
# it. Before any backward pass every gradient is 0.

# %%
draw(L)

# %% [markdown]
# ## 3. Local derivatives
#
# Each node stores ∂node/∂parent for each of its parents, computed in the forward pass:
# `local_grads`. For `e = a * b` they are `(b, a)`; for `d = e + c` they are `(1, 1)`; for
# `L = tanh(d)` it is `1 − tanh(d)²`. The op knows nothing about gradients flowing
# backwards: that is the engine's job.

# %%
for node in (e, d, L):
    parents = ", ".join(p.label for p in node.parents)
    local = ", ".join(format_number(g) for g in node.local_grads)
    print(f"{node.label} = {node.op}({parents}):  local_grads = ({local})")
assert e.local_grads == (b.data, a.data)
assert d.local_grads == (1.0, 1.0)
assert L.local_grads[0] == 1 - math.tanh(d.data) ** 2

# %% [markdown]
# ## 4. `backward()`: the chain rule along every edge
#
# `L.backward()` seeds ∂L/∂L = 1 and walks the graph from the output back, doing
# `parent.grad += local * node.grad` on every edge. Edge labels show each local derivative
# and its product with the gradient flowing in.

# %%
L.backward()
for node in (a, b, c, e, d):
    print(f"∂L/∂{node.label} = {node.grad:+.6f}")
draw(L, edge_labels=True)

# %% [markdown]
# The chain rule by hand gives the same number: ∂L/∂a = ∂L/∂d · ∂d/∂e · ∂e/∂a = (1 − tanh²d) · 1 · b.

# %%
by_hand = (1 - math.tanh(d.data) ** 2) * 1.0 * b.data
print(f"by hand {by_hand:+.12f}   graph {a.grad:+.12f}")
assert math.isclose(by_hand, a.grad, rel_tol=1e-12)

# %% [markdown]
# ## 5. Fan-out: a value used twice gets `+=`
#
# In `y = x * x + x`, `x` reaches `y` along **three** edges (twice into the product, once into
# the sum). Its gradient is the sum over them: 2x + 1. That is why the engine *adds* into
# `parent.grad` instead of assigning; micrograd's famous bug was assigning. The drawing shows
# both edges of `x * x`.

# %%
x = Value(3.0, label="x")
xx = x * x
xx.label = "x²"
y = xx + x
y.label = "y"
y.backward()
print(f"∂y/∂x = {x.grad} (2x + 1 = {2 * x.data + 1})")
assert x.grad == 2 * x.data + 1
draw(y, edge_labels=True)

# %% [markdown]
# Leaves *accumulate* across passes, as in PyTorch: a second `backward()` adds another 7.
# Reset with `zero_grad()` between passes (an optimiser's `zero_grad()` does it for you).

# %%
y.backward()
print("after a second backward():", x.grad)
y.zero_grad()
y.backward()
print("after zero_grad() and backward():", x.grad)
assert x.grad == 7.0

# %% [markdown]
# ## 6. Stepping through the backward pass
#
# `backward_steps(L)` yields each chain-rule step in exactly the order `backward()` applies
# them: the node, the gradient flowing into it (upstream), the parent, the local derivative,
# its product with the upstream gradient (the contribution), and the parent's gradient before
# and after the `+=`. We zero the gradients first: the leaves still hold the last pass's.

# %%
L.zero_grad()
for step in backward_steps(L):
    print(
        f"∂L/∂{step.parent.label} += ∂{step.node.label}/∂{step.parent.label} · ∂L/∂{step.node.label}"
        f" = {format_number(step.local)} × {format_number(step.upstream)} = {format_number(step.contribution)}"
        f"   ({format_number(step.before)} → {format_number(step.after)})"
    )

# %% [markdown]
# ## 7. The player
#
# The same steps as a picture you can click through: **Next** / **Prev**, the slider, or the
# arrow keys once you have clicked into it. It is a self-contained page: `player(L).save("backprop.html")`
# writes it to a file you can open anywhere.

# %%
L.zero_grad()  # start from a clean slate, as a first backward() would
player(L)

# %% [markdown]
# The fan-out graph: watch `x` receive three contributions. The output here is called `y`, so
# the player writes ∂y/∂x, as `check_gradients` below does. (Any number of players work on one
# page: each lives in its own frame.)

# %%
y.zero_grad()
player(y)

# %% [markdown]
# ## 8. Your turn: check your derivation
#
# Work out ∂L/∂node by hand for a few nodes and hand them in, keyed by label.
# `check_gradients` compares them with the graph's; for each wrong one it shows every path from
# `L` down to that node as the product of the local derivatives along it, so you can see which
# factor or which path you missed. An answer is right within 1%, or when it is the graph's value
# rounded to the digits you wrote.
#
# Below, a deliberate slip: ∂L/∂x for `y = x*x + x` counted only one edge of `x * x`.

# %%
check_gradients(y, {"x": 4.0, "x²": 1.0})

# %% [markdown]
# And for `L`: ∂L/∂a is right to the digit given, but the sign of ∂L/∂b is wrong.
#
# `check_gradients` runs its own backward pass and leaves every `.grad` as it found it (here 0:
# the player above started from a clean slate). So `draw(L, highlight_nodes=result.wrong_nodes)`
# would show zeros; `result.draw()` draws the gradients it checked against, with the nodes that
# disagree (and the path into them) in red.

# %%
result = check_gradients(L, {"a": -0.004, "b": -0.0027, "e": 0.00134})
result

# %%
result.draw()

# %% [markdown]
# ## 9. Quiz yourself
#
# `player(root, quiz=True)` asks for each contribution (local × upstream) before revealing it,
# and keeps score. Type a number and press Enter. An answer worked from the rounded numbers on
# the graph counts (1 − 0.9993² for tanh's local derivative, say), and a wrong answer gets one
# more try before the step is shown.

# %%
player(L, quiz=True)
