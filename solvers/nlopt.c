/* nlopt.c - running NLopt's algorithms as augur solvers (the type tables,
 * one per algorithm, are generated in nlopt_types.c):
 * "nlopt:LN_BOBYQA", "nlopt:GN_CRS2_LM", "nlopt:AUGLAG", ... (the names are
 * nlopt_algorithm_to_string's). The tables are generated once, from the
 * list below, for every algorithm this NLopt was built with (Debian's 2.7.1
 * lacks StoGO and AGS); the registry lists them after the built-ins.
 *
 * A generation: NLopt runs its own loop, so one step is one nlopt_optimize
 * call, and generation records are made from inside the objective: one
 * every "record-every" evaluations (default n + 1, one simplex's or one
 * linear model's worth, so a generation means about the same work whatever
 * the algorithm; NLopt exposes no iterations of its own), plus one when the
 * evaluation limit is reached, so limits stop the run on the exact count.
 * When a record's stop test says stop, the objective calls
 * nlopt_force_stop and the step returns; when NLopt returns on its own
 * criterion, the run is finished with the reason "NLopt(XTOL_REACHED)" and
 * the like. For local algorithms NLopt's xtol_rel and ftol_rel default
 * to 1e-10 and 1e-14 ("nlopt-xtol-rel", "nlopt-ftol-rel"), so in practice
 * our limits and termination conditions decide; global ones (GN_, G_MLSL)
 * are given only what the user sets, so they do what NLopt itself does. ROUNDOFF_LIMITED, negative in NLopt's
 * terms, also finishes the run (NLopt says its point is usually still
 * useful, and BOBYQA and NEWUOA end that way near a minimum); other
 * negative results are errors carrying nlopt_get_errmsg's text. A later
 * solve call restarts NLopt from the best point (NLopt keeps no state to
 * resume).
 *
 * Evaluations: the objective calls augur_solver_evaluate, so counting,
 * evaluation monitors, the bounds wall, the maximize sign and the NaN rule
 * (NaN is +inf) apply; NLopt always minimises. NLopt is never told +inf,
 * but the worst finite energy seen (for_nlopt says why). Generation 0
 * evaluates the start point, and NLopt's first call of each step, when it
 * asks for exactly the point it starts from (the best so far), is answered
 * from that remembered energy without calling the cost again.
 * Gradient-based algorithms (LD_, GD_) get a finite-difference gradient
 * ("fd": central by default, as NLopt's gradient methods stall on a
 * forward difference's error near a minimum; probes kept inside the box)
 * whose evaluations also go through augur_solver_evaluate and count.
 *
 * Bounds: ours are NLopt's (finite or +-HUGE_VAL), and NLopt keeps its
 * calls inside them, except LN_NEWUOA (which ignores bounds) and, now and
 * then, MLSL: the evaluation path's wall answers those +inf, uncounted and
 * without calling the cost. The global (G) algorithms need finite bounds,
 * which start checks. "initial-step" (0: NLopt's heuristic) is a fraction
 * of the box width on coordinates with finite bounds, an absolute step on
 * the others.
 *
 * Seeding: NLopt's generator is its own (thread-local), so it is seeded
 * from the solver's before every nlopt_optimize: one seed, one answer. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <nlopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur/plugin.h"
#include "internal.h"
#include "thirdparty_int.h"
#include "nlopt_int.h"

/* --- The objective ---------------------------------------------------------- */

/* A record every `every` evaluations, and one at the evaluation limit so
 * that the limit stops the run on the exact count. */
static void after_evaluation(nl_state *st)
{
    size_t e = augur_solver_evaluations(st->s);
    if (e - st->evals_at_record < st->every &&
        e < augur_solver_max_evaluations(st->s))
        return;
    st->evals_at_record = e;
    int rc = augur_solver_checkpoint(st->s);
    if (rc != 0) {
        st->halt = rc;
        nlopt_force_stop(st->opt);
    }
}

static double value(nl_state *st, const double *x)
{
    int first = st->known;
    st->known = 0;
    if (first && memcmp(x, st->known_x, st->n * sizeof *x) == 0)
        return st->known_f;
    size_t before = augur_solver_evaluations(st->s);
    double f = augur_solver_evaluate(st->s, x);
    if (isfinite(f) && f > st->worst)
        st->worst = f;
    if (augur_solver_evaluations(st->s) != before)
        after_evaluation(st);
    return f;
}

/* What NLopt is told: +inf (the wall, NaN) becomes the worst finite energy
 * seen, a plateau no better than anything found (1e100 until there is
 * one: large, yet leaves room for a model's arithmetic). Given +inf,
 * NLopt's model methods break: BOBYQA and NEWUOA stop at once with a NaN
 * model, and NEWUOA_BOUND loops for ever inside NLopt, where no stop can
 * reach it. */
static double for_nlopt(const nl_state *st, double f)
{
    if (f != INFINITY)
        return f;
    return st->worst > -INFINITY ? st->worst : 1e100;
}

/* The signed step for coordinate i that keeps the probe inside the box:
 * forward when it fits, else backward, else towards the roomier side (0
 * when the box pins the coordinate). */
static double inward(const nl_state *st, const double *x, size_t i, double h)
{
    const double *lb = augur_solver_lower(st->s), *ub = augur_solver_upper(st->s);
    if (x[i] + h <= ub[i])
        return h;
    if (x[i] - h >= lb[i])
        return -h;
    return ub[i] - x[i] >= x[i] - lb[i] ? ub[i] - x[i] : lb[i] - x[i];
}

/* f at x with coordinate i moved by h (counted); *taken is the step really
 * made after rounding, 0 when none was (then NAN, nothing evaluated). */
static double probe(nl_state *st, const double *x, size_t i, double h,
                    double *taken)
{
    st->probe[i] = x[i] + h;
    *taken = st->probe[i] - x[i];
    double f = *taken != 0 && !st->halt ? value(st, st->probe) : NAN;
    st->probe[i] = x[i];
    return f;
}

/* One derivative: central where both probes fit in the box, else one-sided
 * inward; 0 where the values are not finite or a stop cut it short. */
static double derivative(nl_state *st, const double *x, size_t i, double f)
{
    const double *lb = augur_solver_lower(st->s), *ub = augur_solver_upper(st->s);
    int central = st->fd != 0;
    double rel = st->fd_step > 0 ? st->fd_step
               : central ? cbrt(DBL_EPSILON) : sqrt(DBL_EPSILON);
    double h = rel * fmax(fabs(x[i]), 1.0), hp, hm, d;
    if (central && x[i] + h <= ub[i] && x[i] - h >= lb[i]) {
        double fp = probe(st, x, i, h, &hp), fm = probe(st, x, i, -h, &hm);
        d = (fp - fm) / (hp - hm);
        return isfinite(fp) && isfinite(fm) && isfinite(d) ? d : 0;
    }
    double fh = probe(st, x, i, inward(st, x, i, h), &hp);
    d = (fh - f) / hp;
    return isfinite(fh) && isfinite(f) && isfinite(d) ? d : 0;
}

static void fd_gradient(nl_state *st, const double *x, double f, double *grad)
{
    memcpy(st->probe, x, st->n * sizeof *x);
    for (size_t i = 0; i < st->n; i++)
        grad[i] = derivative(st, x, i, f);
}

static double objective(unsigned n, const double *x, double *grad, void *data)
{
    nl_state *st = data;
    if (st->halt) {        /* stopping: NLopt may ask once more */
        if (grad)
            memset(grad, 0, n * sizeof *grad);
        return for_nlopt(st, INFINITY);
    }
    double f = value(st, x);
    if (grad)
        fd_gradient(st, x, f, grad);
    return for_nlopt(st, f);
}

/* --- Setting NLopt up ------------------------------------------------------ */

static int nlopt_failure(augur_solver *s, nlopt_opt opt, nlopt_result r,
                         const char *when)
{
    const char *msg = opt ? nlopt_get_errmsg(opt) : NULL;
    int code = r == NLOPT_OUT_OF_MEMORY ? AUGUR_ENOMEM
             : r == NLOPT_INVALID_ARGS ? AUGUR_EINVAL : AUGUR_EFAILED;
    return augur_solver_fail(s, code, "%s: NLopt %s: %s%s%s",
                             augur_solver_type_name(s), when,
                             nlopt_result_to_string(r), msg ? ": " : "",
                             msg ? msg : "");
}

/* initial-step: a fraction of the box width where it is finite (and not
 * zero), an absolute step elsewhere. */
static void initial_steps(const augur_solver *s, nl_state *st)
{
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    for (size_t i = 0; i < st->n; i++) {
        double w = ub[i] - lb[i];
        st->dx[i] = isfinite(w) && w > 0 ? st->initial_step * w : st->initial_step;
    }
}

static nlopt_result set_local(nl_state *st)
{
    nlopt_opt local = nlopt_create(augur__nlopt_local_algs[(size_t)st->local], (unsigned)st->n);
    if (!local)
        return NLOPT_OUT_OF_MEMORY;
    /* the local runs stop on their own tolerances, which are ours to set
     * (local-xtol-rel; ftol_rel as the outer's, or 1e-14 when that is
     * left to NLopt) */
    nlopt_result r = nlopt_set_xtol_rel(local, st->local_xtol_rel);
    if (r > 0)
        r = nlopt_set_ftol_rel(local, st->ftol_rel > 0 ? st->ftol_rel : 1e-14);
    if (r > 0)
        r = nlopt_set_xtol_abs1(local, 0);
    if (r > 0)
        r = nlopt_set_local_optimizer(st->opt, local);   /* NLopt copies it */
    nlopt_destroy(local);
    return r;
}

/* NLopt's own parameters, passed only when changed, so that NLopt's
 * defaults (which ours repeat) stay in force otherwise. */
static nlopt_result set_knobs(const augur_solver *s, nl_state *st)
{
    const augur_param *p = augur_solver_get_type(s)->params;
    size_t lo = offsetof(nl_state, k), hi = lo + sizeof(knobs);
    nlopt_result r = NLOPT_SUCCESS;
    for (; p->name && r > 0; p++) {
        double v = augur__param_value(st, p);
        if (p->offset < lo || p->offset >= hi || v == p->def)
            continue;
        char name[48];   /* NLopt parameter names are short */
        snprintf(name, sizeof name, "%s", p->name);
        for (char *c = name; *c; c++)
            *c = *c == '-' ? '_' : *c;
        r = nlopt_set_param(st->opt, name, v);
    }
    return r;
}

static nlopt_result configure(const augur_solver *s, nl_state *st)
{
    nlopt_opt o = st->opt;
    nlopt_result r = nlopt_set_lower_bounds(o, augur_solver_lower(s));
    if (r > 0)
        r = nlopt_set_upper_bounds(o, augur_solver_upper(s));
    if (r > 0)
        r = nlopt_set_min_objective(o, objective, st);
    if (r > 0 && st->xtol_rel > 0)   /* 0: left as NLopt has it */
        r = nlopt_set_xtol_rel(o, st->xtol_rel);
    if (r > 0 && st->ftol_rel > 0)
        r = nlopt_set_ftol_rel(o, st->ftol_rel);
    /* Allocates xtol_abs (all 0, off): 2.7.1's MLSL and AUGLAG read it
     * unchecked and crash when it was never set. */
    if (r > 0)
        r = nlopt_set_xtol_abs1(o, 0);
    if (r > 0 && st->population > 0)
        r = nlopt_set_population(o, (unsigned)st->population);
    if (r > 0 && (st->alg->flags & STEP) && st->initial_step > 0) {
        initial_steps(s, st);
        r = nlopt_set_initial_step(o, st->dx);
    }
    if (r > 0 && (st->alg->flags & LOCAL))
        r = set_local(st);
    if (r > 0)
        r = set_knobs(s, st);
    return r;
}

/* --- The solver ---------------------------------------------------------- */

void augur__nlopt_free(void *state)
{
    nl_state *st = state;
    if (st->opt)
        nlopt_destroy(st->opt);
    free(st->x);
    st->opt = NULL;
    st->x = NULL;
}

int augur__nlopt_check(const augur_solver *s, const void *state, char *err,
                       size_t cap)
{
    (void)state;
    if ((augur__nlopt_algorithm_of(s)->flags & BOX) && !augur_solver_bounds_finite(s))
        return augur__fail_msg(err, cap, AUGUR_EBOUNDS, "%s: a global algorithm needs "
                               "finite bounds on every coordinate",
                               augur_solver_type_name(s));
    return AUGUR_OK;
}

int augur__nlopt_start(augur_solver *s, void *state)
{
    nl_state *st = state;
    st->alg = augur__nlopt_algorithm_of(s);
    st->n = augur_solver_dimension(s);
    st->every = st->record_every > 0 ? (size_t)st->record_every : st->n + 1;
    if ((st->alg->flags & BOX) && !augur_solver_bounds_finite(s))
        return augur_solver_fail(s, AUGUR_EBOUNDS, "%s: a global algorithm needs "
                                 "finite bounds on every coordinate",
                                 augur_solver_type_name(s));
    if (st->n > UINT_MAX)
        return augur_solver_fail(s, AUGUR_ERANGE, "%s: too many dimensions",
                                 augur_solver_type_name(s));
    /* four vectors in one block: x, dx, probe, known_x */
    st->x = augur__calloc_array(augur__mul_sat(4, st->n), sizeof *st->x);
    st->opt = nlopt_create(st->alg->alg, (unsigned)st->n);
    if (!st->x || !st->opt)
        return augur_solver_fail(s, AUGUR_ENOMEM, "%s: out of memory",
                                 augur_solver_type_name(s));
    st->dx = st->x + st->n;
    st->probe = st->dx + st->n;
    st->known_x = st->probe + st->n;
    nlopt_result r = configure(s, st);
    if (r < 0)
        return nlopt_failure(s, st->opt, r, "setup");
    int rc = augur_solver_initial_points(s, st->x, 1, 0);
    if (rc == AUGUR_OK) {
        double f = augur_solver_evaluate(s, st->x);
        st->worst = isfinite(f) ? f : -INFINITY;
    }
    return rc;
}

/* The best point's energy in the solver's (minimised) sign: the last
 * record's, as nothing has been evaluated since (steps start after one). */
static double best_energy(const augur_solver *s)
{
    size_t len;
    const double *h = augur_solver_energy_history(s, &len);
    return len ? h[len - 1] : INFINITY;
}

/* NLopt's own maxeval: what is left of the budget, plus the remembered
 * call NLopt counts and we do not (the start point, known already), so
 * NLopt runs with the budget it would be given alone, and our record at
 * the limit still stops it on the exact count; it can only stop sooner
 * (NLopt also counts points outside the box, which we refuse uncounted).
 * No limit: none. Gablonsky's DIRECT sizes its arrays by maxeval, so it
 * gets twice what is left, at most 10^6. */
static int nlopt_maxeval(const augur_solver *s, const nl_state *st)
{
    size_t max = augur_solver_max_evaluations(s), done = augur_solver_evaluations(s);
    size_t left = max > done ? max - done : 0;
    if (!(st->alg->flags & CAP))
        return max == AUGUR_UNLIMITED ? 0 : left < INT_MAX ? (int)left + 1 : INT_MAX;
    size_t cap = 1000000;
    return (int)(left < cap / 2 ? 2 * left + 2 : cap);
}

static int conclude(augur_solver *s, nl_state *st, nlopt_result r)
{
    if (st->halt)          /* our stop test ended it (or failed) */
        return st->halt < 0 ? st->halt : AUGUR_OK;
    if (r > 0 || r == NLOPT_ROUNDOFF_LIMITED) {
        char reason[64];
        snprintf(reason, sizeof reason, "NLopt(%s)", nlopt_result_to_string(r));
        augur_solver_finished(s, reason);
        return AUGUR_OK;
    }
    return nlopt_failure(s, st->opt, r, "returned");
}

int augur__nlopt_step(augur_solver *s, void *state)
{
    nl_state *st = state;
    st->s = s;
    st->halt = 0;
    st->evals_at_record = augur_solver_evaluations(s);
    memcpy(st->x, augur_solver_best_solution(s), st->n * sizeof *st->x);
    memcpy(st->known_x, st->x, st->n * sizeof *st->x);
    st->known_f = best_energy(s);
    st->known = 1;
    /* The bounds again: they may have changed since the last solve call. */
    nlopt_result r = nlopt_set_lower_bounds(st->opt, augur_solver_lower(s));
    if (r > 0)
        r = nlopt_set_upper_bounds(st->opt, augur_solver_upper(s));
    if (r > 0)
        r = nlopt_set_maxeval(st->opt, nlopt_maxeval(s, st));
    if (r < 0)
        return nlopt_failure(s, st->opt, r, "setup");
    nlopt_srand(gsl_rng_get(augur_solver_rng(s)));
    double fmin;
    r = nlopt_optimize(st->opt, st->x, &fmin);
    return conclude(s, st, r);
}
