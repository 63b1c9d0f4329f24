"""Costs: Python callables, and C functions the solver calls directly.

A C cost has the signature ``double f(const double *x, size_t n, void *data)``.
The solver calls it without the GIL, so it runs in parallel on the threads
map and costs nothing per call on the Python side.
"""
import ctypes

from ._augur import CCost

#: The ctypes prototype of a C cost.
COST_PROTOTYPE = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.POINTER(ctypes.c_double),
                                  ctypes.c_size_t, ctypes.c_void_p)


def ctypes_cost(func, data=None):
    """A CCost from a ctypes function (a CDLL attribute or a CFUNCTYPE).

    ``data`` is passed as the cost's third argument: None, an int address,
    or a ctypes object (its address is taken and it is kept alive)."""
    address = ctypes.cast(func, ctypes.c_void_p).value
    if data is None:
        daddr = 0
    elif isinstance(data, int):
        daddr = data
    else:
        daddr = ctypes.addressof(data)
    return CCost(address, daddr, (func, data))


def model_cost(name):
    """The C cost of a built-in model ("rosen", "rastrigin", ...)."""
    return CCost.model(name)


def with_args(fun, args):
    """fun(x, *args) as a one-argument callable (scipy's ``args``)."""
    if not args:
        return fun
    if isinstance(fun, CCost):
        raise TypeError("a C cost takes its data pointer, not args")
    args = tuple(args)
    return lambda x: fun(x, *args)
