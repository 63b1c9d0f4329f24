/* _augur_types.c - the extension's small helpers and its small types:
 * CCost (a C function pointer as a cost), Map (a map backend) and Term
 * (a termination condition), each a thin wrapper of the C API. */
#include "_augur.h"   /* Python.h first, as the C API asks */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- Small helpers ------------------------------------------------------ */

/* A new 1-D float64 array holding a copy of x. */
PyObject *array_from(const double *x, size_t n)
{
    npy_intp dim = (npy_intp)n;
    PyObject *a = PyArray_SimpleNew(1, &dim, NPY_DOUBLE);
    if (a && n)
        memcpy(PyArray_DATA((PyArrayObject *)a), x, n * sizeof *x);
    return a;
}

/* Copy a sequence of n numbers into out; -1 with an exception otherwise. */
int doubles_from(PyObject *obj, size_t n, double *out, const char *what)
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

PyObject *raise_status(int rc, const char *msg)
{
    PyErr_Format(AugurError, "%s (%s)", msg && msg[0] ? msg : augur_strerror(rc),
                 augur_status_name(rc));
    return NULL;
}

/* --- CCost: a C function pointer as a cost ------------------------------- */

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

PyTypeObject CCostType = {
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

PyTypeObject MapType = {
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

PyObject *term_wrap(augur_termination *t)
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

PyTypeObject TermType = {
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
