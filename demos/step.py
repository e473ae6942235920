"""Step through backprop in the terminal, one chain-rule application at a time.

    python -m demos.step "tanh(a*b + c)" a=2 b=-3 c=10          # Enter for each step
    python -m demos.step "x*x + exp(x)" x=0.5 --auto            # straight through
    python -m demos.step --model                                 # a tiny MLP on one sample
    python -m demos.step "tanh(a*b + c)" a=2 b=-3 c=10 --html backprop.html

It prints the forward values, then each step: which node, the chain-rule product with
numbers, and the running gradient of the parent. With a standard input that is not a
terminal it runs straight through, as with ``--auto``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import nn
from autograd import Value, backward_steps
from autograd.expression import ExpressionError, build, parse_bindings
from demos.narrate import Namer, equation, running_total, symbol


def tiny_model_loss() -> Value:
    """½ (ŷ − y)² for an MLP 2-2-1 with tanh units on the sample x = (1, −0.5), y = 0.5."""
    model = nn.MLP(2, [2, 1], activation="tanh", seed=0)
    [y_hat] = model([1.0, -0.5])
    error = y_hat + Value(-0.5, label="-y")
    squared = error**2
    loss = squared * Value(0.5, label="½")
    error.label, squared.label, loss.label = "ŷ - y", "(ŷ - y)²", "L"
    return loss


def step_through(root: Value, wait: Callable[[], None], out=print) -> int:
    """Print the forward values, then every backward step; return the number of steps."""
    name = Namer(root)
    out(("" if name(root) == "L" else f"L = {name(root)}\n\n") + "Forward pass:")
    for node in name.order:
        how = f"  ({node.op} of {', '.join(name(p) for p in node.parents)})" if node.parents else ""
        out(f"  {name(node):>16s} = {node.data:+.4f}{how}")
    out("\nBackward pass: seed ∂L/∂L = 1, then one edge at a time, outputs first.")
    count = 0
    for count, step in enumerate(backward_steps(root), start=1):
        wait()
        at = name(step.node)
        out(f"\nstep {count}: at {at} ({step.node.op}), upstream ∂L/∂{symbol(at)} = {step.upstream:.4f}")
        out("  " + equation(step, name))
        out("  " + running_total(step, name))
    out("\nDone. Final gradients of the leaves:")
    for node in name.order:
        if not node.parents:
            out(f"  ∂L/∂{symbol(name(node))} = {node.grad:+.6f}")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demos.step", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("expression", nargs="?", help='e.g. "tanh(a*b + c)"')
    parser.add_argument("bindings", nargs="*", metavar="name=number")
    parser.add_argument("--model", action="store_true", help="step through a tiny MLP's loss instead")
    parser.add_argument("--auto", action="store_true", help="do not wait for Enter")
    parser.add_argument("--html", metavar="FILE", help="write the self-contained HTML player instead")
    args = parser.parse_args(argv)
    try:
        if args.model:
            root = tiny_model_loss()
        elif args.expression:
            root, _ = build(args.expression, parse_bindings(args.bindings))
        else:
            parser.error("give an expression with its bindings, or --model")
    except ExpressionError as error:
        print(f"demos.step: {error}", file=sys.stderr)
        return 2
    if args.html:
        from demos.player import write_player

        print(f"wrote {write_player(root, args.html)} (open it in a browser)")
        return 0
    interactive = not args.auto and sys.stdin.isatty()

    def wait() -> None:
        if interactive:
            input("[Enter] ")

    step_through(root, wait)
    return 0


if __name__ == "__main__":
    sys.exit(main())
