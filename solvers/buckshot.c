/* buckshot.c - the Buckshot ensemble: npts inner runs from starting points
 * drawn with the solver's "sampler" (uniform, Latin hypercube, Halton,
 * Sobol) over the bounds or the random initial box. mystic's
 * BuckshotSolver, the "buckshot-Powell" batch optimizer of its origins; the
 * shared machinery is in ensemble.c. */
#include "ensemble_int.h"

typedef struct buckshot_state {
    augur_ensemble base;
} buckshot_state;

static const augur_param buckshot_params[] = {
    AUGUR__ENSEMBLE_PARAMS(buckshot_state),
    {.name = NULL},
};

static int scatter_points(augur_solver *s, augur_ensemble *e, double *X, size_t m,
                          const double *lo, const double *hi)
{
    (void)e;
    return augur_sample((augur_sampler)s->base.sampler, augur_solver_rng(s), s->n, m, lo, hi, X,
                        s->errmsg, sizeof s->errmsg);
}

static size_t buckshot_size(const void *state, size_t n)
{
    (void)n;
    return (size_t)((const buckshot_state *)state)->base.npts;
}

static int buckshot_start(augur_solver *s, void *state)
{
    buckshot_state *st = state;
    st->base.points = scatter_points;
    st->base.label = "Buckshot";
    return augur__ensemble_start(s, &st->base);
}

static int buckshot_step(augur_solver *s, void *state)
{
    return augur__ensemble_step(s, &((buckshot_state *)state)->base);
}

static void buckshot_free(void *state)
{
    augur__ensemble_free(&((buckshot_state *)state)->base);
}

static int buckshot_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    return augur__ensemble_save(s, state, c);
}

static int buckshot_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    buckshot_state *st = state;
    st->base.points = scatter_points;
    st->base.label = "Buckshot";
    return augur__ensemble_restore(s, &st->base, c);
}

const augur_solver_type augur_solver_buckshot = {
    .name = "buckshot",
    .uses_map = 1,
    .doc = "ensemble: npts nested runs from sampled starting points",
    .state_size = sizeof(buckshot_state),
    .params = buckshot_params,
    .population_size = buckshot_size,
    .nested_limits = 1,
    .check = augur__ensemble_check,
    .start = buckshot_start,
    .step = buckshot_step,
    .free = buckshot_free,
    .save = buckshot_save,
    .restore = buckshot_restore,
};
