"""Config files and specs: the same text the C library and the `augur`
command read and write."""
import os
import tempfile

from . import _augur


def run_config(path, overrides=None, seed=None, map=None, results=None):
    """Run a config file (docs/CONFIG.md) as `augur run` does; a dict with
    x, fun, nfev, nit, message, seed, solver, elapsed, and results_text
    (the results file: itself a config that repeats the run). overrides:
    ["solver.parameters.radius=0.1", ...]; map: "serial", "fork:2", ...;
    results: also write the results file there."""
    fd, tmp = tempfile.mkstemp(suffix=".results.cfg")
    os.close(fd)
    try:
        out = _augur.run_config(os.fspath(path), overrides, seed, map, tmp)
        with open(tmp) as fp:
            out["results_text"] = fp.read()
    finally:
        os.unlink(tmp)
    if results is not None:
        with open(results, "w") as fp:
            fp.write(out["results_text"])
    return out


def solver_to_spec(solver):
    """Spec text of a solver (augur.Solver, augur._augur.Solver or an
    OptimizeResult's)."""
    core = getattr(solver, "core", None) or getattr(solver, "solver", None) or solver
    return core.write_spec()


def solver_from_spec(text):
    """A mystic-style augur.Solver from spec text."""
    from .solvers import Solver
    return Solver.from_spec(text)
