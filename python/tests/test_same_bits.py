"""Same seed, same bits: the Python package gives what the C API gives
(tests/c_reference.c runs the same problems through libaugur directly)."""
import subprocess

import numpy as np
import pytest

import augur
from conftest import rosen


def c_runs(path):
    out = subprocess.run([path], check=True, capture_output=True, text=True).stdout
    runs = []
    for line in out.splitlines():
        parts = line.split(" ", 8)
        runs.append(dict(method=parts[0], origin=parts[1] == "1", nfev=int(parts[2]),
                         nit=int(parts[3]), fun=float.fromhex(parts[4]),
                         x=[float.fromhex(v) for v in parts[5:8]], message=parts[8]))
    return runs


@pytest.mark.parametrize("cost", ["python", "c-model", "ctypes"])
def test_results_equal_the_c_api(c_reference, testcost, cost):
    fun = {"python": rosen, "c-model": augur.model_cost("rosen"),
           "ctypes": augur.ctypes_cost(testcost.tc_rosen)}[cost]
    runs = c_runs(c_reference)
    assert len(runs) == 8
    for ref in runs:
        r = augur.minimize(fun, [0, 0, 0] if ref["origin"] else None,
                           method=ref["method"], bounds=[(-5, 5)] * 3, seed=7,
                           options={"maxfev": 3000})
        what = f"{ref['method']} with a {cost} cost"
        assert r.nfev == ref["nfev"], what
        assert r.nit == ref["nit"], what
        assert r.fun == ref["fun"], what          # bit for bit
        assert list(r.x) == ref["x"], what
        assert r.message == ref["message"], what
