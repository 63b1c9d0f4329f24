/* bounds.c - what solvers may do with points outside the box: clip,
 * reflect, redraw, wrap, or leave them to the evaluation path's wall.
 *
 * One implementation for every solver, so "reflect" in DE and in PSO is the
 * same operation. Reflection and wrapping use the box width as the period,
 * so a point that overshoots by several widths still lands inside. A side
 * with an infinite bound can only be clipped (there is nothing to reflect
 * from or wrap to). */
#include <math.h>
#include <gsl/gsl_rng.h>
#include "solver_int.h"

const char *const augur_bound_policy_names[] = {
    "wall", "clip", "reflect", "redraw", "periodic", NULL,
};

void augur_solver_clip(const augur_solver *s, double *x)
{
    if (!s->has_bounds)
        return;
    for (size_t i = 0; i < s->n; i++) {
        if (x[i] < s->lb[i])
            x[i] = s->lb[i];
        else if (x[i] > s->ub[i])
            x[i] = s->ub[i];
    }
}

int augur_solver_in_bounds(const augur_solver *s, const double *x)
{
    if (!s->has_bounds)
        return 1;
    for (size_t i = 0; i < s->n; i++)
        if (!(x[i] >= s->lb[i] && x[i] <= s->ub[i]))
            return 0;
    return 1;
}

/* fmod(d, p) for a finite d; fmod returns d itself when |d| < p, the
 * usual case of a point that overshot by less than a period, and the
 * library call costs more than the repair (CMA-ES reflects most points
 * of a generation at a face). */
static double remainder_of(double d, double p)
{
    return d > -p && d < p ? d : fmod(d, p);
}

static double reflect(double v, double lo, double hi)
{
    double w = hi - lo;
    if (w == 0)
        return lo;
    double t = remainder_of(v - lo, 2 * w);
    if (t < 0)
        t += 2 * w;
    return lo + (t > w ? 2 * w - t : t);
}

static double wrap(double v, double lo, double hi)
{
    double w = hi - lo;
    if (w == 0)
        return lo;
    double t = remainder_of(v - lo, w);
    if (t < 0)
        t += w;
    return lo + t;
}

static double repair_one(augur_solver *s, double v, size_t i,
                         augur_bound_policy policy)
{
    double lo = s->lb[i], hi = s->ub[i];
    if (v >= lo && v <= hi)
        return v;
    if (policy == AUGUR_BOUNDS_WALL)
        return v;
    /* An infinite bound leaves nothing to reflect from or wrap to, and an
     * infinite or NaN coordinate has no position to mirror: clip those. */
    if (!isfinite(lo) || !isfinite(hi) || !isfinite(v) || policy == AUGUR_BOUNDS_CLIP)
        return isnan(v) ? (isfinite(lo) ? lo : hi) : fmin(fmax(v, lo), hi);
    switch (policy) {
    case AUGUR_BOUNDS_REFLECT:
        return reflect(v, lo, hi);
    case AUGUR_BOUNDS_PERIODIC:
        return wrap(v, lo, hi);
    case AUGUR_BOUNDS_REDRAW:
        return lo + (hi - lo) * gsl_rng_uniform(augur_solver_rng(s));
    default:
        return fmin(fmax(v, lo), hi);
    }
}

void augur_solver_repair(augur_solver *s, double *x, augur_bound_policy policy)
{
    if (!s->has_bounds)
        return;
    for (size_t i = 0; i < s->n; i++)
        x[i] = repair_one(s, x[i], i, policy);
}
