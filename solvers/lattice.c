/* lattice.c - the Lattice ensemble: inner runs from the centres of a grid
 * over the box (mystic's LatticeSolver). "bins" per axis gives bins^n
 * points; otherwise npts is split into its prime factors, handed out
 * largest first to the axis with the fewest bins so far, so the grid is as
 * even as npts allows and the same every time (mystic hands the factors to
 * random axes). A later batch shifts the whole grid by a random offset
 * within one cell, so it samples new points. */
#include <math.h>
#include <stdlib.h>
#include "ensemble_int.h"

typedef struct lattice_state {
    augur_ensemble base;
    double bins;                  /* parameter: per axis; 0 = split npts */
    size_t *per_axis;             /* workspace: bins on each axis */
    double *shift;                /* workspace: this batch's offset, in cells */
} lattice_state;

static const augur_param lattice_params[] = {
    AUGUR__ENSEMBLE_PARAMS(lattice_state),
    {.name = "bins", .kind = AUGUR_PARAM_INT, .def = 0, .min = 0, .max = AUGUR_MAX_POINTS,
     .offset = offsetof(lattice_state, bins),
     .doc = "bins on every axis (bins^n points); 0 splits npts over the axes"},
    {.name = NULL},
};

static void split_over_axes(size_t total, size_t n, size_t *per_axis)
{
    size_t factors[64], nf = 0;
    for (size_t p = 2; total > 1 && nf < 64; p++)
        while (total % p == 0 && nf < 64) {
            factors[nf++] = p;
            total /= p;
        }
    for (size_t i = 0; i < n; i++)
        per_axis[i] = 1;
    for (size_t k = nf; k-- > 0;) {   /* largest factor first */
        size_t fewest = 0;
        for (size_t i = 1; i < n; i++)
            if (per_axis[i] < per_axis[fewest])
                fewest = i;
        per_axis[fewest] *= factors[k];
    }
}

static int grid_points(augur_solver *s, augur_ensemble *e, double *X, size_t m,
                       const double *lo, const double *hi)
{
    lattice_state *st = (lattice_state *)e;
    size_t n = s->n;
    for (size_t i = 0; i < n; i++)
        st->shift[i] = e->done ? gsl_rng_uniform(augur_solver_rng(s)) - 0.5 : 0;
    for (size_t k = 0; k < m; k++) {
        size_t rest = k;   /* k in mixed radix: one digit per axis */
        for (size_t i = 0; i < n; i++) {
            size_t nb = st->per_axis[i], j = rest % nb;
            rest /= nb;
            X[k * n + i] = lo[i] + ((double)j + 0.5 + st->shift[i]) *
                                       (hi[i] - lo[i]) / (double)nb;
        }
    }
    return AUGUR_OK;
}

static size_t lattice_size(const void *state, size_t n)
{
    const lattice_state *st = state;
    if (st->bins > 0) {
        double total = pow(st->bins, (double)n);   /* past the cap: start refuses it */
        return total > AUGUR_MAX_POINTS ? (size_t)AUGUR_MAX_POINTS + 1 : (size_t)total;
    }
    return (size_t)st->base.npts;
}

static int lattice_check(const augur_solver *s, const void *state, char *err,
                         size_t cap)
{
    const lattice_state *st = state;
    double total = st->bins > 0 ? pow(st->bins, (double)augur_solver_dimension(s))
                                : st->base.npts;
    if (total > AUGUR_MAX_POINTS)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "lattice: %g grid points is too "
                               "many (bins^n must stay under a million)", total);
    return augur__ensemble_check(s, state, err, cap);
}

/* Everything of the start but the first batch. */
static int lattice_prepare(augur_solver *s, lattice_state *st)
{
    size_t n = s->n;
    double total = st->bins > 0 ? pow(st->bins, (double)n) : st->base.npts;
    if (total > AUGUR_MAX_POINTS)
        return augur_solver_fail(s, AUGUR_EINVAL, "lattice: %g grid points is too many "
                                 "(bins^n must stay under a million)", total);
    st->per_axis = augur__malloc_array(n, sizeof *st->per_axis);
    st->shift = augur__malloc_array(n, sizeof *st->shift);
    if (!st->per_axis || !st->shift)
        return augur_solver_fail(s, AUGUR_ENOMEM, "lattice: out of memory");
    if (st->bins > 0)
        for (size_t i = 0; i < n; i++)
            st->per_axis[i] = (size_t)st->bins;
    else
        split_over_axes((size_t)st->base.npts, n, st->per_axis);
    st->base.m = (size_t)total;
    st->base.points = grid_points;
    st->base.label = "Lattice";
    return AUGUR_OK;
}

static int lattice_start(augur_solver *s, void *state)
{
    lattice_state *st = state;
    int rc = lattice_prepare(s, st);
    return rc == AUGUR_OK ? augur__ensemble_start(s, &st->base) : rc;
}

static int lattice_step(augur_solver *s, void *state)
{
    return augur__ensemble_step(s, &((lattice_state *)state)->base);
}

static void lattice_free(void *state)
{
    lattice_state *st = state;
    free(st->per_axis);
    free(st->shift);
    st->per_axis = NULL;
    st->shift = NULL;
    augur__ensemble_free(&st->base);
}

static int lattice_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    return augur__ensemble_save(s, state, c);
}

static int lattice_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    lattice_state *st = state;
    int rc = lattice_prepare(s, st);
    return rc == AUGUR_OK ? augur__ensemble_restore(s, &st->base, c) : rc;
}

const augur_solver_type augur_solver_lattice = {
    .name = "lattice",
    .uses_map = 1,
    .doc = "ensemble: nested runs from the centres of a grid over the box",
    .state_size = sizeof(lattice_state),
    .params = lattice_params,
    .population_size = lattice_size,
    .nested_limits = 1,
    .check = lattice_check,
    .start = lattice_start,
    .step = lattice_step,
    .free = lattice_free,
    .save = lattice_save,
    .restore = lattice_restore,
};
