"""The tour: chainrule's main demo, in about half a minute.

It writes into an output folder (default ``chainrule-tour/``):
  graph.svg           the README example's graph, every value with its gradient
  backprop.html       the step-by-step player for that graph (open it in a browser)
  quiz.html           the same player as a quiz: type each chain-rule product before it is shown
  gradient_graph.svg  ∂L/∂a of the example as a graph: the backward pass drawn as forward nodes
  network.svg         the trained moons classifier, drawn as neurons and weights
  moons.png           that classifier's decision boundary (needs matplotlib: the plot extra)
  playground.html     a slider over a moons classifier's training: boundary, loss, weights

    python -m demos.tour [--out DIR] [--steps N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import autograd
import nn
from autograd import check_gradients, draw, no_grad
from autograd.player import write_player
from demos.curvature import save_gradient_graph
from demos.examples import readme_example, train_moons
from demos.playground import train, write_playground


def plot_boundary(model: nn.MLP, X: list, y: list, path: Path) -> Path | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    n = 120
    xs = [-1.6 + 4.2 * i / (n - 1) for i in range(n)]
    ys = [-1.2 + 2.9 * j / (n - 1) for j in range(n)]
    with no_grad():  # values only: no graph is kept for 14,400 evaluations
        scores = [[model([x, v])[0].data for x in xs] for v in ys]
    fig, ax = plt.subplots(figsize=(8, 6))
    # The playground's colours: orange for class −1, blue for class +1.
    ax.contourf(xs, ys, scores, levels=[-1e9, 0.0, 1e9], colors=["#fdd9b5", "#c6dbef"])
    ax.contour(xs, ys, scores, levels=[0.0], colors="#444444", linewidths=1.2)
    for label, colour, name in ((-1, "#e6550d", "class −1"), (1, "#2171b5", "class +1")):
        points = [p for p, t in zip(X, y) if t == label]
        ax.scatter([p[0] for p in points], [p[1] for p in points], c=colour, s=28, edgecolors="white", label=name)
    ax.set_xlabel("x[0]", fontsize=13)
    ax.set_ylabel("x[1]", fontsize=13)
    ax.legend(loc="upper right", fontsize=12, framealpha=0.9)
    ax.set_title("Two moons: an MLP 2-16-16-1 trained by chainrule (line: score 0)", fontsize=14)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def time_compiled_step(model: nn.MLP, X: list, y: list, repeats: int = 5) -> tuple[float, float]:
    """Milliseconds for one forward + backward step, eager and compiled, after checking they agree."""

    def loss_fn(X: list, y: list) -> autograd.Value:
        return nn.hinge_loss([model(x)[0] for x in X], y) + 1e-4 * nn.l2_penalty(model.parameters())

    step = autograd.compile(loss_fn)
    params = model.parameters()
    timings = {}
    for name, fn in (("eager", loss_fn), ("compiled", step)):
        fn(X, y)  # the compiled one traces here
        start = time.perf_counter()
        for _ in range(repeats):
            model.zero_grad()
            fn(X, y).backward()
        timings[name] = (time.perf_counter() - start) / repeats * 1e3
        grads = [p.grad for p in params]
        if name == "eager":
            expected = grads
    worst = max(abs(a - b) for a, b in zip(grads, expected))
    assert worst <= 1e-9 * max(map(abs, expected)), f"compiled gradients differ from eager by {worst}"
    model.zero_grad()
    return timings["eager"], timings["compiled"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m demos.tour", description="chainrule's tour")
    parser.add_argument("--out", default="chainrule-tour", help="output folder (default chainrule-tour)")
    parser.add_argument("--steps", type=int, default=100, help="training steps for the moons classifier")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    print("1. L = tanh(a*b + c): the graph remembers each local derivative; backward() sums over paths.")
    L = readme_example()
    L.backward()
    for node in L.parents[0].parents + L.parents[0].parents[0].parents:
        print(f"   ∂L/∂{node.label} = {node.grad:+.6f}")
    print(f"   wrote {draw(L).save(out / 'graph.svg')}")

    print("2. The same backward pass, one chain-rule step at a time, in a page that works offline.")
    print(f"   wrote {write_player(readme_example(), out / 'backprop.html')}")
    print(f"   wrote {write_player(readme_example(), out / 'quiz.html', quiz=True)} (you type each product first)")

    print("3. Check my derivation: hand-worked gradients against the graph's, a wrong one explained path by path.")
    print("   " + str(check_gradients(readme_example(), {"a": -0.004, "b": -0.0027})).replace("\n", "\n   "))

    print("4. Gradients of gradients: ∂L/∂a is a graph of its own, the backward pass as forward nodes.")
    print(f"   wrote {save_gradient_graph(out / 'gradient_graph.svg')}")

    print(f"5. micrograd's demo: two moons, MLP 2-16-16-1, {args.steps} SGD steps.")
    model, X, y, accuracy = train_moons(args.steps)
    print(f"   training accuracy {accuracy:.0%}")
    print(f"   wrote {draw(model).save(out / 'network.svg')}")
    boundary = plot_boundary(model, X, y, out / "moons.png")
    if boundary:
        print(f"   wrote {boundary}")
    else:
        print('   (install matplotlib to plot the decision boundary: pip install -e ".[plot]")')

    print("6. The same training step with one added line, autograd.compile: traced once, replayed as arrays.")
    eager_ms, compiled_ms = time_compiled_step(model, X, y)
    print(f"   one step: {eager_ms:.1f} ms eager, {compiled_ms:.2f} ms compiled, the same gradients")

    print("7. The training playground: one offline page, a slider over training (boundary, loss, weights).")
    print(f"   wrote {write_playground(train('moons', 100, grid=24), out / 'playground.html')}")
    print(f"\nDone in {time.perf_counter() - start:.1f} s. Open {out / 'backprop.html'} in a browser.")
    print("Next: python -m demos.digits, the same loop compiled, on handwritten digits (97% held out).")


if __name__ == "__main__":
    main()
