"""Maps: where a population solver's evaluations run.

"serial", "threads[:N]", "fork[:N]" (N workers; none or 0 = one per CPU).

- fork works with Python costs: each worker is a forked copy of this
  interpreter, so the cost and everything it refers to is already there;
  nothing is pickled. An exception in a worker's cost stops the run and is
  raised in the caller (same built-in type and message, with the point).
- threads runs C costs in parallel; a Python cost still runs one call at a
  time (the GIL), so it gains nothing there (a warning says so).
- mpi (under mpirun) finds the cost by name on every rank: register it
  with augur.register_cost on every rank, then augur.mpi_init() (augur.mpi).
"""
from ._augur import AugurError, Map
from .mpi import mpi_available, mpi_started


def make_map(spec):
    """A Map from "type[:workers]", or the Map given, or None for None."""
    if spec is None or isinstance(spec, Map):
        return spec
    if not isinstance(spec, str):
        raise TypeError("map: expected 'serial', 'threads:N', 'fork:N', 'mpi' or a Map")
    kind, _, workers = spec.partition(":")
    kind = kind.strip()
    if kind == "mpi" and not mpi_started():
        raise AugurError("the mpi map needs augur.mpi_init() on every rank first "
                         "(under mpirun)" if mpi_available()
                         else "this augur was built without MPI: no mpi map")
    return Map(kind, int(workers) if workers.strip() else 0)
