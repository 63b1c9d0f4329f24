"""Maps: where a population solver's evaluations run.

"serial", "threads[:N]", "fork[:N]" (N workers; none or 0 = one per CPU).

- fork works with Python costs: each worker is a forked copy of this
  interpreter, so the cost and everything it refers to is already there;
  nothing is pickled. An exception in a worker's cost stops the run and is
  raised in the caller (same built-in type and message, with the point).
- threads runs C costs in parallel; a Python cost still runs one call at a
  time (the GIL), so it gains nothing there (a warning says so).
- mpi needs a C cost registered by name on every rank and is not offered
  to Python costs: run MPI jobs with the `augur` command or a C program.
"""
from ._augur import Map


def make_map(spec):
    """A Map from "type[:workers]", or the Map given, or None for None."""
    if spec is None or isinstance(spec, Map):
        return spec
    if not isinstance(spec, str):
        raise TypeError("map: expected 'serial', 'threads:N', 'fork:N' or a Map")
    kind, _, workers = spec.partition(":")
    return Map(kind.strip(), int(workers) if workers.strip() else 0)
