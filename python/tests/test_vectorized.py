"""Vectorised costs (vectorized=True): one call per batch the solver asks
for - a whole generation for de2, pso and cmaes - with a read-only 2-D view
of the points, and the same bits as the same function one point at a time.

Problem: 3-D Rosenbrock on [-5, 5]^3, seed 7, 3000 evaluations (as
test_same_bits.py, so the C reference applies too)."""
import numpy as np
import pytest

import augur
from augur.solvers import DifferentialEvolutionSolver2
from conftest import rosen
from test_same_bits import c_runs


def rosen_rows(X):
    """rosen() on every row, in its order of operations (same bits)."""
    a = X[:, 1:] - X[:, :-1] * X[:, :-1]
    b = 1.0 - X[:, :-1]
    t = 100.0 * a * a + b * b
    f = np.zeros(X.shape[0])
    for i in range(t.shape[1]):
        f = f + t[:, i]
    return f


class Counted:
    """A vectorised cost that records the shape of every call."""

    def __init__(self, fun=rosen_rows):
        self.fun = fun
        self.rows = []

    def __call__(self, X):
        assert X.ndim == 2 and X.dtype == np.float64
        self.rows.append(X.shape[0])
        return self.fun(X)


def run(fun, method, vectorized, **kw):
    return augur.minimize(fun, None, method=method, bounds=[(-5, 5)] * 3, seed=7,
                          options={"maxfev": 3000}, vectorized=vectorized, **kw)


@pytest.mark.parametrize("method", ["de2", "pso", "cmaes", "nelder-mead", "powell", "de"])
def test_same_bits_as_the_scalar_callable(method):
    a = run(rosen, method, False)
    b = run(Counted(), method, True)
    assert (b.nfev, b.nit, b.message) == (a.nfev, a.nit, a.message)
    assert b.fun == a.fun                       # bit for bit
    assert list(b.x) == list(a.x)


def test_same_bits_as_the_c_api(c_reference):
    for ref in c_runs(c_reference):
        if ref["method"] not in ("de2", "pso", "cmaes"):
            continue
        r = run(rosen_rows, ref["method"], True)
        assert (r.nfev, r.nit, r.message) == (ref["nfev"], ref["nit"], ref["message"])
        assert r.fun == ref["fun"] and list(r.x) == ref["x"]


def test_de2_is_called_once_per_generation():
    cost = Counted()
    r = run(cost, "de2", True)
    npop = 30                                   # de2's default: 10 n
    assert len(cost.rows) == r.nit + 1          # generation 0 and every step
    assert sum(cost.rows) == r.nfev
    assert all(m == npop for m in cost.rows[:-1])
    assert 0 < cost.rows[-1] <= npop            # the limit may cut the last one


def test_the_evaluation_limit_cuts_the_last_call():
    cost = Counted()
    r = augur.minimize(cost, None, method="de2", bounds=[(-5, 5)] * 3, seed=7,
                       options={"maxfev": 95}, vectorized=True)
    assert cost.rows == [30, 30, 30, 5] and r.nfev == 95 and r.status == 1


def test_the_solver_class_uses_whole_generations():
    cost = Counted()
    solver = DifferentialEvolutionSolver2(3, 20)
    solver.SetRandomInitialPoints([-5] * 3, [5] * 3)
    solver.SetStrictRanges([-5] * 3, [5] * 3)
    solver.SetSeed(7)
    solver.SetEvaluationLimits(generations=10)
    solver.Solve(cost, vectorized=True)
    assert cost.rows == [20] * 11 and solver.evaluations == 220
    scalar = DifferentialEvolutionSolver2(3, 20)
    scalar.SetRandomInitialPoints([-5] * 3, [5] * 3)
    scalar.SetStrictRanges([-5] * 3, [5] * 3)
    scalar.SetSeed(7)
    scalar.SetEvaluationLimits(generations=10)
    scalar.Solve(rosen)
    assert scalar.bestEnergy == solver.bestEnergy
    assert list(scalar.bestSolution) == list(solver.bestSolution)
    # Step goes the same way: one call for the next generation
    solver.SetEvaluationLimits(generations=11)
    solver.Step(cost, vectorized=True)
    assert cost.rows[-1] == 20 and len(cost.rows) == 12


def test_the_points_are_a_read_only_view():
    seen = []

    def cost(X):
        seen.append((X.flags.writeable, X.flags.c_contiguous, X.base is not None))
        with pytest.raises(ValueError):
            X[0, 0] = 1.0
        return rosen_rows(X)
    run(cost, "de2", True)
    assert set(seen) == {(False, True, False)}


def test_exceptions_propagate_with_the_points():
    calls = []

    def cost(X):
        calls.append(X.shape[0])
        if len(calls) == 3:
            raise ZeroDivisionError("third batch")
        return rosen_rows(X)
    with pytest.raises(ZeroDivisionError, match="third batch") as info:
        run(cost, "de2", True)
    assert len(calls) == 3                      # nothing called after it
    assert info.value.augur_x.shape == (30, 3)


def test_a_wrong_length_says_what_was_expected():
    with pytest.raises(ValueError, match=r"1-D array of 30 values.*shape \(30, 3\).*"
                                         r"got shape \(29,\)"):
        run(lambda X: rosen_rows(X)[:-1], "de2", True)
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        run(lambda X: 1.0, "de2", True)
    with pytest.raises(ValueError, match=r"got shape \(30, 1\)"):
        run(lambda X: rosen_rows(X)[:, None], "de2", True)


def test_a_wrong_dtype_says_what_was_expected():
    with pytest.raises(TypeError, match="1-D float array of 30 values"):
        run(lambda X: rosen_rows(X) + 0j, "de2", True)
    with pytest.raises(TypeError, match="1-D float array of 30 values"):
        run(lambda X: ["x"] * X.shape[0], "de2", True)


def test_nan_rows_are_the_worst():
    def cost(X):
        f = rosen_rows(X)
        f[X[:, 0] > 2] = np.nan
        return f
    r = run(cost, "de2", True)
    assert np.isfinite(r.fun) and r.x[0] <= 2


def test_other_maps_get_one_row_per_task():
    cost = Counted()
    r = run(cost, "de2", True, map="fork:2")
    assert r.fun == run(rosen, "de2", False).fun
    assert cost.rows == []                      # the rows ran in the workers
