"""The mystic-style Solver: a mystic script with its imports changed."""
import math

import numpy as np
import pytest

import augur
from augur.monitors import Monitor, Null, VerboseMonitor
from augur.solvers import (DifferentialEvolutionSolver, DifferentialEvolutionSolver2,
                           NelderMeadSimplexSolver, PowellDirectionalSolver, Solver)
from augur.termination import (And, CandidateRelativeTolerance, ChangeOverGeneration,
                               EvaluationLimits, NormalizedChangeOverGeneration, Or,
                               VTR, When)
from conftest import rosen


def test_mystic_nelder_mead_script():
    solver = NelderMeadSimplexSolver(3)
    solver.SetInitialPoints([0, 0, 0])
    stepmon, evalmon = Monitor(), Monitor()
    solver.SetGenerationMonitor(stepmon)
    solver.SetEvaluationMonitor(evalmon)
    solver.Solve(rosen, CandidateRelativeTolerance())
    # scipy's fmin reference again, through mystic's interface
    assert solver.evaluations == 289
    assert abs(solver.bestEnergy - 1.1605792922e-09) < 1e-18
    assert np.allclose(solver.bestSolution, 1, atol=1e-3)
    assert len(stepmon) == solver.generations + 1
    assert len(evalmon) == 289
    assert stepmon.y[-1] == solver.bestEnergy
    assert solver.energy_history[-1] == solver.bestEnergy
    assert solver.Terminated() and solver.Terminated(info=True).startswith(
        "CandidateRelativeTolerance")


def test_de_with_strict_ranges_and_mystic_keywords():
    solver = DifferentialEvolutionSolver(3, NP=30)
    solver.SetRandomInitialPoints([-5] * 3, [5] * 3)
    solver.SetStrictRanges([-5] * 3, [5] * 3)
    solver.SetEvaluationLimits(generations=3000)
    solver.SetSeed(5)
    solver.Solve(rosen, VTR(1e-10), CrossProbability=0.9, ScalingFactor=0.6)
    assert solver.bestEnergy <= 1e-10
    assert solver.core.get_param("scaling-factor") == 0.6
    assert solver.core.get_param("population-size") == 30
    assert solver.population.shape == (30, 3)


def test_step_by_step_loop_equals_solve():
    a = NelderMeadSimplexSolver(3)
    a.SetInitialPoints([0, 0, 0])
    a.SetTermination(CandidateRelativeTolerance())
    steps = 0
    while not a.Step(rosen):
        steps += 1
        assert steps < 10000
    b = NelderMeadSimplexSolver(3)
    b.SetInitialPoints([0, 0, 0])
    b.Solve(rosen, CandidateRelativeTolerance())
    assert a.bestEnergy == b.bestEnergy and a.evaluations == b.evaluations
    assert a.generations == b.generations
    assert a.Step(rosen) == a.core.reason    # terminated: no more steps


def test_continue_with_new_limits():
    s = PowellDirectionalSolver(3)
    s.SetInitialPoints([0, 0, 0])
    s.SetEvaluationLimits(evaluations=100)
    s.Solve(rosen)
    assert s.Terminated(info=True).startswith("EvaluationLimits")
    first, f1 = s.evaluations, s.bestEnergy
    s.SetEvaluationLimits(evaluations=200, new=True)
    s.Solve()
    assert first < s.evaluations <= first + 200 + 50
    assert s.bestEnergy < f1


def test_combinators_and_names():
    stop = Or(VTR(1e-3), And(ChangeOverGeneration(), NormalizedChangeOverGeneration()),
              When(EvaluationLimits(evaluations=10**6)))
    assert repr(stop).startswith("Or(VTR(tolerance=0.001")
    s = NelderMeadSimplexSolver(2)
    s.SetInitialPoints([0, 0])
    s.Solve(rosen, stop)
    assert s.bestEnergy <= 1e-3


def test_verbose_monitor_prints_mystic_lines(capsys):
    s = NelderMeadSimplexSolver(2)
    s.SetInitialPoints([0, 0])
    s.SetGenerationMonitor(VerboseMonitor(10))
    s.Solve(rosen)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Generation 0 has ChiSquare: ")
    assert out[1].startswith("Generation 10 has ChiSquare: ")


def test_null_generation_monitor_is_replaced_and_history_prepended():
    s = NelderMeadSimplexSolver(2)
    s.SetInitialPoints([0, 0])
    s.SetEvaluationLimits(generations=5)
    s.Solve(rosen)
    old = len(s._stepmon)
    s.SetGenerationMonitor(Null())
    assert isinstance(s._stepmon, Monitor) and len(s._stepmon) == old


def test_every_solver_type_through_the_class():
    s = Solver(2, method="cmaes")
    s.SetRandomInitialPoints([-2, -2], [2, 2])
    s.SetStrictRanges([-2, -2], [2, 2])
    s.SetSeed(3)
    s.Solve(augur.model_cost("rosen"), VTR(1e-8))
    assert s.bestEnergy <= 1e-8


def test_spec_round_trip():
    s = DifferentialEvolutionSolver2(3, NP=12)
    s.SetStrictRanges([-5] * 3, [5] * 3)
    s.SetRandomInitialPoints([-5] * 3, [5] * 3)
    s.SetTermination(Or(VTR(1e-6), ChangeOverGeneration(1e-9, 50)))
    s.SetSeed(42)
    text = s.to_spec()
    assert 'type = "de2";' in text and "seed = 42" in text
    t = Solver.from_spec(text)
    assert t.to_spec() == text
    s.Solve(rosen)
    t.Solve(rosen)
    assert s.bestEnergy == t.bestEnergy and s.evaluations == t.evaluations
    cond = augur.termination.from_spec(VTR(1e-4).to_spec())
    assert isinstance(cond, VTR) and repr(cond) == "VTR(tolerance=0.0001, target=0)"
    assert augur.solver_from_spec(augur.solver_to_spec(t)).to_spec() == text


def test_no_cost_is_an_error():
    with pytest.raises(ValueError):
        NelderMeadSimplexSolver(2).Solve()


def test_strict_ranges_false_removes_them():
    s = NelderMeadSimplexSolver(2)
    s.SetStrictRanges([2, 2], [3, 3])
    s.SetStrictRanges(False)
    s.SetInitialPoints([0, 0])
    s.Solve(rosen)
    assert s.bestEnergy < 1e-6 and not math.isinf(s.bestEnergy)
