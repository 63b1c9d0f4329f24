/* de_common.c - what the two differential evolution solvers share: the
 * parameter table, the random draws, the strategies and crossovers, the
 * population set-up, selection, and the jDE and SHADE adaptation of F and
 * CR.
 *
 * A generation is one trial per member: a mutant from the strategy, crossed
 * with the member, repaired into the box, evaluated, and kept if it is no
 * worse than the member (ties go to the trial, as in Storn and Price's code
 * and scipy, so a population can drift across a plateau; mystic keeps the
 * old member on a tie).
 *
 * Strategies are mystic's and scipy's names. "randtobest1" is mystic's
 * RandToBest1, x + F(b - x) + F(p1 - p2), which scipy calls
 * "currenttobest1"; both names are offered and mean the same operator.
 * scipy's own randtobest1 (p1 + F(b - p1) + F(p2 - p3)) is not offered.
 * Crossover is the textbook one for every strategy, unlike mystic's:
 * binomial takes each component from the mutant with probability CR plus
 * one guaranteed index; exponential copies a run of consecutive components
 * from a random start while u < CR, at least one. p1..p5 are distinct
 * members other than i, drawn without replacement.
 *
 * Population: 0 asks for 10 n members (Storn's advice; mystic's default of
 * 4 is too few for any multimodal problem, and scipy's 15 n took about half
 * as many evaluations again for the same successes on the benchmark
 * problems, with jDE, SHADE and classic DE alike). A population
 * too small for the strategy is an error, not silently raised as mystic
 * does. Bounds policy: redraw by default (the offending coordinate is drawn
 * uniformly in its range, as scipy resamples), which keeps trials spread
 * where clipping would pile them on the faces of the box.
 *
 * Adaptation "jde" (Brest et al. 2006) gives every member its own F and CR
 * (starting at 0.5 and 0.9); each trial redraws them with probability 0.1,
 * F uniformly in [0.1, 1), CR in [0, 1), and they survive with the trial.
 * It keeps the chosen strategy: use Brest's rand1bin (with the greedy
 * best1bin it stalls on multimodal problems). "shade" (Tanabe and Fukunaga
 * 2013) uses its own current-to-pbest/1/bin with an archive of replaced
 * parents and draws F (Cauchy) and CR (normal) around a memory of weighted
 * means of recent successes; memory-size defaults to L-SHADE's 6 (2014),
 * which needed a third fewer evaluations than SHADE's H = NP on Rastrigin
 * 10-D, with SHADE's archive of NP and p in [2/NP, 0.2]. Under either, the
 * F, CR and dither parameters are not used (and the strategy not under
 * shade).
 *
 * Restart (off by default, as mystic has none): once the population has
 * collapsed in both x and f, all but the best are redrawn and evaluated
 * within that generation. At 1e-8 it turned Michalewicz 5-D from 18/20
 * (jDE) and 99/100 (SHADE) successes into all, and did not slow the
 * other benchmark problems (Rastrigin, Ackley, Griewank 10-D, Schwefel
 * 5-D; 100 seeds each). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "de_draws.h"
#include "de_int.h"
#include "internal.h"

enum mutation { MUT_BEST1, MUT_RAND1, MUT_CURRENT_TO_BEST1, MUT_BEST2, MUT_RAND2 };

typedef struct strategy {
    enum mutation mut;
    int exponential;
    size_t draws;       /* members p1.. drawn besides i */
} strategy;

static const char *const strategy_names[] = {
    "best1exp", "best1bin", "rand1exp", "rand1bin", "randtobest1exp",
    "randtobest1bin", "best2exp", "best2bin", "rand2exp", "rand2bin",
    "currenttobest1exp", "currenttobest1bin", NULL,
};

static const strategy strategies[] = {
    {MUT_BEST1, 1, 2}, {MUT_BEST1, 0, 2}, {MUT_RAND1, 1, 3}, {MUT_RAND1, 0, 3},
    {MUT_CURRENT_TO_BEST1, 1, 2}, {MUT_CURRENT_TO_BEST1, 0, 2},
    {MUT_BEST2, 1, 4}, {MUT_BEST2, 0, 4}, {MUT_RAND2, 1, 5}, {MUT_RAND2, 0, 5},
    {MUT_CURRENT_TO_BEST1, 1, 2}, {MUT_CURRENT_TO_BEST1, 0, 2},
};

static const char *const adaptation_names[] = {"none", "jde", "shade", NULL};

/* jDE's constants (Brest et al. 2006): redraw probabilities and F's range. */
#define JDE_TAU 0.1
#define JDE_FL 0.1
#define JDE_FU 0.9

const augur_param augur__de_params[] = {
    {.name = "cross-probability", .kind = AUGUR_PARAM_REAL, .def = 0.9,
     .min = 0, .max = 1, .offset = offsetof(de_state, cross),
     .doc = "crossover probability CR"},
    {.name = "scaling-factor", .kind = AUGUR_PARAM_REAL, .def = 0.8, .min = 0,
     .max = 2, .offset = offsetof(de_state, scale),
     .doc = "differential weight F"},
    {.name = "dither-min", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = 2, .offset = offsetof(de_state, dither_min),
     .doc = "with dither-max > 0, F ~ U[dither-min, dither-max) per generation"},
    {.name = "dither-max", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = 2, .offset = offsetof(de_state, dither_max),
     .doc = "upper end of the dither range; 0 turns dither off"},
    {.name = "strategy", .kind = AUGUR_PARAM_CHOICE, .def = 1, /* best1bin */
     .offset = offsetof(de_state, strategy), .choices = strategy_names,
     .doc = "mutation and crossover (randtobest1 = currenttobest1)"},
    {.name = "population-size", .kind = AUGUR_PARAM_INT, .def = 0, .min = 0,
     .max = AUGUR_MAX_POINTS, .offset = offsetof(de_state, npop),
     .doc = "members NP; 0 means 10 n"},
    {.name = "bound-policy", .kind = AUGUR_PARAM_CHOICE,
     .def = AUGUR_BOUNDS_REDRAW, .offset = offsetof(de_state, policy),
     .choices = augur_bound_policy_names,
     .doc = "what a trial outside the box becomes"},
    {.name = "adaptation", .kind = AUGUR_PARAM_CHOICE, .def = DE_ADAPT_NONE,
     .offset = offsetof(de_state, adaptation), .choices = adaptation_names,
     .doc = "none, jde (self-adaptive F, CR) or shade (success history)"},
    {.name = "memory-size", .kind = AUGUR_PARAM_INT, .def = 6, .min = 1,
     .max = 1e4, .offset = offsetof(de_state, memory_size),
     .doc = "shade: entries H of the success-history memory"},
    {.name = "archive-rate", .kind = AUGUR_PARAM_REAL, .def = 1, .min = 0,
     .max = 10, .offset = offsetof(de_state, archive_rate),
     .doc = "shade: archive size as a multiple of NP"},
    {.name = "pbest-rate", .kind = AUGUR_PARAM_REAL, .def = 0.2, .min = 0,
     .max = 1, .offset = offsetof(de_state, pbest_rate),
     .doc = "shade: p is drawn in [2/NP, pbest-rate] per trial"},
    {.name = "restart", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = 1, .offset = offsetof(de_state, restart),
     .doc = "0 off; else redraw all but the best once the members' spread "
            "is below this fraction of the box (and of max(1, |f|))"},
    {.name = NULL},
};

/* --- Set-up ------------------------------------------------------------ */

size_t augur__de_population_size(const void *state, size_t n)
{
    const de_state *st = state;
    if (st->pop)
        return st->np;
    return st->npop > 0 ? (size_t)st->npop : 10 * n;
}

augur_termination *augur__de_default_termination(const void *state, size_t n)
{
    (void)state;
    (void)n;
    return augur_term_vtr_change_over_generation(0.005, 1e-6, 30, 0);
}

/* Every workspace array, in the order of the sizes in allocate(). */
#define DE_ARRAYS(st) {&(st)->pop, &(st)->fpop, &(st)->trials, &(st)->ftrials, \
    &(st)->mutant, &(st)->draws, &(st)->ft, &(st)->crt, &(st)->fm, &(st)->crm, \
    &(st)->sf, &(st)->scr, &(st)->sw, &(st)->mf, &(st)->mcr, &(st)->archive}

void augur__de_free(void *state)
{
    de_state *st = state;
    double **arrays[] = DE_ARRAYS(st);
    for (size_t k = 0; k < AUGUR__ARRAY_SIZE(arrays); k++) {
        free(*arrays[k]);
        *arrays[k] = NULL;
    }
    free(st->rank);
    st->rank = NULL;
    free(st->inside);
    st->inside = NULL;
    free(st->outside);
    st->outside = NULL;
}

/* The arrays' lengths, in DE_ARRAYS order, and their names in a
 * checkpoint. */
#define DE_SIZES(st, rows) {                                                  \
    augur__mul_sat((st)->np, (st)->n), (st)->np,                              \
    augur__mul_sat((rows), (st)->n), (rows), (st)->n, (st)->n, (st)->np,      \
    (st)->np, (st)->np, (st)->np, (st)->np, (st)->np, (st)->np, (st)->h,      \
    (st)->h, augur__mul_sat((st)->arch_cap + 1, (st)->n)}
#define DE_NAMES {"population", "energies", "trials", "trial-energies",       \
    "mutant", "draws", "trial-f", "trial-cr", "member-f", "member-cr",        \
    "success-f", "success-cr", "success-weight", "memory-f", "memory-cr",     \
    "archive"}

static int allocate(de_state *st, size_t rows)
{
    double **arrays[] = DE_ARRAYS(st);
    const size_t sizes[AUGUR__ARRAY_SIZE(arrays)] = DE_SIZES(st, rows);
    int ok = 1;
    for (size_t k = 0; k < AUGUR__ARRAY_SIZE(arrays); k++)
        ok &= (*arrays[k] = augur__malloc_array(sizes[k], sizeof **arrays[k])) != NULL;
    st->rank = augur__malloc_array(st->np, sizeof *st->rank);
    st->inside = augur__malloc_array(rows, sizeof *st->inside);
    st->outside = augur__malloc_array(st->n, sizeof *st->outside);
    return ok && st->rank && st->inside && st->outside;
}

static const strategy *current_strategy(const de_state *st)
{
    return &strategies[(size_t)st->strategy];
}

/* Members drawn besides i: SHADE's r1 and r2, or the strategy's p's. */
static size_t draws_needed(const de_state *st)
{
    return (int)st->adaptation == DE_ADAPT_SHADE ? 2 : current_strategy(st)->draws;
}

int augur__de_check(const augur_solver *s, const void *state, char *err, size_t cap)
{
    const de_state *st = state;
    const char *name = augur_solver_type_name(s);
    size_t np = augur__de_population_size(st, augur_solver_dimension(s));
    size_t need = draws_needed(st) + 1;
    if (np < need)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: population-size %zu is too small for %s: "
                               "it needs at least %zu members", name, np,
                               (int)st->adaptation == DE_ADAPT_SHADE
                                   ? "shade" : strategy_names[(size_t)st->strategy],
                               need);
    if (st->dither_max > 0 && st->dither_min > st->dither_max)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "%s: dither-min %g exceeds dither-max %g", name,
                               st->dither_min, st->dither_max);
    return AUGUR_OK;
}

/* Parameters may change between generations: checked at each. */
static int check_params(augur_solver *s, const de_state *st)
{
    char why[AUGUR_ERRMSG_CAP];
    int rc = augur__de_check(s, st, why, sizeof why);
    return rc == AUGUR_OK ? rc : augur_solver_fail(s, rc, "%s", why);
}

static void reset_adaptation(de_state *st)
{
    for (size_t i = 0; i < st->np; i++) {
        st->fm[i] = 0.5;
        st->crm[i] = 0.9;
        st->ft[i] = st->scale;
        st->crt[i] = st->cross;
    }
    for (size_t k = 0; k < st->h; k++)
        st->mf[k] = st->mcr[k] = 0.5;
    st->h_next = st->ns = st->arch_n = 0;
    st->gen_f = st->scale;
}

/* Everything of generation 0 before the population is drawn. */
static int prepare(augur_solver *s, de_state *st, int batch)
{
    st->n = augur_solver_dimension(s);
    st->np = augur__de_population_size(st, st->n);
    int rc = check_params(s, st);
    if (rc != AUGUR_OK)
        return rc;
    st->h = (size_t)st->memory_size;
    st->arch_cap = (size_t)lround(st->archive_rate * (double)st->np);
    if (!allocate(st, batch ? st->np : 1))
        return augur_solver_fail(s, AUGUR_ENOMEM, "%s: out of memory",
                                 augur_solver_type_name(s));
    const gsl_rng *r = augur_solver_rng(s);
    st->fast_mt = r->type == gsl_rng_mt19937 && augur__mt_layout_known();
    de_rng g = rng_of(r, st);
    st->by_np = scale_for(&g, st->np);
    st->by_n = scale_for(&g, st->n);
    reset_adaptation(st);
    return AUGUR_OK;
}

int augur__de_setup(augur_solver *s, de_state *st, int batch)
{
    int rc = prepare(s, st, batch);
    if (rc != AUGUR_OK)
        return rc;
    return augur_solver_initial_points(s, st->pop, st->np, 0.05);
}

/* --- Checkpoints ---------------------------------------------------------- */

/* Every array (the scratch ones too: cheap, and nothing to get wrong) and
 * the counters; the sizes follow from the parameters, as at set-up. */
int augur__de_save(const augur_solver *s, const de_state *st, int batch,
                   augur_ckpt *c)
{
    (void)s;
    double *const *arrays[] = DE_ARRAYS((de_state *)st);
    size_t rows = batch ? st->np : 1;
    const size_t sizes[AUGUR__ARRAY_SIZE(arrays)] = DE_SIZES(st, rows);
    static const char *const names[] = DE_NAMES;
    for (size_t k = 0; k < AUGUR__ARRAY_SIZE(arrays); k++)
        augur_ckpt_put_doubles(c, names[k], *arrays[k], sizes[k]);
    augur_ckpt_put_size(c, "best", st->best);
    augur_ckpt_put_size(c, "memory-next", st->h_next);
    augur_ckpt_put_size(c, "successes", st->ns);
    augur_ckpt_put_size(c, "archived", st->arch_n);
    augur_ckpt_put_double(c, "generation-f", st->gen_f);
    return AUGUR_OK;
}

int augur__de_restore(augur_solver *s, de_state *st, int batch, augur_ckpt *c)
{
    int rc = prepare(s, st, batch);
    if (rc != AUGUR_OK)
        return rc;
    double **arrays[] = DE_ARRAYS(st);
    size_t rows = batch ? st->np : 1;
    const size_t sizes[AUGUR__ARRAY_SIZE(arrays)] = DE_SIZES(st, rows);
    static const char *const names[] = DE_NAMES;
    for (size_t k = 0; k < AUGUR__ARRAY_SIZE(arrays) && rc == AUGUR_OK; k++)
        rc = augur_ckpt_get_doubles(c, names[k], *arrays[k], sizes[k]);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "best", &st->best);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "memory-next", &st->h_next);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "successes", &st->ns);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_size(c, "archived", &st->arch_n);
    if (rc == AUGUR_OK)
        rc = augur_ckpt_get_double(c, "generation-f", &st->gen_f);
    if (rc != AUGUR_OK)
        return rc;
    if (st->best >= st->np || st->arch_n > st->arch_cap ||
        (st->h && st->h_next >= st->h) || st->ns > st->np)
        return augur_ckpt_fail(c, AUGUR_EINVAL, "checkpoint: DE counters out of range");
    augur_solver_set_population(s, st->pop, st->fpop, st->np);
    return AUGUR_OK;
}

static void find_best(de_state *st)
{
    st->best = 0;
    for (size_t i = 1; i < st->np; i++)
        if (st->fpop[i] < st->fpop[st->best])
            st->best = i;
}

void augur__de_started(augur_solver *s, de_state *st)
{
    find_best(st);
    augur_solver_set_population(s, st->pop, st->fpop, st->np);
}

/* --- One generation ------------------------------------------------------ */

static int by_energy(const void *a, const void *b)
{
    const de_rank *x = a, *y = b;
    if (x->f != y->f)
        return x->f < y->f ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int augur__de_begin_generation(augur_solver *s, de_state *st)
{
    int rc = check_params(s, st);
    if (rc != AUGUR_OK)
        return rc;
    st->gen_f = st->scale;
    if (st->dither_max > 0)
        st->gen_f = st->dither_min + (st->dither_max - st->dither_min) *
                                         gsl_rng_uniform(augur_solver_rng(s));
    if ((int)st->adaptation == DE_ADAPT_SHADE) {
        for (size_t i = 0; i < st->np; i++)
            st->rank[i] = (de_rank){.f = st->fpop[i], .i = i};
        qsort(st->rank, st->np, sizeof *st->rank, by_energy);
    }
    return AUGUR_OK;
}

/* k distinct members other than i, without replacement (rejection keeps
 * it O(k^2) and the draws identical for a seed). */
static void draw_distinct(const de_rng *g, const de_state *st, size_t i,
                          size_t k, size_t *out)
{
    for (size_t a = 0; a < k; a++) {
        size_t r;
        int taken;
        do {
            r = draw_below(g, &st->by_np);
            taken = r == i;
            for (size_t b = 0; b < a && !taken; b++)
                taken = out[b] == r;
        } while (taken);
        out[a] = r;
    }
}

/* The mutant row. One loop per operator rather than a switch per
 * coordinate; each coordinate's expression is the same as ever, so the
 * values are too. */
static void mutate(const de_state *st, const strategy *sg, size_t i,
                   const size_t *p, double f)
{
    size_t n = st->n;
    const double *x = st->pop + i * n, *b = st->pop + st->best * n;
    const double *q[5];
    double *v = st->mutant;
    for (size_t a = 0; a < sg->draws; a++)
        q[a] = st->pop + p[a] * n;
    switch (sg->mut) {
    case MUT_BEST1:
        for (size_t j = 0; j < n; j++)
            v[j] = b[j] + f * (q[0][j] - q[1][j]);
        break;
    case MUT_RAND1:
        for (size_t j = 0; j < n; j++)
            v[j] = q[0][j] + f * (q[1][j] - q[2][j]);
        break;
    case MUT_CURRENT_TO_BEST1:
        for (size_t j = 0; j < n; j++)
            v[j] = x[j] + f * (b[j] - x[j]) + f * (q[0][j] - q[1][j]);
        break;
    case MUT_BEST2:
        for (size_t j = 0; j < n; j++)
            v[j] = b[j] + f * (q[0][j] + q[1][j] - q[2][j] - q[3][j]);
        break;
    case MUT_RAND2:
        for (size_t j = 0; j < n; j++)
            v[j] = q[0][j] + f * (q[1][j] + q[2][j] - q[3][j] - q[4][j]);
        break;
    }
}

/* Whether v passes the test the repair and the evaluation path make of a
 * coordinate, v >= lo && v <= hi (NaN fails it), without branches: in a
 * population at a face of the box a trial's coordinates fall either side
 * at random. */
static inline int within(double v, double lo, double hi)
{
    return (v >= lo) & (v <= hi);
}

/* u from x and the mutant. The coordinates of u outside the box go to
 * st->outside, in order; returns how many. */
static size_t crossover(const de_rng *g, de_state *st, int exponential,
                        double cr, const double *x, double *u, const double *lb,
                        const double *ub)
{
    size_t n = st->n, j = draw_below(g, &st->by_n), nout = 0;
    const double *m = st->mutant;
    size_t *out = st->outside;
    if (exponential) {
        memcpy(u, x, n * sizeof *u);
        size_t len = 0;
        do {
            u[j] = m[j];
            if (++j == n)
                j = 0;
            len++;
        } while (len < n && draw_uniform(g) < cr);
        for (size_t k = 0; k < n; k++) {
            out[nout] = k;
            nout += !within(u[k], lb[k], ub[k]);
        }
        return nout;
    }
    /* one draw for every k, j included, all before any repair's */
    double *r = st->draws;
    augur__de_draw_uniforms(g, r, n);
    for (size_t k = 0; k < n; k++) {
        double v = r[k] < cr || k == j ? m[k] : x[k];
        u[k] = v;
        out[nout] = k;
        nout += !within(v, lb[k], ub[k]);
    }
    return nout;
}

/* jDE: each trial redraws its member's F and CR with probability tau. */
static void jde_params(const de_rng *g, de_state *st, size_t i)
{
    st->ft[i] = st->fm[i];
    st->crt[i] = st->crm[i];
    if (draw_uniform(g) < JDE_TAU)
        st->ft[i] = JDE_FL + JDE_FU * draw_uniform(g);
    if (draw_uniform(g) < JDE_TAU)
        st->crt[i] = draw_uniform(g);
}

/* SHADE: CR ~ N(M_CR, 0.1) clipped to [0, 1]; F ~ Cauchy(M_F, 0.1), drawn
 * again while not positive, cut at 1. */
static void shade_params(gsl_rng *rng, const de_rng *g, de_state *st, size_t i)
{
    de_scale by_h = scale_for(g, st->h);
    size_t r = draw_below(g, &by_h);
    double cr = st->mcr[r] + gsl_ran_gaussian(rng, 0.1);
    st->crt[i] = fmin(fmax(cr, 0), 1);
    double f = 0;
    /* P(F > 0) >= 1/2 as the memory is positive; the cap only bounds the
     * loop, it is never reached in practice */
    for (int tries = 0; tries < 64 && !(f > 0); tries++)
        f = st->mf[r] + gsl_ran_cauchy(rng, 0.1);
    st->ft[i] = f > 0 ? fmin(f, 1) : 0.5;
}

/* current-to-pbest/1: x + F(x_pbest - x) + F(x_r1 - x~_r2), pbest among the
 * best p NP members (p in [2/NP, pbest-rate]), r2 from population and
 * archive. */
static void shade_mutate(const de_rng *g, de_state *st, size_t i)
{
    size_t n = st->n, np = st->np;
    double pmin = 2.0 / (double)np, pmax = fmax(st->pbest_rate, pmin);
    double p = pmin + (pmax - pmin) * draw_uniform(g);
    size_t top = (size_t)lround(p * (double)np);
    top = top < 1 ? 1 : top > np ? np : top;
    de_scale by_top = scale_for(g, top);
    size_t pb = st->rank[draw_below(g, &by_top)].i, r1, r2;
    draw_distinct(g, st, i, 1, &r1);
    de_scale pool = scale_for(g, np + st->arch_n);
    do
        r2 = draw_below(g, &pool);
    while (r2 == i || r2 == r1);
    const double *x = st->pop + i * n, *xb = st->pop + pb * n;
    const double *x1 = st->pop + r1 * n;
    const double *x2 = r2 < np ? st->pop + r2 * n : st->archive + (r2 - np) * n;
    double f = st->ft[i];
    for (size_t j = 0; j < n; j++)
        st->mutant[j] = x[j] + f * (xb[j] - x[j]) + f * (x1[j] - x2[j]);
}

int augur__de_trial(augur_solver *s, de_state *st, size_t i, double *u)
{
    gsl_rng *rng = augur_solver_rng(s);
    de_rng g = rng_of(rng, st);
    const double *x = st->pop + i * st->n;
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    size_t nout;
    if ((int)st->adaptation == DE_ADAPT_SHADE) {
        shade_params(rng, &g, st, i);
        shade_mutate(&g, st, i);
        nout = crossover(&g, st, 0, st->crt[i], x, u, lb, ub);
    } else {
        const strategy *sg = current_strategy(st);
        size_t p[5];
        if ((int)st->adaptation == DE_ADAPT_JDE) {
            jde_params(&g, st, i);
        } else {
            st->ft[i] = st->gen_f;
            st->crt[i] = st->cross;
        }
        draw_distinct(&g, st, i, sg->draws, p);
        mutate(st, sg, i, p, st->ft[i]);
        nout = crossover(&g, st, sg->exponential, st->crt[i], x, u, lb, ub);
    }
    /* The repair leaves a coordinate within the box as it is, without a
     * draw, and the wall policy leaves every one: a trial within the box,
     * or under the wall, needs no repair. After it, only the coordinates
     * it changed need testing again (one repaired by reflection may round
     * onto the far side of a bound). */
    augur_bound_policy policy = (augur_bound_policy)st->policy;
    if (nout == 0 || policy == AUGUR_BOUNDS_WALL)
        return nout == 0;
    augur_solver_repair(s, u, policy);
    int in = 1;
    for (size_t k = 0; k < nout; k++) {
        size_t c = st->outside[k];
        in &= within(u[c], lb[c], ub[c]);
    }
    return in;
}

/* SHADE: a parent beaten strictly goes to the archive (a random entry makes
 * room when it is full), and its trial's F and CR are a success weighted by
 * the improvement. */
static void shade_success(gsl_rng *rng, de_state *st, size_t i, double gain)
{
    size_t n = st->n;
    if (st->arch_cap) {
        size_t slot = st->arch_n < st->arch_cap
                          ? st->arch_n++
                          : (size_t)gsl_rng_uniform_int(rng, st->arch_cap);
        memcpy(st->archive + slot * n, st->pop + i * n, n * sizeof *st->archive);
    }
    /* an infinite gain (a parent at +inf) would make every weight NaN */
    st->sw[st->ns] = isfinite(gain) ? gain : DBL_MAX / (double)st->np;
    st->sf[st->ns] = st->ft[i];
    st->scr[st->ns] = st->crt[i];
    st->ns++;
}

void augur__de_select(augur_solver *s, de_state *st, size_t i, const double *u,
                      double f)
{
    double fx = st->fpop[i];
    if (!(f <= fx))
        return;
    if ((int)st->adaptation == DE_ADAPT_SHADE && f < fx)
        shade_success(augur_solver_rng(s), st, i, fx - f);
    if ((int)st->adaptation == DE_ADAPT_JDE) {
        st->fm[i] = st->ft[i];
        st->crm[i] = st->crt[i];
    }
    memcpy(st->pop + i * st->n, u, st->n * sizeof *u);
    st->fpop[i] = f;
    if (f < st->fpop[st->best])
        st->best = i;
}

/* M_F <- weighted Lehmer mean of the successful F, M_CR <- weighted mean of
 * the successful CR, at the next slot of the memory. */
static void shade_update_memory(de_state *st)
{
    if (st->ns == 0)
        return;
    double wsum = 0, f1 = 0, f2 = 0, cr = 0;
    for (size_t k = 0; k < st->ns; k++)
        wsum += st->sw[k];
    for (size_t k = 0; k < st->ns; k++) {
        double w = st->sw[k] / wsum;
        f1 += w * st->sf[k];
        f2 += w * st->sf[k] * st->sf[k];
        cr += w * st->scr[k];
    }
    st->mf[st->h_next] = f2 / f1;
    st->mcr[st->h_next] = cr;
    st->h_next = (st->h_next + 1) % st->h;
    st->ns = 0;
}

/* Collapsed: on every coordinate the members lie within `restart` of the
 * box's width (of max(1, |x|) where a side is unbounded), and their
 * energies within `restart` of max(1, |f_best|). The energy test keeps a
 * population that is still refining a sharp minimum (where f changes as
 * fast as x) from being thrown away. */
static int collapsed(augur_solver *s, const de_state *st)
{
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    double fbest = st->fpop[st->best], fworst = fbest;
    for (size_t i = 0; i < st->np; i++)
        fworst = fmax(fworst, st->fpop[i]);
    if (!(fworst - fbest <= st->restart * fmax(1, fabs(fbest))))
        return 0;
    for (size_t j = 0; j < st->n; j++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < st->np; i++) {
            lo = fmin(lo, st->pop[i * st->n + j]);
            hi = fmax(hi, st->pop[i * st->n + j]);
        }
        double w = ub[j] - lb[j];
        if (!isfinite(w))
            w = fmax(1, fabs(st->pop[st->best * st->n + j]));
        if (hi - lo > st->restart * w)
            return 0;
    }
    return 1;
}

/* Redraw all members but the best (kept as member 0) uniformly over the box
 * (the way generation 0 did when a side is unbounded) and evaluate them as
 * one batch; the adaptation starts afresh, as it had tuned itself to the
 * collapsed population. */
static int restart(augur_solver *s, de_state *st)
{
    size_t n = st->n;
    double fbest = st->fpop[st->best];
    memcpy(st->mutant, st->pop + st->best * n, n * sizeof *st->mutant);
    int rc = augur_solver_bounds_finite(s)
                 ? augur_solver_sample_bounds(s, st->pop, st->np)
                 : augur_solver_initial_points(s, st->pop, st->np, 0.05);
    if (rc != AUGUR_OK)
        return rc;
    memcpy(st->pop, st->mutant, n * sizeof *st->pop);
    st->fpop[0] = fbest;
    st->best = 0;
    reset_adaptation(st);
    rc = augur_solver_evaluate_batch(s, st->pop + n, st->np - 1, st->fpop + 1);
    if (rc == AUGUR_OK)
        find_best(st);
    return rc;
}

int augur__de_end_generation(augur_solver *s, de_state *st)
{
    int rc = AUGUR_OK;
    if ((int)st->adaptation == DE_ADAPT_SHADE)
        shade_update_memory(st);
    if (st->restart > 0 && collapsed(s, st))
        rc = restart(s, st);
    augur_solver_set_population(s, st->pop, st->fpop, st->np);
    return rc;
}
