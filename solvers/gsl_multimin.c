/* gsl_multimin.c - GSL's multimin minimisers as augur solver types:
 * "gsl:nmsimplex2", "gsl:nmsimplex2rand", "gsl:nmsimplex"
 * (gsl_multimin_fminimizer) and "gsl:conjugate_fr", "gsl:conjugate_pr",
 * "gsl:vector_bfgs2", "gsl:vector_bfgs", "gsl:steepest_descent"
 * (gsl_multimin_fdfminimizer, with a finite-difference gradient).
 *
 * A generation: GSL leaves the loop to its caller, so generation 0
 * evaluates the start point, generation 1 sets GSL's minimiser up from the
 * best point (the simplex's vertices, or the first gradient), and every
 * later generation is one gsl_multimin_*_iterate. After each iterate GSL's
 * own test runs: gsl_multimin_test_size on the simplex size ("size-tol")
 * or gsl_multimin_test_gradient on the gradient ("gradient-tol"); when it
 * passes, or iterate returns GSL_ENOPROG, the run is finished with the
 * reason "GSL(test_size: success)", "GSL(iterate: iteration is not making
 * progress towards solution)" and the like (gsl_strerror's text). A later
 * solve call sets GSL up again from the best point. Default termination:
 * none (GSL's test and the limits: 200 n generations and evaluations for
 * the simplex, as nelder-mead; 1000 n for the gradient methods).
 *
 * Evaluations go through augur_solver_evaluate (counting, monitors, sign,
 * bounds wall, NaN rule). The last point evaluated is remembered, so GSL's
 * set asking again for the start point, or a gradient asked for where the
 * value was just computed, does not call the cost twice (the cost is
 * assumed deterministic). The gradient is forward or central differences
 * ("fd"), each probe an ordinary counted evaluation.
 *
 * GSL's default error handler aborts, so GSL is never given what it
 * raises an error for: values are always finite (where our path says +inf,
 * outside the box or NaN, GSL is told a finite wall above the worst energy
 * seen: given +inf its simplex raises an error, and aborts, when it next
 * shrinks), steps are non-zero and finite, tolerances are in range (the
 * parameter tables say so; line-tol < 1 also keeps steepest descent's
 * step-shrinking loop finite), and sizes agree.
 *
 * Bounds: GSL knows none. The simplex types use the wall: a vertex outside
 * the box is not evaluated and is worth the wall plus its distance outside
 * (a tie among equal walls would let the simplex wander outside for ever),
 * so a move there is always rejected and a vertex outside is pulled back.
 * The initial vertex steps are "initial-step" times the box width on
 * coordinates with finite bounds (else times |x0_i|, or absolute where
 * x0_i is 0) and turn back at a bound, so only nmsimplex2rand's rotated
 * vertices can start outside. The gradient types clip: the point GSL asks
 * for is projected into the box and evaluated there, and charged for its
 * squared distance outside (in box widths, times |f(x0)| + 1), so that
 * GSL's iterates come back; the charge's gradient is exact and f's comes
 * from difference probes kept inside the box. Without the charge f(P(x))
 * is flat outside and GSL's gradient test passes at a corner that is no
 * minimum. Either way the best point (the base's) is inside the box.
 *
 * nmsimplex2rand's random orientation comes from GSL's own counter, not
 * from our generator: the type is deterministic, as are the others. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include "augur/plugin.h"
#include "internal.h"
#include "thirdparty_int.h"

typedef struct gm_state {
    /* parameters (the tables below) */
    double initial_step, size_tol;                       /* simplex */
    double line_step, line_tol, gradient_tol, fd, fd_h;  /* gradient */
    /* workspace */
    size_t n;
    int gradient;          /* an fdf type */
    augur_solver *s;       /* the solver stepping, for GSL's callbacks */
    gsl_multimin_fminimizer *fmin;
    gsl_multimin_fdfminimizer *fdfmin;
    gsl_multimin_function fn;
    gsl_multimin_function_fdf fdf;
    double *x, *step, *pt, *probe, *memo_x;
    unsigned char *clipped;
    double worst;          /* the highest finite energy seen (wall's base) */
    double pull;           /* the clip policy's charge per squared width */
    double memo_f;
    int memo;              /* memo_x holds a point evaluated, memo_f its energy */
    int set;               /* GSL's minimiser is set up */
} gm_state;

static const char *const fd_names[] = {"forward", "central", NULL};

static const augur_param simplex_params[] = {
    {.name = "initial-step", .kind = AUGUR_PARAM_REAL, .def = 0.1, .min = 1e-12,
     .max = 1, .offset = offsetof(gm_state, initial_step),
     .doc = "vertex step: this fraction of ub - lb where both are finite, "
            "else of |x0_i| (absolute where x0_i is 0)"},
    {.name = "size-tol", .kind = AUGUR_PARAM_REAL, .def = 1e-8, .min = 0,
     .max = INFINITY, .offset = offsetof(gm_state, size_tol),
     .doc = "finished when gsl_multimin_test_size passes at this size"},
    {.name = NULL},
};

static const augur_param gradient_params[] = {
    {.name = "line-step", .kind = AUGUR_PARAM_REAL, .def = 0.01, .min = 1e-12,
     .max = 1e12, .offset = offsetof(gm_state, line_step),
     .doc = "length of GSL's first trial step (absolute)"},
    {.name = "line-tol", .kind = AUGUR_PARAM_REAL, .def = 0.1, .min = 1e-12,
     .max = 0.99, .offset = offsetof(gm_state, line_tol),
     .doc = "GSL's line-search tolerance (steepest descent: step shrink factor)"},
    {.name = "gradient-tol", .kind = AUGUR_PARAM_REAL, .def = 1e-6, .min = 0,
     .max = INFINITY, .offset = offsetof(gm_state, gradient_tol),
     .doc = "finished when gsl_multimin_test_gradient passes at this norm"},
    {.name = "fd", .kind = AUGUR_PARAM_CHOICE, .def = 1,
     .offset = offsetof(gm_state, fd), .choices = fd_names,
     .doc = "finite differences for the gradient"},
    {.name = "fd-step", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0, .max = 1,
     .offset = offsetof(gm_state, fd_h),
     .doc = "difference step relative to max(|x_i|, 1); 0: sqrt(eps) "
            "forward, cbrt(eps) central"},
    {.name = NULL},
};

static int gm_start(augur_solver *s, void *state);
static int gm_step(augur_solver *s, void *state);
static void gm_free(void *state);

#define SIMPLEX(nm, what)                                                      \
    {.name = "gsl:" nm, .doc = "GSL's " what "; bounds: wall",                 \
     .state_size = sizeof(gm_state), .params = simplex_params,                 \
     .generation_scale = 200, .evaluation_scale = 200, .needs_start = 1, .start = gm_start,   \
     .step = gm_step, .free = gm_free}
#define GRADIENT(nm, what)                                                     \
    {.name = "gsl:" nm, .doc = "GSL's " what ", finite-difference gradient; "  \
                               "bounds: clip",                                 \
     .state_size = sizeof(gm_state), .params = gradient_params,                \
     .generation_scale = 1000, .evaluation_scale = 1000, .needs_start = 1, .start = gm_start,   \
     .step = gm_step, .free = gm_free}

/* The order matters: simplex_kind() and gradient_kind() map an index to
 * GSL's type. */
static const augur_solver_type gsl_types[] = {
    SIMPLEX("nmsimplex2", "Nelder-Mead simplex (nmsimplex2)"),
    SIMPLEX("nmsimplex2rand", "Nelder-Mead simplex, randomly oriented start"),
    SIMPLEX("nmsimplex", "Nelder-Mead simplex (original nmsimplex)"),
    GRADIENT("conjugate_fr", "Fletcher-Reeves conjugate gradient"),
    GRADIENT("conjugate_pr", "Polak-Ribiere conjugate gradient"),
    GRADIENT("vector_bfgs2", "BFGS (Fletcher's line search)"),
    GRADIENT("vector_bfgs", "BFGS"),
    GRADIENT("steepest_descent", "steepest descent"),
};
#define NSIMPLEX 3

const augur_solver_type *augur__gsl_types(size_t *count)
{
    *count = AUGUR__ARRAY_SIZE(gsl_types);
    return gsl_types;
}

static size_t kind_of(const augur_solver *s)
{
    return (size_t)(augur_solver_get_type(s) - gsl_types);
}

/* GSL's types are variables, not constants, hence a function. */
static const gsl_multimin_fminimizer_type *simplex_kind(size_t k)
{
    switch (k) {
    case 0: return gsl_multimin_fminimizer_nmsimplex2;
    case 1: return gsl_multimin_fminimizer_nmsimplex2rand;
    default: return gsl_multimin_fminimizer_nmsimplex;
    }
}

static const gsl_multimin_fdfminimizer_type *gradient_kind(size_t k)
{
    switch (k) {
    case 3: return gsl_multimin_fdfminimizer_conjugate_fr;
    case 4: return gsl_multimin_fdfminimizer_conjugate_pr;
    case 5: return gsl_multimin_fdfminimizer_vector_bfgs2;
    case 6: return gsl_multimin_fdfminimizer_vector_bfgs;
    default: return gsl_multimin_fdfminimizer_steepest_descent;
    }
}

/* --- Evaluations ------------------------------------------------------------ */

/* The energy of x in the solver's sign, the last point remembered. */
static double energy(gm_state *st, const double *x)
{
    if (st->memo && memcmp(x, st->memo_x, st->n * sizeof *x) == 0)
        return st->memo_f;
    double f = augur_solver_evaluate(st->s, x);
    if (isfinite(f) && f > st->worst)
        st->worst = f;
    memcpy(st->memo_x, x, st->n * sizeof *x);
    st->memo_f = f;
    st->memo = 1;
    return f;
}

/* The scale of coordinate i for distances outside the box. */
static double scale(const augur_solver *s, size_t i)
{
    double w = augur_solver_upper(s)[i] - augur_solver_lower(s)[i];
    return isfinite(w) && w > 0 ? w : 1;
}

/* What GSL is told instead of +inf: above the worst finite energy seen
 * (1e100 until there is one), by more the further outside the box (d, in
 * box widths), so that a simplex with vertices outside is pulled in rather
 * than wandering among equal values. Finite always: GSL's simplex raises
 * an error (and aborts) on anything else. */
static double wall(const gm_state *st, double d)
{
    double base = st->worst > -INFINITY ? st->worst : 1e100;
    double v = base + (fabs(base) + 1) * (1 + d);
    return isfinite(v) ? v : GSL_DBL_MAX;
}

/* st->pt = P(v), the projection into the box; st->clipped marks the
 * coordinates moved; returns the distance outside, in box widths, squared
 * per coordinate when `squared`. A non-finite v_i counts as far outside. */
static double project(gm_state *st, const gsl_vector *v, int squared)
{
    const double *lb = augur_solver_lower(st->s), *ub = augur_solver_upper(st->s);
    double d = 0;
    for (size_t i = 0; i < st->n; i++) {
        double x = gsl_vector_get(v, i);
        double c = isnan(x) ? fmax(fmin(0, ub[i]), lb[i]) : fmin(fmax(x, lb[i]), ub[i]);
        double out = isfinite(x) ? fabs(x - c) / scale(st->s, i) : 1e150;
        st->clipped[i] = c != x;
        st->pt[i] = c;
        d += squared ? out * out : out;
    }
    return d;
}

/* The simplex's wall: outside the box, no evaluation, a graded value. */
static double simplex_f(const gsl_vector *v, void *params)
{
    gm_state *st = params;
    double d = project(st, v, 0);
    if (d > 0)
        return wall(st, d);
    double f = energy(st, st->pt);
    return isfinite(f) ? f : wall(st, 0);
}

/* The probe step on coordinate i, inside the box: forward when it fits,
 * else backward; 0 when the box pins the coordinate. */
static double probe_step(const gm_state *st, size_t i, double h)
{
    const double *lb = augur_solver_lower(st->s), *ub = augur_solver_upper(st->s);
    double x = st->pt[i];
    if (x + h <= ub[i])
        return h;
    if (x - h >= lb[i])
        return -h;
    return ub[i] - x >= x - lb[i] ? ub[i] - x : lb[i] - x;
}

/* f at pt with coordinate i moved by h; *taken is the step really made. */
static double probe(gm_state *st, size_t i, double h, double *taken)
{
    st->probe[i] = st->pt[i] + h;
    *taken = st->probe[i] - st->pt[i];
    double f = *taken != 0 ? energy(st, st->probe) : NAN;
    st->probe[i] = st->pt[i];
    return f;
}

/* df/dx_i at pt: central where both probes fit in the box, else one-sided
 * inward; 0 where the values are not finite. */
static double derivative(gm_state *st, size_t i, double f0)
{
    int central = st->fd != 0;
    double rel = st->fd_h > 0 ? st->fd_h
               : central ? cbrt(DBL_EPSILON) : sqrt(DBL_EPSILON);
    double h = rel * fmax(fabs(st->pt[i]), 1.0), hp, hm, d;
    const double *lb = augur_solver_lower(st->s), *ub = augur_solver_upper(st->s);
    if (central && st->pt[i] + h <= ub[i] && st->pt[i] - h >= lb[i]) {
        double fp = probe(st, i, h, &hp), fm = probe(st, i, -h, &hm);
        d = (fp - fm) / (hp - hm);
        return isfinite(fp) && isfinite(fm) && isfinite(d) ? d : 0;
    }
    double fh = probe(st, i, probe_step(st, i, h), &hp);
    d = (fh - f0) / hp;
    return isfinite(fh) && isfinite(f0) && isfinite(d) ? d : 0;
}

/* The clip policy: GSL's point x is evaluated at its projection P(x) and
 * charged pull * sum ((x_i - P_i) / w_i)^2 for the distance, so that GSL's
 * iterates come back to the box (f(P(x)) alone is flat outside, and a
 * zero gradient there would pass GSL's test at a corner that is no
 * minimum). The charge's gradient is exact; f's comes from probes inside
 * the box. */
static void gradient_fdf(const gsl_vector *v, void *params, double *f,
                         gsl_vector *g)
{
    gm_state *st = params;
    double d2 = project(st, v, 1);
    double f0 = energy(st, st->pt);
    memcpy(st->probe, st->pt, st->n * sizeof *st->pt);
    for (size_t i = 0; i < st->n; i++) {
        double w = scale(st->s, i), x = gsl_vector_get(v, i);
        double pull = isfinite(x) ? 2 * st->pull * (x - st->pt[i]) / (w * w) : 0;
        gsl_vector_set(g, i, st->clipped[i] ? pull : derivative(st, i, f0));
    }
    double charged = (isfinite(f0) ? f0 : wall(st, 0)) + st->pull * d2;
    *f = isfinite(charged) ? charged : GSL_DBL_MAX;
}

static double gradient_f(const gsl_vector *v, void *params)
{
    gm_state *st = params;
    double d2 = project(st, v, 1);
    double f0 = energy(st, st->pt);
    double charged = (isfinite(f0) ? f0 : wall(st, 0)) + st->pull * d2;
    return isfinite(charged) ? charged : GSL_DBL_MAX;
}

static void gradient_df(const gsl_vector *v, void *params, gsl_vector *g)
{
    double f;
    gradient_fdf(v, params, &f, g);
}

/* --- Setting GSL up ---------------------------------------------------------- */

/* The simplex's vertex steps from x, turned back at a bound, never 0. */
static int vertex_steps(augur_solver *s, gm_state *st)
{
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    for (size_t i = 0; i < st->n; i++) {
        double w = ub[i] - lb[i], x = st->x[i];
        double h = isfinite(w) && w > 0 ? st->initial_step * w
                 : x != 0 ? st->initial_step * fabs(x) : st->initial_step;
        if (x + h > ub[i] && x - h >= lb[i])
            h = -h;
        if (!isfinite(h) || h == 0 || x + h == x)
            return augur_solver_fail(s, AUGUR_ERANGE, "%s: the simplex step on "
                                     "coordinate %zu (%g at x = %g) is unusable",
                                     augur_solver_type_name(s), i, h, x);
        st->step[i] = h;
    }
    return AUGUR_OK;
}

static int gsl_failure(augur_solver *s, const char *what, int status)
{
    return augur_solver_fail(s, AUGUR_EFAILED, "%s: GSL %s: %s",
                             augur_solver_type_name(s), what, gsl_strerror(status));
}

/* The best point's energy in the solver's (minimised) sign: the last
 * record's, as nothing has been evaluated since (steps start after one). */
static double best_energy(const augur_solver *s)
{
    size_t len;
    const double *h = augur_solver_energy_history(s, &len);
    return len ? h[len - 1] : INFINITY;
}

/* Generation 1, and the first generation of every later solve call. */
static int set_up(augur_solver *s, gm_state *st)
{
    memcpy(st->x, augur_solver_best_solution(s), st->n * sizeof *st->x);
    memcpy(st->memo_x, st->x, st->n * sizeof *st->x);
    st->memo_f = best_energy(s);
    st->memo = 1;
    st->pull = isfinite(st->memo_f) ? fabs(st->memo_f) + 1 : 1;
    gsl_vector_view x = gsl_vector_view_array(st->x, st->n);
    int status;
    if (!st->gradient) {
        int rc = vertex_steps(s, st);
        if (rc != AUGUR_OK)
            return rc;
        gsl_vector_view h = gsl_vector_view_array(st->step, st->n);
        status = gsl_multimin_fminimizer_set(st->fmin, &st->fn, &x.vector,
                                             &h.vector);
    } else {
        status = gsl_multimin_fdfminimizer_set(st->fdfmin, &st->fdf, &x.vector,
                                               st->line_step, st->line_tol);
    }
    if (status != GSL_SUCCESS)
        return gsl_failure(s, "set", status);
    st->set = 1;
    return AUGUR_OK;
}

static void finish(augur_solver *s, gm_state *st, const char *what, int status)
{
    char reason[128];
    snprintf(reason, sizeof reason, "GSL(%s: %s)", what, gsl_strerror(status));
    augur_solver_finished(s, reason);
    st->set = 0;    /* a later solve call sets GSL up again */
}

/* --- The solver ------------------------------------------------------------- */

static void gm_free(void *state)
{
    gm_state *st = state;
    if (st->fmin)
        gsl_multimin_fminimizer_free(st->fmin);
    if (st->fdfmin)
        gsl_multimin_fdfminimizer_free(st->fdfmin);
    free(st->x);
    free(st->clipped);
    st->fmin = NULL;
    st->fdfmin = NULL;
    st->x = NULL;
    st->clipped = NULL;
    st->set = st->memo = 0;
}

static int allocate(augur_solver *s, gm_state *st, size_t kind)
{
    size_t n = st->n;
    /* five vectors in one block: x, step, pt, probe, memo_x */
    st->x = augur__calloc_array(augur__mul_sat(5, n), sizeof *st->x);
    st->clipped = calloc(n, 1);
    if (st->x && st->clipped) {
        if (st->gradient)
            st->fdfmin = gsl_multimin_fdfminimizer_alloc(gradient_kind(kind), n);
        else
            st->fmin = gsl_multimin_fminimizer_alloc(simplex_kind(kind), n);
    }
    if (!st->x || !st->clipped || (!st->fmin && !st->fdfmin))
        return augur_solver_fail(s, AUGUR_ENOMEM, "%s: out of memory",
                                 augur_solver_type_name(s));
    st->step = st->x + n;
    st->pt = st->step + n;
    st->probe = st->pt + n;
    st->memo_x = st->probe + n;
    return AUGUR_OK;
}

static int gm_start(augur_solver *s, void *state)
{
    gm_state *st = state;
    size_t kind = kind_of(s);
    st->n = augur_solver_dimension(s);
    st->gradient = kind >= NSIMPLEX;
    st->fn = (gsl_multimin_function){.f = simplex_f, .n = st->n, .params = st};
    st->fdf = (gsl_multimin_function_fdf){.f = gradient_f, .df = gradient_df,
                                          .fdf = gradient_fdf, .n = st->n,
                                          .params = st};
    int rc = allocate(s, st, kind);
    if (rc == AUGUR_OK)
        rc = augur_solver_initial_points(s, st->x, 1, 0);
    if (rc == AUGUR_OK) {
        st->s = s;
        st->worst = -INFINITY;
        energy(st, st->x);
    }
    return rc;
}

/* GSL's own convergence test on the minimiser as it stands. */
static int converged(const gm_state *st)
{
    if (st->gradient)
        return gsl_multimin_test_gradient(
            gsl_multimin_fdfminimizer_gradient(st->fdfmin), st->gradient_tol);
    return gsl_multimin_test_size(gsl_multimin_fminimizer_size(st->fmin),
                                  st->size_tol);
}

/* One GSL iteration, then GSL's test. */
static int iterate(augur_solver *s, gm_state *st)
{
    int status = st->gradient ? gsl_multimin_fdfminimizer_iterate(st->fdfmin)
                              : gsl_multimin_fminimizer_iterate(st->fmin);
    if (status == GSL_ENOPROG) {
        finish(s, st, "iterate", status);
        return AUGUR_OK;
    }
    if (status != GSL_SUCCESS)
        return gsl_failure(s, "iterate", status);
    status = converged(st);
    if (status == GSL_SUCCESS)
        finish(s, st, st->gradient ? "test_gradient" : "test_size", status);
    return AUGUR_OK;
}

static int gm_step(augur_solver *s, void *state)
{
    gm_state *st = state;
    st->s = s;
    return st->set ? iterate(s, st) : set_up(s, st);
}
