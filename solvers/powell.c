/* powell.c - Powell's direction-set method, as scipy 1.10's fmin_powell and
 * mystic's PowellDirectionalSolver run it.
 *
 * The solver holds one point x and n directions (the identity unless
 * augur_powell_set_directions gave others). Generation 0 evaluates x0.
 * Generation 1 is a sweep: a line minimisation along each direction in
 * turn, noting the one that gave the largest decrease (delta). Every later
 * generation first evaluates the extrapolated point x2 = x + (x - x1), x1
 * being where the previous sweep began; when f(x1) > f(x2) and Powell's
 * t = 2(f1 + f2 - 2f)(f1 - f - delta)^2 - delta(f1 - f2)^2 < 0, it
 * minimises along x - x1, which then replaces the direction of largest
 * decrease; then it sweeps again. That is mystic's order, and scipy's loop
 * cut after its stopping test rather than before.
 *
 * A line search on f(x + alpha d) brackets a minimum by golden and
 * parabolic expansion from alpha = 0 and 1 (scipy's bracket) and refines
 * it with GSL's Brent minimiser until both ends are within 2(tol |alpha| +
 * 1e-11) of the best alpha, tol = 100 xtol (scipy's Brent test), or imax
 * iterations. f at alpha = 0 is known, so it is not evaluated again (GSL's
 * Brent spends one evaluation to start instead). GSL's error handler aborts
 * by default, so a bracket is checked (finite, strictly lower in the
 * middle) before GSL sees it and GSL is only ever given finite values. The
 * best point evaluated wins, so a flat line, a minimum at the edge of the
 * box and a line without a minimum (a cost falling for ever: the expansion
 * stops after imax steps, or when alpha overflows) all end at the best
 * point seen, and every line search terminates.
 *
 * Bounds policy: the line search never leaves the box. Each line is cut to
 * the alphas that keep x + alpha d inside; the bracket and Brent stay in
 * that interval (trial points are also clipped against rounding), and the
 * extrapolated point is shortened to stay inside (scipy 1.10). A direction
 * blocked by a face x lies on is retried with its components on those
 * faces zeroed, so the method can slide along a bound.
 *
 * The population is the current point alone, so CandidateRelativeTolerance
 * (which needs two members) is an error with this solver, as in mystic. The
 * default condition is NormalizedChangeOverGeneration(1e-4, 2) on one
 * record per generation, so it compares the ends of two sweeps where
 * scipy compares the start of a sweep (after the extrapolation) with its
 * end: it never stops earlier than scipy's test would on the same path. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include "augur/plugin.h"
#include "internal.h"
#include "augur/powell.h"

#define GOLD 1.618034      /* golden ratio: the default expansion of a bracket */
#define GROW 110.0         /* the largest parabolic expansion, in steps */
#define TINY 1e-21         /* keeps the parabola's denominator off zero */

typedef struct powell_state {
    /* parameters (the table below) */
    double xtol, imax;
    /* The user's direction set: a setting, released by destroy only, so
     * it survives the free that follows a failed start. */
    double *user_dirs;
    /* workspace */
    size_t n;
    double *dirs;          /* n x n, one direction a row */
    double *x, *x1, *pt, *dir, *moved, *proj;
    double fval, fx, delta;  /* energy at x; at the sweep's start; largest fall */
    size_t bigind;           /* the direction that gave delta */
    int swept;               /* generation 1 is done */
    gsl_min_fminimizer *brent;
} powell_state;

/* One line search: f(x + alpha d) for alpha in [amin, amax]. */
typedef struct line {
    augur_solver *s;
    powell_state *st;
    const double *d;
    double amin, amax;
    double best_a, best_f;   /* best alpha evaluated (alpha 0: fval) */
} line;

static const augur_param powell_params[] = {
    {.name = "xtol", .kind = AUGUR_PARAM_REAL, .def = 1e-4, .min = 0,
     .max = INFINITY, .offset = offsetof(powell_state, xtol),
     .doc = "line-search tolerance (Brent's relative tolerance is 100 xtol)"},
    {.name = "imax", .kind = AUGUR_PARAM_INT, .def = 500, .min = 1, .max = 1e9,
     .offset = offsetof(powell_state, imax),
     .doc = "most iterations of a line search's bracketing and of its Brent"},
    {.name = NULL},
};

static void powell_free(void *state)
{
    powell_state *st = state;
    free(st->dirs);
    if (st->brent)
        gsl_min_fminimizer_free(st->brent);
    st->dirs = NULL;
    st->brent = NULL;
}

static void powell_destroy(void *state)
{
    powell_state *st = state;
    free(st->user_dirs);
    st->user_dirs = NULL;
}

/* --- Line search --------------------------------------------------------- */

/* The interval of alpha for which x + alpha d stays inside the bounds. */
static void line_interval(const augur_solver *s, const double *x,
                          const double *d, size_t n, double *amin, double *amax)
{
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    *amin = -INFINITY;
    *amax = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (d[i] == 0)
            continue;
        double lo = (lb[i] - x[i]) / d[i], hi = (ub[i] - x[i]) / d[i];
        *amin = fmax(*amin, fmin(lo, hi));
        *amax = fmin(*amax, fmax(lo, hi));
    }
    /* x is inside, so 0 belongs; this only guards against rounding. */
    *amin = fmin(*amin, 0);
    *amax = fmax(*amax, 0);
}

static double clamp_alpha(const line *ln, double a)
{
    return fmin(fmax(a, ln->amin), ln->amax);
}

/* The point at alpha, clipped against rounding at the edge of the box;
 * 0 when it overflowed. */
static int line_point(const line *ln, double a)
{
    const powell_state *st = ln->st;
    for (size_t i = 0; i < st->n; i++) {
        st->pt[i] = st->x[i] + a * ln->d[i];
        if (!isfinite(st->pt[i]))
            return 0;
    }
    augur_solver_clip(ln->s, st->pt);
    return 1;
}

/* NaN (never a cost's value: the evaluation path makes it +inf) marks a
 * point that overflowed and was not evaluated. */
static double line_eval(line *ln, double a)
{
    if (!isfinite(a) || !line_point(ln, a))
        return NAN;
    double f = augur_solver_evaluate(ln->s, ln->st->pt);
    if (f < ln->best_f) {
        ln->best_f = f;
        ln->best_a = a;
    }
    return f;
}

/* GSL sees only finite values: its Brent raises an error on others. */
static double finite(double f)
{
    return isfinite(f) ? f : f == -INFINITY ? -DBL_MAX : DBL_MAX;
}

static double brent_f(double a, void *params)
{
    return finite(line_eval(params, a));
}

/* One expansion step beyond c (scipy's bracket): a parabola through a, b
 * and c, limited to GROW steps, or a golden step; clamped to the interval.
 * Returns 1 when it closed the bracket, else 0 with p moved on (or, when
 * the step would pass the edge, left with the edge as its far point). */
static int expand(line *ln, double p[3], double fp[3])
{
    double a = p[0], b = p[1], c = p[2], fa = fp[0], fb = fp[1], fc = fp[2];
    double r = (b - a) * (fb - fc), q = (b - c) * (fb - fa);
    double den = fabs(q - r) < TINY ? 2 * TINY : 2 * (q - r);
    double w = b - ((b - c) * q - (b - a) * r) / den, fw;
    double lim = clamp_alpha(ln, b + GROW * (c - b));
    if ((w - c) * (b - w) > 0) {            /* between b and c */
        fw = line_eval(ln, w);
        if (fw < fc) {
            p[0] = b, fp[0] = fb, p[1] = w, fp[1] = fw;
            return 1;
        }
        if (fw > fb) {
            p[2] = w, fp[2] = fw;
            return 1;
        }
        w = clamp_alpha(ln, c + GOLD * (c - b));
    } else if ((w - lim) * (lim - c) >= 0) { /* at or past the limit */
        w = lim;
    } else if ((w - lim) * (c - w) > 0) {   /* between c and the limit */
        fw = line_eval(ln, w);
        if (fw < fc) {
            b = c, fb = fc, c = w, fc = fw;
            w = clamp_alpha(ln, c + GOLD * (c - b));
        }
    } else {
        w = clamp_alpha(ln, c + GOLD * (c - b));
    }
    if (w == c) {     /* c is the edge of the interval */
        p[1] = b, fp[1] = fb, p[2] = c, fp[2] = fc;
        return 0;
    }
    fw = line_eval(ln, w);
    p[0] = b, p[1] = c, p[2] = w;
    fp[0] = fb, fp[1] = fc, fp[2] = fw;
    return 0;
}

/* The line still falls at p[2], the edge of its interval, coming from
 * p[1]. The minimum may lie between them: probe towards the edge by
 * golden sections until a point below the edge closes a bracket, or the
 * two are within the line search's tolerance and the edge is the answer. */
static int toward_edge(line *ln, double p[3], double fp[3])
{
    /* Relative to the first gap too: the edge may be alpha = 0. */
    double tol = 100 * ln->st->xtol;
    double stop = 2 * (tol * fmax(fabs(p[1]), fabs(p[2])) + 1e-11);
    for (size_t k = 0; k < (size_t)ln->st->imax; k++) {
        double in = p[1], e = p[2];
        if (fabs(e - in) < stop)
            return 0;
        double w = e - (2 - GOLD) * (e - in), fw = line_eval(ln, w);
        if (isnan(fw))
            return 0;
        if (fw < fp[2]) {
            p[0] = in, fp[0] = fp[1], p[1] = w, fp[1] = fw;
            return 1;
        }
        p[1] = w, fp[1] = fw;
    }
    return 0;
}

/* What GSL demands of a bracket, checked here so that it never objects:
 * finite, ordered, and strictly lower in the middle. */
static int checked(const double p[3], double fp[3])
{
    for (int i = 0; i < 3; i++) {
        if (isnan(fp[i]) || !isfinite(p[i]))
            return 0;
        fp[i] = finite(fp[i]);
    }
    int ordered = (p[0] < p[1] && p[1] < p[2]) || (p[2] < p[1] && p[1] < p[0]);
    return ordered && fp[1] < fp[0] && fp[1] < fp[2];
}

/* Find a < b < c (or c < b < a) with f(b) below both ends. 0 when there is
 * none to refine: flat, pinned, at the edge of the box or unbounded. */
static int bracket(line *ln, double p[3], double fp[3])
{
    /* 0 (known) and 1, or -1 when the box allows no step forward */
    p[0] = 0, fp[0] = ln->st->fval;
    p[1] = clamp_alpha(ln, 1.0);
    if (p[1] == 0 && (p[1] = clamp_alpha(ln, -1.0)) == 0)
        return 0;                           /* the box pins this line */
    fp[1] = line_eval(ln, p[1]);
    if (fp[0] < fp[1]) {                    /* walk downhill from a to b */
        double t = p[0], ft = fp[0];
        p[0] = p[1], fp[0] = fp[1], p[1] = t, fp[1] = ft;
    }
    p[2] = clamp_alpha(ln, p[1] + GOLD * (p[1] - p[0]));
    if (p[2] == p[1]) {                     /* b is the edge: make it c */
        fp[2] = fp[1], p[1] = p[0], fp[1] = fp[0];
        return fp[2] < fp[1] && toward_edge(ln, p, fp) && checked(p, fp);
    }
    fp[2] = line_eval(ln, p[2]);
    for (size_t k = 0; fp[2] < fp[1]; k++) {
        if (p[2] == ln->amin || p[2] == ln->amax)
            return toward_edge(ln, p, fp) && checked(p, fp);
        if (k >= (size_t)ln->st->imax)   /* falling for too long */
            return 0;
        if (expand(ln, p, fp))
            break;
    }
    if (fp[1] == fp[0] && fp[2] > fp[1]) {
        /* a level pair (x = 0.5 +- 0.5 on a parabola): the minimum lies
         * between them, where scipy's Brent would still look */
        double w = 0.5 * (p[0] + p[1]), fw = line_eval(ln, w);
        if (fw < fp[1]) {
            p[2] = p[1], fp[2] = fp[1];
            p[1] = w, fp[1] = fw;
        }
    }
    return checked(p, fp);
}

/* Brent from a checked bracket, stopped by scipy's test on the interval. */
static void refine(line *ln, const double p[3], const double fp[3])
{
    gsl_min_fminimizer *m = ln->st->brent;
    gsl_function fn = {.function = brent_f, .params = ln};
    int lo = p[0] < p[2] ? 0 : 2, hi = 2 - lo;
    if (gsl_min_fminimizer_set_with_values(m, &fn, p[1], fp[1], p[lo], fp[lo],
                                           p[hi], fp[hi]) != GSL_SUCCESS)
        return;
    double tol = 100 * ln->st->xtol;
    for (size_t k = 0; k < (size_t)ln->st->imax; k++) {
        double z = gsl_min_fminimizer_x_minimum(m);
        double tol1 = tol * fabs(z) + 1e-11;
        if (fmax(z - gsl_min_fminimizer_x_lower(m),
                 gsl_min_fminimizer_x_upper(m) - z) < 2 * tol1)
            break;
        if (gsl_min_fminimizer_iterate(m) != GSL_SUCCESS)
            break;
    }
}

static int nonzero(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] != 0)
            return 1;
    return 0;
}

/* Minimise along d from x and move x to the best point seen; st->moved
 * receives the step. 0 when x stayed. */
static int search_along(augur_solver *s, powell_state *st, const double *d)
{
    line ln = {.s = s, .st = st, .d = d, .best_a = 0, .best_f = st->fval};
    line_interval(s, st->x, d, st->n, &ln.amin, &ln.amax);
    double p[3], fp[3];
    if (nonzero(d, st->n) && bracket(&ln, p, fp))
        refine(&ln, p, fp);
    if (ln.best_a == 0 || !line_point(&ln, ln.best_a))
        return 0;
    for (size_t i = 0; i < st->n; i++) {
        st->moved[i] = st->pt[i] - st->x[i];
        st->x[i] = st->pt[i];
    }
    st->fval = ln.best_f;
    return 1;
}

/* d with its coordinates on the bounds x sits on zeroed, in st->proj: the
 * part of d that slides along those faces. 0 when that is d or nothing. */
static int along_faces(const augur_solver *s, powell_state *st, const double *d)
{
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    int changed = 0;
    for (size_t i = 0; i < st->n; i++) {
        int on_face = st->x[i] == lb[i] || st->x[i] == ub[i];
        st->proj[i] = on_face ? 0 : d[i];
        changed |= on_face && d[i] != 0;
    }
    return changed && nonzero(st->proj, st->n);
}

/* A direction that leaves the box where x sits on a face can find no
 * descent (the bound blocks one side, the cost may rise on the other),
 * which would stall the method on a bound forever; its projection onto
 * the faces then gets a line search of its own. */
static int line_search(augur_solver *s, powell_state *st, const double *d)
{
    if (search_along(s, st, d))
        return 1;
    return along_faces(s, st, d) && search_along(s, st, st->proj);
}

/* --- Generations ----------------------------------------------------------- */

static void sweep(augur_solver *s, powell_state *st)
{
    memcpy(st->x1, st->x, st->n * sizeof *st->x);
    st->fx = st->fval;
    st->bigind = 0;
    st->delta = 0;
    for (size_t i = 0; i < st->n; i++) {
        double before = st->fval;
        line_search(s, st, st->dirs + i * st->n);
        if (before - st->fval > st->delta) {
            st->delta = before - st->fval;
            st->bigind = i;
        }
    }
}

/* Powell's test: is x - x1 worth a line search and a place in the set? */
static int worth_replacing(const powell_state *st, double f2)
{
    double f1 = st->fx, f = st->fval, d = st->delta;
    if (!(f1 > f2))
        return 0;
    double a = f1 - f - d, b = f1 - f2;
    return 2 * (f1 + f2 - 2 * f) * a * a - d * b * b < 0;
}

static void extrapolate(augur_solver *s, powell_state *st)
{
    size_t n = st->n;
    for (size_t i = 0; i < n; i++)
        st->dir[i] = st->x[i] - st->x1[i];
    if (!nonzero(st->dir, n))   /* the last sweep did not move: x2 is x */
        return;
    double amin, amax;
    line_interval(s, st->x, st->dir, n, &amin, &amax);
    double step = fmin(amax, 1);
    for (size_t i = 0; i < n; i++) {
        st->pt[i] = st->x[i] + step * st->dir[i];
        if (!isfinite(st->pt[i]))
            return;     /* the run has gone off to infinity */
    }
    augur_solver_clip(s, st->pt);
    if (!worth_replacing(st, augur_solver_evaluate(s, st->pt)))
        return;
    /* no step: a zero row would make the set singular */
    if (!line_search(s, st, st->dir) || !nonzero(st->moved, n))
        return;
    memcpy(st->dirs + st->bigind * n, st->dirs + (n - 1) * n, n * sizeof *st->dirs);
    memcpy(st->dirs + (n - 1) * n, st->moved, n * sizeof *st->dirs);
}

static int powell_allocate(augur_solver *s, powell_state *st)
{
    size_t n = augur_solver_dimension(s);
    st->n = n;
    st->swept = 0;
    /* the direction set and six work vectors in one block */
    st->dirs = augur__calloc_array(augur__mul_sat(n + 6, n), sizeof *st->dirs);
    st->brent = st->dirs ? gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent) : NULL;
    if (!st->dirs || !st->brent)
        return augur_solver_fail(s, AUGUR_ENOMEM, "powell: out of memory");
    double **vec[] = {&st->x, &st->x1, &st->pt, &st->dir, &st->moved, &st->proj};
    for (size_t k = 0; k < 6; k++)
        *vec[k] = st->dirs + n * n + k * n;
    return AUGUR_OK;
}

static int powell_start(augur_solver *s, void *state)
{
    powell_state *st = state;
    size_t n = augur_solver_dimension(s);
    int rc = powell_allocate(s, st);
    if (rc != AUGUR_OK)
        return rc;
    rc = augur_solver_initial_points(s, st->x, 1, 0);
    if (rc != AUGUR_OK)
        return rc;
    if (st->user_dirs)
        memcpy(st->dirs, st->user_dirs, n * n * sizeof *st->dirs);
    else
        for (size_t i = 0; i < n; i++)
            st->dirs[i * n + i] = 1;
    st->fval = augur_solver_evaluate(s, st->x);
    augur_solver_set_population(s, st->x, &st->fval, 1);
    return AUGUR_OK;
}

static int powell_step(augur_solver *s, void *state)
{
    powell_state *st = state;
    if (st->swept)
        extrapolate(s, st);
    sweep(s, st);
    st->swept = 1;
    augur_solver_set_population(s, st->x, &st->fval, 1);
    return AUGUR_OK;
}

/* Checkpoints: the directions and the work vectors (one block), the
 * energies and the sweep's bookkeeping. Brent's minimiser is set up
 * afresh for every line search, so it holds nothing between steps. */
static int powell_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    (void)s;
    const powell_state *st = state;
    double e[3] = {st->fval, st->fx, st->delta};
    augur_ckpt_put_doubles(c, "directions", st->dirs, (st->n + 6) * st->n);
    augur_ckpt_put_doubles(c, "energies", e, 3);
    augur_ckpt_put_size(c, "biggest", st->bigind);
    augur_ckpt_put_size(c, "swept", (size_t)st->swept);
    return AUGUR_OK;
}

static int powell_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    powell_state *st = state;
    double e[3];
    size_t swept = 0;
    int rc = powell_allocate(s, st);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "directions", st->dirs, (st->n + 6) * st->n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "energies", e, 3);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "biggest", &st->bigind);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "swept", &swept);
    if (rc != AUGUR_OK)
        return rc;
    st->fval = e[0], st->fx = e[1], st->delta = e[2];
    st->swept = swept != 0;
    augur_solver_set_population(s, st->x, &st->fval, 1);
    return AUGUR_OK;
}

static augur_termination *powell_default_termination(const void *state, size_t n)
{
    (void)state;
    (void)n;
    return augur_term_normalized_change_over_generation(1e-4, 2);
}

const augur_solver_type augur_solver_powell = {
    .name = "powell",
    .doc = "Powell's direction-set method (scipy's fmin_powell); bounds: "
           "line searches stay in the box",
    .state_size = sizeof(powell_state),
    .params = powell_params,
    .population_size = NULL,
    .generation_scale = 1000,
    .evaluation_scale = 1000,
    .default_termination = powell_default_termination,
    .needs_start = 1,
    .start = powell_start,
    .step = powell_step,
    .free = powell_free,
    .destroy = powell_destroy,
    .save = powell_save,
    .restore = powell_restore,
};

/* --- The direction set ------------------------------------------------------ */

static double dot(const double *u, const double *v, size_t n)
{
    double sum = 0;
    for (size_t j = 0; j < n; j++)
        sum += u[j] * v[j];
    return sum;
}

static int normalise(double *r, size_t n, double threshold)
{
    double norm = sqrt(dot(r, r, n));
    if (!(norm > threshold) || !isfinite(norm))
        return 0;
    for (size_t j = 0; j < n; j++)
        r[j] /= norm;
    return 1;
}

/* 1 when the rows of a (n x n, overwritten) are linearly independent:
 * Gram-Schmidt on rows first scaled to unit length, so what is left of a
 * row after its projections on the rows before it measures how far it is
 * from their span whatever lengths the user gave. */
static int spans(double *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double *r = a + i * n;
        if (!normalise(r, n, 0))
            return 0;
        for (size_t k = 0; k < i; k++) {
            double c = dot(r, a + k * n, n);
            for (size_t j = 0; j < n; j++)
                r[j] -= c * a[k * n + j];
        }
        if (!normalise(r, n, 1e-10))
            return 0;
    }
    return 1;
}

int augur_powell_set_directions(augur_solver *s, const double *dirs)
{
    if (!s)
        return AUGUR_EINVAL;
    augur_solver_clear_errmsg(s);
    if (augur_solver_get_type(s) != &augur_solver_powell)
        return augur_solver_fail(s, AUGUR_EINVAL,
                                 "powell_set_directions: the solver is a '%s' "
                                 "one, not 'powell'", augur_solver_type_name(s));
    if (!dirs)
        return augur_solver_fail(s, AUGUR_EINVAL,
                                 "powell_set_directions: NULL direction set");
    powell_state *st = augur_solver_state(s);
    size_t n = augur_solver_dimension(s);
    double *copy = malloc(n * n * sizeof *copy);
    if (!copy)
        return augur_solver_fail(s, AUGUR_ENOMEM, "powell: out of memory");
    memcpy(copy, dirs, n * n * sizeof *copy);
    if (!spans(copy, n)) {
        free(copy);
        return augur_solver_fail(s, AUGUR_EINVAL,
                                 "powell_set_directions: the %zu directions do "
                                 "not span the space (the set is singular or "
                                 "has a non-finite entry)", n);
    }
    memcpy(copy, dirs, n * n * sizeof *copy);
    free(st->user_dirs);
    st->user_dirs = copy;
    if (st->dirs)          /* a run is under way: its next generation uses it */
        memcpy(st->dirs, dirs, n * n * sizeof *st->dirs);
    return AUGUR_OK;
}
