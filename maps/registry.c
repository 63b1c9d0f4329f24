/* registry.c - names that cross process boundaries: tasks, SPMD functions,
 * costs, and the map backends themselves.
 *
 * A function pointer means nothing in another MPI rank, so every piece of
 * code a worker must run is found by name, and every process registers the
 * same names (SPMD). Built-in tasks sit in a static table, so they exist in
 * every process from the start; user registrations go into small arrays
 * guarded by one mutex. Registering the same (name, function) pair twice is
 * harmless, so every rank can run the same set-up code. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "augur/model.h"
#include "map_hooks.h"
#include "map_int.h"

#define MAX_NAMED 256

typedef struct named {
    char name[64];
    void (*fn)(void);             /* the function, cast back by the getter */
    void *data;
} named;

typedef struct table {
    named items[MAX_NAMED];
    size_t count;
} table;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static table builtin_tasks, tasks, spmds, costs;

/* A fork while another thread holds the lock would leave the child's copy
 * locked for ever, and fork workers look tasks up by name: take the lock
 * around every fork so the child starts with it free. */
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void before_fork(void)
{
    pthread_mutex_lock(&lock);
}

static void after_fork(void)
{
    pthread_mutex_unlock(&lock);
}

static void install_atfork(void)
{
    pthread_atfork(before_fork, after_fork, after_fork);
}


/* Add (name, fn, data) unless the name is taken by something else. */
static int add(table *t, const char *name, void (*fn)(void), void *data)
{
    if (!name || !name[0] || strlen(name) >= sizeof t->items[0].name || !fn)
        return AUGUR_EINVAL;
    int rc = AUGUR_OK;
    pthread_once(&atfork_once, install_atfork);
    pthread_mutex_lock(&lock);
    size_t k = 0;
    while (k < t->count && strcmp(t->items[k].name, name) != 0)
        k++;
    if (k < t->count)
        rc = t->items[k].fn == fn && t->items[k].data == data ? AUGUR_OK : AUGUR_EINVAL;
    else if (t->count == MAX_NAMED)
        rc = AUGUR_ENOMEM;
    else {
        strcpy(t->items[k].name, name);
        t->items[k].fn = fn;
        t->items[k].data = data;
        t->count++;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

static int get(table *t, const char *name, void (**fn)(void), void **data)
{
    int found = 0;
    pthread_once(&atfork_once, install_atfork);
    pthread_mutex_lock(&lock);
    for (size_t k = 0; name && k < t->count && !found; k++)
        if (strcmp(t->items[k].name, name) == 0) {
            *fn = t->items[k].fn;
            if (data)
                *data = t->items[k].data;
            found = 1;
        }
    pthread_mutex_unlock(&lock);
    return found;
}

/* --- Tasks ------------------------------------------------------------- */

/* Built-in tasks live in their own table, filled at load time by the areas
 * that own them (map_hooks.h), so a user registration can never shadow
 * one. */
int augur__task_builtin(const char *name, augur_task_fn fn)
{
    return add(&builtin_tasks, name, (void (*)(void))fn, NULL);
}

/* Names beginning "augur." are the library's own: a user registration
 * under one is refused even when the area that owns it is not linked in (a
 * static program that never uses it), so a name never changes meaning. */
int augur_task_register(const char *name, augur_task_fn fn)
{
    void (*have)(void) = NULL;
    if (get(&builtin_tasks, name, &have, NULL))
        return have == (void (*)(void))fn ? AUGUR_OK : AUGUR_EINVAL;
    if (name && strncmp(name, "augur.", 6) == 0)
        return AUGUR_EINVAL;
    return add(&tasks, name, (void (*)(void))fn, NULL);
}

augur_task_fn augur_task_find(const char *name)
{
    void (*fn)(void) = NULL;
    if (get(&builtin_tasks, name, &fn, NULL) || get(&tasks, name, &fn, NULL))
        return (augur_task_fn)fn;
    return NULL;
}

/* --- SPMD functions ------------------------------------------------------ */

int augur_spmd_register(const char *name, augur_spmd_fn fn)
{
    return add(&spmds, name, (void (*)(void))fn, NULL);
}

augur_spmd_fn augur__spmd_find(const char *name)
{
    void (*fn)(void) = NULL;
    return get(&spmds, name, &fn, NULL) ? (augur_spmd_fn)fn : NULL;
}

/* --- Costs --------------------------------------------------------------- */

int augur_cost_register(const char *name, augur_cost_fn cost, void *data)
{
    return add(&costs, name, (void (*)(void))cost, data);
}

int augur_cost_find(const char *name, augur_cost_fn *cost, void **data)
{
    void (*fn)(void) = NULL;
    void *d = NULL;
    if (!name || !cost)
        return AUGUR_EINVAL;
    if (get(&costs, name, &fn, &d)) {
        *cost = (augur_cost_fn)fn;
        if (data)
            *data = d;
        return AUGUR_OK;
    }
    const augur_model *m = augur_model_find(name);
    if (!m)
        return AUGUR_ENOTFOUND;
    *cost = m->cost;
    if (data)
        *data = NULL;
    return AUGUR_OK;
}

const char *augur_cost_name(augur_cost_fn cost, const void *data)
{
    const char *name = NULL;
    pthread_mutex_lock(&lock);
    for (size_t k = 0; k < costs.count && !name; k++)
        if (costs.items[k].fn == (void (*)(void))cost && costs.items[k].data == data)
            name = costs.items[k].name;
    pthread_mutex_unlock(&lock);
    if (name || data)
        return name;
    for (const augur_model *const *m = augur_models(); *m; m++)
        if ((*m)->cost == cost)
            return (*m)->name;
    return NULL;
}

/* --- Map backends -------------------------------------------------------- */

/* The three in this library, then any registered at load time by a library
 * linked with it (libaugur_mpi adds "mpi"). The names array stays
 * NULL-terminated for augur_map_types. */
#define MAX_BACKENDS 8

static const augur_map_type *backends[MAX_BACKENDS] = {
    &augur__map_serial,
    &augur__map_threads,
    &augur__map_fork,
};
static const char *backend_names[MAX_BACKENDS + 1] = {
    "serial",
    "threads",
    "fork",
};
static size_t backend_count = 3;

int augur__map_backend_register(const augur_map_type *type)
{
    if (!type || !type->name || !type->name[0])
        return AUGUR_EINVAL;
    int rc = AUGUR_OK;
    pthread_mutex_lock(&lock);
    size_t k = 0;
    while (k < backend_count && !augur__name_eq(backends[k]->name, type->name))
        k++;
    if (k < backend_count)
        rc = backends[k] == type ? AUGUR_OK : AUGUR_EINVAL;
    else if (backend_count == MAX_BACKENDS)
        rc = AUGUR_ENOMEM;
    else {
        backends[k] = type;
        backend_names[k] = type->name;
        backend_count++;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

const char *const *augur_map_types(void)
{
    return backend_names;
}

const augur_map_type *augur__map_type_find(const char *name)
{
    const augur_map_type *found = NULL;
    pthread_mutex_lock(&lock);
    for (size_t k = 0; name && k < backend_count && !found; k++)
        if (augur__name_eq(backends[k]->name, name))
            found = backends[k];
    pthread_mutex_unlock(&lock);
    return found;
}
