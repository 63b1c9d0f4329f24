"""The mpi map from Python, under mpirun (ctest: python_mpi, label mpi):

    mpirun --allow-run-as-root --oversubscribe -np 3 python3 python/tests/test_mpi.py

Every rank runs this file (SPMD): it registers the costs by name, then
augur.mpi_init(); rank 0 runs the checks - each solver on the mpi map
gives the serial run's bits (3-D Rosenbrock on [-5, 5]^3, seed 7, 3000
evaluations) - and prints "N passed, N failed"; the other ranks serve.
Under pytest (the python_pytest suite) there is nothing to run: the one
test here says where the real run is."""
import os
import sys

import pytest


def rosen(x):
    f = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]
        b = 1.0 - x[i]
        f += 100.0 * a * a + b * b
    return f


def sphere(x):
    return float(sum(v * v for v in x))


def test_mpi_runs_under_mpirun():
    pytest.skip("run by ctest under mpirun (python_mpi): python3 test_mpi.py")


def same_run(a, b):
    return ((a.nfev, a.nit, a.message, a.fun, list(a.x))
            == (b.nfev, b.nit, b.message, b.fun, list(b.x)))


def checks(augur):
    from augur.solvers import DifferentialEvolutionSolver2

    def run(method, fun, amap):
        return augur.minimize(fun, None, method=method, bounds=[(-5, 5)] * 3, seed=7,
                              options={"maxfev": 3000}, map=amap)

    def solver_class(amap):
        s = DifferentialEvolutionSolver2(3, 20)
        s.SetRandomInitialPoints([-5] * 3, [5] * 3)
        s.SetStrictRanges([-5] * 3, [5] * 3)
        s.SetSeed(3)
        s.SetEvaluationLimits(generations=30)
        s.SetMapper(amap)
        s.Solve(sphere)
        return s.bestEnergy, list(s.bestSolution), s.evaluations

    def unregistered():
        try:
            run("de2", lambda x: rosen(x), "mpi")
        except augur.AugurError as e:
            return "register_cost" in str(e)
        return False

    yield "de2 on mpi = serial", same_run(run("de2", rosen, "mpi"), run("de2", rosen, None))
    yield "pso on mpi = serial", same_run(run("pso", rosen, "mpi"), run("pso", rosen, None))
    yield "cmaes on mpi = serial", same_run(run("cmaes", rosen, "mpi"),
                                            run("cmaes", rosen, None))
    yield "a cost by its name", same_run(run("de2", "test.rosen", "mpi"),
                                         run("de2", rosen, None))
    yield "Solver class on mpi = serial", solver_class("mpi") == solver_class(None)
    yield "an unregistered cost is refused", unregistered()


def main():
    import augur
    if not augur.mpi_available():
        print("python_mpi: skipped (augur built without MPI)")
        return 0
    augur.register_cost("test.rosen", rosen)
    augur.register_cost("test.sphere", sphere)
    if not augur.mpi_init():
        return 0                  # served until rank 0 finalized
    passed = failed = 0
    for name, ok in checks(augur):
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {name}", file=sys.stderr)
    augur.mpi_finalize()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
