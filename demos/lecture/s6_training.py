"""§6 Learning: gradient descent, then minibatch SGD with momentum, Nesterov and L2.

Gradient descent is θ_{t+1} = θ_t − η ∇θ_t, repeated for max_iterations (the notes use
1000). Stochastic gradient descent runs epochs k = 1..K, each a pass over the data in
minibatches b = 1..B, with a learning-rate schedule, momentum or Nesterov momentum, and
L2 (or L1) regularisation of the weights. nn.SGD does the updates; every rule is also worked
by hand from the graph's gradients, independently of the optimiser, and compared with what
it did. The loss curves are plotted to a PNG when matplotlib is installed
(pip install -e ".[plot]").

    python -m demos.lecture.s6_training [--out DIR]
"""

import math
import sys
from pathlib import Path

import nn
from autograd import Value
from autograd.numbers import format_number as fmt
from demos.lecture.agreement import Report, close
from demos.lecture.networks import network

DPI = 120  # loss_curves.png: 1488x624 pixels
STEP_SIZE = 15  # epochs between the step decay's halvings of η
SGD = "SGD  "  # the right-hand number is what nn.SGD did (same width as "graph")


def gradient_descent(r: Report, max_iterations: int = 1000) -> list[float]:
    r.say("Gradient descent on XOR (sigmoid units, squared error), η = 2, with nn.SGD doing the updates.")
    r.say("Before every update we work θ_{t+1} = θ_t − η ∇θ_t by hand from the graph's gradient, and")
    r.say("after it compare with what the optimiser did to each parameter.")
    X, y = nn.make_xor()
    model = network(2, [3, 1], "sigmoid", "sigmoid", seed=1)
    params, eta, losses = model.parameters(), 2.0, []
    opt = nn.SGD(params, lr=eta)
    first_weight, last_bias = params[0], params[-1]
    every_update_agrees = True
    for t in range(max_iterations):
        loss = nn.mse_loss([model(x)[0] for x in X], y, reduction="sum")
        opt.zero_grad()
        loss.backward()
        by_hand = [p.data - eta * p.grad for p in params]  # θ_{t+1} = θ_t − η ∇θ_t, before the optimiser moves
        opt.step()
        if t == 0:
            r.agree(f"θ_1 = θ_0 − η ∇θ_0, {first_weight.label}", by_hand[0], first_weight.data, source=SGD)
            r.agree(f"θ_1 = θ_0 − η ∇θ_0, {last_bias.label}", by_hand[-1], last_bias.data, source=SGD)
        every_update_agrees &= all(close(e, p.data) for e, p in zip(by_hand, params))
        losses.append(loss.data)
    r.claim(f"θ_{{t+1}} = θ_t − η ∇θ_t: all {len(params)} parameters, {max_iterations} steps", every_update_agrees)
    outputs = [model(x)[0].data for x in X]
    r.say(
        f"  loss {fmt(losses[0])} → {fmt(losses[-1])} after {max_iterations} iterations; outputs "
        f"{', '.join(fmt(o, 3) for o in outputs)} for targets {', '.join(fmt(t) for t in y)}"
    )
    r.claim("gradient descent learns XOR", all((o > 0.5) == (t == 1) for o, t in zip(outputs, y)))
    r.claim("the loss went down", losses[-1] < losses[0] / 10)
    return losses


def minibatch_sgd(r: Report, nesterov: bool) -> list[float]:
    kind = "Nesterov" if nesterov else "momentum"
    r.say(f"\nMinibatch SGD with {kind} (μ = 0.9), weight decay 1e-4 (L2), step decay, on two moons:")
    X, labels = nn.make_moons(100, noise=0.1, seed=0)
    y = [2 * t - 1 for t in labels]
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    opt = nn.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=nesterov, weight_decay=1e-4)
    schedule = nn.StepDecay(opt, step_size=STEP_SIZE, gamma=0.5)
    K, batch_size = 30, 20
    B = math.ceil(len(X) / batch_size)
    epoch_losses, total = [], 0.0
    seen: dict[int, list[tuple[float, ...]]] = {}
    numbers: dict[int, list[int]] = {}
    rates: dict[int, float] = {}
    for k, b, batch_X, batch_y in nn.minibatches(X, y, batch_size=batch_size, epochs=K, seed=0):
        rates.setdefault(k, opt.lr)
        seen.setdefault(k, []).extend(tuple(x) for x in batch_X)
        numbers.setdefault(k, []).append(b)
        loss = nn.hinge_loss([model(x)[0] for x in batch_X], batch_y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.data
        if b == B:  # the last minibatch of the epoch
            epoch_losses.append(total / B)
            total = 0.0
            schedule.step()
    accuracy = sum((model(x)[0].data > 0) == (t > 0) for x, t in zip(X, y)) / len(y)
    everyone = sorted(tuple(x) for x in X)
    r.claim(
        f"epochs k = 1..{K}, each b = 1..{B}",
        sorted(numbers) == list(range(1, K + 1)) and all(n == list(range(1, B + 1)) for n in numbers.values()),
    )
    r.claim("each epoch is one pass: every sample once", all(sorted(v) == everyone for v in seen.values()))
    expected_rates = [0.1 * 0.5 ** ((k - 1) // STEP_SIZE) for k in range(1, K + 1)]
    r.claim(
        "η_k = 0.1 · 0.5^⌊(k − 1)/15⌋ in epoch k",
        all(close(rates[k], e) for k, e in zip(range(1, K + 1), expected_rates)),
    )
    r.say(f"  mean loss per epoch {fmt(epoch_losses[0])} → {fmt(epoch_losses[-1])}, training accuracy {accuracy:.0%}")
    r.claim(f"SGD with {kind} reaches ≥ 95% on moons", accuracy >= 0.95)
    return epoch_losses


def loss_at(theta: Value) -> Value:
    """L(θ) = (θ² − 1)²: not quadratic, so where its gradient is taken matters."""
    return (theta * theta - 1.0) ** 2


def grad_at(value: float) -> float:
    """∇L at θ = value, from the graph of a fresh leaf (nothing of an optimiser's is touched)."""
    theta = Value(value)
    loss_at(theta).backward()
    return theta.grad


def sign(w: float) -> float:
    return (w > 0) - (w < 0)


def regularisation(r: Report) -> None:
    lam = 0.01
    r.say(f"\nL2 and L1 regularisation, λ = {lam}, at weights where 2λw and λ sign(w) differ:")
    ws = [Value(v, label=f"w{i}") for i, v in enumerate((-1.5, 0.25, 2.0))]
    (lam * nn.l2_penalty(ws)).backward()
    for w in ws:
        r.agree(f"∂(λ Σ w²)/∂w = 2λw, w = {fmt(w.data)}", 2 * lam * w.data, w.grad)
    for w in ws:
        w.grad = 0.0
    (lam * nn.l1_penalty(ws)).backward()
    for w in ws:
        r.agree(f"∂(λ Σ |w|)/∂w = λ sign(w), w = {fmt(w.data)}", lam * sign(w.data), w.grad)

    r.say("  The optimiser's own terms: one step of nn.SGD with weight_decay = 2λ (PyTorch's convention)")
    r.say("  or l1 = λ on L alone, against θ_1 = θ_0 − η ∇(L + penalty) with the graph's ∇ of L + penalty:")
    theta0, eta = -1.5, 0.1
    for name, penalty, options in (
        ("λ Σ w²", lambda t: lam * t * t, {"weight_decay": 2 * lam}),
        ("λ Σ |w|", lambda t: lam * abs(t), {"l1": lam}),
    ):
        theta = Value(theta0)
        (loss_at(theta) + penalty(theta)).backward()
        by_hand = theta0 - eta * theta.grad
        p = Value(theta0)
        opt = nn.SGD([p], lr=eta, **options)
        loss_at(p).backward()
        opt.step()
        r.agree(f"θ_1 = θ_0 − η ∇(L + {name})", by_hand, p.data, source=SGD)


def momentum_rules(r: Report, steps: int = 5) -> None:
    mu, eta, theta0 = 0.9, 0.05, 0.5
    r.say(f"\nMomentum and Nesterov by hand, on L(θ) = (θ² − 1)² from θ_0 = {theta0}, μ = {mu}, η = {eta}.")
    r.say("  Momentum: v ← μv − η∇L(θ), θ ← θ + v; the gradient from a fresh graph at the hand-kept θ.")
    p = Value(theta0)
    opt = nn.SGD([p], lr=eta, momentum=mu)
    theta, v = theta0, 0.0
    for t in range(1, steps + 1):
        v = mu * v - eta * grad_at(theta)
        theta += v
        opt.zero_grad()
        loss_at(p).backward()
        opt.step()
        r.agree(f"momentum, step {t}: θ_{t}", theta, p.data, source=SGD)
    plain_momentum = p.data

    r.say("  Nesterov: the gradient at the look-ahead point, v ← μv − η∇L(θ + μv), θ ← θ + v.")
    r.say("  nn.SGD(nesterov=True) follows PyTorch, which keeps the look-ahead point θ + μv as its")
    r.say("  parameter and writes the rule as buf ← μ buf + g, θ ← θ − η(g + μ buf); both by hand:")
    p = Value(theta0)
    opt = nn.SGD([p], lr=eta, momentum=mu, nesterov=True)
    theta, v = theta0, 0.0  # the look-ahead form
    phi, buf = theta0, 0.0  # PyTorch's form
    for t in range(1, steps + 1):
        v = mu * v - eta * grad_at(theta + mu * v)
        theta += v
        g = grad_at(phi)
        buf = mu * buf + g
        phi -= eta * (g + mu * buf)
        opt.zero_grad()
        loss_at(p).backward()
        opt.step()
        r.agree(f"Nesterov, step {t}: θ_{t} + μ v_{t}", theta + mu * v, p.data, source=SGD)
        r.agree(f"Nesterov, step {t}: PyTorch's θ_{t}", phi, p.data, source=SGD)
    r.claim("Nesterov's path differs from plain momentum's", not close(p.data, plain_momentum, 1e-6))


def plot(curves: dict[str, list[float]], path: Path, show) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        show('\n(matplotlib is not installed: pip install -e ".[plot]" to plot the loss curves)')
        return
    fig = figure(curves)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    show(f"\nwrote the loss curves to {path}")


def figure(curves: dict[str, list[float]]):
    """The loss curves for a slide: gradient descent per iteration on the left; the minibatch runs
    (per epoch, each point the mean loss over the epoch's minibatches) together on the right,
    on one axis, with the epoch where step decay halves η marked."""
    import matplotlib.pyplot as plt

    per_iteration = {t: v for t, v in curves.items() if "descent" in t}
    per_epoch = {t: v for t, v in curves.items() if t not in per_iteration}
    panels = [p for p in (per_iteration, per_epoch) if p]
    fig, axes = plt.subplots(1, len(panels), figsize=(6.2 * len(panels), 5.2), squeeze=False)
    for ax, panel in zip(axes[0], panels):
        for title, values in panel.items():
            ax.plot(range(1, len(values) + 1), values, lw=1.8, label=title)
        ax.set_yscale("log")
        ax.grid(True, which="major", alpha=0.3)
        if panel is per_iteration:
            ax.set_title("gradient descent on XOR, full batch", fontsize=13)
            ax.set_xlabel("iteration", fontsize=12)
            ax.set_ylabel("loss (sum of squared errors)", fontsize=12)
        else:
            ax.set_title("minibatch SGD on moons, μ = 0.9", fontsize=13)
            ax.set_xlabel("epoch", fontsize=12)
            ax.set_ylabel("mean loss per epoch", fontsize=12)
            decay = STEP_SIZE + 0.5  # η is halved after epoch 15: epoch 16 is the first at η/2
            ax.axvline(decay, color="0.45", ls="--", lw=1)
            ax.annotate(
                f"step decay: η halved\nfrom epoch {STEP_SIZE + 1}",
                (decay, 1),
                xycoords=("data", "axes fraction"),
                xytext=(5, -6),
                textcoords="offset points",
                va="top",
                fontsize=11,
                color="0.3",
            )
        ax.tick_params(labelsize=11)
        ax.legend(fontsize=11, loc="lower left")
    fig.tight_layout()
    return fig


def run(show=print, out: Path = Path("out")) -> list:
    r = Report(show, __doc__)
    curves = {"gradient descent (XOR)": gradient_descent(r)}
    curves["SGD + momentum (moons)"] = minibatch_sgd(r, nesterov=False)
    curves["SGD + Nesterov (moons)"] = minibatch_sgd(r, nesterov=True)
    regularisation(r)
    momentum_rules(r)
    plot(curves, Path(out) / "loss_curves.png", show)
    return r.summary()


if __name__ == "__main__":
    run(out=Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else Path("out"))
