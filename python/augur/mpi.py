"""The mpi map under mpirun: every rank runs the same script (SPMD).

Costs cross the mpi map by name: each rank registers the same callables
under the same names, then calls mpi_init(). Rank 0 gets True and drives
(minimize / Solve with map="mpi"); every other rank serves rank 0's jobs
inside mpi_init() - evaluating the registered callables on the points it
is sent - and gets False once rank 0 calls mpi_finalize() (done at exit
if the script does not):

    import augur
    augur.register_cost("rosen", rosen)          # every rank, before init
    if augur.mpi_init():                         # rank 0
        r = augur.minimize(rosen, bounds=..., method="de2", map="mpi")
        print(r.x, r.fun)
        augur.mpi_finalize()

    mpirun -np 4 python3 script.py               # rank 0 deals, 3 compute

The results are the same bits as the serial map's. libaugur_mpi is loaded
when mpi_init() is first called, so importing augur never needs MPI;
mpi_available() says whether this build has the map at all.
"""
import atexit
import gc

from . import _augur

_state = {"root": None}


def mpi_available():
    """True when this augur was built with the mpi map (AUGUR_WITH_MPI)."""
    return _augur.mpi_available()


def register_cost(name, fn):
    """Register fn(x) -> float under name, on every rank, before mpi_init():
    the workers find the cost by this name. Pass fn (or the name) as the
    cost of a run on the mpi map."""
    _augur.register_cost(name, fn)


def mpi_init():
    """Start MPI. True on rank 0; on the other ranks serve until rank 0
    calls mpi_finalize(), then False (the script should then just end)."""
    root = _augur.mpi_init()
    _state["root"] = root
    if root:
        atexit.register(mpi_finalize)
    return root


def mpi_started():
    """True on rank 0 between mpi_init() and mpi_finalize()."""
    return bool(_state["root"])


def mpi_finalize():
    """Rank 0: release the workers and finalize MPI (a no-op elsewhere or
    a second time). Drop the solvers and maps using the mpi map first."""
    if _state["root"]:
        gc.collect()
        _augur.mpi_finalize()
        _state["root"] = False
