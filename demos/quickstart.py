"""The README example: a tiny expression, its forward values, and gradients from the graph.

python -m demos.quickstart
"""

from autograd import Value


def main() -> None:
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    d = e + c
    L = d.tanh()
    e.label, d.label, L.label = "e", "d", "L"
    L.backward()
    print("L = tanh(a*b + c): every gradient below came out of the graph")
    for node in (a, b, c, e, d, L):
        print(f"  {node.label}  data {node.data:+9.4f}   dL/d{node.label} {node.grad:+.6f}")


if __name__ == "__main__":
    main()
