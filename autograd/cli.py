"""The ``chainrule`` command: draw an expression's graph for a slide.

chainrule draw "tanh(a*b + c)" a=2 b=-3 c=10 -o graph.svg [--no-grad] [--rankdir TB]
"""

from __future__ import annotations

import argparse
import sys

from autograd.dot import GraphTooLargeError
from autograd.drawing import draw
from autograd.expression import ExpressionError, build, parse_bindings


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="chainrule", description="chainrule: backpropagation you can see.")
    commands = top.add_subparsers(dest="command", required=True)
    d = commands.add_parser(
        "draw",
        help="draw the graph of an expression, with gradients",
        description="Build the graph of EXPRESSION, run backward() and write the picture.",
        epilog='example: chainrule draw "tanh(a*b + c)" a=2 b=-3 c=10 -o graph.svg',
    )
    d.add_argument("expression", help="numbers, names, + - * / **, exp log tanh sigmoid relu abs")
    d.add_argument("bindings", nargs="*", metavar="name=number", help="a value for every name")
    d.add_argument("-o", "--output", default="graph.svg", help="where to write: .svg, .png or .dot")
    d.add_argument("--no-grad", action="store_true", help="draw values only, without backward()")
    d.add_argument("--rankdir", default="LR", choices=["LR", "TB"], help="left to right or top to bottom")
    d.add_argument("--edge-labels", action="store_true", help="write each edge's local derivative on it")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        root, _ = build(args.expression, parse_bindings(args.bindings))
        if not args.no_grad:
            root.backward()
        path = draw(root, show_grad=not args.no_grad, rankdir=args.rankdir, edge_labels=args.edge_labels).save(
            args.output
        )
    except (ExpressionError, GraphTooLargeError) as error:
        print(f"chainrule: {error}", file=sys.stderr)
        return 2
    except (ValueError, RuntimeError, OSError) as error:
        print(f"chainrule: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
