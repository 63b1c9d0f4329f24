/* sparsity.c - the Sparsity ensemble: each starting point as far as
 * possible from every point already known - the starts and ends of earlier
 * runs and the starts chosen so far in this batch (mystic's SparsitySolver,
 * which finds each point with an inner optimisation; here a maximin choice
 * among candidates drawn with the solver's sampler, which is cheaper,
 * deterministic for a seed, and as good for the purpose). Distances are
 * measured in units of the box's widths. */
#include <math.h>
#include <stdlib.h>
#include "ensemble_int.h"

typedef struct sparsity_state {
    augur_ensemble base;
    double candidates;            /* parameter: candidates per point */
    double *pool;                 /* workspace: one batch of candidates */
} sparsity_state;

static const augur_param sparsity_params[] = {
    AUGUR__ENSEMBLE_PARAMS(sparsity_state),
    {.name = "candidates", .kind = AUGUR_PARAM_INT, .def = 64, .min = 1, .max = AUGUR_MAX_POINTS,
     .offset = offsetof(sparsity_state, candidates),
     .doc = "candidates drawn for each starting point; the farthest wins"},
    {.name = NULL},
};

/* Smallest squared scaled distance from x to the known points. */
static double nearest(const augur_ensemble *e, const double *x, const double *chosen,
                      size_t nchosen, const double *lo, const double *hi)
{
    size_t n = e->n;
    double best = INFINITY;
    for (size_t r = 0; r < e->nruns; r++) {
        best = fmin(best, augur__scaled_dist2(x, e->runs[r].start, lo, hi, n));
        best = fmin(best, augur__scaled_dist2(x, e->runs[r].end, lo, hi, n));
    }
    for (size_t k = 0; k < nchosen; k++)
        best = fmin(best, augur__scaled_dist2(x, chosen + k * n, lo, hi, n));
    return best;
}

static int sparse_points(augur_solver *s, augur_ensemble *e, double *X, size_t m,
                         const double *lo, const double *hi)
{
    sparsity_state *st = (sparsity_state *)e;
    size_t n = s->n, c = (size_t)st->candidates;
    for (size_t k = 0; k < m; k++) {
        int rc = augur_sample((augur_sampler)s->base.sampler, augur_solver_rng(s), n, c, lo, hi,
                              st->pool, s->errmsg, sizeof s->errmsg);
        if (rc != AUGUR_OK)
            return rc;
        size_t pick = 0;
        double far = -1;
        for (size_t j = 0; j < c; j++) {
            double d = nearest(e, st->pool + j * n, X, k, lo, hi);
            if (d > far) {
                far = d;
                pick = j;
            }
        }
        for (size_t i = 0; i < n; i++)
            X[k * n + i] = st->pool[pick * n + i];
    }
    return AUGUR_OK;
}

static size_t sparsity_size(const void *state, size_t n)
{
    (void)n;
    return (size_t)((const sparsity_state *)state)->base.npts;
}

static int sparsity_start(augur_solver *s, void *state)
{
    sparsity_state *st = state;
    st->pool = augur__malloc_array(augur__mul_sat((size_t)st->candidates, s->n),
                                   sizeof *st->pool);
    if (!st->pool)
        return augur_solver_fail(s, AUGUR_ENOMEM, "sparsity: out of memory");
    st->base.points = sparse_points;
    st->base.label = "Sparsity";
    return augur__ensemble_start(s, &st->base);
}

static int sparsity_step(augur_solver *s, void *state)
{
    return augur__ensemble_step(s, &((sparsity_state *)state)->base);
}

static void sparsity_free(void *state)
{
    sparsity_state *st = state;
    free(st->pool);
    st->pool = NULL;
    augur__ensemble_free(&st->base);
}

static int sparsity_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    return augur__ensemble_save(s, state, c);
}

static int sparsity_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    sparsity_state *st = state;
    st->pool = augur__malloc_array(augur__mul_sat((size_t)st->candidates, s->n),
                                   sizeof *st->pool);
    if (!st->pool)
        return augur_ckpt_fail(c, AUGUR_ENOMEM, "sparsity: out of memory");
    st->base.points = sparse_points;
    st->base.label = "Sparsity";
    return augur__ensemble_restore(s, &st->base, c);
}

const augur_solver_type augur_solver_sparsity = {
    .name = "sparsity",
    .uses_map = 1,
    .doc = "ensemble: nested runs from points as far as possible from those known",
    .state_size = sizeof(sparsity_state),
    .params = sparsity_params,
    .population_size = sparsity_size,
    .nested_limits = 1,
    .check = augur__ensemble_check,
    .start = sparsity_start,
    .step = sparsity_step,
    .free = sparsity_free,
    .save = sparsity_save,
    .restore = sparsity_restore,
};
