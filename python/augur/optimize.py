"""scipy-style one call: minimize(fun, x0, method=..., ...) -> OptimizeResult."""
import math
import warnings

import numpy as np

from . import _augur
from .costs import CCost, with_args
from .maps import make_map


class OptimizeResult(dict):
    """scipy.optimize.OptimizeResult's shape: a dict with attribute access.

    x, fun, nfev, nit, success, status, message as scipy's (status: 0 a
    termination condition held, 1 the evaluation limit, 2 the generation
    limit, 3 stopped by a callback); plus seed (repeat the run with it),
    method, and solver (the augur._augur.Solver, to continue or inspect)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    __setattr__ = dict.__setitem__
    __delattr__ = dict.__delitem__

    def __repr__(self):
        keys = [k for k in ("message", "success", "status", "fun", "x", "nit", "nfev",
                            "seed", "method") if k in self]
        width = max(map(len, keys))
        return "\n".join(f"{k.rjust(width)}: {self[k]!r}" for k in keys)


def solver_names():
    """Every method minimize() takes: augur's solvers, nlopt:* and gsl:*."""
    return [t["name"] for t in _augur.solver_types()]


def solver_params(method):
    """The parameter table of a method (name, kind, default, min, max,
    choices, doc per entry), the base's parameters included."""
    for t in _augur.solver_types():
        if t["name"].lower() == method.lower():
            return t["params"] + _augur.base_params()
    raise ValueError(f"no solver named {method!r}")


# The inner solver an ensemble method runs when options give none.
ENSEMBLE_DEFAULT_NESTED = {"buckshot": "powell", "lattice": "powell",
                           "sparsity": "powell", "ipop": "cmaes"}


def nested_solver(nested, n):
    """options["nested"]: a method name, (name, {params}), or a Solver."""
    if isinstance(nested, _augur.Solver):
        return nested
    core = getattr(nested, "core", None)
    if isinstance(core, _augur.Solver):
        return core
    name, params = (nested, {}) if isinstance(nested, str) else nested
    inner = _augur.Solver(name, n)
    for key, value in params.items():
        inner.set_param(key, value)
    return inner


def parse_bounds(bounds, n):
    """scipy's bounds, a sequence of (lo, hi) (None = unbounded) or an object
    with lb and ub, as two float arrays; n may be None (taken from bounds)."""
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        lb, ub = bounds.lb, bounds.ub
        if n is None:
            n = np.size(lb) if np.ndim(lb) else np.size(ub)
        lb = np.broadcast_to(np.asarray(lb, dtype=float), (n,)).copy()
        ub = np.broadcast_to(np.asarray(ub, dtype=float), (n,)).copy()
    else:
        pairs = list(bounds)
        if n is not None and len(pairs) != n:
            raise ValueError(f"bounds: {len(pairs)} pairs for {n} coordinates")
        lb = np.array([-math.inf if p[0] is None else p[0] for p in pairs], dtype=float)
        ub = np.array([math.inf if p[1] is None else p[1] for p in pairs], dtype=float)
    return lb, ub


def _condition(termination):
    if termination is None or isinstance(termination, _augur.Term):
        return termination
    term = getattr(termination, "term", None)
    if isinstance(term, _augur.Term):
        return term
    raise TypeError("termination: expected a condition from augur.termination")


def warn_python_cost_on_threads(cost, amap):
    if amap is not None and amap.type == "threads" and not isinstance(cost, CCost):
        warnings.warn("a Python cost on the threads map runs one call at a time "
                      "(the GIL): use fork for Python costs, threads for C costs",
                      RuntimeWarning, stacklevel=3)


def minimize(fun, x0=None, args=(), method="nelder-mead", bounds=None, options=None,
             seed=None, map=None, callback=None, termination=None, vectorized=False):
    """Minimise fun with one of augur's solvers.

    fun: a callable f(x) -> float (x a 1-D float array), a vectorised
        callable (vectorized=True: f(X) -> 1-D array of m for an (m, n)
        read-only array, valid during the call, once per generation on no
        map or the serial one), or a C cost (augur.CCost / ctypes_cost /
        model_cost); on map="mpi", a callable registered with
        augur.register_cost (or its name).
    x0: the starting point; None draws the start(s) from the bounds.
    method: any name in solver_names() ("nelder-mead", "powell", "de",
        "cmaes", "nlopt:LN_BOBYQA", "gsl:vector_bfgs2", ...), any case.
    bounds: [(lo, hi), ...] (None for unbounded) or an object with lb, ub.
    options: maxiter / maxfev (limits; inf for none), disp, and any of the
        method's parameters (solver_params(method)), e.g. {"adaptive": True};
        for ensembles (buckshot, lattice, sparsity, ipop) "nested": the inner
        method, (method, {params}) or a Solver (default powell; ipop: cmaes).
    seed: the run's seed (same seed, same bits as the C library); None draws
        one, reported as result.seed.
    map: None, "serial", "threads:N", "fork:N", "mpi" (under mpirun, after
        augur.mpi_init()) or an augur.Map.
    callback: callback(xk) after every generation; returning True stops.
    termination: a condition from augur.termination (else the method's
        default, as the C library's).
    """
    options = dict(options or {})
    maxiter = options.pop("maxiter", None)
    maxfev = options.pop("maxfev", options.pop("maxfun", None))
    disp = options.pop("disp", False)
    nested = options.pop("nested", None)
    if x0 is not None:
        x0 = np.atleast_1d(np.asarray(x0, dtype=float))
        n = x0.size
    elif bounds is not None:
        n = None
    else:
        raise ValueError("minimize: give x0, bounds, or both")
    lb = ub = None
    if bounds is not None:
        lb, ub = parse_bounds(bounds, n)
        n = lb.size
    try:
        solver = _augur.Solver(method, n)
    except ValueError as e:
        raise ValueError(f"{e}; see augur.solver_names()") from None
    for key, value in options.items():
        solver.set_param(key, value)
    if nested is None:
        nested = ENSEMBLE_DEFAULT_NESTED.get(solver.type)
    if nested is not None:
        solver.set_nested(nested_solver(nested, n))
    if seed is not None:
        solver.set_seed(seed)
    if bounds is not None:
        solver.set_bounds(lb, ub)
    if x0 is not None:
        solver.set_initial_point(x0)
    else:
        solver.set_random_initial_points(lb, ub)
    if maxiter is not None or maxfev is not None:
        solver.set_evaluation_limits(maxiter, maxfev)
    if termination is not None:
        solver.set_termination(_condition(termination))
    amap = make_map(map)
    if amap is not None:
        solver.set_map(amap)
    cost = with_args(fun, args)
    warn_python_cost_on_threads(cost, amap)
    if callback is not None:
        solver.set_generation_hook(lambda x, f: callback(x))
    rc = solver.solve(cost, vectorized=vectorized)
    result = result_of(solver, rc)
    result.method = solver.type
    if disp:
        print_summary(result)
    return result


def result_of(solver, rc):
    reason = solver.reason
    if reason.startswith("EvaluationLimits"):
        status = 1 if "evaluations" in reason else 2
    elif rc == 1:
        status = 3
    else:
        status = 0
    x = solver.best_solution
    return OptimizeResult(x=x, fun=solver.best_energy, nfev=solver.evaluations,
                          nit=solver.generations, success=status == 0, status=status,
                          message=reason, seed=solver.seed, solver=solver)


def print_summary(r):
    """scipy's disp text."""
    head = {0: "Optimization terminated successfully.",
            1: "Warning: Maximum number of function evaluations has been exceeded.",
            2: "Warning: Maximum number of iterations has been exceeded.",
            3: "Warning: Optimization terminated by request."}[r.status]
    print(head)
    print(f"         Current function value: {r.fun:f}")
    print(f"         Iterations: {r.nit}")
    print(f"         Function evaluations: {r.nfev}")
