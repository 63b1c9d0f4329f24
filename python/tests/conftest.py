import ctypes
import os

import pytest


def rosen(x):
    """The 3-D Rosenbrock in the C model's order of operations (same bits)."""
    f = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]
        b = 1.0 - x[i]
        f += 100.0 * a * a + b * b
    return f


@pytest.fixture
def testcost():
    path = os.environ.get("AUGUR_TEST_CCOST")
    if not path:
        pytest.skip("AUGUR_TEST_CCOST not set (run from ctest)")
    return ctypes.CDLL(path)


@pytest.fixture
def c_reference():
    path = os.environ.get("AUGUR_C_REFERENCE")
    if not path:
        pytest.skip("AUGUR_C_REFERENCE not set (run from ctest)")
    return path
