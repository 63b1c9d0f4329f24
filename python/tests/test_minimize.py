"""minimize(): scipy's reference numbers, every method by name, options,
bounds, seeds and callbacks."""
import math

import numpy as np
import pytest

import augur
from conftest import rosen


def test_scipy_fmin_reference_rosen3_from_origin():
    # scipy.optimize.fmin (scipy 1.10), 3-D Rosenbrock from 0:
    # f = 1.1605792922e-09 after exactly 289 evaluations.
    r = augur.minimize(rosen, [0, 0, 0], method="Nelder-Mead")
    assert r.success and r.status == 0
    assert r.nfev == 289
    assert abs(r.fun - 1.1605792922e-09) <= 1e-10 * 1.1605792922e-09 + 1e-19
    assert r.message == "CandidateRelativeTolerance(xtol=0.0001, ftol=0.0001)"
    assert np.allclose(r.x, 1, atol=1e-3)
    assert isinstance(r.x, np.ndarray) and r.x.shape == (3,)
    assert r.nit > 0 and r["fun"] == r.fun


def test_result_with_a_c_model_is_the_same():
    r = augur.minimize(augur.model_cost("rosen"), np.zeros(3))
    assert r.nfev == 289 and r.fun == augur.minimize(rosen, np.zeros(3)).fun


@pytest.mark.parametrize("method", augur.solver_names())
def test_every_method_runs_by_name(method):
    # a small budget: each method must run and report, not converge
    r = augur.minimize(augur.model_cost("rosen"), [0.5, 0.5], method=method,
                       bounds=[(-2, 2), (-2, 2)], seed=3, options={"maxfev": 300})
    assert math.isfinite(r.fun), r
    assert 0 < r.nfev
    assert r.message


def test_method_names_include_nlopt_and_gsl():
    names = augur.solver_names()
    assert "nelder-mead" in names and "de" in names
    assert any(n.startswith("nlopt:") for n in names)
    assert any(n.startswith("gsl:") for n in names)


def test_unknown_method_says_where_to_look():
    with pytest.raises(ValueError, match="solver_names"):
        augur.minimize(rosen, [0, 0], method="no-such-solver")


def test_options_reach_the_parameter_table():
    r = augur.minimize(rosen, [0, 0, 0], options={"adaptive": True, "radius": 0.1})
    assert r.solver.get_param("adaptive") == 1.0
    assert r.solver.get_param("radius") == 0.1
    with pytest.raises(augur.AugurError):
        augur.minimize(rosen, [0, 0], options={"no_such_option": 1})
    de = augur.minimize(rosen, bounds=[(-5, 5)] * 2, method="de", seed=1,
                        options={"strategy": "rand1bin", "cross_probability": 0.5,
                                 "maxiter": 5})
    assert de.solver.get_param("cross-probability") == 0.5
    assert de.nit == 5 and de.status == 2 and not de.success


def test_maxfev_limit_is_status_1():
    r = augur.minimize(rosen, [0, 0, 0], options={"maxfev": 50})
    assert r.status == 1 and not r.success and r.nfev >= 50
    assert r.message.startswith("EvaluationLimits")


def test_bounds_are_never_left():
    seen = []

    def cost(x):
        seen.append(x.copy())
        return rosen(x)
    r = augur.minimize(cost, bounds=[(2, 3), (None, 5)], x0=[2.5, 0], method="powell")
    xs = np.array(seen)
    assert xs[:, 0].min() >= 2 and xs[:, 0].max() <= 3 and xs[:, 1].max() <= 5
    assert r.x[0] == pytest.approx(2, abs=1e-6)


def test_bounds_object_like_scipy_Bounds():
    class Bounds:
        lb = [-1, -1]
        ub = [1, 1]
    r = augur.minimize(rosen, method="de", bounds=Bounds(), seed=2,
                       options={"maxiter": 20})
    assert np.all(np.abs(r.x) <= 1)


def test_same_seed_same_bits():
    a = augur.minimize(rosen, method="de", bounds=[(-5, 5)] * 3, seed=11,
                       options={"maxfev": 2000})
    b = augur.minimize(rosen, method="de", bounds=[(-5, 5)] * 3, seed=11,
                       options={"maxfev": 2000})
    assert a.fun == b.fun and np.array_equal(a.x, b.x) and a.nfev == b.nfev
    assert a.seed == 11
    c = augur.minimize(rosen, method="de", bounds=[(-5, 5)] * 3, seed=a.seed,
                       options={"maxfev": 2000})
    assert c.fun == a.fun


def test_callback_every_generation_and_stop():
    seen = []
    r = augur.minimize(rosen, [0, 0, 0], callback=lambda xk: seen.append(xk.copy()))
    assert len(seen) == r.nit + 1   # generation 0 too
    r = augur.minimize(rosen, [0, 0, 0], callback=lambda xk: len(seen) > 5 or
                       seen.append(1))
    assert r.status == 3 and not r.success and r.message.startswith("Callback")


def test_args_are_passed_on():
    r = augur.minimize(lambda x, a, b: (x[0] - a) ** 2 + (x[1] - b) ** 2, [0, 0],
                       args=(1.5, -2.0))
    assert r.x == pytest.approx([1.5, -2.0], abs=1e-3)


def test_vectorized_cost_gets_2d_rows():
    shapes = []

    def cost(X):
        shapes.append(X.shape)
        return np.sum(X * X, axis=1)
    r = augur.minimize(cost, [1, 2], vectorized=True)
    assert r.fun < 1e-6
    assert set(shapes) == {(1, 2)}


def test_termination_condition_from_mystic_names():
    from augur.termination import VTR, ChangeOverGeneration
    r = augur.minimize(rosen, [0, 0, 0], termination=VTR(1e-3) | ChangeOverGeneration())
    assert r.fun <= 1e-3 and r.message.startswith("VTR")


def test_nan_costs_are_the_worst():
    r = augur.minimize(lambda x: math.nan if x[0] > 1 else (x[0] - 1) ** 2 + x[1] ** 2,
                       [0, 0])
    assert math.isfinite(r.fun) and r.fun < 1e-6


def test_x0_or_bounds_needed():
    with pytest.raises(ValueError):
        augur.minimize(rosen)
