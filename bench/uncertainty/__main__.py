"""`python -m bench.uncertainty [--quick] [--write-docs]`: the harness alone (see __init__)."""

import sys

from bench.__main__ import show
from bench.uncertainty import run

if __name__ == "__main__":
    missed = 0
    for figure in run(sys.argv[1:]):
        print(show(figure))
        missed += figure.get("ok") is False
    sys.exit(1 if missed else 0)
