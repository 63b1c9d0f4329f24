#!/usr/bin/env python3
"""python_overhead.py - what a Python cost pays per evaluation through augur.

    PYTHONPATH=build/release/python python3 bench/python_overhead.py [--quick]

For two Python costs (a tiny pure-Python one and numpy's Rosenbrock), the
time per call of the bare callable (`for x in points: cost(x)` over the
very points the augur run evaluates, recorded in a first run), per evaluation of augur's Nelder-Mead driving it (the whole
run divided by the evaluations), and per evaluation of scipy.optimize.fmin
when scipy is installed. The target (issue 16) is augur <= 1.2 x bare +
1 us. Nelder-Mead runs with a condition that never fires and an evaluation
limit, so every run makes the same number of calls. docs/PYTHON.md and
docs/BENCHMARKS.md hold the numbers.
"""
import sys
import time

import numpy as np

import augur
from augur.termination import VTR

N = 200_000
REPEAT = 5


def tiny(x):
    return x[0] * x[0] + x[1] * x[1] + x[2] * x[2]


def rosen_np(x):
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))


def best(fn):
    return min(fn() for _ in range(REPEAT))


def points_of(cost, n):
    """The points augur's run evaluates, in order (the bare calls repeat
    them: a run that converges meets small or subnormal numbers, whose
    arithmetic costs more than that of the starting point)."""
    seen = []

    def record(x):
        seen.append(x.copy())
        return cost(x)
    augur.minimize(record, [0.1, 0.2, 0.3], termination=VTR(0, -1),
                   options={"maxfev": n, "maxiter": float("inf")})
    return np.array(seen)     # one contiguous block: rows are read in order


def bare(cost, n):
    points = points_of(cost, n)

    def run():
        t = time.perf_counter()
        for x in points:
            cost(x)
        return (time.perf_counter() - t) / len(points)
    return best(run)


def through_augur(cost, n):
    never = VTR(0, -1)

    def run():
        t = time.perf_counter()
        r = augur.minimize(cost, [0.1, 0.2, 0.3], termination=never,
                           options={"maxfev": n, "maxiter": float("inf")})
        return (time.perf_counter() - t) / r.nfev
    return best(run)


def through_scipy(cost, n):
    try:
        from scipy.optimize import fmin
    except ImportError:
        return None

    def run():
        t = time.perf_counter()
        *_, nfev, _ = fmin(cost, [0.1, 0.2, 0.3], xtol=0, ftol=0, maxfun=n,
                           maxiter=10 * n, disp=False, full_output=True)
        return (time.perf_counter() - t) / nfev
    return best(run)


def main():
    n = N // 10 if "--quick" in sys.argv else N
    c = through_augur(augur.model_cost("rosen"), n)
    print(f"augur {augur.__version__}, Python {sys.version.split()[0]}, "
          f"numpy {np.__version__}, {n} evaluations, best of {REPEAT}")
    print(f"C cost (model rosen) through augur: {c * 1e6:.3f} us per evaluation "
          "(the library's own floor)")
    print(f"{'cost':<12} {'bare us':>8} {'augur us':>9} {'target us':>10} "
          f"{'met':>4} {'scipy fmin us':>14}")
    ok = True
    for name, cost in (("tiny", tiny), ("rosen-numpy", rosen_np)):
        b = bare(cost, n)
        a = through_augur(cost, n)
        s = through_scipy(cost, n)
        target = 1.2 * b + 1e-6
        ok &= a <= target
        scipy_text = f"{s * 1e6:14.3f}" if s is not None else f"{'n/a':>14}"
        print(f"{name:<12} {b * 1e6:8.3f} {a * 1e6:9.3f} {target * 1e6:10.3f} "
              f"{'yes' if a <= target else 'NO':>4} {scipy_text}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
