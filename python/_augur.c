/* _augur.c - the compiled core of the Python package: thin types over
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
 * doubles on the way in and out. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include <dlfcn.h>
#include <libgen.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "augur.h"
#include "augur/plugin.h"

PyMODINIT_FUNC PyInit__augur(void);

static PyObject *AugurError;

/* --- Small helpers ------------------------------------------------------ */

/* A new 1-D float64 array holding a copy of x. */
static PyObject *array_from(const double *x, size_t n)
{
    npy_intp dim = (npy_intp)n;
    PyObject *a = PyArray_SimpleNew(1, &dim, NPY_DOUBLE);
    if (a && n)
        memcpy(PyArray_DATA((PyArrayObject *)a), x, n * sizeof *x);
    return a;
}

/* Copy a sequence of n numbers into out; -1 with an exception otherwise. */
static int doubles_from(PyObject *obj, size_t n, double *out, const char *what)
{
    PyArrayObject *a = (PyArrayObject *)PyArray_FROMANY(obj, NPY_DOUBLE, 0, 1,
                                                        NPY_ARRAY_CARRAY_RO);
    if (!a)
        return -1;
    npy_intp size = PyArray_SIZE(a);
    if (PyArray_NDIM(a) == 0) {
        double v = *(const double *)PyArray_DATA(a);
        for (size_t i = 0; i < n; i++)
            out[i] = v;
    } else if ((size_t)size != n) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zu values, got %zd", what, n,
                     (Py_ssize_t)size);
        Py_DECREF(a);
        return -1;
    } else {
        memcpy(out, PyArray_DATA(a), n * sizeof *out);
    }
    Py_DECREF(a);
    return 0;
}

static PyObject *raise_status(int rc, const char *msg)
{
    PyErr_Format(AugurError, "%s (%s)", msg && msg[0] ? msg : augur_strerror(rc),
                 augur_status_name(rc));
    return NULL;
}

/* --- CCost: a C function pointer as a cost ------------------------------- */

typedef struct {
    PyObject_HEAD
    augur_cost fn;
    void *data;
    PyObject *keep;               /* what keeps fn and data alive (a ctypes object) */
} CCostObject;

static int ccost_init(CCostObject *self, PyObject *args, PyObject *kw)
{
    static char *names[] = {"address", "data", "keep", NULL};
    unsigned long long addr = 0, data = 0;
    PyObject *keep = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "K|KO", names, &addr, &data, &keep))
        return -1;
    if (!addr) {
        PyErr_SetString(PyExc_ValueError, "CCost: NULL function pointer");
        return -1;
    }
    self->fn = (augur_cost)(uintptr_t)addr;
    self->data = (void *)(uintptr_t)data;
    Py_INCREF(keep);
    Py_XSETREF(self->keep, keep);
    return 0;
}

static void ccost_dealloc(CCostObject *self)
{
    Py_XDECREF(self->keep);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Call it once (for tests and for checking a pointer by hand). */
static PyObject *ccost_call(CCostObject *self, PyObject *args, PyObject *kw)
{
    PyObject *x;
    static char *names[] = {"x", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O", names, &x))
        return NULL;
    PyArrayObject *a = (PyArrayObject *)PyArray_FROMANY(x, NPY_DOUBLE, 1, 1,
                                                        NPY_ARRAY_CARRAY_RO);
    if (!a)
        return NULL;
    double f = self->fn(PyArray_DATA(a), (size_t)PyArray_SIZE(a), self->data);
    Py_DECREF(a);
    return PyFloat_FromDouble(f);
}

static PyObject *ccost_model(PyTypeObject *type, PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "s", &name))
        return NULL;
    const augur_model *m = augur_model_find(name);
    if (!m)
        return PyErr_Format(PyExc_ValueError, "no model named '%s'", name);
    CCostObject *c = (CCostObject *)type->tp_alloc(type, 0);
    if (!c)
        return NULL;
    c->fn = m->cost;
    c->data = NULL;
    c->keep = Py_NewRef(Py_None);
    return (PyObject *)c;
}

static PyMethodDef ccost_methods[] = {
    {"model", (PyCFunction)ccost_model, METH_VARARGS | METH_CLASS,
     "model(name): the C cost of a built-in model (augur_model_find)."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CCostType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "augur._augur.CCost",
    .tp_basicsize = sizeof(CCostObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "CCost(address, data=0, keep=None): a C cost "
              "double f(const double *x, size_t n, void *data) at a function address "
              "(a ctypes function pointer's address); called without the GIL.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)ccost_init,
    .tp_dealloc = (destructor)ccost_dealloc,
    .tp_call = (ternaryfunc)ccost_call,
    .tp_methods = ccost_methods,
};

/* --- Map ------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    augur_map *map;
} MapObject;

static int map_init(MapObject *self, PyObject *args, PyObject *kw)
{
    static char *names[] = {"type", "workers", NULL};
    const char *type;
    int workers = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s|i", names, &type, &workers))
        return -1;
    if (self->map) {
        augur_map_destroy(self->map);
        self->map = NULL;
    }
    char err[512] = "";
    int rc = augur_map_new(&self->map, type, workers, err, sizeof err);
    if (rc != AUGUR_OK) {
        raise_status(rc, err);
        return -1;
    }
    return 0;
}

static void map_dealloc(MapObject *self)
{
    augur_map_destroy(self->map);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *map_get_type(MapObject *self, void *closure)
{
    (void)closure;
    return PyUnicode_FromString(augur_map_type_name(self->map));
}

static PyObject *map_get_workers(MapObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromLong(augur_map_workers(self->map));
}

static PyGetSetDef map_getset[] = {
    {"type", (getter)map_get_type, NULL, "the backend's name", NULL},
    {"workers", (getter)map_get_workers, NULL, "processes or threads that run tasks",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject MapType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "augur._augur.Map",
    .tp_basicsize = sizeof(MapObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Map(type, workers=0): a map backend (serial, threads, fork, mpi).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)map_init,
    .tp_dealloc = (destructor)map_dealloc,
    .tp_getset = map_getset,
};

/* --- Term: a termination condition ------------------------------------- */

typedef struct {
    PyObject_HEAD
    augur_termination *t;
} TermObject;

static PyTypeObject TermType;

static PyObject *term_wrap(augur_termination *t)
{
    TermObject *o = PyObject_New(TermObject, &TermType);
    if (!o) {
        augur_term_destroy(t);
        return NULL;
    }
    o->t = t;
    return (PyObject *)o;
}

static int term_init(TermObject *self, PyObject *args, PyObject *kw)
{
    static char *names[] = {"name", NULL};
    const char *name;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s", names, &name))
        return -1;
    augur_term_destroy(self->t);
    self->t = augur_term_create(name);
    if (!self->t) {
        PyErr_Format(PyExc_ValueError, "no termination condition named '%s'", name);
        return -1;
    }
    return 0;
}

static void term_dealloc(TermObject *self)
{
    augur_term_destroy(self->t);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *term_set_param(TermObject *self, PyObject *args)
{
    const char *name;
    double v;
    if (!PyArg_ParseTuple(args, "sd", &name, &v))
        return NULL;
    int rc = augur_term_set_param(self->t, name, v);
    if (rc != AUGUR_OK)
        return raise_status(rc, augur_term_errmsg(self->t));
    Py_RETURN_NONE;
}

static PyObject *term_get_param(TermObject *self, PyObject *args)
{
    const char *name;
    double v;
    if (!PyArg_ParseTuple(args, "s", &name))
        return NULL;
    int rc = augur_term_get_param(self->t, name, &v);
    if (rc != AUGUR_OK)
        return raise_status(rc, augur_term_errmsg(self->t));
    return PyFloat_FromDouble(v);
}

/* Append a copy of child (the Python object stays usable). */
static PyObject *term_add(TermObject *self, PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &TermType))
        return PyErr_Format(PyExc_TypeError, "add: expected a Term");
    augur_termination *c = augur_term_copy(((TermObject *)arg)->t);
    if (!c)
        return PyErr_NoMemory();
    int rc = augur_term_add_child(self->t, c);
    if (rc != AUGUR_OK)
        return raise_status(rc, "this condition takes no more members");
    Py_RETURN_NONE;
}

static PyObject *term_describe(TermObject *self, PyObject *unused)
{
    (void)unused;
    char buf[4096];
    augur_term_describe(self->t, buf, sizeof buf);
    return PyUnicode_FromString(buf);
}

static PyObject *term_write_spec(TermObject *self, PyObject *unused)
{
    (void)unused;
    char *text = NULL;
    int rc = augur_term_write_spec(self->t, &text);
    if (rc != AUGUR_OK)
        return raise_status(rc, augur_term_errmsg(self->t));
    PyObject *r = PyUnicode_FromString(text);
    free(text);
    return r;
}

static PyObject *term_read_spec(PyObject *cls, PyObject *args)
{
    (void)cls;
    const char *text;
    if (!PyArg_ParseTuple(args, "s", &text))
        return NULL;
    augur_termination *t = NULL;
    char err[512] = "";
    int rc = augur_term_read_spec(text, &t, err, sizeof err);
    if (rc != AUGUR_OK)
        return raise_status(rc, err);
    return term_wrap(t);
}

static PyObject *term_get_name(TermObject *self, void *closure)
{
    (void)closure;
    return PyUnicode_FromString(augur_term_get_type(self->t)->name);
}

static PyMethodDef term_methods[] = {
    {"set_param", (PyCFunction)term_set_param, METH_VARARGS, "set_param(name, value)"},
    {"get_param", (PyCFunction)term_get_param, METH_VARARGS, "get_param(name)"},
    {"add", (PyCFunction)term_add, METH_O, "add(member): append a copy of member"},
    {"describe", (PyCFunction)term_describe, METH_NOARGS, "Label(param=value, ...)"},
    {"write_spec", (PyCFunction)term_write_spec, METH_NOARGS, "the spec text"},
    {"read_spec", (PyCFunction)term_read_spec, METH_VARARGS | METH_CLASS,
     "read_spec(text): a Term from spec text"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef term_getset[] = {
    {"name", (getter)term_get_name, NULL, "the registry name", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject TermType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "augur._augur.Term",
    .tp_basicsize = sizeof(TermObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Term(name): a termination condition by registry name.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)term_init,
    .tp_dealloc = (destructor)term_dealloc,
    .tp_methods = term_methods,
    .tp_getset = term_getset,
};

/* --- Solver ---------------------------------------------------------------- */

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

static PyTypeObject SolverType;

/* Keep the current exception (the first one) and the point; ask the solver
 * to stop. In a fork worker, write it to the shared page instead. GIL held. */
static void keep_error(run_ctx *c, const double *x, size_t n)
{
    if (c->shared && getpid() != c->pid) {
        PyObject *t, *v, *tb;
        PyErr_Fetch(&t, &v, &tb);
        PyErr_NormalizeException(&t, &v, &tb);
        int expected = 0;
        if (atomic_compare_exchange_strong(&c->shared->failed, &expected, 1)) {
            snprintf(c->shared->type, sizeof c->shared->type, "%s",
                     t ? ((PyTypeObject *)t)->tp_name : "RuntimeError");
            PyObject *s = v ? PyObject_Str(v) : NULL;
            const char *m = s ? PyUnicode_AsUTF8(s) : NULL;
            snprintf(c->shared->msg, sizeof c->shared->msg, "%s", m ? m : "");
            Py_XDECREF(s);
            c->shared->n = x && n == c->n ? n : 0;
            if (c->shared->n)
                memcpy(c->shared->x, x, n * sizeof *x);
        }
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
        PyErr_Clear();
        c->failed = 1;
        return;
    }
    if (!c->failed) {
        PyErr_Fetch(&c->etype, &c->evalue, &c->etb);
        PyErr_NormalizeException(&c->etype, &c->evalue, &c->etb);
        if (x)
            c->ex = array_from(x, n);
        PyErr_Clear();
        c->failed = 1;
    } else {
        PyErr_Clear();
    }
    augur_solver_request_stop(c->s);
}

/* The array a Python cost is called with. The last call's array is used
 * again when nothing but this run holds it (the cost kept no reference and
 * left its shape alone): the cost cannot tell the difference, and a call
 * costs no allocation. GIL held. */
static PyObject *argument(run_ctx *c, const double *x, size_t n)
{
    int nd = c->kind == COST_PY_VECTOR ? 2 : 1;
    PyArrayObject *a = (PyArrayObject *)c->spare;
    c->spare = NULL;
    if (a && !(Py_REFCNT(a) == 1 && PyArray_NDIM(a) == nd &&
               PyArray_DIM(a, nd - 1) == (npy_intp)n && (nd == 1 || PyArray_DIM(a, 0) == 1) &&
               PyArray_TYPE(a) == NPY_DOUBLE && PyArray_IS_C_CONTIGUOUS(a) &&
               PyArray_CHKFLAGS(a, NPY_ARRAY_OWNDATA))) {
        Py_DECREF(a);
        a = NULL;
    }
    if (!a) {
        npy_intp dims[2] = {1, (npy_intp)n};
        a = (PyArrayObject *)PyArray_SimpleNew(nd, nd == 2 ? dims : dims + 1, NPY_DOUBLE);
        if (!a)
            return NULL;
    }
    PyArray_ENABLEFLAGS(a, NPY_ARRAY_WRITEABLE);
    memcpy(PyArray_DATA(a), x, n * sizeof *x);
    return (PyObject *)a;
}

/* The cost trampoline for Python callables. */
static double py_cost(const double *x, size_t n, void *data)
{
    run_ctx *c = data;
    if (c->failed)
        return NAN;
    PyGILState_STATE g = PyGILState_UNLOCKED;
    if (c->released)
        g = PyGILState_Ensure();
    double f = NAN;
    PyObject *arr = NULL, *r = NULL;
    if (c->failed)
        goto done;        /* another thread failed while we waited */
    if (PyErr_CheckSignals() < 0) {
        keep_error(c, x, n);
        goto done;
    }
    arr = argument(c, x, n);
    if (arr)
        r = PyObject_CallOneArg(c->fn, arr);
    if (r && c->kind == COST_PY_VECTOR && !PyFloat_Check(r)) {
        PyObject *item = PySequence_GetItem(r, 0);
        Py_SETREF(r, item);
    }
    if (r) {
        f = PyFloat_CheckExact(r) ? PyFloat_AS_DOUBLE(r) : PyFloat_AsDouble(r);
        if (f == -1.0 && PyErr_Occurred())
            f = NAN;
    }
    if (PyErr_Occurred())
        keep_error(c, x, n);
done:
    Py_XDECREF(r);
    if (arr && !c->spare)
        c->spare = arr;
    else
        Py_XDECREF(arr);
    if (c->released)
        PyGILState_Release(g);
    return f;
}

/* --- Costs by name (the mpi map) ------------------------------------------ */

/* The run in progress on this process, for a registered cost that rank 0
 * runs itself (mpirun -np 1): its exception is kept like py_cost's. */
static run_ctx *current_run;
/* name -> callable: what register_cost registered (kept alive for good,
 * since the library's registry holds the pointers). */
static PyObject *registered_costs;

static double named_cost(const double *x, size_t n, void *data)
{
    PyObject *fn = data;
    run_ctx *c = current_run;
    if (c && c->failed)
        return NAN;
    PyGILState_STATE g = PyGILState_Ensure();
    double f = NAN;
    PyObject *arr = array_from(x, n);
    PyObject *r = arr ? PyObject_CallOneArg(fn, arr) : NULL;
    if (r) {
        f = PyFloat_AsDouble(r);
        if (f == -1.0 && PyErr_Occurred())
            f = NAN;
    }
    if (PyErr_Occurred()) {
        if (c) {
            keep_error(c, x, n);
        } else {
            /* a worker rank: nobody to raise it to; end the job */
            PySys_WriteStderr("augur: a registered cost raised on an MPI worker "
                              "rank; ending the job\n");
            PyErr_Print();
            fflush(stderr);
            _exit(1);
        }
    }
    Py_XDECREF(r);
    Py_XDECREF(arr);
    PyGILState_Release(g);
    return f;
}

/* The registered callable that is fn (or named fn), or NULL. Borrowed. */
static PyObject *registered_cost(PyObject *fn)
{
    if (!registered_costs)
        return NULL;
    if (PyUnicode_Check(fn))
        return PyDict_GetItem(registered_costs, fn);
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(registered_costs, &pos, &key, &value))
        if (value == fn)
            return value;
    return NULL;
}

/* --- Batch costs and hooks during a run ------------------------------------ */

/* The batch cost's result as m doubles in f; -1 with a clear exception
 * when it is not a 1-D float array (or sequence) of m values. */
static int batch_result(PyObject *r, size_t m, size_t n, double *f)
{
    PyArrayObject *a = (PyArrayObject *)PyArray_FROMANY(r, NPY_DOUBLE, 0, 0,
                                                        NPY_ARRAY_CARRAY_RO);
    if (!a) {
        PyObject *t, *v, *tb;
        PyErr_Fetch(&t, &v, &tb);
        PyObject *why = v ? PyObject_Str(v) : NULL;
        PyErr_Format(PyExc_TypeError, "vectorized cost: expected a 1-D float array "
                     "of %zu values (one per row of X, shape (%zu, %zu)), got %s "
                     "(%U)", m, m, n, Py_TYPE(r)->tp_name,
                     why ? why : PyUnicode_FromString("not convertible to float64"));
        Py_XDECREF(why);
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
        return -1;
    }
    if (PyArray_NDIM(a) != 1 || (size_t)PyArray_DIM(a, 0) != m) {
        PyObject *shape = PyObject_GetAttrString((PyObject *)a, "shape");
        PyErr_Format(PyExc_ValueError, "vectorized cost: expected a 1-D array of %zu "
                     "values (one per row of X, shape (%zu, %zu)), got shape %R", m,
                     m, n, shape ? shape : Py_None);
        Py_XDECREF(shape);
        Py_DECREF(a);
        return -1;
    }
    memcpy(f, PyArray_DATA(a), m * sizeof *f);
    Py_DECREF(a);
    return 0;
}

/* The batch cost trampoline (augur_solver_set_batch_cost): the callable
 * gets X as a read-only 2-D view of the solver's rows, valid during the
 * call only (no copy). GIL held (a Python cost on no map or serial). */
static int py_batch_cost(const double *X, size_t m, size_t n, double *f, void *data)
{
    run_ctx *c = data;
    if (c->failed)
        return AUGUR_EFAILED;
    npy_intp dims[2] = {(npy_intp)m, (npy_intp)n};
    PyObject *view = NULL, *r = NULL;
    if (PyErr_CheckSignals() == 0)
        view = PyArray_New(&PyArray_Type, 2, dims, NPY_DOUBLE, NULL, (void *)X, 0,
                           NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED, NULL);
    if (view)
        r = PyObject_CallOneArg(c->fn, view);
    int rc = r ? batch_result(r, m, n, f) : -1;
    Py_XDECREF(r);
    Py_XDECREF(view);
    if (rc == 0)
        return AUGUR_OK;
    if (!c->failed) {
        PyErr_Fetch(&c->etype, &c->evalue, &c->etb);
        PyErr_NormalizeException(&c->etype, &c->evalue, &c->etb);
        c->ex = PyArray_SimpleNew(2, dims, NPY_DOUBLE);
        if (c->ex)
            memcpy(PyArray_DATA((PyArrayObject *)c->ex), X, m * n * sizeof *X);
        c->failed = 1;
    }
    PyErr_Clear();
    return AUGUR_EFAILED;
}

/* Call a hook with (x, f); 1 if it asked to stop (returned True) or raised. */
static int call_hook(run_ctx *c, PyObject *hook, const augur_record *r)
{
    PyObject *x = array_from(r->x, r->n);
    PyObject *res = x ? PyObject_CallFunction(hook, "Od", x, r->f) : NULL;
    Py_XDECREF(x);
    if (!res) {
        if (c)
            keep_error(c, NULL, 0);
        else
            PyErr_WriteUnraisable(hook);
        return 1;
    }
    int stop = res != Py_None && PyObject_IsTrue(res) == 1;
    Py_DECREF(res);
    return stop;
}

/* The generation monitor every wrapped solver carries: the fork workers'
 * failures, pending signals (Ctrl-C), then the user's hook. */
static int generation_guard(const augur_record *r, void *data)
{
    SolverObject *self = data;
    run_ctx *c = self->run;
    if (c && c->shared && atomic_load(&c->shared->failed))
        return 1;
    if (!c && !self->gen_hook)
        return 0;
    PyGILState_STATE g = PyGILState_Ensure();
    int stop = 0;
    if (c && !c->failed && PyErr_CheckSignals() < 0) {
        keep_error(c, NULL, 0);
        stop = 1;
    }
    if (!stop && self->gen_hook)
        stop = call_hook(c, self->gen_hook, r);
    PyGILState_Release(g);
    return stop;
}

static int evaluation_hook(const augur_record *r, void *data)
{
    SolverObject *self = data;
    if (!self->eval_hook)
        return 0;
    PyGILState_STATE g = PyGILState_Ensure();
    int stop = call_hook(self->run, self->eval_hook, r);
    PyGILState_Release(g);
    return stop;
}

/* --- Solver methods --------------------------------------------------------- */

static PyObject *solver_wrap(PyTypeObject *type, augur_solver *s)
{
    SolverObject *self = (SolverObject *)type->tp_alloc(type, 0);
    if (!self) {
        augur_solver_destroy(s);
        return NULL;
    }
    self->s = s;
    int rc = augur_solver_add_generation_monitor(
        s, augur_monitor_callback(generation_guard, self));
    if (rc != AUGUR_OK) {
        Py_DECREF(self);
        return raise_status(rc, "cannot attach the generation guard");
    }
    return (PyObject *)self;
}

static PyObject *solver_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    static char *names[] = {"type", "n", NULL};
    const char *name;
    Py_ssize_t n;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "sn", names, &name, &n))
        return NULL;
    if (n <= 0)
        return PyErr_Format(PyExc_ValueError, "dimension must be positive, not %zd", n);
    augur_solver *s = NULL;
    char err[512] = "";
    int rc = augur_solver_new(&s, name, (size_t)n, err, sizeof err);
    if (rc != AUGUR_OK) {
        PyErr_Format(PyExc_ValueError, "%s", err[0] ? err : augur_strerror(rc));
        return NULL;
    }
    return solver_wrap(type, s);
}

static void solver_dealloc(SolverObject *self)
{
    augur_solver_destroy(self->s);   /* drops the monitors pointing at self */
    Py_XDECREF(self->gen_hook);
    Py_XDECREF(self->eval_hook);
    Py_XDECREF(self->map);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

#define SOLVER_CHECK(rc)                                                       \
    do {                                                                       \
        int rc_ = (rc);                                                        \
        if (rc_ != AUGUR_OK)                                                   \
            return raise_status(rc_, augur_solver_errmsg(self->s));            \
    } while (0)

static PyObject *solver_set_param(SolverObject *self, PyObject *args)
{
    const char *name;
    PyObject *v;
    if (!PyArg_ParseTuple(args, "sO", &name, &v))
        return NULL;
    if (PyUnicode_Check(v)) {
        SOLVER_CHECK(augur_solver_set_param_string(self->s, name, PyUnicode_AsUTF8(v)));
    } else {
        double d = PyFloat_AsDouble(v);
        if (d == -1.0 && PyErr_Occurred())
            return NULL;
        SOLVER_CHECK(augur_solver_set_param(self->s, name, d));
    }
    Py_RETURN_NONE;
}

static PyObject *solver_get_param(SolverObject *self, PyObject *args)
{
    const char *name;
    double v;
    if (!PyArg_ParseTuple(args, "s", &name))
        return NULL;
    SOLVER_CHECK(augur_solver_get_param(self->s, name, &v));
    return PyFloat_FromDouble(v);
}

static PyObject *solver_set_initial_point(SolverObject *self, PyObject *arg)
{
    size_t n = augur_solver_dimension(self->s);
    double *x = PyMem_Malloc(n * sizeof *x);
    if (!x)
        return PyErr_NoMemory();
    if (doubles_from(arg, n, x, "initial point") < 0) {
        PyMem_Free(x);
        return NULL;
    }
    int rc = augur_solver_set_initial_point(self->s, x);
    PyMem_Free(x);
    SOLVER_CHECK(rc);
    Py_RETURN_NONE;
}

/* set_bounds(lb, ub) and set_random_initial_points(lb, ub). */
static PyObject *solver_two_vectors(SolverObject *self, PyObject *args, int bounds)
{
    PyObject *lo, *hi;
    if (!PyArg_ParseTuple(args, "OO", &lo, &hi))
        return NULL;
    size_t n = augur_solver_dimension(self->s);
    double *v = PyMem_Malloc(2 * n * sizeof *v);
    if (!v)
        return PyErr_NoMemory();
    int rc = AUGUR_OK;
    if (doubles_from(lo, n, v, "lower") < 0 || doubles_from(hi, n, v + n, "upper") < 0) {
        PyMem_Free(v);
        return NULL;
    }
    rc = bounds ? augur_solver_set_bounds(self->s, v, v + n)
                : augur_solver_set_random_initial_points(self->s, v, v + n);
    PyMem_Free(v);
    SOLVER_CHECK(rc);
    Py_RETURN_NONE;
}

static PyObject *solver_set_bounds(SolverObject *self, PyObject *args)
{
    return solver_two_vectors(self, args, 1);
}

static PyObject *solver_set_random_initial_points(SolverObject *self, PyObject *args)
{
    return solver_two_vectors(self, args, 0);
}

static PyObject *solver_clear_bounds(SolverObject *self, PyObject *unused)
{
    (void)unused;
    SOLVER_CHECK(augur_solver_clear_bounds(self->s));
    Py_RETURN_NONE;
}

static PyObject *solver_set_seed(SolverObject *self, PyObject *arg)
{
    unsigned long long seed = PyLong_AsUnsignedLongLongMask(arg);
    if (PyErr_Occurred())
        return NULL;
    SOLVER_CHECK(augur_solver_set_seed(self->s, (uint64_t)seed));
    Py_RETURN_NONE;
}

/* None or 0: the solver's default; inf or -1: unlimited. */
static int limit_from(PyObject *o, size_t *out)
{
    if (o == Py_None) {
        *out = 0;
        return 0;
    }
    double d = PyFloat_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred())
        return -1;
    if (isinf(d) || d < 0)
        *out = AUGUR_UNLIMITED;
    else
        *out = (size_t)d;
    return 0;
}

static PyObject *solver_set_evaluation_limits(SolverObject *self, PyObject *args)
{
    PyObject *g = Py_None, *e = Py_None;
    size_t gens, evals;
    if (!PyArg_ParseTuple(args, "|OO", &g, &e))
        return NULL;
    if (limit_from(g, &gens) < 0 || limit_from(e, &evals) < 0)
        return NULL;
    SOLVER_CHECK(augur_solver_set_evaluation_limits(self->s, gens, evals));
    Py_RETURN_NONE;
}

static PyObject *solver_set_termination(SolverObject *self, PyObject *arg)
{
    augur_termination *t = NULL;
    if (arg != Py_None) {
        if (!PyObject_TypeCheck(arg, &TermType))
            return PyErr_Format(PyExc_TypeError, "set_termination: expected a Term or None");
        t = augur_term_copy(((TermObject *)arg)->t);
        if (!t)
            return PyErr_NoMemory();
    }
    SOLVER_CHECK(augur_solver_set_termination(self->s, t));
    Py_RETURN_NONE;
}

static PyObject *solver_termination(SolverObject *self, PyObject *unused)
{
    (void)unused;
    const augur_termination *t = augur_solver_termination(self->s);
    if (!t)
        Py_RETURN_NONE;
    augur_termination *c = augur_term_copy(t);
    if (!c)
        return PyErr_NoMemory();
    return term_wrap(c);
}

static PyObject *solver_set_generation_hook(SolverObject *self, PyObject *arg)
{
    Py_XSETREF(self->gen_hook, arg == Py_None ? NULL : Py_NewRef(arg));
    Py_RETURN_NONE;
}

static PyObject *solver_set_evaluation_hook(SolverObject *self, PyObject *arg)
{
    if (arg != Py_None && !self->eval_monitor_added) {
        SOLVER_CHECK(augur_solver_add_evaluation_monitor(
            self->s, augur_monitor_callback(evaluation_hook, self)));
        self->eval_monitor_added = 1;
    }
    Py_XSETREF(self->eval_hook, arg == Py_None ? NULL : Py_NewRef(arg));
    Py_RETURN_NONE;
}

static PyObject *solver_set_map(SolverObject *self, PyObject *arg)
{
    if (arg != Py_None && !PyObject_TypeCheck(arg, &MapType))
        return PyErr_Format(PyExc_TypeError, "set_map: expected a Map or None");
    SOLVER_CHECK(augur_solver_set_map(self->s, arg == Py_None ? NULL
                                                              : ((MapObject *)arg)->map));
    Py_XSETREF(self->map, arg == Py_None ? NULL : Py_NewRef(arg));
    Py_RETURN_NONE;
}

/* The inner solver of an ensemble: a copy of inner (through its spec), so
 * the Python object stays the caller's; None removes it. */
static PyObject *solver_set_nested(SolverObject *self, PyObject *arg)
{
    augur_solver *copy = NULL;
    if (arg != Py_None) {
        if (!PyObject_TypeCheck(arg, &SolverType))
            return PyErr_Format(PyExc_TypeError, "set_nested: expected a Solver or None");
        char *text = NULL;
        augur_solver *inner = ((SolverObject *)arg)->s;
        int rc = augur_solver_write_spec(inner, &text);
        if (rc != AUGUR_OK)
            return raise_status(rc, augur_solver_errmsg(inner));
        char err[512] = "";
        rc = augur_solver_read_spec(text, &copy, err, sizeof err);
        free(text);
        if (rc != AUGUR_OK)
            return raise_status(rc, err);
    }
    SOLVER_CHECK(augur_solver_set_nested(self->s, copy));
    Py_RETURN_NONE;
}

/* Raise what a run kept: its exception, or a fork worker's. */
static PyObject *raise_kept(run_ctx *c)
{
    if (c->etype) {
        if (c->ex && c->evalue && PyExceptionInstance_Check(c->evalue)) {
            PyObject_SetAttrString(c->evalue, "augur_x", c->ex);
            PyObject *xs = PyObject_Repr(c->ex);
            int rows = PyArray_Check(c->ex) && PyArray_NDIM((PyArrayObject *)c->ex) == 2;
            PyObject *note = xs ? PyUnicode_FromFormat(rows ? "augur: raised by the "
                                                       "vectorized cost on X = %U"
                                                       : "augur: raised by the cost at "
                                                       "x = %U", xs) : NULL;
            PyObject *r = note ? PyObject_CallMethod(c->evalue, "add_note", "O", note)
                               : NULL;
            Py_XDECREF(r);
            Py_XDECREF(note);
            Py_XDECREF(xs);
            PyErr_Clear();
        }
        PyErr_Restore(c->etype, c->evalue, c->etb);
        c->etype = c->evalue = c->etb = NULL;
        return NULL;
    }
    worker_error *w = c->shared;
    PyObject *builtins = PyEval_GetBuiltins();
    PyObject *type = builtins ? PyDict_GetItemString(builtins, w->type) : NULL;
    if (!type || !PyExceptionClass_Check(type))
        type = PyExc_RuntimeError;
    PyObject *msg = type == PyExc_RuntimeError && strcmp(w->type, "RuntimeError")
                        ? PyUnicode_FromFormat("%s: %s", w->type, w->msg)
                        : PyUnicode_FromString(w->msg);
    PyObject *exc = msg ? PyObject_CallOneArg(type, msg) : NULL;
    Py_XDECREF(msg);
    if (!exc)
        return NULL;
    PyObject *x = w->n ? array_from(w->x, w->n) : Py_NewRef(Py_None);
    if (x) {
        PyObject_SetAttrString(exc, "augur_x", x);
        PyObject *xs = PyObject_Repr(x);
        PyObject *note = xs ? PyUnicode_FromFormat("augur: raised by the cost in a "
                                                   "fork worker at x = %U", xs) : NULL;
        PyObject *r = note ? PyObject_CallMethod(exc, "add_note", "O", note) : NULL;
        Py_XDECREF(r);
        Py_XDECREF(note);
        Py_XDECREF(xs);
        Py_DECREF(x);
    }
    PyErr_Clear();
    PyErr_SetObject(type, exc);
    Py_DECREF(exc);
    return NULL;
}

/* solve(cost, vectorized=False) / step(cost, vectorized=False): the status
 * (0 or 1 = stopped on request) or an exception. */
static PyObject *solver_run(SolverObject *self, PyObject *args, PyObject *kw, int step)
{
    static char *names[] = {"cost", "vectorized", NULL};
    PyObject *cost;
    int vectorized = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|p", names, &cost, &vectorized))
        return NULL;
    if (self->run)
        return PyErr_Format(AugurError, "this solver is already running");
    if (PyUnicode_Check(cost)) {   /* a registered cost by its name */
        PyObject *named = registered_cost(cost);
        if (!named)
            return PyErr_Format(PyExc_ValueError, "no cost registered as %R "
                                "(augur.register_cost)", cost);
        cost = named;
    }
    run_ctx c = {
        .s = self->s,
        .n = augur_solver_dimension(self->s),
        .pid = getpid(),
        .fn = cost,
    };
    augur_cost fn = py_cost;
    void *data = &c;
    if (PyObject_TypeCheck(cost, &CCostType)) {
        c.kind = COST_C;
        fn = ((CCostObject *)cost)->fn;
        data = ((CCostObject *)cost)->data;
    } else if (PyCallable_Check(cost)) {
        c.kind = vectorized ? COST_PY_VECTOR : COST_PY;
    } else {
        return PyErr_Format(PyExc_TypeError, "the cost must be callable or a CCost");
    }
    augur_map *map = augur_solver_map(self->s);
    const char *mtype = map ? augur_map_type_name(map) : "serial";
    c.released = c.kind == COST_C || strcmp(mtype, "threads") == 0;
    if (c.kind != COST_C && strcmp(mtype, "fork") == 0) {
        c.shared_len = sizeof(worker_error) + c.n * sizeof(double);
        void *p = mmap(NULL, c.shared_len, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return PyErr_SetFromErrno(PyExc_OSError);
        c.shared = p;   /* zero-filled: failed == 0 */
    }
    PyObject *named = c.kind != COST_C ? registered_cost(cost) : NULL;
    if (c.kind != COST_C && strcmp(mtype, "mpi") == 0) {
        if (!named)
            return PyErr_Format(AugurError, "the mpi map finds the cost by name on "
                                "every rank: register it with augur.register_cost("
                                "name, fn) on every rank before augur.mpi_init()");
        if (c.kind != COST_PY)
            return PyErr_Format(AugurError, "the mpi map evaluates one point per task: "
                                "register and pass a per-point cost, not a vectorized one");
        fn = named_cost;   /* the registered pair, so its name crosses */
        data = named;
    }
    if (c.kind == COST_PY_VECTOR && strcmp(mtype, "serial") == 0) {
        /* whole batches in one call; other maps get one row per task */
        c.kind = COST_PY_BATCH;
        if (augur_solver_set_batch_cost(self->s, py_batch_cost, &c) != AUGUR_OK)
            return raise_status(AUGUR_EUNSUP, augur_solver_errmsg(self->s));
        fn = NULL;
        data = NULL;
    }
    Py_INCREF(self);
    Py_INCREF(cost);
    self->run = &c;
    run_ctx *outer_run = current_run;
    current_run = &c;
    int rc;
    if (c.released) {
        Py_BEGIN_ALLOW_THREADS
        if (step) {
            rc = map ? augur_map_reset(map) : AUGUR_OK;
            if (rc == AUGUR_OK)
                rc = augur_solver_step(self->s, fn, data);
        } else {
            rc = augur_solve(self->s, fn, data, NULL);
        }
        Py_END_ALLOW_THREADS
    } else if (step) {
        /* fork workers must see this call's context, not a past one */
        rc = map ? augur_map_reset(map) : AUGUR_OK;
        if (rc == AUGUR_OK)
            rc = augur_solver_step(self->s, fn, data);
    } else {
        rc = augur_solve(self->s, fn, data, NULL);
    }
    self->run = NULL;
    current_run = outer_run;
    PyObject *result = NULL;
    if (c.etype || (c.shared && atomic_load(&c.shared->failed)))
        result = raise_kept(&c);
    else if (rc < 0)
        result = raise_status(rc, augur_solver_errmsg(self->s));
    else
        result = PyLong_FromLong(rc);
    if (c.kind == COST_PY_BATCH)   /* &c dies with this call */
        augur_solver_set_batch_cost(self->s, NULL, NULL);
    Py_XDECREF(c.etype);
    Py_XDECREF(c.evalue);
    Py_XDECREF(c.etb);
    Py_XDECREF(c.ex);
    Py_XDECREF(c.spare);
    if (c.shared)
        munmap(c.shared, c.shared_len);
    Py_DECREF(cost);
    Py_DECREF(self);
    return result;
}

static PyObject *solver_solve(SolverObject *self, PyObject *args, PyObject *kw)
{
    return solver_run(self, args, kw, 0);
}

static PyObject *solver_step(SolverObject *self, PyObject *args, PyObject *kw)
{
    return solver_run(self, args, kw, 1);
}

static PyObject *solver_terminated(SolverObject *self, PyObject *unused)
{
    (void)unused;
    int rc = augur_solver_terminated(self->s);
    if (rc < 0)
        return raise_status(rc, augur_solver_errmsg(self->s));
    return PyBool_FromLong(rc);
}

static PyObject *solver_request_stop(SolverObject *self, PyObject *unused)
{
    (void)unused;
    augur_solver_request_stop(self->s);
    Py_RETURN_NONE;
}

static PyObject *solver_write_spec(SolverObject *self, PyObject *unused)
{
    (void)unused;
    char *text = NULL;
    SOLVER_CHECK(augur_solver_write_spec(self->s, &text));
    PyObject *r = PyUnicode_FromString(text);
    free(text);
    return r;
}

static PyObject *solver_read_spec(PyObject *cls, PyObject *args)
{
    const char *text;
    if (!PyArg_ParseTuple(args, "s", &text))
        return NULL;
    augur_solver *s = NULL;
    char err[512] = "";
    int rc = augur_solver_read_spec(text, &s, err, sizeof err);
    if (rc != AUGUR_OK)
        return raise_status(rc, err);
    return solver_wrap((PyTypeObject *)cls, s);
}

static PyObject *solver_population(SolverObject *self, PyObject *unused)
{
    (void)unused;
    size_t npop = 0, n = augur_solver_dimension(self->s);
    const double *p = augur_solver_population(self->s, &npop);
    npy_intp dims[2] = {p ? (npy_intp)npop : 0, (npy_intp)n};
    PyObject *a = PyArray_SimpleNew(2, dims, NPY_DOUBLE);
    if (a && p && npop)
        memcpy(PyArray_DATA((PyArrayObject *)a), p, npop * n * sizeof *p);
    return a;
}

static PyObject *solver_energy_history(SolverObject *self, PyObject *unused)
{
    (void)unused;
    size_t len = 0;
    const double *h = augur_solver_energy_history(self->s, &len);
    return array_from(h, h ? len : 0);
}

static PyMethodDef solver_methods[] = {
    {"set_param", (PyCFunction)solver_set_param, METH_VARARGS,
     "set_param(name, value): a number, a bool, or text (a choice's name)"},
    {"get_param", (PyCFunction)solver_get_param, METH_VARARGS, "get_param(name)"},
    {"set_initial_point", (PyCFunction)solver_set_initial_point, METH_O, ""},
    {"set_random_initial_points", (PyCFunction)solver_set_random_initial_points,
     METH_VARARGS, "set_random_initial_points(lb, ub)"},
    {"set_bounds", (PyCFunction)solver_set_bounds, METH_VARARGS, "set_bounds(lb, ub)"},
    {"clear_bounds", (PyCFunction)solver_clear_bounds, METH_NOARGS, ""},
    {"set_seed", (PyCFunction)solver_set_seed, METH_O, ""},
    {"set_evaluation_limits", (PyCFunction)solver_set_evaluation_limits, METH_VARARGS,
     "set_evaluation_limits(generations, evaluations): None = default, inf = none"},
    {"set_termination", (PyCFunction)solver_set_termination, METH_O,
     "set_termination(term): a copy of term; None for the solver's default"},
    {"termination", (PyCFunction)solver_termination, METH_NOARGS,
     "a copy of the condition in force, or None"},
    {"set_generation_hook", (PyCFunction)solver_set_generation_hook, METH_O,
     "callable(x, f) after every generation (True stops), or None"},
    {"set_evaluation_hook", (PyCFunction)solver_set_evaluation_hook, METH_O,
     "callable(x, f) after every evaluation (True stops), or None"},
    {"set_map", (PyCFunction)solver_set_map, METH_O, "set_map(map or None)"},
    {"set_nested", (PyCFunction)solver_set_nested, METH_O,
     "set_nested(solver or None): an ensemble's inner solver (a copy)"},
    {"solve", (PyCFunction)(void (*)(void))solver_solve, METH_VARARGS | METH_KEYWORDS,
     "solve(cost, vectorized=False): 0, or 1 when stopped on request"},
    {"step", (PyCFunction)(void (*)(void))solver_step, METH_VARARGS | METH_KEYWORDS,
     "step(cost, vectorized=False): one generation"},
    {"terminated", (PyCFunction)solver_terminated, METH_NOARGS, ""},
    {"request_stop", (PyCFunction)solver_request_stop, METH_NOARGS, ""},
    {"write_spec", (PyCFunction)solver_write_spec, METH_NOARGS, "the solver's spec text"},
    {"read_spec", (PyCFunction)solver_read_spec, METH_VARARGS | METH_CLASS,
     "read_spec(text): a solver from spec text"},
    {"population", (PyCFunction)solver_population, METH_NOARGS, ""},
    {"energy_history", (PyCFunction)solver_energy_history, METH_NOARGS, ""},
    {NULL, NULL, 0, NULL},
};

static PyObject *solver_get_best_solution(SolverObject *self, void *closure)
{
    (void)closure;
    const double *x = augur_solver_best_solution(self->s);
    if (!x)
        Py_RETURN_NONE;
    return array_from(x, augur_solver_dimension(self->s));
}

#define SOLVER_GETTER(name, expr)                                              \
    static PyObject *solver_get_##name(SolverObject *self, void *closure)      \
    {                                                                          \
        (void)closure;                                                         \
        return expr;                                                           \
    }
SOLVER_GETTER(best_energy, PyFloat_FromDouble(augur_solver_best_energy(self->s)))
SOLVER_GETTER(evaluations, PyLong_FromSize_t(augur_solver_evaluations(self->s)))
SOLVER_GETTER(generations, PyLong_FromSize_t(augur_solver_generations(self->s)))
SOLVER_GETTER(reason, PyUnicode_FromString(augur_solver_termination_reason(self->s)))
SOLVER_GETTER(elapsed, PyFloat_FromDouble(augur_solver_elapsed(self->s)))
SOLVER_GETTER(dimension, PyLong_FromSize_t(augur_solver_dimension(self->s)))
SOLVER_GETTER(type, PyUnicode_FromString(augur_solver_type_name(self->s)))
SOLVER_GETTER(seed, PyLong_FromUnsignedLongLong(augur_solver_seed(self->s)))
SOLVER_GETTER(max_generations,
              PyLong_FromSize_t(augur_solver_max_generations(self->s)))
SOLVER_GETTER(max_evaluations,
              PyLong_FromSize_t(augur_solver_max_evaluations(self->s)))

static PyGetSetDef solver_getset[] = {
    {"best_solution", (getter)solver_get_best_solution, NULL, "", NULL},
    {"best_energy", (getter)solver_get_best_energy, NULL, "", NULL},
    {"evaluations", (getter)solver_get_evaluations, NULL, "", NULL},
    {"generations", (getter)solver_get_generations, NULL, "", NULL},
    {"reason", (getter)solver_get_reason, NULL, "why the last run stopped", NULL},
    {"elapsed", (getter)solver_get_elapsed, NULL, "seconds spent solving", NULL},
    {"dimension", (getter)solver_get_dimension, NULL, "", NULL},
    {"type", (getter)solver_get_type, NULL, "", NULL},
    {"seed", (getter)solver_get_seed, NULL, "", NULL},
    {"max_generations", (getter)solver_get_max_generations, NULL, "", NULL},
    {"max_evaluations", (getter)solver_get_max_evaluations, NULL, "", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject SolverType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "augur._augur.Solver",
    .tp_basicsize = sizeof(SolverObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Solver(type, n): an augur solver (the C API, one to one).",
    .tp_new = solver_new,
    .tp_dealloc = (destructor)solver_dealloc,
    .tp_methods = solver_methods,
    .tp_getset = solver_getset,
};

/* --- Registries ------------------------------------------------------------ */

static const char *const kind_names[] = {"real", "int", "bool", "choice"};

static PyObject *param_list(const augur_param *p)
{
    PyObject *list = PyList_New(0);
    for (; list && p && p->name; p++) {
        PyObject *choices = PyList_New(0);
        for (size_t i = 0; choices && p->choices && p->choices[i]; i++) {
            PyObject *c = PyUnicode_FromString(p->choices[i]);
            if (!c || PyList_Append(choices, c) < 0)
                Py_CLEAR(choices);
            Py_XDECREF(c);
        }
        PyObject *d = choices ? Py_BuildValue("{s:s,s:s,s:d,s:d,s:d,s:N,s:s}", "name",
                                              p->name, "kind", kind_names[p->kind],
                                              "default", p->def, "min", p->min, "max",
                                              p->max, "choices", choices, "doc",
                                              p->doc ? p->doc : "")
                              : NULL;
        if (!d || PyList_Append(list, d) < 0)
            Py_CLEAR(list);
        Py_XDECREF(d);
    }
    return list;
}

static PyObject *mod_solver_types(PyObject *m, PyObject *unused)
{
    (void)m;
    (void)unused;
    PyObject *list = PyList_New(0);
    const augur_solver_type *const *t = augur_solver_types();
    for (; list && *t; t++) {
        PyObject *d = Py_BuildValue("{s:s,s:s,s:N}", "name", (*t)->name, "doc",
                                    (*t)->doc ? (*t)->doc : "", "params",
                                    param_list((*t)->params));
        if (!d || PyList_Append(list, d) < 0)
            Py_CLEAR(list);
        Py_XDECREF(d);
    }
    return list;
}

static PyObject *mod_base_params(PyObject *m, PyObject *unused)
{
    (void)m;
    (void)unused;
    return param_list(augur_solver_base_params());
}

static PyObject *mod_term_types(PyObject *m, PyObject *unused)
{
    (void)m;
    (void)unused;
    PyObject *list = PyList_New(0);
    const augur_term_type *const *t = augur_term_types();
    for (; list && *t; t++) {
        PyObject *d = Py_BuildValue("{s:s,s:s,s:s,s:n,s:N}", "name", (*t)->name,
                                    "label", (*t)->label ? (*t)->label : "", "doc",
                                    (*t)->doc ? (*t)->doc : "", "max_children",
                                    (Py_ssize_t)(*t)->max_children, "params",
                                    param_list((*t)->params));
        if (!d || PyList_Append(list, d) < 0)
            Py_CLEAR(list);
        Py_XDECREF(d);
    }
    return list;
}

static PyObject *mod_map_types(PyObject *m, PyObject *unused)
{
    (void)m;
    (void)unused;
    PyObject *list = PyList_New(0);
    for (const char *const *t = augur_map_types(); list && *t; t++) {
        PyObject *s = PyUnicode_FromString(*t);
        if (!s || PyList_Append(list, s) < 0)
            Py_CLEAR(list);
        Py_XDECREF(s);
    }
    return list;
}

/* --- Config-driven runs ------------------------------------------------------ */

static void job_progress(const augur_record *r, size_t max_evaluations, double elapsed,
                         void *data)
{
    (void)r;
    (void)max_evaluations;
    (void)elapsed;
    augur_job *j = data;
    PyGILState_STATE g = PyGILState_Ensure();
    if (PyErr_CheckSignals() < 0) {
        /* leave the exception set: it is raised when the run returns */
        augur_solver_request_stop(augur_job_solver(j));
    }
    PyGILState_Release(g);
}

/* run_config(path, overrides, seed, map, results): a dict. */
static PyObject *mod_run_config(PyObject *m, PyObject *args, PyObject *kw)
{
    (void)m;
    static char *names[] = {"path", "overrides", "seed", "map", "results", NULL};
    const char *path, *map = NULL, *results = NULL;
    PyObject *overrides = Py_None, *seed = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s|OOzz", names, &path, &overrides, &seed,
                                     &map, &results))
        return NULL;
    const char **ov = NULL;
    PyObject *fast = NULL;
    if (overrides != Py_None) {
        fast = PySequence_Fast(overrides, "overrides: expected a list of 'key=value'");
        if (!fast)
            return NULL;
        Py_ssize_t k = PySequence_Fast_GET_SIZE(fast);
        ov = PyMem_Calloc((size_t)k + 1, sizeof *ov);
        if (!ov) {
            Py_DECREF(fast);
            return PyErr_NoMemory();
        }
        for (Py_ssize_t i = 0; i < k; i++) {
            ov[i] = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(fast, i));
            if (!ov[i]) {
                PyMem_Free(ov);
                Py_DECREF(fast);
                return NULL;
            }
        }
    }
    augur_job *j = NULL;
    char err[1024] = "";
    int rc = augur_job_load(path, ov, &j, err, sizeof err);
    PyMem_Free(ov);
    Py_XDECREF(fast);
    if (rc != AUGUR_OK)
        return raise_status(rc, err);
    PyObject *result = NULL;
    if (seed != Py_None) {
        unsigned long long sd = PyLong_AsUnsignedLongLongMask(seed);
        if (PyErr_Occurred())
            goto out;
        rc = augur_job_set_seed(j, (uint64_t)sd);
    }
    if (rc == AUGUR_OK && map)
        rc = augur_job_set_map(j, map);
    if (rc == AUGUR_OK)
        rc = augur_job_set_progress(j, job_progress, j);
    if (rc != AUGUR_OK) {
        raise_status(rc, augur_job_errmsg(j));
        goto out;
    }
    Py_BEGIN_ALLOW_THREADS
    rc = augur_job_run(j);
    Py_END_ALLOW_THREADS
    if (PyErr_Occurred())
        goto out;   /* KeyboardInterrupt from the progress hook */
    if (rc < 0) {
        raise_status(rc, augur_job_errmsg(j));
        goto out;
    }
    if (results && (rc = augur_job_write_results(j, results)) != AUGUR_OK) {
        raise_status(rc, augur_job_errmsg(j));
        goto out;
    }
    const double *x = NULL;
    size_t n = 0;
    double f = NAN;
    if ((rc = augur_job_answer(j, &x, &n, &f)) != AUGUR_OK) {
        raise_status(rc, augur_job_errmsg(j));
        goto out;
    }
    augur_solver *s = augur_job_solver(j);
    result = Py_BuildValue("{s:N,s:d,s:n,s:n,s:s,s:K,s:s,s:d,s:i}", "x", array_from(x, n),
                           "fun", f, "nfev", (Py_ssize_t)augur_solver_evaluations(s),
                           "nit", (Py_ssize_t)augur_solver_generations(s), "message",
                           augur_solver_termination_reason(s), "seed",
                           (unsigned long long)augur_solver_seed(s), "solver",
                           augur_solver_type_name(s), "elapsed", augur_solver_elapsed(s),
                           "status", rc);
out:
    augur_job_destroy(j);
    return result;
}

/* --- MPI: libaugur_mpi, loaded on first use ----------------------------------- */

static struct {
    void *lib;
    int (*init)(int *argc, char ***argv, int *is_root);
    int (*finalize)(void);
    const char *(*errmsg)(void);
    int started;                  /* mpi_init returned on this process */
} mpi;

/* dlopen libaugur_mpi from libaugur's directory (the build tree or the
 * install prefix), RTLD_GLOBAL so that OpenMPI's own plugins find libmpi.
 * Loading it adds the "mpi" map backend to libaugur. */
static int mpi_load(void)
{
#ifndef AUGUR_PY_MPI_LIB
    PyErr_SetString(AugurError, "this augur was built without MPI "
                                "(AUGUR_WITH_MPI=OFF): no mpi map");
    return -1;
#else
    if (mpi.lib)
        return 0;
    char path[4096] = AUGUR_PY_MPI_LIB;
    Dl_info info;
    if (dladdr((void *)(uintptr_t)augur_solver_create, &info) && info.dli_fname) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", info.dli_fname);
        snprintf(path, sizeof path, "%s/%s", dirname(dir), AUGUR_PY_MPI_LIB);
    }
    void *lib = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (!lib)
        lib = dlopen(AUGUR_PY_MPI_LIB, RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
        PyErr_Format(AugurError, "cannot load the MPI map (%s): %s", AUGUR_PY_MPI_LIB,
                     dlerror());
        return -1;
    }
    *(void **)&mpi.init = dlsym(lib, "augur_mpi_init");
    *(void **)&mpi.finalize = dlsym(lib, "augur_mpi_finalize");
    *(void **)&mpi.errmsg = dlsym(lib, "augur_mpi_errmsg");
    if (!mpi.init || !mpi.finalize || !mpi.errmsg) {
        PyErr_Format(AugurError, "%s lacks augur_mpi_init", AUGUR_PY_MPI_LIB);
        dlclose(lib);
        return -1;
    }
    mpi.lib = lib;
    return 0;
#endif
}

static PyObject *mod_mpi_available(PyObject *m, PyObject *unused)
{
    (void)m;
    (void)unused;
#ifdef AUGUR_PY_MPI_LIB
    Py_RETURN_TRUE;
#else
    Py_RETURN_FALSE;
#endif
}

/* True on rank 0; elsewhere serve rank 0's jobs until it finalizes, then
 * False. */
static PyObject *mod_mpi_init(PyObject *m, PyObject *unused)
{
    (void)m;
    (void)unused;
    if (mpi_load() < 0)
        return NULL;
    int is_root = 0;
    int rc = mpi.init(NULL, NULL, &is_root);   /* workers serve in here */
    if (PyErr_Occurred())
        return NULL;
    if (rc != AUGUR_OK)
        return raise_status(rc, mpi.errmsg());
    mpi.started = 1;
    return PyBool_FromLong(is_root);
}

static PyObject *mod_mpi_finalize(PyObject *m, PyObject *unused)
{
    (void)m;
    (void)unused;
    if (!mpi.lib || !mpi.started)
        Py_RETURN_NONE;
    int rc = mpi.finalize();
    if (rc != AUGUR_OK)
        return raise_status(rc, mpi.errmsg());
    Py_RETURN_NONE;
}

/* register_cost(name, fn): fn(x) -> float under a name, for maps whose
 * workers find the cost by name (mpi). */
static PyObject *mod_register_cost(PyObject *m, PyObject *args)
{
    (void)m;
    PyObject *name, *fn;
    if (!PyArg_ParseTuple(args, "UO", &name, &fn))
        return NULL;
    if (!PyCallable_Check(fn))
        return PyErr_Format(PyExc_TypeError, "register_cost: fn must be callable");
    if (!registered_costs && !(registered_costs = PyDict_New()))
        return NULL;
    PyObject *old = PyDict_GetItem(registered_costs, name);
    if (old && old != fn)
        return PyErr_Format(PyExc_ValueError, "register_cost: the name %R is taken "
                            "by another callable", name);
    if (old)
        Py_RETURN_NONE;
    const char *text = PyUnicode_AsUTF8(name);
    if (!text)
        return NULL;
    int rc = augur_cost_register(text, named_cost, fn);
    if (rc != AUGUR_OK)
        return raise_status(rc, "register_cost: the name is taken (names beginning "
                                "'augur.' are the library's)");
    if (PyDict_SetItem(registered_costs, name, fn) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"mpi_available", mod_mpi_available, METH_NOARGS,
     "True when this augur was built with the mpi map"},
    {"mpi_init", mod_mpi_init, METH_NOARGS,
     "mpi_init(): True on rank 0; other ranks serve until rank 0's mpi_finalize, "
     "then False"},
    {"mpi_finalize", mod_mpi_finalize, METH_NOARGS,
     "mpi_finalize(): rank 0 releases the workers and finalizes MPI"},
    {"register_cost", mod_register_cost, METH_VARARGS,
     "register_cost(name, fn): fn(x) -> float under name, found by mpi workers"},
    {"solver_types", mod_solver_types, METH_NOARGS,
     "every solver type: name, doc and parameter table"},
    {"base_params", mod_base_params, METH_NOARGS, "the parameters every solver has"},
    {"term_types", mod_term_types, METH_NOARGS, "every termination condition type"},
    {"map_types", mod_map_types, METH_NOARGS, "the map backends built in"},
    {"run_config", (PyCFunction)(void (*)(void))mod_run_config,
     METH_VARARGS | METH_KEYWORDS,
     "run_config(path, overrides=None, seed=None, map=None, results=None): a dict"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "augur._augur",
    .m_doc = "The compiled core of the augur package (libaugur's C API).",
    .m_size = -1,
    .m_methods = module_methods,
};

static int add_type(PyObject *m, PyTypeObject *t, const char *name)
{
    if (PyType_Ready(t) < 0)
        return -1;
    Py_INCREF(t);
    if (PyModule_AddObject(m, name, (PyObject *)t) < 0) {
        Py_DECREF(t);
        return -1;
    }
    return 0;
}

PyMODINIT_FUNC PyInit__augur(void)
{
    import_array();
    PyObject *m = PyModule_Create(&module_def);
    if (!m)
        return NULL;
    AugurError = PyErr_NewException("augur.AugurError", PyExc_RuntimeError, NULL);
    if (!AugurError || PyModule_AddObject(m, "AugurError", Py_NewRef(AugurError)) < 0 ||
        add_type(m, &SolverType, "Solver") < 0 || add_type(m, &TermType, "Term") < 0 ||
        add_type(m, &MapType, "Map") < 0 || add_type(m, &CCostType, "CCost") < 0 ||
        PyModule_AddStringConstant(m, "version", AUGUR_VERSION_STRING) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
