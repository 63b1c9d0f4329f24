"""augur: model-independent optimisation from Python.

The compiled core (augur._augur) wraps libaugur's C API; these modules give
it the two shapes Python users know:

- scipy's: ``augur.minimize(fun, x0, method="nelder-mead", ...)`` returning
  an OptimizeResult (x, fun, nfev, nit, success, status, message);
- mystic's: ``augur.solvers.NelderMeadSimplexSolver(3)`` with
  SetInitialPoints, SetStrictRanges, SetTermination, Solve, bestSolution ...,
  the conditions in augur.termination and the monitors in augur.monitors.

Costs are a Python callable of one point, a vectorised callable (a 2-D
array of points -> 1-D array), or a C function (augur.CCost, augur.ctypes_cost,
augur.model_cost) that runs without the GIL. Under mpirun, costs registered
by name (augur.register_cost, augur.mpi_init) run on the "mpi" map.
docs/PYTHON.md is the guide.
"""
from ._augur import AugurError, CCost, Map, version as __version__
from .costs import ctypes_cost, model_cost
from .maps import make_map
from .mpi import mpi_available, mpi_finalize, mpi_init, register_cost
from .optimize import OptimizeResult, minimize, solver_names, solver_params
from .config import run_config, solver_from_spec, solver_to_spec
from . import monitors, solvers, termination
from .solvers import Solver

__all__ = [
    "AugurError", "CCost", "Map", "OptimizeResult", "Solver", "ctypes_cost",
    "make_map", "minimize", "model_cost", "monitors", "mpi_available", "mpi_finalize",
    "mpi_init", "register_cost", "run_config",
    "solver_from_spec", "solver_names", "solver_params", "solver_to_spec",
    "solvers", "termination",
]
