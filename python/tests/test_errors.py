"""Exceptions in the cost stop the run and come back with the point;
Ctrl-C (KeyboardInterrupt) stops a solve cleanly."""
import signal
import threading

import numpy as np
import pytest

import augur
from augur.solvers import NelderMeadSimplexSolver
from conftest import rosen


class Boom(Exception):
    pass


def test_exception_is_reraised_with_the_point_and_the_run_stops():
    calls = []

    def cost(x):
        calls.append(x.copy())
        if len(calls) == 7:
            raise Boom("bad point")
        return rosen(x)
    with pytest.raises(Boom, match="bad point") as info:
        augur.minimize(cost, [0, 0, 0])
    assert len(calls) == 7            # nothing called after the exception
    assert np.array_equal(info.value.augur_x, calls[-1])
    assert any("raised by the cost at x" in n for n in info.value.__notes__)


def test_exception_in_a_population_solver():
    n = [0]

    def cost(x):
        n[0] += 1
        if n[0] == 30:
            raise ValueError("thirty")
        return rosen(x)
    with pytest.raises(ValueError, match="thirty"):
        augur.minimize(cost, bounds=[(-5, 5)] * 3, method="de", seed=1)
    assert n[0] == 30


def test_a_bad_return_value_raises():
    with pytest.raises(TypeError):
        augur.minimize(lambda x: "not a number", [0, 0])


def test_exception_in_a_callback_is_raised():
    def callback(xk):
        raise KeyError("cb")
    with pytest.raises(KeyError):
        augur.minimize(rosen, [0, 0], callback=callback)


def test_solver_continues_after_an_exception():
    s = NelderMeadSimplexSolver(3)
    s.SetInitialPoints([0, 0, 0])
    state = {"raise": True}

    def cost(x):
        if state["raise"] and s.evaluations > 20:
            raise Boom()
        return rosen(x)
    with pytest.raises(Boom):
        s.Solve(cost)
    state["raise"] = False
    s.Solve(cost)
    assert s.bestEnergy < 1e-8


def test_keyboard_interrupt_from_a_signal_in_a_python_cost():
    n = [0]

    def cost(x):
        n[0] += 1
        if n[0] == 100:
            signal.raise_signal(signal.SIGINT)   # as Ctrl-C would
        return rosen(x)
    s = NelderMeadSimplexSolver(3)
    s.SetInitialPoints([0, 0, 0])
    s.SetEvaluationLimits(evaluations=10**9, generations=10**9)
    with pytest.raises(KeyboardInterrupt):
        s.Solve(cost, augur.termination.VTR(0, -1))   # never fires
    assert 100 <= n[0] <= 101
    assert s.evaluations == 100
    # the solver is intact: it continues
    s.Solve(cost, augur.termination.CandidateRelativeTolerance())
    assert s.bestEnergy < 1e-6


def test_keyboard_interrupt_during_a_c_cost(testcost):
    # a C cost runs without the GIL; Ctrl-C is seen after the generation
    cost = augur.ctypes_cost(testcost.tc_slow_sphere)
    timer = threading.Timer(0.3, lambda: signal.pthread_kill(threading.main_thread().ident,
                                                             signal.SIGINT))
    timer.start()
    s = augur.Solver(4, method="de")
    s.SetRandomInitialPoints([-5] * 4, [5] * 4)
    s.SetEvaluationLimits(10**9, 10**9)
    try:
        with pytest.raises(KeyboardInterrupt):
            s.Solve(cost, augur.termination.VTR(0, -1))
    finally:
        timer.cancel()
    assert 0 < s.evaluations < 10**6
    assert s.bestEnergy < 100
