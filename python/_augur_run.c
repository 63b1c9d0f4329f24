/* _augur_run.c - one solve or step of a Solver: the cost trampolines
 * (a Python callable, a vectorised one, a C pointer, a cost registered by
 * name), the exceptions a cost raises kept and raised again, the fork
 * workers' shared page, and the hooks that run during a solve. _augur.h
 * has the overview. */
#include "_augur.h"   /* Python.h first, as the C API asks */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* register_cost(name, fn): fn(x) -> float under a name, for maps whose
 * workers find the cost by name (mpi). */
PyObject *mod_register_cost(PyObject *m, PyObject *args)
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
int generation_guard(const augur_record *r, void *data)
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

int evaluation_hook(const augur_record *r, void *data)
{
    SolverObject *self = data;
    if (!self->eval_hook)
        return 0;
    PyGILState_STATE g = PyGILState_Ensure();
    int stop = call_hook(self->run, self->eval_hook, r);
    PyGILState_Release(g);
    return stop;
}

/* --- The run ------------------------------------------------------------------ */

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
PyObject *solver_run(SolverObject *self, PyObject *args, PyObject *kw, int step)
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
