/* nelder_mead.c - the downhill simplex method of Nelder and Mead, as
 * scipy.optimize.fmin and mystic's NelderMeadSimplexSolver run it.
 *
 * Generation 0 evaluates x0. Generation 1 builds the simplex: vertex k is
 * x0 with coordinate k scaled by (1 + radius), or set to 0.1 radius^2 when
 * it is zero (scipy's 5% and 0.00025 for radius 0.05). With finite bounds
 * on a coordinate the offset is radius * (ub - lb) instead (mystic), and a
 * vertex that the bounds push back onto x0 steps the other way. Each later
 * generation is one iteration: reflect the worst vertex through the
 * centroid of the others, then expand, contract outside or inside, or
 * shrink towards the best. The simplex is kept sorted best first with a
 * stable sort, as scipy's argsort is for simplices this small, so runs
 * agree with scipy's evaluation for evaluation.
 *
 * Bounds policy: clip. Every trial point is clipped into the box before it
 * is evaluated (scipy's bounded Nelder-Mead), so the cost is never called
 * outside it. The "adaptive" flag uses Gao and Han's (2012) coefficients,
 * which keep the method moving in higher dimensions. The method is
 * deterministic: it draws no random numbers unless asked to start from a
 * random point. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur/plugin.h"
#include "internal.h"

typedef struct nm_state {
    /* parameters (the table below) */
    double radius, adaptive, rho, chi, psi, sigma;
    /* workspace */
    size_t n;
    double *sim;      /* (n+1) x n vertices, best first */
    double *fsim;     /* their energies */
    double *xbar, *xr, *xe, *xc, *row;
    double c_rho, c_chi, c_psi, c_sigma;  /* coefficients in force */
    int built;        /* simplex built (generation 1 done) */
} nm_state;

static const augur_param nm_params[] = {
    {.name = "radius", .kind = AUGUR_PARAM_REAL, .def = 0.05, .min = 0,
     .max = INFINITY, .offset = offsetof(nm_state, radius),
     .doc = "relative size of the starting simplex"},
    {.name = "adaptive", .kind = AUGUR_PARAM_BOOL, .def = 0,
     .offset = offsetof(nm_state, adaptive),
     .doc = "use Gao-Han dimension-dependent coefficients"},
    {.name = "reflection", .kind = AUGUR_PARAM_REAL, .def = 1, .min = 1e-12,
     .max = INFINITY, .offset = offsetof(nm_state, rho),
     .doc = "reflection coefficient rho"},
    {.name = "expansion", .kind = AUGUR_PARAM_REAL, .def = 2, .min = 1,
     .max = INFINITY, .offset = offsetof(nm_state, chi),
     .doc = "expansion coefficient chi (ignored when adaptive)"},
    {.name = "contraction", .kind = AUGUR_PARAM_REAL, .def = 0.5, .min = 1e-12,
     .max = 1 - 1e-12, .offset = offsetof(nm_state, psi),
     .doc = "contraction coefficient psi (ignored when adaptive)"},
    {.name = "shrink", .kind = AUGUR_PARAM_REAL, .def = 0.5, .min = 1e-12,
     .max = 1 - 1e-12, .offset = offsetof(nm_state, sigma),
     .doc = "shrink coefficient sigma (ignored when adaptive)"},
    {.name = NULL},
};

static void nm_free(void *state)
{
    nm_state *st = state;
    free(st->sim);   /* the one block of the workspace */
    st->sim = st->fsim = st->xbar = NULL;
}

static void set_coefficients(nm_state *st)
{
    double dim = (double)st->n;
    st->c_rho = st->rho;
    if (st->adaptive != 0 && st->n > 1) {
        st->c_chi = 1 + 2 / dim;
        st->c_psi = 0.75 - 1 / (2 * dim);
        st->c_sigma = 1 - 1 / dim;
    } else {
        st->c_chi = st->chi;
        st->c_psi = st->psi;
        st->c_sigma = st->sigma;
    }
}

/* The workspace in one block, as short runs are mostly their start: the
 * simplex ((n + 1) x n), its energies (n + 1), and five work vectors
 * (xbar, xr, xe, xc, row). */
static int nm_allocate(augur_solver *s, nm_state *st)
{
    size_t n = augur_solver_dimension(s);
    st->n = n;
    size_t simplex = augur__mul_sat(n + 1, n + 1), vectors = augur__mul_sat(5, n);
    size_t size = simplex > SIZE_MAX - vectors ? SIZE_MAX : simplex + vectors;
    st->sim = augur__calloc_array(size, sizeof *st->sim);
    if (!st->sim)
        return augur_solver_fail(s, AUGUR_ENOMEM, "nelder-mead: out of memory");
    st->fsim = st->sim + (n + 1) * n;
    st->xbar = st->fsim + n + 1;
    st->xr = st->xbar + n;
    st->xe = st->xr + n;
    st->xc = st->xe + n;
    st->row = st->xc + n;
    return AUGUR_OK;
}

static int nm_start(augur_solver *s, void *state)
{
    nm_state *st = state;
    size_t n = augur_solver_dimension(s);
    int rc = nm_allocate(s, st);
    if (rc != AUGUR_OK)
        return rc;
    rc = augur_solver_initial_points(s, st->sim, 1, st->radius);
    if (rc != AUGUR_OK)
        return rc;
    /* Until the simplex is built the other vertices are copies of x0 with
     * infinite energy, so no convergence test can fire on them. */
    for (size_t k = 1; k <= n; k++) {
        memcpy(st->sim + k * n, st->sim, n * sizeof *st->sim);
        st->fsim[k] = INFINITY;
    }
    st->fsim[0] = augur_solver_evaluate(s, st->sim);
    augur_solver_set_population(s, st->sim, st->fsim, n + 1);
    return AUGUR_OK;
}

/* Stable insertion sort of the vertices by energy (scipy's argsort on
 * arrays this small is an insertion sort, hence stable). After a step only
 * the replaced vertex is out of place, so the others are not copied. */
static void sort_simplex(nm_state *st)
{
    size_t n = st->n;
    for (size_t i = 1; i <= n; i++) {
        double f = st->fsim[i];
        if (!(st->fsim[i - 1] > f))
            continue;   /* in place already */
        augur__copy_doubles(st->row, st->sim + i * n, n);
        size_t j = i;
        while (j > 0 && st->fsim[j - 1] > f) {
            st->fsim[j] = st->fsim[j - 1];
            augur__copy_doubles(st->sim + j * n, st->sim + (j - 1) * n, n);
            j--;
        }
        st->fsim[j] = f;
        augur__copy_doubles(st->sim + j * n, st->row, n);
    }
}

static double vertex_offset(const augur_solver *s, const nm_state *st,
                            size_t k, double x0k)
{
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    if (isfinite(lb[k]) && isfinite(ub[k]))
        return fmin(st->radius, 0.5) * (ub[k] - lb[k]);
    if (x0k != 0)
        return st->radius * x0k;
    /* 0.1 r^2, written so that r = 0.05 gives scipy's 0.00025 exactly */
    return st->radius * (st->radius / 10);
}

static void build_vertex(const augur_solver *s, nm_state *st, size_t k)
{
    size_t n = st->n;
    double *v = st->sim + (k + 1) * n;
    memcpy(v, st->sim, n * sizeof *v);
    double x0k = st->sim[k];
    double step = vertex_offset(s, st, k, x0k);
    /* scipy writes (1 + r) x0k for a non-zero coordinate; keep that exact
     * expression so the simplex matches it to the last bit. */
    v[k] = (x0k != 0 && !(isfinite(augur_solver_lower(s)[k]) &&
                          isfinite(augur_solver_upper(s)[k])))
               ? (1 + st->radius) * x0k
               : x0k + step;
    augur_solver_clip(s, v);
    if (v[k] == x0k) {       /* pushed back onto x0 by a bound */
        v[k] = x0k - step;
        augur_solver_clip(s, v);
    }
}

static int build_simplex(augur_solver *s, nm_state *st)
{
    set_coefficients(st);
    for (size_t k = 0; k < st->n; k++) {
        build_vertex(s, st, k);
        st->fsim[k + 1] = augur_solver_evaluate(s, st->sim + (k + 1) * st->n);
    }
    sort_simplex(st);
    st->built = 1;
    return AUGUR_OK;
}

/* out = (1 + a) xbar - a worst, clipped into the bounds. */
static void affine_point(const augur_solver *s, const nm_state *st, double a,
                         double *out)
{
    const double *worst = st->sim + st->n * st->n;
    for (size_t i = 0; i < st->n; i++)
        out[i] = (1 + a) * st->xbar[i] - a * worst[i];
    augur_solver_clip(s, out);
}

static void replace_worst(nm_state *st, const double *x, double f)
{
    augur__copy_doubles(st->sim + st->n * st->n, x, st->n);
    st->fsim[st->n] = f;
}

static void centroid(nm_state *st)
{
    size_t n = st->n;
    for (size_t i = 0; i < n; i++) {
        double sum = 0;
        for (size_t k = 0; k < n; k++)
            sum += st->sim[k * n + i];
        st->xbar[i] = sum / (double)n;
    }
}

static void shrink(augur_solver *s, nm_state *st)
{
    size_t n = st->n;
    for (size_t k = 1; k <= n; k++) {
        double *v = st->sim + k * n;
        for (size_t i = 0; i < n; i++)
            v[i] = st->sim[i] + st->c_sigma * (v[i] - st->sim[i]);
        augur_solver_clip(s, v);
        st->fsim[k] = augur_solver_evaluate(s, v);
    }
}

/* The worse half of an iteration: the reflection did not beat the best. */
static void contract_or_shrink(augur_solver *s, nm_state *st, double fxr)
{
    size_t n = st->n;
    if (fxr < st->fsim[n - 1]) {
        replace_worst(st, st->xr, fxr);
        return;
    }
    if (fxr < st->fsim[n]) {   /* outside contraction */
        affine_point(s, st, st->c_psi * st->c_rho, st->xc);
        double fxc = augur_solver_evaluate(s, st->xc);
        if (fxc <= fxr) {
            replace_worst(st, st->xc, fxc);
            return;
        }
    } else {                   /* inside contraction */
        affine_point(s, st, -st->c_psi, st->xc);
        double fxcc = augur_solver_evaluate(s, st->xc);
        if (fxcc < st->fsim[n]) {
            replace_worst(st, st->xc, fxcc);
            return;
        }
    }
    shrink(s, st);
}

static int nm_step(augur_solver *s, void *state)
{
    nm_state *st = state;
    if (!st->built)
        return build_simplex(s, st);
    centroid(st);
    affine_point(s, st, st->c_rho, st->xr);
    double fxr = augur_solver_evaluate(s, st->xr);
    if (fxr < st->fsim[0]) {
        affine_point(s, st, st->c_rho * st->c_chi, st->xe);
        double fxe = augur_solver_evaluate(s, st->xe);
        if (fxe < fxr)
            replace_worst(st, st->xe, fxe);
        else
            replace_worst(st, st->xr, fxr);
    } else {
        contract_or_shrink(s, st, fxr);
    }
    sort_simplex(st);
    return AUGUR_OK;
}

static augur_termination *nm_default_termination(const void *state, size_t n)
{
    (void)state;
    (void)n;
    return augur_term_candidate_relative_tolerance(1e-4, 1e-4);
}

/* Checkpoints: the simplex and whether it is built (the coefficients in
 * force follow from the parameters). */
static int nm_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    (void)s;
    const nm_state *st = state;
    augur_ckpt_put_size(c, "built", (size_t)st->built);
    augur_ckpt_put_doubles(c, "simplex", st->sim, (st->n + 1) * st->n);
    augur_ckpt_put_doubles(c, "energies", st->fsim, st->n + 1);
    return AUGUR_OK;
}

static int nm_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    nm_state *st = state;
    size_t built = 0;
    int rc = nm_allocate(s, st);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "built", &built);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "simplex", st->sim, (st->n + 1) * st->n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "energies", st->fsim, st->n + 1);
    if (rc != AUGUR_OK)
        return rc;
    st->built = built != 0;
    set_coefficients(st);
    augur_solver_set_population(s, st->sim, st->fsim, st->n + 1);
    return AUGUR_OK;
}

const augur_solver_type augur_solver_nelder_mead = {
    .name = "nelder-mead",
    .doc = "downhill simplex (scipy's fmin); bounds: clip",
    .state_size = sizeof(nm_state),
    .params = nm_params,
    .population_size = NULL,
    .generation_scale = 200,
    .evaluation_scale = 200,
    .default_termination = nm_default_termination,
    .needs_start = 1,
    .start = nm_start,
    .step = nm_step,
    .free = nm_free,
    .save = nm_save,
    .restore = nm_restore,
};
