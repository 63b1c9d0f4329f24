/* pso.c - particle swarm optimisation: a swarm of particles, each pulled
 * towards the best point it has seen and the best point its neighbourhood
 * has seen.
 *
 * Update (per coordinate, r1 and r2 uniform in [0, 1) drawn afresh for each
 * particle and coordinate, as SPSO 2007 does):
 *     v = w v + c1 r1 (p - x) + c2 r2 (l - x),    x = x + v
 * with p the particle's personal best and l its neighbourhood's best. The
 * coefficients default to Clerc's standard PSO (SPSO 2007 and 2011):
 * w = 1/(2 ln 2) ~ 0.7213, c1 = c2 = 0.5 + ln 2 ~ 1.1931; the swarm size
 * defaults to SPSO 2011's 40. Topology "global" makes l the best of the
 * whole swarm; "ring" makes it the best of the particle and its two
 * neighbours by index (SPSO's adaptive random topology is not offered).
 *
 * A generation moves every particle from the unchanged previous generation
 * (synchronous PSO, pagmo's pso_gen): neighbourhood bests are found first,
 * then all particles move, then the whole swarm is evaluated as one batch
 * (so a map can spread it), then the personal bests are updated. Generation
 * 0 draws the positions with augur_solver_initial_points (radius 0.05 around
 * x0, or the "sampler" over the box) and evaluates them as one batch.
 *
 * "The range" of a coordinate is [lb, ub] when both bounds are finite, else
 * the spread of the generation-0 swarm in it. Initial velocities are drawn
 * uniformly from [lo - x, hi - x] over the range (SPSO 2011), so x + v lies
 * in the range. "velocity-clamp" limits |v_i| to that fraction of the
 * range's width (default 0.5, pagmo's max_vel; 0 turns it off).
 *
 * Bounds policy: the "bound-policy" choice (default clip). A coordinate that
 * leaves the box is repaired with augur_solver_repair and its velocity
 * component is then: zeroed for clip (the particle stops at the wall,
 * pagmo's rule), negated for reflect (a mirror bounce), kept for periodic.
 * Periodic treats the box as a torus throughout: lb and ub are one point,
 * so the pulls towards p and l take the short way round (without that a
 * swarm can never settle near the seam: every overshoot lands it on the far
 * side). A side with an infinite bound can only be clipped, so it zeroes
 * too. "wall" repairs nothing: a particle outside flies on unevaluated
 * (+inf, not counted) and keeps its personal best until its attractors pull
 * it back ("let them fly", Bratton and Kennedy 2007), so such a generation
 * counts fewer than swarm-size evaluations. "redraw" is refused when a
 * generation starts: a coordinate redrawn anywhere in the box loses the
 * particle's approach, so a swarm whose optimum lies on a bound gets no
 * closer than about 1e-2 in energy (measured on sum (x_i - 2)^2 over
 * [-1, 1]^3 with 12,000 evaluations), where the other four reach 1e-12.
 *
 * "perturbation" sigma > 0 adds one trial per generation, drawn before the
 * batch and evaluated in it as its last row: the swarm's best personal best
 * plus sigma * width_i * N(0, 1) in each coordinate, repaired by the policy
 * (clipped under wall, so it is always evaluated). If it beats every
 * personal best it becomes the personal best of the particle that held the
 * best one (its position and velocity are untouched), a kick that can pull
 * a stagnant swarm out of a false minimum.
 *
 * The population shown to conditions and users is the personal bests (in
 * particle order, not sorted): they settle where the positions keep
 * oscillating. The positions are the generation's trials (augur_info's
 * trial). Default termination: the best energy has not improved by more
 * than 1e-10 over 50 generations (pagmo's PSO has no such test, only a
 * generation count; 50 generations lets a swarm cross a plateau, and 1e-10
 * absolute is finer than the accuracies asked of it). Default limits are
 * mystic's for its population solvers: 10 n m generations and 1000 n m
 * evaluations for a swarm of m. Random numbers come from the run's
 * generator in a fixed order (the initial velocities particle by particle;
 * then each generation r1, r2 per particle and coordinate, then the
 * perturbation's normals), so a seed gives one answer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "augur/plugin.h"
#include "internal.h"

enum { TOPOLOGY_GLOBAL, TOPOLOGY_RING };

static const char *const topology_names[] = {"global", "ring", NULL};

typedef struct pso_state {
    /* parameters (the table below) */
    double swarm, inertia, cognitive, social, topology, clamp, bounds,
        perturbation;
    /* workspace, sized at start */
    size_t n, m;       /* dimension, swarm size in force */
    double *x;         /* (m + 1) x n: positions, then the perturbation trial */
    double *f;         /* m + 1 energies of those rows */
    double *v;         /* m x n velocities */
    double *p;         /* m x n personal bests */
    double *pf;        /* m personal best energies */
    double *lo;        /* 3n: range low end, range width, scratch row */
    double *width, *old;
    size_t *nb;        /* m: index of each particle's neighbourhood best */
} pso_state;

#define LN2 0.693147180559945309417

static const augur_param pso_params[] = {
    {.name = "swarm-size", .kind = AUGUR_PARAM_INT, .def = 40, .min = 2,
     .max = AUGUR_MAX_POINTS, .offset = offsetof(pso_state, swarm),
     .doc = "number of particles (SPSO 2011: 40)"},
    {.name = "inertia", .kind = AUGUR_PARAM_REAL, .def = 0.5 / LN2, .min = 0,
     .max = INFINITY, .offset = offsetof(pso_state, inertia),
     .doc = "inertia weight w (SPSO: 1/(2 ln 2))"},
    {.name = "cognitive", .kind = AUGUR_PARAM_REAL, .def = 0.5 + LN2, .min = 0,
     .max = INFINITY, .offset = offsetof(pso_state, cognitive),
     .doc = "pull towards the personal best c1 (SPSO: 0.5 + ln 2)"},
    {.name = "social", .kind = AUGUR_PARAM_REAL, .def = 0.5 + LN2, .min = 0,
     .max = INFINITY, .offset = offsetof(pso_state, social),
     .doc = "pull towards the neighbourhood best c2 (SPSO: 0.5 + ln 2)"},
    {.name = "topology", .kind = AUGUR_PARAM_CHOICE, .def = TOPOLOGY_GLOBAL,
     .offset = offsetof(pso_state, topology), .choices = topology_names,
     .doc = "neighbourhood: the whole swarm, or a ring of three"},
    {.name = "velocity-clamp", .kind = AUGUR_PARAM_REAL, .def = 0.5, .min = 0,
     .max = INFINITY, .offset = offsetof(pso_state, clamp),
     .doc = "max |v_i| as a fraction of the range width; 0 = off"},
    {.name = "bound-policy", .kind = AUGUR_PARAM_CHOICE, .def = AUGUR_BOUNDS_CLIP,
     .offset = offsetof(pso_state, bounds), .choices = augur_bound_policy_names,
     .doc = "leaving the box: clip, reflect, periodic or wall (not redraw)"},
    {.name = "perturbation", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = offsetof(pso_state, perturbation),
     .doc = "sigma of one Gaussian trial around the best per generation; 0 = off"},
    {.name = NULL},
};

static void pso_free(void *state)
{
    pso_state *st = state;
    free(st->x);
    free(st->f);
    free(st->v);
    free(st->p);
    free(st->pf);
    free(st->lo);
    free(st->nb);
    st->x = st->f = st->v = st->p = st->pf = st->lo = NULL;
    st->width = st->old = NULL;
    st->nb = NULL;
    st->m = 0;
}

/* The size in force once started: a run keeps the swarm it started with,
 * so a later change of the parameter cannot disagree with the workspace. */
static size_t swarm_size(const void *state, size_t n)
{
    (void)n;
    const pso_state *st = state;
    return st->m ? st->m : (size_t)st->swarm;
}

static int allocate(augur_solver *s, pso_state *st)
{
    size_t n = st->n, m = st->m;
    st->x = augur__calloc_array(augur__mul_sat(m + 1, n), sizeof *st->x);
    st->f = augur__calloc_array(m + 1, sizeof *st->f);
    st->v = augur__calloc_array(augur__mul_sat(m, n), sizeof *st->v);
    st->p = augur__calloc_array(augur__mul_sat(m, n), sizeof *st->p);
    st->pf = augur__calloc_array(m, sizeof *st->pf);
    st->lo = augur__calloc_array(augur__mul_sat(3, n), sizeof *st->lo);
    st->nb = augur__calloc_array(m, sizeof *st->nb);
    if (!st->x || !st->f || !st->v || !st->p || !st->pf || !st->lo || !st->nb)
        return augur_solver_fail(s, AUGUR_ENOMEM, "pso: out of memory "
                                 "(swarm of %zu in %zu dimensions)", m, n);
    st->width = st->lo + n;
    st->old = st->width + n;
    return AUGUR_OK;
}

/* The box where both bounds are finite, else the initial swarm's spread:
 * the only scale an unbounded coordinate offers. */
static void set_ranges(augur_solver *s, pso_state *st)
{
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    for (size_t i = 0; i < st->n; i++) {
        double lo = lb[i], hi = ub[i];
        if (!isfinite(lo) || !isfinite(hi)) {
            lo = hi = st->x[i];
            for (size_t k = 1; k < st->m; k++) {
                lo = fmin(lo, st->x[k * st->n + i]);
                hi = fmax(hi, st->x[k * st->n + i]);
            }
        }
        st->lo[i] = lo;
        st->width[i] = hi - lo;
    }
}

static double clamp_velocity(const pso_state *st, size_t i, double v)
{
    if (!(st->clamp > 0))
        return v;
    double vmax = st->clamp * st->width[i];
    return fmin(fmax(v, -vmax), vmax);
}

/* SPSO 2011: v uniform in [lo - x, hi - x], so x + v stays in the range. */
static void init_velocities(augur_solver *s, pso_state *st)
{
    gsl_rng *rng = augur_solver_rng(s);
    for (size_t k = 0; k < st->m; k++)
        for (size_t i = 0; i < st->n; i++) {
            double x = st->x[k * st->n + i];
            double a = st->lo[i] - x, b = st->lo[i] + st->width[i] - x;
            double v = a + (b - a) * gsl_rng_uniform(rng);
            st->v[k * st->n + i] = clamp_velocity(st, i, v);
        }
}

/* Checked every generation: parameters may change between generations. */
static int check_policy(augur_solver *s, const pso_state *st)
{
    if ((augur_bound_policy)st->bounds != AUGUR_BOUNDS_REDRAW)
        return AUGUR_OK;
    return augur_solver_fail(s, AUGUR_EINVAL, "pso: bounds policy 'redraw' is "
                             "not supported (a redrawn particle loses its way "
                             "to a bound); use clip, reflect, periodic or wall");
}

static int pso_check(const augur_solver *s, const void *state, char *err, size_t cap)
{
    (void)s;
    if ((augur_bound_policy)((const pso_state *)state)->bounds != AUGUR_BOUNDS_REDRAW)
        return AUGUR_OK;
    return augur__fail_msg(err, cap, AUGUR_EINVAL, "pso: bounds policy 'redraw' is "
                           "not supported (a redrawn particle loses its way to a "
                           "bound); use clip, reflect, periodic or wall");
}

static int pso_start(augur_solver *s, void *state)
{
    pso_state *st = state;
    int rc = check_policy(s, st);
    if (rc != AUGUR_OK)
        return rc;
    st->n = augur_solver_dimension(s);
    st->m = (size_t)st->swarm;
    rc = allocate(s, st);
    if (rc == AUGUR_OK)
        rc = augur_solver_initial_points(s, st->x, st->m, 0.05);
    if (rc != AUGUR_OK)
        return rc;
    set_ranges(s, st);
    init_velocities(s, st);
    rc = augur_solver_evaluate_batch(s, st->x, st->m, st->f);
    if (rc != AUGUR_OK)
        return rc;
    memcpy(st->p, st->x, st->m * st->n * sizeof *st->p);
    memcpy(st->pf, st->f, st->m * sizeof *st->pf);
    augur_solver_set_population(s, st->p, st->pf, st->m);
    return AUGUR_OK;
}

/* Index of the best personal best (the first one on ties). */
static size_t best_index(const pso_state *st)
{
    size_t g = 0;
    for (size_t k = 1; k < st->m; k++)
        if (st->pf[k] < st->pf[g])
            g = k;
    return g;
}

static void find_neighbourhoods(pso_state *st)
{
    size_t m = st->m;
    if ((int)st->topology == TOPOLOGY_RING) {
        for (size_t k = 0; k < m; k++) {
            size_t left = (k + m - 1) % m, right = (k + 1) % m, b = k;
            if (st->pf[left] < st->pf[b])
                b = left;
            if (st->pf[right] < st->pf[b])
                b = right;
            st->nb[k] = b;
        }
        return;
    }
    size_t g = best_index(st);
    for (size_t k = 0; k < m; k++)
        st->nb[k] = g;
}

/* On a torus lb and ub are one point, so an attractor pulls the short way
 * round; otherwise a swarm could never settle on the seam. */
static double pull(const augur_solver *s, const pso_state *st, size_t i,
                   double target, double x)
{
    double d = target - x, w = st->width[i];
    if ((augur_bound_policy)st->bounds != AUGUR_BOUNDS_PERIODIC ||
        !isfinite(augur_solver_lower(s)[i]) || !isfinite(augur_solver_upper(s)[i]))
        return d;
    if (d > w / 2)
        return d - w;
    return d < -w / 2 ? d + w : d;
}

static void move_particle(augur_solver *s, pso_state *st, size_t k)
{
    gsl_rng *rng = augur_solver_rng(s);
    size_t n = st->n;
    double *x = st->x + k * n, *v = st->v + k * n;
    const double *p = st->p + k * n, *l = st->p + st->nb[k] * n;
    for (size_t i = 0; i < n; i++) {
        double r1 = gsl_rng_uniform(rng), r2 = gsl_rng_uniform(rng);
        double vi = st->inertia * v[i] +
                    st->cognitive * r1 * pull(s, st, i, p[i], x[i]) +
                    st->social * r2 * pull(s, st, i, l[i], x[i]);
        v[i] = clamp_velocity(st, i, vi);
        x[i] += v[i];
    }
}

/* The velocity a repaired coordinate keeps (see the file comment). */
static double velocity_after(augur_bound_policy policy, int finite, double v)
{
    if (!finite)
        return 0;   /* the repair clipped it */
    switch (policy) {
    case AUGUR_BOUNDS_REFLECT:
        return -v;
    case AUGUR_BOUNDS_PERIODIC:
        return v;
    default:
        return 0;
    }
}

/* Bring particle k back into the box; the coordinates the repair moved are
 * the ones that crossed a bound (it leaves inside coordinates untouched). */
static void confine(augur_solver *s, pso_state *st, size_t k)
{
    augur_bound_policy policy = (augur_bound_policy)st->bounds;
    size_t n = st->n;
    double *x = st->x + k * n, *v = st->v + k * n;
    if (policy == AUGUR_BOUNDS_WALL || augur_solver_in_bounds(s, x))
        return;
    memcpy(st->old, x, n * sizeof *x);
    augur_solver_repair(s, x, policy);
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    for (size_t i = 0; i < n; i++)
        if (x[i] != st->old[i])
            v[i] = velocity_after(policy, isfinite(lb[i]) && isfinite(ub[i]),
                                  v[i]);
}

/* Row m: a Gaussian trial around personal best g (see the file comment). */
static void perturb(augur_solver *s, pso_state *st, size_t g)
{
    gsl_rng *rng = augur_solver_rng(s);
    size_t n = st->n;
    double *y = st->x + st->m * n;
    const double *best = st->p + g * n;
    for (size_t i = 0; i < n; i++)
        y[i] = best[i] + st->perturbation * st->width[i] *
                             gsl_ran_gaussian(rng, 1.0);
    augur_bound_policy policy = (augur_bound_policy)st->bounds;
    augur_solver_repair(s, y, policy == AUGUR_BOUNDS_WALL ? AUGUR_BOUNDS_CLIP
                                                          : policy);
}

static void keep_best(pso_state *st, size_t k, const double *x, double f)
{
    memcpy(st->p + k * st->n, x, st->n * sizeof *x);
    st->pf[k] = f;
}

/* Personal bests after the batch; then the perturbation trial, if any,
 * against the best of them. */
static void remember(pso_state *st, size_t rows)
{
    for (size_t k = 0; k < st->m; k++)
        if (st->f[k] < st->pf[k])
            keep_best(st, k, st->x + k * st->n, st->f[k]);
    if (rows > st->m) {
        size_t g = best_index(st);
        if (st->f[st->m] < st->pf[g])
            keep_best(st, g, st->x + st->m * st->n, st->f[st->m]);
    }
}

static int pso_step(augur_solver *s, void *state)
{
    pso_state *st = state;
    int rc = check_policy(s, st);
    if (rc != AUGUR_OK)
        return rc;
    find_neighbourhoods(st);
    for (size_t k = 0; k < st->m; k++) {
        move_particle(s, st, k);
        confine(s, st, k);
    }
    size_t rows = st->m;
    if (st->perturbation > 0) {
        perturb(s, st, best_index(st));
        rows++;
    }
    rc = augur_solver_evaluate_batch(s, st->x, rows, st->f);
    if (rc != AUGUR_OK)
        return rc;
    remember(st, rows);
    augur_solver_set_population(s, st->p, st->pf, st->m);
    return AUGUR_OK;
}

static augur_termination *pso_default_termination(const void *state, size_t n)
{
    (void)state;
    (void)n;
    return augur_term_no_improvement(50, 1e-10);
}

/* Checkpoints: positions, velocities, personal bests and the ranges (which
 * may come from the initial swarm); neighbourhoods are found each step. */
static int pso_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    (void)s;
    const pso_state *st = state;
    size_t n = st->n, m = st->m;
    augur_ckpt_put_doubles(c, "positions", st->x, (m + 1) * n);
    augur_ckpt_put_doubles(c, "energies", st->f, m + 1);
    augur_ckpt_put_doubles(c, "velocities", st->v, m * n);
    augur_ckpt_put_doubles(c, "personal-best", st->p, m * n);
    augur_ckpt_put_doubles(c, "personal-best-f", st->pf, m);
    augur_ckpt_put_doubles(c, "ranges", st->lo, 3 * n);
    return AUGUR_OK;
}

static int pso_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    pso_state *st = state;
    int rc = check_policy(s, st);
    if (rc != AUGUR_OK)
        return rc;
    st->n = augur_solver_dimension(s);
    st->m = (size_t)st->swarm;
    size_t n = st->n, m = st->m;
    rc = allocate(s, st);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "positions", st->x, (m + 1) * n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "energies", st->f, m + 1);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "velocities", st->v, m * n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "personal-best", st->p, m * n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "personal-best-f", st->pf, m);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "ranges", st->lo, 3 * n);
    if (rc == AUGUR_OK)
        augur_solver_set_population(s, st->p, st->pf, st->m);
    return rc;
}

const augur_solver_type augur_solver_pso = {
    .name = "pso",
    .uses_map = 1,
    .doc = "particle swarm (SPSO coefficients, global or ring); bounds: choice",
    .state_size = sizeof(pso_state),
    .params = pso_params,
    .population_size = swarm_size,
    .check = pso_check,
    .generation_scale = 10,
    .evaluation_scale = 1000,
    .default_termination = pso_default_termination,
    .needs_start = 1,
    .start = pso_start,
    .step = pso_step,
    .free = pso_free,
    .save = pso_save,
    .restore = pso_restore,
};
