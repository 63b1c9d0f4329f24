/* _augur.c - the module augur._augur: the registries (solver, condition
 * and map types with their parameter tables), config-driven runs, the MPI
 * map loaded on first use, and the module's init. _augur.h has the
 * overview of the extension. */
#define AUGUR_PY_IMPORTS_ARRAY 1      /* this file's init fills numpy's table */
#include "_augur.h"   /* Python.h first, as the C API asks */

#include <dlfcn.h>
#include <libgen.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

PyMODINIT_FUNC PyInit__augur(void);

PyObject *AugurError;

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
