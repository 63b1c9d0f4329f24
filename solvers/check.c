/* check.c - what a run would refuse at its start, found before it starts.
 *
 * The base's checks (an initial point inside the bounds, a random initial
 * box that meets them, somewhere to start from) and the type's optional
 * `check` hook (plugin.h: a population too small to breed, a global
 * algorithm without finite bounds) run in one place, which the solve loop
 * calls before the type's start and the config loader calls through
 * augur_solver_check, so `augur check` refuses what `augur run` would,
 * with the same message. The checks read settings only: they allocate
 * nothing and draw no random number. */
#include <math.h>
#include <stdio.h>
#include "solver_int.h"

static int check_x0(const augur_solver *s, char *err, size_t cap)
{
    for (size_t i = 0; i < s->n; i++)
        if (!(s->x0[i] >= s->lb[i] && s->x0[i] <= s->ub[i]))
            return augur__fail_msg(err, cap, AUGUR_EBOUNDS,
                                   "%s: initial point x0[%zu] = %g is outside the "
                                   "bounds [%g, %g]", s->type->name, i, s->x0[i],
                                   s->lb[i], s->ub[i]);
    return AUGUR_OK;
}

/* The random box meets the bounds; without an initial point, the box the
 * starting points are drawn from is finite (ensembles draw every run's
 * start from it, so they need it even with one). */
static int check_box(const augur_solver *s, int need_box, char *err, size_t cap)
{
    for (size_t i = 0; i < s->n; i++) {
        double lo = s->init_lb ? fmax(s->init_lb[i], s->lb[i]) : s->lb[i];
        double hi = s->init_ub ? fmin(s->init_ub[i], s->ub[i]) : s->ub[i];
        if (s->init_lb && lo > hi)
            return augur__fail_msg(err, cap, AUGUR_EBOUNDS,
                                   "%s: the random initial box [%g, %g] misses the "
                                   "bounds [%g, %g] at index %zu", s->type->name,
                                   s->init_lb[i], s->init_ub[i], s->lb[i], s->ub[i], i);
        if (!need_box || (isfinite(lo) && isfinite(hi)))
            continue;
        if (s->type->nested_limits)
            return augur__fail_msg(err, cap, AUGUR_ESTATE, "%s: starting points need "
                                   "a box: set finite bounds or random initial points "
                                   "(coordinate %zu is unbounded)", s->type->name, i);
        return augur__fail_msg(err, cap, AUGUR_ESTATE,
                               "%s: no starting point: set an initial point, random "
                               "initial points, or finite bounds (coordinate %zu is "
                               "unbounded)", s->type->name, i);
    }
    return AUGUR_OK;
}

int augur__solver_check(const augur_solver *s, char *err, size_t cap)
{
    int rc = s->x0 ? check_x0(s, err, cap) : AUGUR_OK;
    if (rc == AUGUR_OK)
        rc = check_box(s, s->type->nested_limits || (s->type->needs_start && !s->x0),
                       err, cap);
    if (rc == AUGUR_OK && s->type->check)
        rc = s->type->check(s, s->state, err, cap);
    return rc;
}

int augur__solver_check_start(augur_solver *s)
{
    return augur__solver_check(s, s->errmsg, sizeof s->errmsg);
}

int augur_solver_check(augur_solver *s)
{
    if (!s)
        return AUGUR_EINVAL;
    augur__solver_clear(s);
    return augur__solver_check_start(s);
}
