"""The README example: a tiny expression, its forward values, and gradients from the graph.

python -m demos.quickstart
"""

from autograd import topological_order
from demos.examples import readme_example


def main() -> None:
    L = readme_example()
    L.backward()
    print("L = tanh(a*b + c): every gradient below came out of the graph")
    for node in topological_order(L):
        print(f"  {node.label}  data {node.data:+9.4f}   dL/d{node.label} {node.grad:+.6f}")


if __name__ == "__main__":
    main()
