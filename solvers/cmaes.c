/* cmaes.c - the covariance matrix adaptation evolution strategy, CMA-ES
 * (Hansen and Ostermeier 2001), as Hansen's tutorial (arXiv:1604.00772)
 * gives it: weighted recombination, cumulative step-size adaptation and
 * rank-one plus rank-mu covariance updates, with the tutorial's default
 * constants. The phases of a generation are in cmaes_update.c.
 *
 * Each generation samples lambda points around the mean (default
 * 4 + floor(3 ln n)), evaluates them as one batch (so a map can spread
 * them), ranks them and moves the mean to the weighted mean of the best
 * mu = floor(lambda / 2) (weights ln((lambda + 1) / 2) - ln i, normalised;
 * mueff = 1 / sum w_i^2). Coefficients: c_c = (4 + mueff/n) / (n + 4 +
 * 2 mueff/n), c_s = (mueff + 2) / (n + mueff + 5), c_1 = 2 / ((n + 1.3)^2
 * + mueff), c_mu = min(1 - c_1, 2 (mueff - 2 + 1/mueff) / ((n + 2)^2 +
 * mueff)), d_s = 1 + 2 max(0, sqrt((mueff - 1) / (n + 1)) - 1) + c_s,
 * chiN = sqrt(n) (1 - 1/(4n) + 1/(21 n^2)). "active" (on by default, as
 * in pycma) gives the worse half the tutorial's negative weights (scaled
 * by min(1 + c_1/c_mu, 1 + 2 mueff-/(mueff + 2), (1 - c_1 - c_mu)/(n
 * c_mu))), used in the covariance update only, and not in a narrow
 * generation whose points the box redrew or repaired (cmaes_update.c says
 * why). On
 * bench_solvers (25 cases, 20 seeds) it cut ipop-cmaes's median
 * evaluations on the unimodal and ill-conditioned cases by 15 to 50%
 * (rosen-10 6038 -> 5156, discus-10 5438 -> 3240) at the same successes
 * (docs/BENCHMARKS.md, "Active CMA as the default"). "separable" keeps C diagonal (sep-CMA-ES, Ros and Hansen
 * 2008) with c_1 and c_mu multiplied by (n + 2)/3 (c_mu capped at 1 - c_1).
 * The full C is decomposed when the generations since the last
 * decomposition exceed 1 / (2 n (c_1 + c_mu)) (Hansen's purecma.py,
 * written there in evaluations: lazy_gap_evals = 0.5 lambda / (c_1 + c_mu)
 * / n; the tutorial's 0.1 in place of 0.5 decomposes every generation at
 * the default population up to n = 50, and at n = 20 the decomposition
 * was most of the time per evaluation), so sampling costs O(n^2) per
 * point. With the default population that is every 2nd generation for n
 * = 2 to 20, every 4th at n = 50, every 7th at n = 100.
 *
 * Start: the mean is the initial point (or one drawn by the "sampler" in
 * the box); generation 0 is the first sampled generation, so a run's
 * evaluations are whole generations of lambda, as in Hansen's code. The
 * step size "sigma0" defaults (0) to 0.3 of the widest coordinate's range
 * when every bound is finite, with C = diag((w_i / w_max)^2) so that each
 * coordinate starts at 0.3 of its own width w_i; otherwise to 0.3
 * max(1, |x0|_inf) with C = I. A given sigma0 starts with C = I.
 * "sigma-factor" (1) multiplies either, keeping C: a restart scheme
 * (BIPOP's small runs) can scale the default without computing it.
 *
 * Bounds policy: the choice "bound-policy". "resample" redraws a point
 * outside the box, up to 100 times, then clips it (the normal
 * distribution truncated to the box; at an optimum in a corner most draws
 * are thrown away: 8.2 points drawn per point evaluated at n = 10 on
 * bench_solvers' overhead cost). "resample-reflect" (default) resamples
 * while the distribution is wide against the box and reflects a point
 * outside into the box once every coordinate's standard deviation sigma
 * sqrt(C_ii) is at most a tenth of its width (decided per generation, all
 * bounds finite; else it resamples): the wide, global phase keeps the
 * truncated normal, which the multimodal cases need (reflecting always
 * lost Michalewicz-5 successes on bench_solvers, 40 seeds: ipop-cmaes 21
 * -> 15, auto 30 -> 17), while a narrow distribution near a face is
 * folded at it, which is close to truncating it there and costs one draw
 * per point. "transform" is Hansen's boundary transformation
 * (c-cmaes boundary_transformation.c, pycma's default BoundTransform):
 * the distribution lives in an unbounded
 * genotype space; each coordinate is mapped into its box by a periodic,
 * mirrored map that is the identity inside and quadratic within a margin
 * a = min(w/2, (1 + |bound|)/20) of each bound, the cost is evaluated at
 * the mapped point and the update uses the genotype, so a point outside
 * is never wasted and an optimum on the boundary is reached smoothly; it
 * is not the default: on bench_solvers (20 seeds) it lost successes on
 * Rastrigin-10 (ipop-cmaes 20 -> 14, shifted 16 -> 3) and Michalewicz-5
 * while gaining on Schwefel-5 (13 -> 19), whose optimum is near a bound. "clip" and
 * "reflect" repair the point and the update uses it as evaluated. The
 * cost is never called outside the box; the population published is the
 * points as evaluated.
 *
 * The step never decides convergence: the sorted generation is published
 * as the population and the distribution's state through the `strategy`
 * hook, so the conditions of termination/strategy.c (Hansen's TolFun,
 * TolX, NoEffectAxis, NoEffectCoord, ConditionCov, Stagnation and
 * TolUpSigma, with his defaults: TolFun 1e-11 as pycma, TolX 1e-12
 * sigma0 as the tutorial) judge it; their Or is the default termination.
 * Default limits: 1000 n lambda evaluations.
 *
 * Determinism: the only random numbers are the normals of the sample
 * phase (ziggurat.c's, on the run's MT19937; order stated in
 * cmaes_update.c) and, without an initial point, the sampler's draw of
 * the mean; all are drawn in the calling process from the run's
 * generator, so a seed gives the same run, bit for bit, on every map. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmaes_int.h"
#include "internal.h"

static const char *const policy_names[] = {"resample", "clip", "reflect", "transform",
                                           "resample-reflect", NULL};

static const augur_param cmaes_params[] = {
    {.name = "population", .kind = AUGUR_PARAM_INT, .def = 0, .min = 0,
     .max = 1e6, .offset = offsetof(cmaes_state, population),
     .doc = "points per generation lambda; 0 = 4 + floor(3 ln n)"},
    {.name = "sigma0", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = offsetof(cmaes_state, sigma0),
     .doc = "initial step size; 0 = 0.3 x box width, or 0.3 max(1, |x0|) unbounded"},
    {.name = "sigma-factor", .kind = AUGUR_PARAM_REAL, .def = 1, .min = 1e-12,
     .max = 1e12, .offset = offsetof(cmaes_state, sigma_factor),
     .doc = "multiplies sigma0, given or computed (BIPOP's small runs: 10^(-2u))"},
    {.name = "active", .kind = AUGUR_PARAM_BOOL, .def = 1,
     .offset = offsetof(cmaes_state, active),
     .doc = "active CMA: negative weights for the worse half in the C update "
            "(skipped in a generation that met the box)"},
    {.name = "separable", .kind = AUGUR_PARAM_BOOL, .def = 0,
     .offset = offsetof(cmaes_state, separable),
     .doc = "diagonal C (sep-CMA-ES, learning rates x (n+2)/3)"},
    {.name = "bound-policy", .kind = AUGUR_PARAM_CHOICE, .def = CMAES_RESAMPLE_REFLECT,
     .offset = offsetof(cmaes_state, bounds), .choices = policy_names,
     .doc = "box bounds: resample-reflect (resample, reflect once sigma is a "
            "tenth of the box; default), resample (then clip), transform "
            "(Hansen's), clip or reflect"},
    {.name = NULL},
};

static void cmaes_free(void *state)
{
    cmaes_state *st = state;
    free(st->w);
    free(st->mean);
    free(st->C);
    free(st->axes);
    free(st->z);
    free(st->order);
    free(st->hbest);
    free(st->eval);
    free(st->steps);
    st->steps = st->coef = NULL;
    st->w = st->mean = st->C = st->axes = st->z = st->hbest = NULL;
    st->order = NULL;
    st->eval = NULL;
    st->n = st->lambda = 0;
}

static size_t default_lambda(size_t n)
{
    return 4 + (size_t)floor(3 * log((double)n));
}

/* The size in force once started (a run keeps its lambda). */
static size_t cmaes_size(const void *state, size_t n)
{
    const cmaes_state *st = state;
    if (st->lambda)
        return st->lambda;
    return st->population > 0 ? (size_t)st->population : default_lambda(n);
}

/* Carve n-sized arrays out of one block; returns 0 on failure. */
static int allocate(cmaes_state *st)
{
    size_t n = st->n, lam = st->lambda, full = st->sep ? n : n * n;
    st->w = calloc(lam, sizeof *st->w);
    /* mean, pc, ps, cdiag, D, yw, old_mean, tmp (3n) */
    st->mean = calloc(10 * n, sizeof *st->mean);
    st->C = calloc(full, sizeof *st->C);
    st->axes = calloc(n * n, sizeof *st->axes);
    /* z, x, xs, xe (lambda x n each), f, fs (lambda each) */
    st->z = calloc(lam * (4 * n + 2), sizeof *st->z);
    st->order = calloc(lam, sizeof *st->order);
    st->hbest = calloc(2 * (size_t)CMAES_HIST_CAP, sizeof *st->hbest);
    st->steps = calloc(lam * (n + 1), sizeof *st->steps);
    if (!st->w || !st->mean || !st->C || !st->axes || !st->z || !st->order ||
        !st->hbest || !st->steps)
        return 0;
    st->coef = st->steps + lam * n;
    st->pc = st->mean + n;
    st->ps = st->pc + n;
    st->cdiag = st->ps + n;
    st->D = st->cdiag + n;
    st->yw = st->D + n;
    st->old_mean = st->yw + n;
    st->tmp = st->old_mean + n;
    st->x = st->z + lam * n;
    st->xs = st->x + lam * n;
    st->f = st->xs + lam * n;
    st->fs = st->f + lam;
    st->xe = st->policy == CMAES_TRANSFORM ? st->fs + lam : st->x;
    st->hmed = st->hbest + CMAES_HIST_CAP;
    if (st->sep)
        return 1;
    st->eval = calloc(n, sizeof *st->eval);
    return st->eval != NULL;
}

/* The tutorial's raw weights ln((lambda + 1) / 2) - ln i; the positive
 * ones (the best mu) normalised to sum 1, which gives mueff. */
static void positive_weights(cmaes_state *st)
{
    double pos = 0, pos2 = 0;
    for (size_t i = 0; i < st->lambda; i++) {
        double w = log(((double)st->lambda + 1) / 2) - log((double)i + 1);
        st->w[i] = w;
        if (i < st->mu) {
            pos += w;
            pos2 += w * w;
        }
    }
    for (size_t i = 0; i < st->mu; i++)
        st->w[i] /= pos;
    st->mueff = pos * pos / pos2;
}

/* The worse half's weights: 0, or with "active" the tutorial's negative
 * weights, scaled by min(alpha_mu-, alpha_mueff-, alpha_posdef-) / sum|w-|
 * (they need c1 and cmu, hence a second pass). */
static void negative_weights(cmaes_state *st)
{
    double neg = 0, neg2 = 0, n = (double)st->n, scale = 0;
    for (size_t i = st->mu; i < st->lambda; i++) {
        neg += fabs(st->w[i]);
        neg2 += st->w[i] * st->w[i];
    }
    if (st->active != 0 && neg > 0 && st->cmu > 0) {
        double mueff_neg = neg * neg / neg2;
        scale = fmin(fmin(1 + st->c1 / st->cmu, 1 + 2 * mueff_neg / (st->mueff + 2)),
                     (1 - st->c1 - st->cmu) / (n * st->cmu)) / neg;
    }
    st->sum_w = 1;
    for (size_t i = st->mu; i < st->lambda; i++) {
        st->w[i] *= scale;
        st->sum_w += st->w[i];
    }
}

static void set_coefficients(cmaes_state *st)
{
    double n = (double)st->n;
    positive_weights(st);
    double mueff = st->mueff;
    st->cc = (4 + mueff / n) / (n + 4 + 2 * mueff / n);
    st->cs = (mueff + 2) / (n + mueff + 5);
    st->c1 = 2 / ((n + 1.3) * (n + 1.3) + mueff);
    st->cmu = fmin(1 - st->c1, 2 * (mueff - 2 + 1 / mueff) /
                                   ((n + 2) * (n + 2) + mueff));
    if (st->sep) {
        st->c1 *= (n + 2) / 3;
        st->cmu = fmin(1 - st->c1, st->cmu * (n + 2) / 3);
    }
    st->damps = 1 + 2 * fmax(0, sqrt((mueff - 1) / (n + 1)) - 1) + st->cs;
    st->chin = sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    /* purecma's lazy rule: decompose once the evaluations since the last
     * decomposition exceed 0.5 lambda / (c1 + cmu) / n, that is once the
     * generations since exceed 1 / (2 n (c1 + cmu)): every floor(that) + 1
     * generations */
    double gap = 1 / (2 * n * (st->c1 + st->cmu));
    st->decompose_every = (size_t)fmin(floor(gap) + 1, 1e9);
    negative_weights(st);
    augur__zig_init(&st->zig);
}

/* sigma0, C0 (diagonal) and its trivial decomposition. */
static void set_distribution(augur_solver *s, cmaes_state *st)
{
    size_t n = st->n;
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    int boxed = st->sigma0 == 0 && augur_solver_bounds_finite(s);
    double wmax = 0, xmax = 1;
    for (size_t i = 0; i < n; i++) {
        wmax = fmax(wmax, ub[i] - lb[i]);
        xmax = fmax(xmax, fabs(st->mean[i]));
    }
    boxed = boxed && wmax > 0;
    st->sigma = st->sigma0 > 0 ? st->sigma0 : 0.3 * (boxed ? wmax : xmax);
    st->sigma *= st->sigma_factor;
    st->sigma_start = st->sigma;
    for (size_t i = 0; i < n; i++) {
        double r = boxed ? (ub[i] - lb[i]) / wmax : 1;
        /* a coordinate of zero width keeps a tiny spread, so C stays
         * positive definite */
        double c = r > 0 ? r * r : 1e-28;
        st->C[st->sep ? i : i * n + i] = c;
        st->cdiag[i] = c;
        st->D[i] = sqrt(c);
        st->axes[i * n + i] = 1;
    }
}

static void set_view(cmaes_state *st)
{
    st->view = (augur_strategy){
        .n = st->n, .generation = st->gen, .lambda = st->lambda,
        .sigma = st->sigma, .sigma0 = st->sigma_start, .mean = st->mean,
        .pc = st->pc, .ps = st->ps, .c_diag = st->cdiag, .axis_len = st->D,
        .axes = st->axes, .f = st->fs, .gen_best = st->hbest,
        .gen_median = st->hmed, .hist_len = st->hlen,
    };
}

/* One generation: one function per phase (cmaes_update.c). */
static int generation(augur_solver *s, cmaes_state *st)
{
    int rc = augur__cmaes_sample(s, st);
    if (rc == AUGUR_OK)
        rc = augur_solver_evaluate_batch(s, st->xe, st->lambda, st->f);
    if (rc != AUGUR_OK)
        return rc;
    augur__cmaes_rank(st);
    augur__cmaes_recombine(st);
    augur__cmaes_update_paths(st);
    augur__cmaes_adapt_covariance(st);
    augur__cmaes_adapt_sigma(st);
    st->gen++;
    rc = augur__cmaes_decompose(s, st, 0);
    augur_solver_set_population(s, augur__cmaes_sorted_points(s, st), st->fs,
                                st->lambda);
    set_view(st);
    return rc;
}

static int cmaes_check(const augur_solver *s, const void *state, char *err, size_t cap)
{
    size_t lambda = cmaes_size(state, augur_solver_dimension(s));
    if (lambda < 2)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "cmaes: a population of %zu "
                               "cannot be ranked (at least 2)", lambda);
    return AUGUR_OK;
}

static int cmaes_start(augur_solver *s, void *state)
{
    cmaes_state *st = state;
    st->n = augur_solver_dimension(s);
    st->lambda = cmaes_size(st, st->n);
    if (st->lambda < 2)
        return augur_solver_fail(s, AUGUR_EINVAL, "cmaes: a population of %zu "
                                 "cannot be ranked (at least 2)", st->lambda);
    st->mu = st->lambda / 2;
    st->sep = st->separable != 0;
    st->policy = (int)st->bounds;
    st->gen = st->decomposed_at = 0;
    st->hlen = 0;
    if (!allocate(st))
        return augur_solver_fail(s, AUGUR_ENOMEM, "cmaes: out of memory "
                                 "(population %zu in %zu dimensions)",
                                 st->lambda, st->n);
    int rc = augur_solver_initial_points(s, st->mean, 1, 0);
    if (rc != AUGUR_OK)
        return rc;
    set_coefficients(st);
    set_distribution(s, st);
    return generation(s, st);
}

static int cmaes_step(augur_solver *s, void *state)
{
    return generation(s, state);
}

static const augur_strategy *cmaes_strategy(const void *state)
{
    const cmaes_state *st = state;
    return st->lambda && st->gen ? &st->view : NULL;
}

static augur_termination *cmaes_default_termination(const void *state, size_t n)
{
    (void)state;
    (void)n;
    augur_termination *leaves[] = {
        augur_term_tol_fun(1e-11),      augur_term_tol_x(1e-12),
        augur_term_no_effect_axis(0.1), augur_term_no_effect_coord(0.2),
        augur_term_condition_cov(1e14), augur_term_stagnation(0.3),
        augur_term_tol_up_sigma(1e20),
    };
    return augur_term_or_n(leaves, AUGUR__ARRAY_SIZE(leaves));
}

/* Checkpoints: the distribution (mean, paths, C, its decomposition, sigma),
 * the last generation's points and the per-generation energies the
 * stopping tests read; the weights and rates follow from the parameters. */
static int cmaes_save(const augur_solver *s, const void *state, augur_ckpt *c)
{
    (void)s;
    const cmaes_state *st = state;
    size_t n = st->n, lam = st->lambda;
    augur_ckpt_put_doubles(c, "vectors", st->mean, 10 * n);
    augur_ckpt_put_doubles(c, "C", st->C, st->sep ? n : n * n);
    augur_ckpt_put_doubles(c, "axes", st->axes, n * n);
    augur_ckpt_put_doubles(c, "generation", st->z, lam * (3 * n + 2));
    augur_ckpt_put_size(c, "history", st->hlen);
    augur_ckpt_put_doubles(c, "history-best", st->hbest, st->hlen);
    augur_ckpt_put_doubles(c, "history-median", st->hmed, st->hlen);
    augur_ckpt_put_double(c, "sigma", st->sigma);
    augur_ckpt_put_double(c, "sigma-start", st->sigma_start);
    augur_ckpt_put_size(c, "generations", st->gen);
    augur_ckpt_put_size(c, "decomposed-at", st->decomposed_at);
    augur_ckpt_put_size(c, "hsig", (size_t)st->hsig);
    return AUGUR_OK;
}

static int cmaes_restore(augur_solver *s, void *state, augur_ckpt *c)
{
    cmaes_state *st = state;
    st->n = augur_solver_dimension(s);
    st->lambda = cmaes_size(st, st->n);
    st->mu = st->lambda / 2;
    st->sep = st->separable != 0;
    st->policy = (int)st->bounds;
    if (st->lambda < 2 || !allocate(st))
        return augur_ckpt_fail(c, AUGUR_ENOMEM, "cmaes: cannot set up the state");
    set_coefficients(st);
    size_t n = st->n, lam = st->lambda, hsig = 0;
    int rc = augur_ckpt_get_doubles(c, "vectors", st->mean, 10 * n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "C", st->C, st->sep ? n : n * n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "axes", st->axes, n * n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "generation", st->z, lam * (3 * n + 2));
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "history", &st->hlen);
    if (rc == AUGUR_OK && st->hlen > CMAES_HIST_CAP)
        rc = augur_ckpt_fail(c, AUGUR_EINVAL, "cmaes: history too long");
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "history-best", st->hbest, st->hlen);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_doubles(c, "history-median", st->hmed, st->hlen);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_double(c, "sigma", &st->sigma);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_double(c, "sigma-start", &st->sigma_start);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "generations", &st->gen);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "decomposed-at", &st->decomposed_at);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "hsig", &hsig);
    if (rc != AUGUR_OK)
        return rc;
    st->hsig = hsig != 0;
    augur_solver_set_population(s, st->xs, st->fs, st->lambda);
    set_view(st);
    return AUGUR_OK;
}

const augur_solver_type augur_solver_cmaes = {
    .name = "cmaes",
    .doc = "CMA-ES (Hansen's defaults; active and separable variants); "
           "bounds: choice",
    .state_size = sizeof(cmaes_state),
    .params = cmaes_params,
    .population_size = cmaes_size,
    .check = cmaes_check,
    .uses_map = 1,
    .generation_scale = 100,
    .evaluation_scale = 1000,
    .default_termination = cmaes_default_termination,
    .needs_start = 1,
    .start = cmaes_start,
    .step = cmaes_step,
    .free = cmaes_free,
    .strategy = cmaes_strategy,
    .save = cmaes_save,
    .restore = cmaes_restore,
};
