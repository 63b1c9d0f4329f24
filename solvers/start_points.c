/* start_points.c - the starting points a solver's start draws: x0 (and
 * points near it), or points of the random initial box (the bounds when
 * none was given) by the solver's sampler (sampler.c), or the whole box. */
#include <math.h>
#include <stdlib.h>
#include "augur/sampler.h"
#include "solver_int.h"

static int x0_in_bounds(augur_solver *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (!(s->x0[i] >= s->lb[i] && s->x0[i] <= s->ub[i]))
            return augur_solver_fail(s, AUGUR_EBOUNDS,
                                     "%s: initial point x0[%zu] = %g is outside "
                                     "the bounds [%g, %g]", s->type->name, i,
                                     s->x0[i], s->lb[i], s->ub[i]);
    return AUGUR_OK;
}

/* The box random starting points are drawn from: the random box (or the
 * bounds when none was given) intersected with the bounds. */
static int draw_box(augur_solver *s, size_t i, double *lo, double *hi)
{
    *lo = s->init_lb ? fmax(s->init_lb[i], s->lb[i]) : s->lb[i];
    *hi = s->init_ub ? fmin(s->init_ub[i], s->ub[i]) : s->ub[i];
    if (!isfinite(*lo) || !isfinite(*hi))
        return augur_solver_fail(s, AUGUR_ESTATE,
                                 "%s: no starting point: set an initial point, "
                                 "random initial points, or finite bounds "
                                 "(coordinate %zu is unbounded)", s->type->name, i);
    if (*lo > *hi)
        return augur_solver_fail(s, AUGUR_EBOUNDS,
                                 "%s: the random initial box [%g, %g] misses the "
                                 "bounds [%g, %g] at index %zu", s->type->name,
                                 s->init_lb[i], s->init_ub[i], s->lb[i], s->ub[i], i);
    return AUGUR_OK;
}

static double draw_near(augur_solver *s, size_t i, double radius)
{
    double c = s->x0[i];
    double half = c != 0 ? radius * fabs(c) : radius;
    double v = c - half + 2 * half * gsl_rng_uniform(augur_solver_rng(s));
    return fmin(fmax(v, s->lb[i]), s->ub[i]);
}

int augur_solver_initial_points(augur_solver *s, double *X, size_t m, double radius)
{
    if (!X)
        return augur_solver_fail(s, AUGUR_EINVAL, "initial_points: NULL array");
    if (s->x0) {
        int rc = x0_in_bounds(s);
        if (rc != AUGUR_OK)
            return rc;
        for (size_t k = 0; k < m; k++)
            for (size_t i = 0; i < s->n; i++)
                X[k * s->n + i] = k == 0 ? s->x0[i] : draw_near(s, i, radius);
        return AUGUR_OK;
    }
    double *box = malloc(2 * s->n * sizeof *box);
    if (!box)
        return augur_solver_fail(s, AUGUR_ENOMEM, "out of memory");
    int rc = AUGUR_OK;
    for (size_t i = 0; i < s->n && rc == AUGUR_OK; i++)
        rc = draw_box(s, i, &box[i], &box[s->n + i]);
    if (rc == AUGUR_OK)
        rc = augur_sample((augur_sampler)s->base.sampler, augur_solver_rng(s), s->n, m, box,
                          box + s->n, X, s->errmsg, sizeof s->errmsg);
    free(box);
    return rc;
}

int augur_solver_sample_bounds(augur_solver *s, double *X, size_t m)
{
    if (!augur_solver_bounds_finite(s))
        return augur_solver_fail(s, AUGUR_ESTATE, "%s: sampling the bounds needs "
                                 "finite bounds", s->type->name);
    return augur_sample((augur_sampler)s->base.sampler, augur_solver_rng(s), s->n, m, s->lb,
                        s->ub, X, s->errmsg, sizeof s->errmsg);
}
