/* _augur_solver.c - the Solver type: the C API's solver, one method to
 * one function (settings, spec text, results); solve and step are in
 * _augur_run.c. */
#include "_augur.h"   /* Python.h first, as the C API asks */

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

PyTypeObject SolverType = {
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
