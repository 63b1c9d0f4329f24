/* registry.c - solver types by name.
 *
 * The built-in types are listed once here; plugins add theirs with
 * augur_solver_type_register. The config reader, `augur list` and MPI
 * workers all find a type the same way, by its name. The registry is
 * guarded by a mutex so that registering from several threads is safe;
 * lookups of built-ins never wait on it for long. */
#include <pthread.h>
#include <stddef.h>
#include "solver_int.h"
#include "thirdparty_int.h"

extern const augur_solver_type augur_solver_nelder_mead;
extern const augur_solver_type augur_solver_de;
extern const augur_solver_type augur_solver_de2;
extern const augur_solver_type augur_solver_powell;
extern const augur_solver_type augur_solver_pso;
extern const augur_solver_type augur_solver_cmaes;
extern const augur_solver_type augur_solver_buckshot;
extern const augur_solver_type augur_solver_lattice;
extern const augur_solver_type augur_solver_sparsity;
extern const augur_solver_type augur_solver_ipop;
extern const augur_solver_type augur_solver_auto;

static const augur_solver_type *const builtin[] = {
    &augur_solver_nelder_mead,
    &augur_solver_powell,
    &augur_solver_de,
    &augur_solver_de2,
    &augur_solver_pso,
    &augur_solver_cmaes,
    &augur_solver_buckshot,
    &augur_solver_lattice,
    &augur_solver_sparsity,
    &augur_solver_ipop,
    &augur_solver_auto,
};

/* Then the NLopt and GSL types ("nlopt:LN_BOBYQA", "gsl:nmsimplex2"). */
static const augur_solver_type *(*const thirdparty[])(size_t *count) = {
    augur__nlopt_types,
    augur__gsl_types,
};

#define MAX_TYPES 256

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const augur_solver_type *all[MAX_TYPES + 1];
static size_t count;

/* Called with the lock held: make sure the built-ins lead the list. */
static void seed_builtins(void)
{
    if (count)
        return;
    for (size_t i = 0; i < AUGUR__ARRAY_SIZE(builtin); i++)
        all[count++] = builtin[i];
    for (size_t p = 0; p < AUGUR__ARRAY_SIZE(thirdparty); p++) {
        size_t m;
        const augur_solver_type *types = thirdparty[p](&m);
        for (size_t i = 0; i < m && count < MAX_TYPES; i++)
            all[count++] = &types[i];
    }
    all[count] = NULL;
}

const augur_solver_type *const *augur_solver_types(void)
{
    pthread_mutex_lock(&lock);
    seed_builtins();
    pthread_mutex_unlock(&lock);
    return all;
}

const augur_solver_type *augur_solver_type_find(const char *name)
{
    if (!name)
        return NULL;
    const augur_solver_type *found = NULL;
    pthread_mutex_lock(&lock);
    seed_builtins();
    for (size_t i = 0; i < count && !found; i++)
        if (augur__name_eq(all[i]->name, name))
            found = all[i];
    pthread_mutex_unlock(&lock);
    return found;
}

int augur_solver_type_register(const augur_solver_type *type)
{
    if (!type || !type->name || !type->start || !type->step)
        return AUGUR_EINVAL;
    int rc = AUGUR_OK;
    pthread_mutex_lock(&lock);
    seed_builtins();
    for (size_t i = 0; i < count; i++)
        if (augur__name_eq(all[i]->name, type->name))
            rc = AUGUR_EINVAL;
    if (rc == AUGUR_OK && count == MAX_TYPES)
        rc = AUGUR_ENOMEM;
    if (rc == AUGUR_OK) {
        all[count++] = type;
        all[count] = NULL;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}
