"""The ``chainrule`` command: draw an expression's graph for a slide.

chainrule draw "tanh(a*b + c)" a=2 b=-3 c=10 -o graph.svg [--no-grad] [--rankdir TB]
chainrule draw "(y - t)**2" y=0.3 t=1 -o slide.png --fontsize 16 --size 13.33,7.5 --dpi 192 --theme dark
chainrule draw "-log(p)" p=0.8          # an expression may start with a minus
chainrule draw -- "-log(p)" p=0.8       # so may anything after --
"""

from __future__ import annotations

import argparse
import sys
import warnings

from autograd.dot import GraphTooLargeError
from autograd.drawing import draw
from autograd.expression import FUNCTIONS, ExpressionError, build, parse_bindings

EXAMPLES = [
    ('"(y - t)**2" y=0.3 t=1', "squared error"),
    ('"0.5*(y - a)**2" y=1 a=0.3', "squared error with a half in front"),
    ('"-(t*log(p) + (1-t)*log(1-p))" t=1 p=0.8', "binary cross-entropy"),
    ('"-log(exp(a) / (exp(a) + exp(b)))" a=2 b=0.5', "softmax + cross-entropy of two logits"),
    ('"tanh(a*b + c)" a=2 b=-3 c=10', "the README example"),
]


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="chainrule", description="chainrule: backpropagation you can see.")
    commands = top.add_subparsers(dest="command", required=True)
    d = commands.add_parser(
        "draw",
        help="draw the graph of an expression, with gradients",
        description="Build the graph of EXPRESSION, run backward() and write the picture.",
        epilog="examples:\n" + "\n".join(f"  chainrule draw {e:<52} # {why}" for e, why in EXAMPLES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument(
        "expression",
        help=f"numbers, names, + - * / **, unary minus, and the functions {' '.join(FUNCTIONS)}",
    )
    d.add_argument("bindings", nargs="*", metavar="name=number", help="a value for every name")
    d.add_argument("-o", "--output", default="graph.svg", help="where to write: .svg, .png or .dot")
    d.add_argument("--no-grad", action="store_true", help="draw values only, without backward()")
    d.add_argument(
        "--rankdir",
        choices=["LR", "TB"],
        help="left to right (the default) or top to bottom; with --size, chosen so the text stays legible",
    )
    d.add_argument("--edge-labels", action="store_true", help="write local × upstream = contribution on each edge")
    d.add_argument("--max-nodes", type=int, default=2000, help="refuse graphs with more values (default 2000)")
    d.add_argument("--digits", type=int, default=4, help="significant digits of every number (default 4)")
    d.add_argument("--fontsize", type=float, default=12, help="font size in points (default 12)")
    d.add_argument("--size", metavar="W,H", help="fit the picture to W x H inches, e.g. 13.33,7.5 for a 16:9 slide")
    d.add_argument("--dpi", type=float, help="PNG resolution (default 96; 192 for a sharp slide)")
    d.add_argument("--theme", choices=["light", "dark"], default="light", help="colours for a light or dark slide")
    d.add_argument(
        "--layout", choices=["auto", "dot", "fast"], default="auto", help="graphviz's dot, or the fast layered layout"
    )
    return top


def expressions_as_operands(argv: list[str], top: argparse.ArgumentParser) -> list[str]:
    """Keep an expression that starts with a minus (``"-log(p)"``) from being read as an option.

    argparse takes any word that starts with ``-`` for an option; a leading space makes it an
    operand, and the expression parser ignores the space.
    """
    options = {flag for action in _all_actions(top) for flag in action.option_strings}

    def is_option(word: str) -> bool:
        name = word.split("=")[0]
        if name in options or word == "--":
            return True
        if word.startswith("--"):  # argparse takes an unambiguous prefix: --out for --output
            return any(flag.startswith(name) for flag in options if flag.startswith("--"))
        return word[:2] in options  # a short option with its value attached: -ograph.svg

    words: list[str] = []
    for i, word in enumerate(argv):
        if word == "--":
            return words + argv[i:]  # after --, argparse takes every word as an operand
        words.append(" " + word if word.startswith("-") and not is_option(word) else word)
    return words


def _all_actions(top: argparse.ArgumentParser) -> list[argparse.Action]:
    actions = list(top._actions)
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                actions += sub._actions
    return actions


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args = top.parse_args(expressions_as_operands(sys.argv[1:] if argv is None else argv, top))
    try:
        root, _ = build(args.expression, parse_bindings(args.bindings))
        if not args.no_grad:
            root.backward()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            drawing = draw(
                root,
                show_grad=not args.no_grad,
                rankdir=args.rankdir,
                edge_labels=args.edge_labels,
                digits=args.digits,
                fontsize=args.fontsize,
                size=args.size,
                theme=args.theme,
                layout=args.layout,
                dpi=args.dpi,
                max_nodes=args.max_nodes,
            )
            path = drawing.save(args.output)
        for warning in caught:
            print(f"chainrule: warning: {warning.message}", file=sys.stderr)
    except GraphTooLargeError as error:
        print(f"chainrule: {str(error).replace('draw(..., max_nodes=N)', '--max-nodes N')}", file=sys.stderr)
        return 2
    except ExpressionError as error:
        print(f"chainrule: {error}", file=sys.stderr)
        return 2
    except (ValueError, RuntimeError, OSError) as error:
        print(f"chainrule: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
