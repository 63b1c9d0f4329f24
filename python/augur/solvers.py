"""mystic-style solvers: a script written for mystic ports with its imports
changed.

    from augur.solvers import NelderMeadSimplexSolver
    from augur.termination import CandidateRelativeTolerance as CRT
    from augur.monitors import VerboseMonitor
    solver = NelderMeadSimplexSolver(3)
    solver.SetInitialPoints([0, 0, 0])
    solver.SetGenerationMonitor(VerboseMonitor(10))
    solver.Solve(rosen, CRT())
    solver.bestSolution, solver.bestEnergy, solver.evaluations

Every augur solver is reachable as Solver(dim, method="...").
"""
import math
import weakref

import numpy as np

from . import _augur
from .costs import with_args
from .maps import make_map
from .monitors import Monitor, Null
from .optimize import _condition, solver_params, warn_python_cost_on_threads

# mystic's keyword names for solver parameters
_ALIASES = {"CrossProbability": "cross-probability", "cross": "cross-probability",
            "ScalingFactor": "scaling-factor", "scale": "scaling-factor"}


def _on_generation(ref):
    def hook(x, f):
        self = ref()
        if self is None:
            return None
        self._stepmon(x, f, self.id)
        if self._callback is not None:
            return self._callback(x)
        return None
    return hook


def _on_evaluation(ref):
    def hook(x, f):
        self = ref()
        if self is not None:
            self._evalmon(x, f)
    return hook


class Solver:
    """A solver with mystic's interface over any augur solver type."""

    method = "nelder-mead"

    def __init__(self, dim, npop=None, method=None, core=None):
        if core is None:
            core = _augur.Solver(method or self.method, dim)
        self._s = core
        self._params = {p["name"] for p in solver_params(core.type)}
        if npop is not None:
            for name in ("population-size", "population"):
                if name in self._params:
                    core.set_param(name, npop)
                    break
        self.nDim = core.dimension
        self.nPop = npop or 1
        self.id = None
        self._stepmon = Monitor()
        self._evalmon = Null()
        self._callback = None
        self._cost = None
        self._vectorized = False
        self._map = None
        core.set_generation_hook(_on_generation(weakref.ref(self)))

    # --- settings ---------------------------------------------------------
    def SetInitialPoints(self, x0, radius=0.05):
        """Start at x0; a population is spread within +-radius*|x0| around it."""
        self._s.set_initial_point(np.atleast_1d(np.asarray(x0, dtype=float)))
        if "radius" in self._params:
            self._s.set_param("radius", radius)

    def SetRandomInitialPoints(self, min=None, max=None):
        """Draw the start(s) uniformly from [min, max] (None: +-1000)."""
        lo = self._fill(min, -1000.0)
        hi = self._fill(max, 1000.0)
        self._s.set_random_initial_points(lo, hi)

    def SetStrictRanges(self, min=None, max=None, **kwds):
        """Box bounds (None: unbounded on that side); SetStrictRanges(False)
        removes them."""
        if min is False or max is False:
            self._s.clear_bounds()
            return
        self._s.set_bounds(self._fill(min, -math.inf), self._fill(max, math.inf))

    def _fill(self, v, default):
        if v is None:
            return np.full(self.nDim, default)
        v = np.atleast_1d(np.asarray(v, dtype=object))
        if v.size == 1:
            v = np.repeat(v, self.nDim)
        return np.array([default if e is None else float(e) for e in v], dtype=float)

    def SetEvaluationLimits(self, generations=None, evaluations=None, new=False,
                            **kwds):
        """Totals (None: the solver's default); new=True adds them to the
        counts so far."""
        generations = kwds.get("maxiter", generations)
        evaluations = kwds.get("maxfun", evaluations)
        if new:
            self._s.set_evaluation_limits(None, None)
            if generations is None:
                generations = self._s.max_generations
            if evaluations is None:
                evaluations = self._s.max_evaluations
            generations += self.generations
            evaluations += self.evaluations
        self._s.set_evaluation_limits(generations, evaluations)

    def SetGenerationMonitor(self, monitor, new=False):
        if monitor is None or isinstance(monitor, Null):
            monitor = Monitor()
        if not new and hasattr(monitor, "prepend") and len(self._stepmon):
            monitor.prepend(self._stepmon)
        self._stepmon = monitor

    def SetEvaluationMonitor(self, monitor, new=False):
        if monitor is None:
            monitor = Null()
        if not new and hasattr(monitor, "prepend") and len(self._evalmon):
            monitor.prepend(self._evalmon)
        self._evalmon = monitor
        self._s.set_evaluation_hook(None if isinstance(monitor, Null)
                                    else _on_evaluation(weakref.ref(self)))

    def SetTermination(self, termination):
        """A condition from augur.termination; None: the solver's default."""
        self._s.set_termination(_condition(termination))

    def SetObjective(self, cost, ExtraArgs=None, vectorized=False):
        self._cost = with_args(cost, ExtraArgs or ())
        self._vectorized = vectorized

    def SetMapper(self, map):
        """Where population evaluations run: "fork:2", "threads:4", a Map, None."""
        self._map = make_map(map)
        self._s.set_map(self._map)

    def SetSeed(self, seed):
        """The run's seed (mystic seeds a global generator instead)."""
        self._s.set_seed(seed)

    def SetParameter(self, name, value):
        """Any parameter of the solver's table (augur.solver_params)."""
        self._s.set_param(_ALIASES.get(name, name), value)

    def _settings(self, cost, termination, ExtraArgs, callback, kwds):
        if cost is not None:
            self.SetObjective(cost, ExtraArgs, kwds.pop("vectorized", self._vectorized))
        if self._cost is None:
            raise ValueError("no cost: pass one to Solve / Step or SetObjective")
        if termination is not None:
            self.SetTermination(termination)
        for key in ("EvaluationMonitor", "evalmon"):
            if key in kwds:
                self.SetEvaluationMonitor(kwds.pop(key))
        for key in ("StepMonitor", "stepmon", "itermon"):
            if key in kwds:
                self.SetGenerationMonitor(kwds.pop(key))
        for key, value in kwds.items():
            if key == "strategy" and not isinstance(value, str):
                value = getattr(value, "__name__", str(value)).lower()
            self.SetParameter(key, value)
        self._callback = callback
        warn_python_cost_on_threads(self._cost, self._map)

    # --- running ----------------------------------------------------------
    def Solve(self, cost=None, termination=None, ExtraArgs=None, callback=None,
              disp=False, **kwds):
        """Run until a limit or the termination condition holds; call again
        after new limits or a new condition to continue."""
        self._settings(cost, termination, ExtraArgs, callback, kwds)
        try:
            self._s.solve(self._cost, vectorized=self._vectorized)
        finally:
            self._callback = None
        if disp:
            self.Terminated(disp=True)

    def Step(self, cost=None, termination=None, ExtraArgs=None, callback=None, **kwds):
        """One generation; the termination message when the run should stop,
        else None."""
        self._settings(cost, termination, ExtraArgs, callback, kwds)
        if self.generations or len(self._stepmon):
            if self._s.terminated():
                return self._s.reason
        try:
            self._s.step(self._cost, vectorized=self._vectorized)
        finally:
            self._callback = None
        return self._s.reason if self._s.terminated() else None

    def Terminated(self, disp=False, info=False, termination=None):
        if termination is not None:
            self.SetTermination(termination)
        done = self._s.terminated()
        msg = self._s.reason if done else ""
        if disp and done:
            print(f"STOP(\"{msg}\")")
            print(f"         Current function value: {self.bestEnergy:f}")
            print(f"         Iterations: {self.generations}")
            print(f"         Function evaluations: {self.evaluations}")
        return msg if info else done

    def Finalize(self):
        pass

    def Solution(self):
        return self.bestSolution

    # --- results ----------------------------------------------------------
    bestSolution = property(lambda self: self._s.best_solution)
    bestEnergy = property(lambda self: self._s.best_energy)
    evaluations = property(lambda self: self._s.evaluations)
    generations = property(lambda self: self._s.generations)
    energy_history = property(lambda self: list(self._s.energy_history()))
    solution_history = property(lambda self: self._stepmon.x)
    population = property(lambda self: self._s.population())
    seed = property(lambda self: self._s.seed)
    core = property(lambda self: self._s, doc="the augur._augur.Solver underneath")

    # --- specs ------------------------------------------------------------
    def to_spec(self):
        """The solver as spec text (augur's config format)."""
        return self._s.write_spec()

    @classmethod
    def from_spec(cls, text):
        core = _augur.Solver.read_spec(text)
        return Solver(core.dimension, core=core)


class NelderMeadSimplexSolver(Solver):
    method = "nelder-mead"

    def __init__(self, dim):
        super().__init__(dim)


class PowellDirectionalSolver(Solver):
    method = "powell"

    def __init__(self, dim):
        super().__init__(dim)


class DifferentialEvolutionSolver(Solver):
    method = "de"

    def __init__(self, dim, NP=4):
        super().__init__(dim, NP)


class DifferentialEvolutionSolver2(Solver):
    method = "de2"

    def __init__(self, dim, NP=4):
        super().__init__(dim, NP)


__all__ = ["DifferentialEvolutionSolver", "DifferentialEvolutionSolver2",
           "NelderMeadSimplexSolver", "PowellDirectionalSolver", "Solver"]
