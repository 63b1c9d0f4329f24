/* _augur.h - the compiled core of the Python package: thin types over
 * libaugur's public API (Solver, Term, Map, CCost) and the evaluation
 * trampolines that let a Python callable be an augur cost.
 *
 * Everything people use is in the pure-Python modules on top (minimize,
 * the mystic-style Solver, the conditions and monitors); this file only
 * does what needs C:
 *
 * - The cost trampoline. A Python cost gets a float64 array it may keep
 *   (a new one whenever it kept the last; see argument()). The GIL stays
 *   held during a solve with a Python cost, so a call costs a copy of x
 *   and one Python call; it is released for a C cost (CCost: a ctypes
 *   function pointer, called directly by the solver) and for the threads
 *   map, whose workers then take it per call.
 * - The batch trampoline. A vectorised callable on no map or the serial
 *   map is the solver's batch cost (augur_solver_set_batch_cost): one call
 *   per batch with a read-only 2-D view of the solver's rows (no copy),
 *   its result checked for shape and dtype.
 * - Errors. An exception in the cost is kept (the first one, with the
 *   point), the solver is asked to stop, every later call returns NaN
 *   without calling Python, and the exception is raised again when the
 *   solve returns. A fork worker cannot hand its exception object back,
 *   so it writes the type name, the message and the point into a shared
 *   page, and the caller raises the same built-in type (or RuntimeError).
 * - Ctrl-C. A generation monitor that every wrapped solver carries checks
 *   Python's pending signals after each generation (a Python cost also
 *   checks them before each call), so KeyboardInterrupt stops the run at
 *   the next generation and is raised from solve with the solver intact.
 *
 * - MPI. The "mpi" map finds costs by name on every rank (SPMD), so a
 *   Python callable crosses it registered (register_cost: a trampoline and
 *   the callable under a name). libaugur_mpi is loaded on first use
 *   (mpi_init, dlopen next to libaugur), not linked: importing the package
 *   never needs MPI. Worker ranks serve inside mpi_init, calling the
 *   registered callables with the GIL held; an exception there cannot be
 *   handed back, so the traceback goes to that rank's stderr and the rank
 *   exits, which makes mpirun end the job (map_mpi.h).
 *
 * No numpy object crosses into the library: arrays are copied into C
 * doubles on the way in and out.
 *
 * The files: _augur_types.c (small helpers, CCost, Map, Term),
 * _augur_solver.c (the Solver type: its settings and results),
 * _augur_run.c (a solve or step: the trampolines, errors, hooks, costs by
 * name), _augur.c (the module: registries, config runs, MPI, init). This
 * header is what they share. */
#ifndef AUGUR_PY_AUGUR_H
#define AUGUR_PY_AUGUR_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
/* numpy's C API is a table that import_array fills in _augur.c's module
 * init; the other files use that one table. */
#define PY_ARRAY_UNIQUE_SYMBOL augur_py_ARRAY_API
#ifndef AUGUR_PY_IMPORTS_ARRAY
#define NO_IMPORT_ARRAY
#endif
#include <numpy/arrayobject.h>

#include <stdatomic.h>
#include <sys/types.h>

#include "augur.h"
#include "augur/plugin.h"

/* augur.AugurError: a library status as an exception (_augur.c). */
extern PyObject *AugurError;

/* --- Small helpers (_augur_types.c) ------------------------------------- */

/* A new 1-D float64 array holding a copy of x. */
PyObject *array_from(const double *x, size_t n);
/* Copy a sequence of n numbers (or one number, repeated) into out; -1
 * with an exception otherwise. `what` names it in the message. */
int doubles_from(PyObject *obj, size_t n, double *out, const char *what);
/* Raise AugurError with msg (or the status's text); NULL. */
PyObject *raise_status(int rc, const char *msg);

/* --- The small types (_augur_types.c) ------------------------------------ */

/* CCost: a C function pointer as a cost. */
typedef struct {
    PyObject_HEAD
    augur_cost fn;
    void *data;
    PyObject *keep;               /* what keeps fn and data alive (a ctypes object) */
} CCostObject;

/* Map: a map backend. */
typedef struct {
    PyObject_HEAD
    augur_map *map;
} MapObject;

/* Term: a termination condition. */
typedef struct {
    PyObject_HEAD
    augur_termination *t;
} TermObject;

extern PyTypeObject CCostType, MapType, TermType, SolverType;

/* A new Term owning t (destroyed on failure). */
PyObject *term_wrap(augur_termination *t);

/* --- Solver and its runs (_augur_solver.c, _augur_run.c) ---------------- */

/* What a fork worker leaves for the caller when its cost raised. */
typedef struct worker_error {
    atomic_int failed;
    char type[128];
    char msg[2048];
    size_t n;
    double x[];
} worker_error;

/* COST_PY_VECTOR: a vectorised callable called with one row at a time
 * (on a map other than serial, which a batch cost cannot use); COST_PY_BATCH:
 * the same callable as the solver's batch cost, one call per batch. */
enum cost_kind { COST_PY, COST_PY_VECTOR, COST_PY_BATCH, COST_C };

/* One solve or step call: lives on the caller's stack for the call. */
typedef struct run_ctx {
    augur_solver *s;
    int kind;
    PyObject *fn;                 /* borrowed: the caller's frame holds it */
    size_t n;
    int released;                 /* the GIL is released during the call */
    int failed;                   /* an exception is kept: call nothing more */
    PyObject *etype, *evalue, *etb; /* the first exception */
    PyObject *ex;                 /* the point it was raised at, or NULL */
    PyObject *spare;              /* the last argument array, for reuse */
    worker_error *shared;         /* fork map with a Python cost */
    size_t shared_len;
    pid_t pid;                    /* the caller's process */
} run_ctx;

typedef struct {
    PyObject_HEAD
    augur_solver *s;
    run_ctx *run;                 /* non-NULL during solve / step */
    PyObject *gen_hook;           /* callable(x, f) per generation, or NULL */
    PyObject *eval_hook;          /* callable(x, f) per evaluation, or NULL */
    int eval_monitor_added;
    PyObject *map;                /* the MapObject in use, or NULL */
} SolverObject;

/* The generation monitor every wrapped solver carries (data: the
 * SolverObject): fork workers' failures, Ctrl-C, then the user's hook. */
int generation_guard(const augur_record *r, void *data);
/* The evaluation monitor behind set_evaluation_hook. */
int evaluation_hook(const augur_record *r, void *data);
/* solve(cost, vectorized=False) / step(...): the status (0, or 1 when
 * stopped on request) or an exception. */
PyObject *solver_run(SolverObject *self, PyObject *args, PyObject *kw, int step);
/* register_cost(name, fn), the module function. */
PyObject *mod_register_cost(PyObject *m, PyObject *args);

#endif
