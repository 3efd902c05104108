#!/usr/bin/env python3
"""Golden values for the activation plugins.

Run from the repository root:

    python3 tools/golden/activations.py          # (re)write packages/activations/<id>/test/golden.json
    python3 tools/golden/activations.py --check  # exit 1 if any committed file is stale

House rule: no expected value is copied from the code under test. These values come from
Python's own `math` module (an independent libm: math.erf/erfc, tanh, exp, expm1, log1p) and
from the closed-form derivatives written out below, never from the TypeScript plugins.
Each file is { grid: [...], cases: [{ options, forward, derivative }] }; the testkit's
`describeActivation(def, { golden })` compares with rtol 1e-12.
"""

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The canonical grid plus points far enough out to see saturation (±10) and underflow (±40).
GRID = [-40.0, -10.0, -3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 10.0, 40.0]

# SELU constants from Klambauer et al. (2017), to the digits printed in the paper's code.
SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


def logistic(z):
    """1 / (1 + e^-z) without overflow."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def logistic_slope(z):
    """σ'(z) = σ(z)σ(-z) = e^{-|z|} / (1 + e^{-|z|})^2, accurate in both tails."""
    e = math.exp(-abs(z))
    return e / (1.0 + e) ** 2


def sech2(z):
    """sech²(z) = 4e^{-2|z|} / (1 + e^{-2|z|})^2, accurate in both tails."""
    e = math.exp(-2.0 * abs(z))
    return 4.0 * e / (1.0 + e) ** 2


def sigmoid(_):
    return logistic, logistic_slope


def tanh(_):
    return math.tanh, sech2


def relu(_):
    return (lambda x: x if x > 0 else 0.0), (lambda x: 1.0 if x > 0 else 0.0)


def leaky_relu(o):
    a = o.get("alpha", 0.01)
    return (lambda x: x if x > 0 else a * x), (lambda x: 1.0 if x > 0 else a)


def elu(o):
    a = o.get("alpha", 1.0)
    return (lambda x: x if x > 0 else a * math.expm1(x)), (lambda x: 1.0 if x > 0 else a * math.exp(x))


def selu(_):
    lam, a = SELU_LAMBDA, SELU_ALPHA
    return (
        lambda x: lam * x if x > 0 else lam * a * math.expm1(x),
        lambda x: lam if x > 0 else lam * a * math.exp(x),
    )


def gelu(o):
    if o.get("approximate", "none") == "tanh":
        c, k = math.sqrt(2.0 / math.pi), 0.044715

        def f(x):
            return 0.5 * x * (1.0 + math.tanh(c * (x + k * x**3)))

        def df(x):
            u = c * (x + k * x**3)
            return 0.5 * (1.0 + math.tanh(u)) + 0.5 * x * sech2(u) * c * (1.0 + 3.0 * k * x * x)

        return f, df

    def cdf(x):  # Φ(x) via erfc, which keeps relative accuracy in the left tail
        return 0.5 * math.erfc(-x / math.sqrt(2.0))

    def pdf(x):
        return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)

    return (lambda x: x * cdf(x)), (lambda x: cdf(x) + x * pdf(x))


def softplus(o):
    b, t = o.get("beta", 1.0), o.get("threshold", 20.0)
    # PyTorch's rule: linear once beta·x exceeds the threshold.
    return (
        lambda x: x if b * x > t else math.log1p(math.exp(b * x)) / b,
        lambda x: 1.0 if b * x > t else logistic(b * x),
    )


def swish(o):
    b = o.get("beta", 1.0)
    return (
        lambda x: x * logistic(b * x),
        lambda x: logistic(b * x) + b * x * logistic_slope(b * x),
    )


def mish(_):
    def sp(x):
        return math.log1p(math.exp(x))

    return (
        lambda x: x * math.tanh(sp(x)),
        lambda x: math.tanh(sp(x)) + x * sech2(sp(x)) * logistic(x),
    )


def softsign(_):
    return (lambda x: x / (1.0 + abs(x))), (lambda x: 1.0 / (1.0 + abs(x)) ** 2)


def hard_sigmoid(_):
    # PyTorch: relu6(x + 3) / 6; f' = 1/6 strictly inside (-3, 3), 0 elsewhere (also at the kinks).
    return (lambda x: min(max(x + 3.0, 0.0), 6.0) / 6.0), (lambda x: 1.0 / 6.0 if -3.0 < x < 3.0 else 0.0)


# id → (formulas, option sets). The first case is always the defaults.
ACTIVATIONS = {
    "sigmoid": (sigmoid, [{}]),
    "tanh": (tanh, [{}]),
    "relu": (relu, [{}]),
    "leaky-relu": (leaky_relu, [{}, {"alpha": 0.2}]),
    "elu": (elu, [{}, {"alpha": 0.5}]),
    "selu": (selu, [{}]),
    "gelu": (gelu, [{}, {"approximate": "tanh"}]),
    "softplus": (softplus, [{}, {"beta": 2.0}]),
    "swish": (swish, [{}, {"beta": 2.0}]),
    "mish": (mish, [{}]),
    "softsign": (softsign, [{}]),
    "hard-sigmoid": (hard_sigmoid, [{}]),
}


def golden(make, option_sets):
    cases = []
    for options in option_sets:
        f, df = make(options)
        cases.append({"options": options, "forward": [f(x) for x in GRID], "derivative": [df(x) for x in GRID]})
    return {"grid": GRID, "cases": cases}


def main(argv):
    check = "--check" in argv
    stale = []
    for activation_id, (make, option_sets) in ACTIVATIONS.items():
        path = ROOT / "packages" / "activations" / activation_id / "test" / "golden.json"
        text = json.dumps(golden(make, option_sets), indent=2) + "\n"
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("stale golden files (run python3 tools/golden/activations.py):\n  " + "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
