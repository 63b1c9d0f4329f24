/* fit_strategy.c - the least-squares fit strategy: Levenberg-Marquardt
 * from the user's start, and when that does not end at a local minimum of
 * the box, LM again from points spread over the box, every distinct local
 * minimum kept and the best one the answer (augur/fit.h, docs/FITS.md).
 *
 * Why not a population search first: on hard least-squares problems with
 * wide boxes a global search that does not know the cost is a sum of
 * squares ends in the wrong basin often enough (issue 17: DE with SHADE
 * missed 8 of 27 NIST problems from start +-1000x), while LM from a
 * handful of spread starts lands in the right one. So there is no
 * population stage: a box small enough for a population to work is one
 * the multi-start covers as well, at a fraction of the evaluations.
 *
 * Where the starts go. A box of start +-1000 |start| spans six decades;
 * a design uniform in p puts nearly every point at |p| ~ 100 |start| or
 * more, where an exponential rate or a width is on a plateau. So the
 * design is uniform in t = asinh(p / s), s = |start_i| (1 where the start
 * is 0): linear within a scale of the start, logarithmic beyond it, both
 * signs kept. The design is Sobol (or Latin hypercube) in [0, 1]^n from
 * augur_sample with a generator seeded by opt->seed, so a seed gives one
 * set of starts.
 *
 * Determinism: each start is one map task ("augur.lsq-start"), LM is
 * deterministic, and the outcomes are gathered in task order and reduced
 * in that order, so serial, threads and fork give the same bits. The
 * task's context is the address of the run's description, so the workers
 * must share the caller's memory image: MPI maps are refused. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "augur/sampler.h"
#include "internal.h"
#include "map_hooks.h"
#include "fit_int.h"

#define DEFAULT_STARTS 64
#define DEFAULT_DISTINCT 1e-4
#define AT_BOUND 1e-9             /* |p - b| <= AT_BOUND max(|b|, 1) */
#define PROBE_STEP 1e-6           /* h = PROBE_STEP max(|p|, 1) inward */
#define PROBE_DROP 1e-10          /* chi^2 lower by more: not a minimum */
#define SOBOL_MAX 40              /* GSL's Sobol dimension limit */

/* One run's outcome: the record a task fills, followed by the point. */
typedef struct run_rec {
    double chi2;
    uint64_t iterations, evaluations, jacobians;
    int32_t converged, local, failed, pad;
    char reason[64];
} run_rec;

/* What every run shares; tasks see its address as their context. */
typedef struct lsq_ctx {
    augur_residual_fn f;
    void *data;
    size_t np, m;
    const double *lb, *ub;
    augur_lm_options lm;
} lsq_ctx;

static size_t rec_len(size_t np)
{
    return sizeof(run_rec) + np * sizeof(double);
}

static double *rec_point(run_rec *r)
{
    return (double *)(r + 1);
}

/* --- One run -------------------------------------------------------------- */

static double chi2_at(const lsq_ctx *c, const double *p, double *r)
{
    if (c->f(p, c->np, r, c->m, c->data) != 0)
        return NAN;
    double s = 0.0;
    for (size_t i = 0; i < c->m; i++)
        s += r[i] * r[i];
    return isfinite(s) ? s : NAN;
}

/* 1 when chi^2 falls going inward from parameter i held on a bound. */
static int falls_inward(const lsq_ctx *c, double *p, size_t i, double chi2, double *r,
                        uint64_t *evals)
{
    double lo = c->lb ? c->lb[i] : -INFINITY, hi = c->ub ? c->ub[i] : INFINITY;
    int at_lo = isfinite(lo) && fabs(p[i] - lo) <= AT_BOUND * fmax(fabs(lo), 1.0);
    int at_hi = isfinite(hi) && fabs(p[i] - hi) <= AT_BOUND * fmax(fabs(hi), 1.0);
    if (at_lo == at_hi)           /* interior, or a box too thin to probe */
        return 0;
    double h = PROBE_STEP * fmax(fabs(p[i]), 1.0);
    if (isfinite(hi - lo))
        h = fmin(h, 0.5 * (hi - lo));
    double keep = p[i];
    p[i] = at_lo ? lo + h : hi - h;
    double inside = chi2_at(c, p, r);
    p[i] = keep;
    (*evals)++;
    return isfinite(inside) && inside < chi2 - PROBE_DROP * chi2;
}

/* The definition in augur/fit.h: converged, and no bound holds a
 * parameter that chi^2 would move inward. */
static int local_minimum(const lsq_ctx *c, double *p, double chi2, uint64_t *evals)
{
    double *r = malloc(c->m * sizeof *r);
    if (!r)
        return 0;
    int ok = 1;
    for (size_t i = 0; ok && i < c->np; i++)
        ok = !falls_inward(c, p, i, chi2, r, evals);
    free(r);
    return ok;
}

/* LM from the start in rec's point; the outcome into rec. A start where
 * the residuals cannot be computed is a failed run, not an error. */
static int run_one(const lsq_ctx *c, run_rec *rec, char *err, size_t cap)
{
    double *p = rec_point(rec);
    augur_lm_result res = {0};
    char why[AUGUR_ERRMSG_CAP] = "";
    int rc = augur_lm_fit(c->f, c->data, c->np, c->m, p, c->lb, c->ub, &c->lm, &res,
                          why, sizeof why);
    rec->iterations = res.iterations;
    rec->evaluations = res.evaluations;
    rec->jacobians = res.jacobians;
    if (rc == AUGUR_EFAILED) {
        *rec = (run_rec){.chi2 = INFINITY, .failed = 1,
                         .evaluations = res.evaluations};
        snprintf(rec->reason, sizeof rec->reason, "%.63s", why);
        return AUGUR_OK;
    }
    if (rc < 0)
        return augur__fail_msg(err, cap, rc, "%s", why);
    rec->chi2 = res.chi2;
    rec->converged = res.converged;
    snprintf(rec->reason, sizeof rec->reason, "%.63s", res.reason);
    rec->local = res.converged && isfinite(res.chi2) &&
                 local_minimum(c, p, res.chi2, &rec->evaluations);
    return AUGUR_OK;
}

static int task_lsq_start(const augur_task_call *call, const void *in, size_t in_len,
                          void *out, size_t out_len)
{
    const lsq_ctx *c = call->context_len == sizeof(const lsq_ctx *)
                           ? *(const lsq_ctx *const *)call->context : NULL;
    if (!c || in_len != c->np * sizeof(double) || out_len != rec_len(c->np))
        return augur__fail_msg(call->errmsg, call->errcap, AUGUR_EINVAL,
                               "lsq start: malformed job");
    memset(out, 0, out_len);
    memcpy(rec_point(out), in, in_len);
    return run_one(c, out, call->errmsg, call->errcap);
}

AUGUR__AT_LOAD(register_task_lsq_start)
{
    augur__task_builtin("augur.lsq-start", task_lsq_start);
}

/* --- The starts ------------------------------------------------------------- */

/* The design in [0, 1]^n, then each coordinate uniform in asinh(p / s). */
static int spread_starts(const lsq_ctx *c, const double *start,
                         const augur_fit_strategy_options *o, size_t count, double *X,
                         char *err, size_t cap)
{
    size_t np = c->np;
    double *unit = malloc(2 * np * sizeof *unit);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!unit || !rng) {
        free(unit);
        gsl_rng_free(rng);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    }
    gsl_rng_set(rng, (unsigned long)(augur__mix_seed(o->seed, 0) & 0xffffffffu));
    for (size_t i = 0; i < np; i++) {
        unit[i] = 0.0;
        unit[np + i] = 1.0;
    }
    int lhs = o->design == AUGUR_FIT_DESIGN_LATIN_HYPERCUBE ||
              (o->design == AUGUR_FIT_DESIGN_DEFAULT && np > SOBOL_MAX);
    int rc = augur_sample(lhs ? AUGUR_SAMPLER_LATIN_HYPERCUBE : AUGUR_SAMPLER_SOBOL, rng,
                          np, count, unit, unit + np, X, err, cap);
    for (size_t i = 0; rc == AUGUR_OK && i < np; i++) {
        double s = start[i] != 0.0 ? fabs(start[i]) : 1.0;
        double a = asinh(c->lb[i] / s), b = asinh(c->ub[i] / s);
        for (size_t k = 0; k < count; k++) {
            double v = s * sinh(a + X[k * np + i] * (b - a));
            X[k * np + i] = fmin(fmax(v, c->lb[i]), c->ub[i]);
        }
    }
    free(unit);
    gsl_rng_free(rng);
    return rc;
}

static int run_starts(const lsq_ctx *c, augur_map *map, const double *X, size_t count,
                      void *out, char *err, size_t cap)
{
    augur_map *own = NULL;
    if (!map && !(map = own = augur_map_create("serial", 1)))
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    int rc = AUGUR_OK;
    if (augur__map_crosses_images(map))
        rc = augur__fail_msg(err, cap, AUGUR_EUNSUP, "the fit strategy runs on serial, "
                             "threads or fork maps, not '%s'", augur_map_type_name(map));
    augur_map_job job = {.task = "augur.lsq-start", .ntasks = count, .in = X,
                         .in_len = c->np * sizeof(double), .out = out,
                         .out_len = rec_len(c->np), .context = &c,
                         .context_len = sizeof c};
    /* forked workers must see the run's description as it is now */
    if (rc == AUGUR_OK && (rc = augur_map_reset(map)) == AUGUR_OK)
        rc = augur_map_run(map, &job);
    if (rc != AUGUR_OK && !(err && *err))
        augur__fail_msg(err, cap, rc, "fit strategy: map '%s': %s",
                        augur_map_type_name(map), augur_map_errmsg(map));
    augur_map_destroy(own);
    return rc;
}

/* --- Gathering the minima ----------------------------------------------------- */

static int same_point(const double *a, const double *b, size_t np, double tol)
{
    for (size_t i = 0; i < np; i++)
        if (fabs(a[i] - b[i]) > fmax(tol * fmax(fabs(a[i]), fabs(b[i])), 1e-12))
            return 0;
    return 1;
}

static void swap_minima(augur_fit_strategy_result *res, size_t np, size_t a, size_t b)
{
    for (size_t i = 0; i < np; i++) {
        double t = res->minima[a * np + i];
        res->minima[a * np + i] = res->minima[b * np + i];
        res->minima[b * np + i] = t;
    }
    double t = res->minima_chi2[a];
    res->minima_chi2[a] = res->minima_chi2[b];
    res->minima_chi2[b] = t;
    size_t h = res->minima_hits[a];
    res->minima_hits[a] = res->minima_hits[b];
    res->minima_hits[b] = h;
}

/* Add a local minimum (in run order): one more hit of a known one (the
 * lower chi^2 of the two stands for it), or a new one; the list stays
 * sorted by chi^2, the earlier-found first on a tie. */
static void add_minimum(augur_fit_strategy_result *res, size_t np, const double *p,
                        double chi2, double tol)
{
    size_t k = 0;
    while (k < res->nminima && !same_point(res->minima + k * np, p, np, tol))
        k++;
    if (k == res->nminima) {
        res->nminima++;
        res->minima_hits[k] = 0;
        res->minima_chi2[k] = INFINITY;
    }
    res->minima_hits[k]++;
    if (!(chi2 < res->minima_chi2[k]))
        return;
    memcpy(res->minima + k * np, p, np * sizeof(double));
    res->minima_chi2[k] = chi2;
    for (; k > 0 && chi2 < res->minima_chi2[k - 1]; k--)
        swap_minima(res, np, k, k - 1);
}

static augur_lm_result as_lm(const run_rec *r)
{
    augur_lm_result l = {.chi2 = r->chi2, .iterations = r->iterations,
                         .evaluations = r->evaluations, .jacobians = r->jacobians,
                         .converged = r->converged};
    snprintf(l.reason, sizeof l.reason, "%.63s", r->reason);
    return l;
}

/* Every run's outcome into res, in run order; the answer into p. */
static void gather(augur_fit_strategy_result *res, const lsq_ctx *c, const char *recs,
                   size_t count, double tol, double *p)
{
    size_t len = rec_len(c->np), best = 0, best_local = SIZE_MAX;
    for (size_t k = 0; k < count; k++) {
        const run_rec *r = (const run_rec *)(recs + k * len);
        res->evaluations += r->evaluations;
        if (r->local && (best_local == SIZE_MAX ||
                         r->chi2 < ((const run_rec *)(recs + best_local * len))->chi2))
            best_local = k;
        if (r->chi2 < ((const run_rec *)(recs + best * len))->chi2)
            best = k;
        if (r->local)
            add_minimum(res, c->np, rec_point((run_rec *)r), r->chi2, tol);
    }
    size_t pick = best_local != SIZE_MAX ? best_local : best;
    const run_rec *r = (const run_rec *)(recs + pick * len);
    memcpy(p, rec_point((run_rec *)r), c->np * sizeof(double));
    res->best = as_lm(r);
    res->converged = best_local != SIZE_MAX;
    res->runs = count;
}

/* --- The strategy ------------------------------------------------------------- */

static augur_fit_strategy_options resolve(const augur_fit_strategy_options *opt)
{
    augur_fit_strategy_options o = opt ? *opt : (augur_fit_strategy_options){0};
    if (o.starts == 0)
        o.starts = DEFAULT_STARTS;
    if (!(o.distinct > 0.0))
        o.distinct = DEFAULT_DISTINCT;
    return o;
}

static int finite_box(const double *lb, const double *ub, size_t np)
{
    for (size_t i = 0; lb && ub && i < np; i++)
        if (!isfinite(lb[i]) || !isfinite(ub[i]))
            return 0;
    return lb && ub;
}

/* Why the first run did not settle it, for the reason. */
static const char *first_why(const run_rec *r)
{
    if (r->converged && !r->local)
        return "held on a bound with chi^2 falling inward";
    return r->reason;
}

static void describe(augur_fit_strategy_result *res, const run_rec *first, int box)
{
    char *out = res->reason;
    size_t cap = sizeof res->reason;
    if (!res->multistart && first->local)
        snprintf(out, cap, "LM from the start: %s", first->reason);
    else if (!res->multistart)
        snprintf(out, cap, "LM from the start: %s; %s", first_why(first),
                 box ? "no multi-start asked" : "no multi-start: the box is not finite");
    else if (res->converged)
        snprintf(out, cap, "best of %zu local minima from %zu LM runs (from the start: "
                 "%s)", res->nminima, res->runs, first_why(first));
    else
        snprintf(out, cap, "no LM run ended at a local minimum in %zu runs (the best: "
                 "%.40s)", res->runs, res->best.reason);
}

static int alloc_result(augur_fit_strategy_result *res, size_t np, size_t most)
{
    res->minima = malloc(most * np * sizeof *res->minima);
    res->minima_chi2 = malloc(most * sizeof *res->minima_chi2);
    res->minima_hits = malloc(most * sizeof *res->minima_hits);
    return res->minima && res->minima_chi2 && res->minima_hits ? AUGUR_OK : AUGUR_ENOMEM;
}

/* The multi-start's runs into recs (after the first): count of them. */
static int multistart(const lsq_ctx *c, const double *start,
                      const augur_fit_strategy_options *o, char *recs, char *err,
                      size_t cap)
{
    double *X = malloc(o->starts * c->np * sizeof *X);
    if (!X)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    int rc = spread_starts(c, start, o, o->starts, X, err, cap);
    if (rc == AUGUR_OK)
        rc = run_starts(c, o->map, X, o->starts, recs + rec_len(c->np), err, cap);
    free(X);
    return rc;
}

static int strategy(const lsq_ctx *c, double *p, const augur_fit_strategy_options *o,
                    augur_fit_strategy_result *res, char *recs, char *err, size_t cap)
{
    run_rec *first = (run_rec *)recs;
    memcpy(rec_point(first), p, c->np * sizeof *p);
    int rc = run_one(c, first, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    res->first = as_lm(first);
    int box = finite_box(c->lb, c->ub, c->np);
    res->multistart = box && (!first->local || o->always);
    if (res->multistart && (rc = multistart(c, p, o, recs, err, cap)) != AUGUR_OK)
        return rc;
    size_t count = res->multistart ? 1 + o->starts : 1;
    if (count == 1 && first->failed)
        return augur__fail_msg(err, cap, AUGUR_EFAILED, "%s", first->reason);
    gather(res, c, recs, count, o->distinct, p);
    describe(res, first, box);
    return AUGUR_OK;
}

int augur_lsq_strategy(augur_residual_fn f, void *data, size_t nparams,
                       size_t nresiduals, double *p, const double *lb, const double *ub,
                       const augur_fit_strategy_options *opt,
                       augur_fit_strategy_result *res, char *err, size_t cap)
{
    if (res)
        *res = (augur_fit_strategy_result){0};
    if (!f || !p || !res || nparams == 0 || nresiduals < nparams)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "augur_lsq_strategy: residuals, "
                               "p and res are required, and nresiduals >= nparams >= 1");
    augur_fit_strategy_options o = resolve(opt);
    lsq_ctx c = {.f = f, .data = data, .np = nparams, .m = nresiduals, .lb = lb,
                 .ub = ub, .lm = o.lm};
    char *recs = calloc(1 + o.starts, rec_len(nparams));
    int rc = recs ? alloc_result(res, nparams, 1 + o.starts) : AUGUR_ENOMEM;
    if (rc == AUGUR_OK)
        rc = strategy(&c, p, &o, res, recs, err, cap);
    else
        augur__fail_msg(err, cap, rc, "out of memory");
    free(recs);
    if (rc != AUGUR_OK)
        augur_fit_strategy_result_free(res);
    return rc;
}

void augur_fit_strategy_result_free(augur_fit_strategy_result *res)
{
    if (!res)
        return;
    free(res->minima);
    free(res->minima_chi2);
    free(res->minima_hits);
    res->minima = res->minima_chi2 = NULL;
    res->minima_hits = NULL;
    res->nminima = 0;
}

/* --- For a fit ------------------------------------------------------------------ */

/* The fit's residuals over its free coordinates, with buffers of the
 * call's own, so that threads may share it. */
typedef struct fit_lsq {
    const augur_fit *f;
    const double *base;           /* every parameter; the pinned ones hold */
    const size_t *idx;            /* free coordinate k is parameter idx[k] */
} fit_lsq;

static int fit_residuals(const double *q, size_t nq, double *r, size_t m, void *data)
{
    const fit_lsq *w = data;
    size_t np = w->f->np;
    double *full = malloc((np + m) * sizeof *full);
    if (!full)
        return -1;
    double *yhat = full + np;
    memcpy(full, w->base, np * sizeof *full);
    for (size_t k = 0; k < nq; k++)
        full[w->idx[k]] = q[k];
    int ok = augur__fit_predict(w->f, full, yhat) == AUGUR_OK;
    const double *y = w->f->d->y, *s = w->f->d->sigma;
    int chi = w->f->metric == AUGUR_METRIC_CHI_SQUARE;
    for (size_t i = 0; i < m; i++)
        r[i] = ok ? (yhat[i] - y[i]) / (chi ? s[i] : 1.0) : NAN;
    free(full);
    return 0;
}

/* LM's Jacobian from the model's, with buffers of the call's own. */
static int fit_jacobian(const double *q, size_t nq, double *J, size_t m, void *data)
{
    const fit_lsq *w = data;
    size_t np = w->f->np;
    double *full = malloc((np + m * np) * sizeof *full);
    if (!full)
        return -1;
    memcpy(full, w->base, np * sizeof *full);
    for (size_t k = 0; k < nq; k++)
        full[w->idx[k]] = q[k];
    augur__fit_lsq_jacobian(w->f, full, w->idx, nq, J, full + np);
    free(full);
    return 0;
}

/* The minima over the free coordinates, widened to every parameter. */
static int widen_minima(augur_fit_strategy_result *res, const fit_lsq *w, size_t k)
{
    size_t np = w->f->np;
    double *all = malloc((res->nminima ? res->nminima : 1) * np * sizeof *all);
    if (!all)
        return AUGUR_ENOMEM;
    for (size_t j = 0; j < res->nminima; j++) {
        memcpy(all + j * np, w->base, np * sizeof *all);
        for (size_t i = 0; i < k; i++)
            all[j * np + w->idx[i]] = res->minima[j * k + i];
    }
    free(res->minima);
    res->minima = all;
    return AUGUR_OK;
}

int augur_fit_strategy(const augur_fit *f, double *p, const double *lb,
                       const double *ub, const augur_fit_strategy_options *opt,
                       augur_fit_strategy_result *res, char *err, size_t cap)
{
    if (res)
        *res = (augur_fit_strategy_result){0};
    if (!f || !p || !res)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "augur_fit_strategy: fit, p and res are required");
    if (f->metric == AUGUR_METRIC_ABSOLUTE)
        return augur__fail_msg(err, cap, AUGUR_EUNSUP, "the fit strategy is least "
                               "squares: not for the absolute metric");
    size_t np = f->np, k = 0;
    size_t *idx = malloc(np * sizeof *idx);
    double *buf = malloc(4 * np * sizeof *buf);
    if (!idx || !buf) {
        free(idx);
        free(buf);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    }
    double *base = buf, *q = buf + np, *qlb = q + np, *qub = qlb + np;
    memcpy(base, p, np * sizeof *p);
    for (size_t i = 0; i < np; i++)
        if (!(lb && ub && lb[i] == ub[i])) {
            idx[k] = i;
            q[k] = p[i];
            qlb[k] = lb ? lb[i] : -INFINITY;
            qub[k++] = ub ? ub[i] : INFINITY;
        }
    fit_lsq w = {.f = f, .base = base, .idx = idx};
    /* every LM run takes the model's Jacobian when it has one */
    augur_fit_strategy_options o = opt ? *opt : (augur_fit_strategy_options){0};
    o.lm.jacobian = f->model->jacobian ? fit_jacobian : NULL;
    o.lm.jacobian_data = &w;
    int rc = AUGUR_OK;
    if (k > 0) {
        rc = augur_lsq_strategy(fit_residuals, &w, k, augur__fit_residuals(f), q,
                                lb || ub ? qlb : NULL, lb || ub ? qub : NULL, &o, res,
                                err, cap);
        if (rc == AUGUR_OK && widen_minima(res, &w, k) != AUGUR_OK)
            rc = augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
        for (size_t i = 0; rc == AUGUR_OK && i < k; i++)
            p[idx[i]] = q[i];
    } else
        *res = (augur_fit_strategy_result){.converged = 1, .reason = "nothing to fit"};
    if (rc != AUGUR_OK)
        augur_fit_strategy_result_free(res);
    free(idx);
    free(buf);
    return rc;
}
