/* criteria.c - the leaf termination conditions: mystic's set (VTR,
 * ChangeOverGeneration and the rest of mystic's termination module), a
 * no-improvement "stall" test, and NLopt's stopval / ftol / xtol.
 *
 * Each leaf is one const type table and one predicate over the run's
 * augur_info. Its state is a struct of doubles that holds only its
 * parameters, at the offsets its parameter table names, so the base in
 * termination.c sets, reads, copies and prints them without knowing the
 * leaf. Formulas follow mystic, including its quirks where they are
 * observable: h[-g] is Python indexing from the end, so with g == 0 the
 * "change" tests compare the last energy with the first one.
 *
 * The tables are external (augur__term_type_*) only so the registry in
 * termination.c can list them; everything else here is static. */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include "augur/termination.h"
#include "internal.h"
#include "termination_int.h"

/* Parameter table entries. Every range is inclusive; generations are whole
 * numbers up to 1e9, tolerances any non-negative double (inf allowed). */
#define PARAM_REAL(nm, st, field, dflt, lo, hi, text)                        \
    { .name = (nm), .kind = AUGUR_PARAM_REAL, .def = (dflt), .min = (lo),    \
      .max = (hi), .offset = offsetof(st, field), .choices = NULL,           \
      .doc = (text) }
#define PARAM_INT(nm, st, field, dflt, hi, text)                             \
    { .name = (nm), .kind = AUGUR_PARAM_INT, .def = (dflt), .min = 0,        \
      .max = (hi), .offset = offsetof(st, field), .choices = NULL,           \
      .doc = (text) }
#define PARAM_TOL(nm, st, field, dflt, text)                                 \
    PARAM_REAL(nm, st, field, dflt, 0, INFINITY, text)
#define PARAM_GENERATIONS(st, field, dflt)                                   \
    PARAM_INT("generations", st, field, dflt, 1e9,                           \
              "how many generations back to compare")
#define PARAM_END { .name = NULL }

/* --- Shared pieces ------------------------------------------------------ */

/* The energy history; a missing array reads as an empty one, on which no
 * history test can fire. */
static size_t history(const augur_info *info, const double **h)
{
    *h = info->energy_history;
    return *h ? info->history_len : 0;
}

/* mystic's h[-g]: Python counts from the end, but h[-0] is h[0]. Callers
 * make sure len > g, so the index is in range. */
static double from_end(const double *h, size_t len, size_t g)
{
    return g == 0 ? h[0] : h[len - g];
}

/* Parameters are validated whole numbers in [0, 1e9]: the cast is exact. */
static size_t whole(double v)
{
    return (size_t)v;
}

/* |h[-1] - target| <= tolerance, with at least one record. */
static int near_target(const augur_info *info, double tolerance, double target)
{
    const double *h;
    size_t len = history(info, &h);
    return len > 0 && fabs(h[len - 1] - target) <= tolerance;
}

/* ChangeOverGeneration. Equality is tested apart, as mystic does, so a
 * history stuck at +inf (inf - inf is NaN) still counts as unchanged. */
static int change_over(const augur_info *info, double tolerance, size_t g)
{
    const double *h;
    size_t len = history(info, &h);
    if (len <= g)
        return 0;
    double old = from_end(h, len, g), last = h[len - 1];
    return old == last || old - last <= tolerance;
}

/* --- VTR ---------------------------------------------------------------- */

typedef struct {
    double tolerance, target;
} vtr_state;

static const augur_param vtr_params[] = {
    PARAM_TOL("tolerance", vtr_state, tolerance, 0.005,
              "how close to the target counts as reached"),
    PARAM_REAL("target", vtr_state, target, 0, -INFINITY, INFINITY,
               "the value to reach"),
    PARAM_END
};

static int vtr_check(augur_termination *t, void *state,
                     const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const vtr_state *s = state;
    return near_target(info, s->tolerance, s->target);
}

const augur_term_type augur__term_type_vtr = {
    .name = "vtr",
    .label = "VTR",
    .doc = "the best energy is within tolerance of a target value",
    .state_size = sizeof(vtr_state),
    .params = vtr_params,
    .max_children = 0,
    .check = vtr_check,
    .reset = NULL,
};

/* --- ChangeOverGeneration ----------------------------------------------- */

typedef struct {
    double tolerance, generations;
} change_state;

static const augur_param cog_params[] = {
    PARAM_TOL("tolerance", change_state, tolerance, 1e-6,
              "largest decrease that still counts as no change"),
    PARAM_GENERATIONS(change_state, generations, 30),
    PARAM_END
};

static int cog_check(augur_termination *t, void *state,
                     const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const change_state *s = state;
    return change_over(info, s->tolerance, whole(s->generations));
}

const augur_term_type augur__term_type_change_over_generation = {
    .name = "change-over-generation",
    .label = "ChangeOverGeneration",
    .doc = "the best energy fell by at most tolerance over the last generations",
    .state_size = sizeof(change_state),
    .params = cog_params,
    .max_children = 0,
    .check = cog_check,
    .reset = NULL,
};

/* --- NormalizedChangeOverGeneration ------------------------------------- */

static const augur_param ncog_params[] = {
    PARAM_TOL("tolerance", change_state, tolerance, 1e-4,
              "largest relative decrease that still counts as no change"),
    PARAM_GENERATIONS(change_state, generations, 10),
    PARAM_END
};

static int ncog_check(augur_termination *t, void *state,
                      const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const change_state *s = state;
    size_t g = whole(s->generations);
    const double *h;
    size_t len = history(info, &h);
    if (len <= g)
        return 0;
    double old = from_end(h, len, g), last = h[len - 1];
    /* The 1e-20 lets a history sitting at exactly 0 count as unchanged. */
    return old == last ||
           2 * (old - last) <= s->tolerance * (fabs(old) + fabs(last)) + 1e-20;
}

const augur_term_type augur__term_type_normalized_change_over_generation = {
    .name = "normalized-change-over-generation",
    .label = "NormalizedChangeOverGeneration",
    .doc = "the best energy fell by at most a relative tolerance over the "
           "last generations",
    .state_size = sizeof(change_state),
    .params = ncog_params,
    .max_children = 0,
    .check = ncog_check,
    .reset = NULL,
};

/* --- VTRChangeOverGeneration -------------------------------------------- */

typedef struct {
    double ftol, gtol, generations, target;
} vtrcog_state;

static const augur_param vtrcog_params[] = {
    PARAM_TOL("ftol", vtrcog_state, ftol, 0.005,
              "how close to the target counts as reached"),
    PARAM_TOL("gtol", vtrcog_state, gtol, 1e-6,
              "largest decrease that still counts as no change"),
    PARAM_GENERATIONS(vtrcog_state, generations, 30),
    PARAM_REAL("target", vtrcog_state, target, 0, -INFINITY, INFINITY,
               "the value to reach"),
    PARAM_END
};

static int vtrcog_check(augur_termination *t, void *state,
                        const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const vtrcog_state *s = state;
    return change_over(info, s->gtol, whole(s->generations)) ||
           near_target(info, s->ftol, s->target);
}

const augur_term_type augur__term_type_vtr_change_over_generation = {
    .name = "vtr-change-over-generation",
    .label = "VTRChangeOverGeneration",
    .doc = "change-over-generation(gtol, generations) or vtr(ftol, target)",
    .state_size = sizeof(vtrcog_state),
    .params = vtrcog_params,
    .max_children = 0,
    .check = vtrcog_check,
    .reset = NULL,
};

/* --- CandidateRelativeTolerance ----------------------------------------- */

typedef struct {
    double xtol, ftol;
} crt_state;

static const augur_param crt_params[] = {
    PARAM_TOL("xtol", crt_state, xtol, 1e-4,
              "largest coordinate distance of a member from the best"),
    PARAM_TOL("ftol", crt_state, ftol, 1e-4,
              "largest energy difference of a member from the best"),
    PARAM_END
};

/* mystic prints a warning and stops the solver for a population of one; a
 * library must not print, and stopping would hide the mistake, so the
 * check reports an error instead. */
static int need_population(augur_termination *t, const augur_info *info,
                           const char *label)
{
    if (info->npop < 2)
        return augur_term_fail(t, AUGUR_EINVAL,
                               "%s needs a population of at least 2", label);
    if (!info->population)
        return augur_term_fail(t, AUGUR_EINVAL,
                               "%s needs the population (none given)", label);
    return AUGUR_OK;
}

static int crt_check(augur_termination *t, void *state,
                     const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const crt_state *s = state;
    int rc = need_population(t, info, "CandidateRelativeTolerance");
    if (rc < 0)
        return rc;
    if (!info->population_energy)
        return augur_term_fail(t, AUGUR_EINVAL, "CandidateRelativeTolerance "
                               "needs the population's energies (none given)");
    const double *p = info->population, *e = info->population_energy;
    size_t n = info->n;
    /* Written as !(d <= tol) so that a NaN anywhere keeps the run going. */
    for (size_t k = 1; k < info->npop; k++) {
        if (!(fabs(e[0] - e[k]) <= s->ftol))
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!(fabs(p[k * n + i] - p[i]) <= s->xtol))
                return 0;
    }
    return 1;
}

const augur_term_type augur__term_type_candidate_relative_tolerance = {
    .name = "candidate-relative-tolerance",
    .label = "CandidateRelativeTolerance",
    .doc = "every member is within xtol of the best in each coordinate and "
           "within ftol in energy",
    .state_size = sizeof(crt_state),
    .params = crt_params,
    .max_children = 0,
    .check = crt_check,
    .reset = NULL,
};

/* --- SolutionImprovement ------------------------------------------------ */

typedef struct {
    double tolerance;
} tol_state;

static const augur_param si_params[] = {
    PARAM_TOL("tolerance", tol_state, tolerance, 1e-5,
              "largest summed distance of a trial point from the best"),
    PARAM_END
};

static int si_check(augur_termination *t, void *state,
                    const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const tol_state *s = state;
    /* No trial points: nothing was tried, so there is no evidence of
     * stagnation to stop on. */
    if (!info->trial || info->ntrial == 0)
        return 0;
    if (!info->x)
        return augur_term_fail(t, AUGUR_EINVAL,
                               "SolutionImprovement needs the best point");
    size_t n = info->n;
    for (size_t k = 0; k < info->ntrial; k++) {
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += fabs(info->x[i] - info->trial[k * n + i]);
        if (!(sum <= s->tolerance))
            return 0;
    }
    return 1;
}

const augur_term_type augur__term_type_solution_improvement = {
    .name = "solution-improvement",
    .label = "SolutionImprovement",
    .doc = "every trial point of the last generation is within tolerance "
           "(summed over coordinates) of the best",
    .state_size = sizeof(tol_state),
    .params = si_params,
    .max_children = 0,
    .check = si_check,
    .reset = NULL,
};

/* --- NormalizedCostTarget ----------------------------------------------- */

typedef struct {
    double fval, tolerance, generations;
} nct_state;

static const augur_param nct_params[] = {
    /* mystic's fval=None: NaN cannot pass the generic setter, so a
     * non-finite fval (the default, inf) stands for "none". */
    PARAM_REAL("fval", nct_state, fval, INFINITY, -INFINITY, INFINITY,
               "the target cost; inf for none (then compare generations)"),
    PARAM_TOL("tolerance", nct_state, tolerance, 1e-6,
              "relative distance from fval that counts as reached"),
    PARAM_GENERATIONS(nct_state, generations, 30),
    PARAM_END
};

static int nct_check(augur_termination *t, void *state,
                     const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const nct_state *s = state;
    const double *h;
    size_t len = history(info, &h);
    if (isfinite(s->fval))
        return len > 0 &&
               fabs(h[len - 1] - s->fval) <= fabs(s->tolerance * s->fval);
    size_t g = whole(s->generations);
    if (g == 0)
        return 1; /* mystic: no target and no window means stop at once */
    return len > g && from_end(h, len, g) - h[len - 1] <= 0;
}

const augur_term_type augur__term_type_normalized_cost_target = {
    .name = "normalized-cost-target",
    .label = "NormalizedCostTarget",
    .doc = "the best energy is within a relative tolerance of fval, or (no "
           "fval) has not fallen over the last generations",
    .state_size = sizeof(nct_state),
    .params = nct_params,
    .max_children = 0,
    .check = nct_check,
    .reset = NULL,
};

/* --- PopulationSpread --------------------------------------------------- */

static const augur_param ps_params[] = {
    PARAM_TOL("tolerance", tol_state, tolerance, 1e-6,
              "relative distance from member 0, per coordinate"),
    PARAM_END
};

static int ps_check(augur_termination *t, void *state,
                    const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const tol_state *s = state;
    int rc = need_population(t, info, "PopulationSpread");
    if (rc < 0)
        return rc;
    const double *p = info->population;
    size_t n = info->n;
    for (size_t k = 1; k < info->npop; k++)
        for (size_t i = 0; i < n; i++)
            if (!(fabs(p[k * n + i] - p[i]) <= fabs(s->tolerance * p[i])))
                return 0;
    return 1;
}

const augur_term_type augur__term_type_population_spread = {
    .name = "population-spread",
    .label = "PopulationSpread",
    .doc = "every member is within a relative tolerance of member 0 in each "
           "coordinate",
    .state_size = sizeof(tol_state),
    .params = ps_params,
    .max_children = 0,
    .check = ps_check,
    .reset = NULL,
};

/* --- GradientNormTolerance ---------------------------------------------- */

typedef struct {
    double tolerance, norm;
} gnt_state;

static const augur_param gnt_params[] = {
    PARAM_TOL("tolerance", gnt_state, tolerance, 1e-5,
              "largest gradient norm that counts as flat"),
    PARAM_REAL("norm", gnt_state, norm, INFINITY, 1, INFINITY,
               "p of the p-norm (inf: largest absolute component)"),
    PARAM_END
};

/* Forward difference along coordinate i of x (x is restored). The step is
 * the classic sqrt(eps) scaled to the coordinate; dividing by the step as
 * actually represented (x + step - x) removes its rounding error. */
static double partial(const augur_info *info, double *x, size_t i, double f0)
{
    double xi = x[i];
    x[i] = xi + sqrt(DBL_EPSILON) * fmax(1.0, fabs(xi));
    double dx = x[i] - xi;
    double f1 = info->objective(info->objective_ctx, x);
    x[i] = xi;
    return (f1 - f0) / dx;
}

/* The p-norm, scaled by the largest component so that large p cannot
 * overflow; NaN when any component is NaN, so the test does not fire. */
static double pnorm(const double *g, size_t n, double p)
{
    double big = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(g[i]))
            return NAN;
        if (fabs(g[i]) > big)
            big = fabs(g[i]);
    }
    if (isinf(p) || big == 0 || isinf(big))
        return big;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += pow(fabs(g[i]) / big, p);
    return big * pow(sum, 1.0 / p);
}

static int gnt_check(augur_termination *t, void *state,
                     const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const gnt_state *s = state;
    size_t n = info->n;
    if (!info->objective)
        return augur_term_fail(t, AUGUR_EINVAL, "GradientNormTolerance needs "
                               "the objective to estimate a gradient");
    if (!info->x)
        return augur_term_fail(t, AUGUR_EINVAL,
                               "GradientNormTolerance needs the best point");
    /* One block: a copy of x to perturb, then the gradient (zeroed, so
     * even n == 0 hands the objective initialised memory). */
    double *work = calloc(2 * n + 1, sizeof *work);
    if (!work)
        return augur_term_fail(t, AUGUR_ENOMEM,
                               "GradientNormTolerance: out of memory");
    double *x = work, *grad = work + n;
    for (size_t i = 0; i < n; i++)
        x[i] = info->x[i];
    double f0 = info->objective(info->objective_ctx, x);
    for (size_t i = 0; i < n; i++)
        grad[i] = partial(info, x, i, f0);
    double norm = pnorm(grad, n, s->norm);
    free(work);
    return norm <= s->tolerance;
}

const augur_term_type augur__term_type_gradient_norm_tolerance = {
    .name = "gradient-norm-tolerance",
    .label = "GradientNormTolerance",
    .doc = "the norm of a forward-difference gradient at the best point is "
           "at most tolerance",
    .state_size = sizeof(gnt_state),
    .params = gnt_params,
    .max_children = 0,
    .check = gnt_check,
    .reset = NULL,
};

/* --- EvaluationLimits --------------------------------------------------- */

typedef struct {
    double generations, evaluations;
} limits_state;

static const augur_param el_params[] = {
    PARAM_INT("generations", limits_state, generations, 0, 1e9,
              "stop at this many generations (0: no limit)"),
    PARAM_INT("evaluations", limits_state, evaluations, 0, 1e15,
              "stop at this many evaluations (0: no limit)"),
    PARAM_END
};

static int el_check(augur_termination *t, void *state,
                    const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const limits_state *s = state;
    /* Compared as doubles: evaluations may exceed a 32-bit size_t. */
    return (s->generations > 0 &&
            (double)info->generation >= s->generations) ||
           (s->evaluations > 0 &&
            (double)info->evaluations >= s->evaluations);
}

const augur_term_type augur__term_type_evaluation_limits = {
    .name = "evaluation-limits",
    .label = "EvaluationLimits",
    .doc = "the run reached a number of generations or of evaluations",
    .state_size = sizeof(limits_state),
    .params = el_params,
    .max_children = 0,
    .check = el_check,
    .reset = NULL,
};

/* --- TimeLimits --------------------------------------------------------- */

typedef struct {
    double seconds;
} time_state;

static const augur_param tl_params[] = {
    PARAM_TOL("seconds", time_state, seconds, 86400,
              "stop after this much solving time"),
    PARAM_END
};

static int tl_check(augur_termination *t, void *state,
                    const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const time_state *s = state;
    /* The solver's clock, not one started here: it covers continuations
     * and stays right for a copied condition. */
    return info->elapsed >= s->seconds;
}

const augur_term_type augur__term_type_time_limits = {
    .name = "time-limits",
    .label = "TimeLimits",
    .doc = "the run has been solving for a number of seconds",
    .state_size = sizeof(time_state),
    .params = tl_params,
    .max_children = 0,
    .check = tl_check,
    .reset = NULL,
};

/* --- NoImprovement ------------------------------------------------------ */

static const augur_param ni_params[] = {
    PARAM_GENERATIONS(change_state, generations, 30),
    PARAM_TOL("tolerance", change_state, tolerance, 0,
              "largest decrease that still counts as no improvement"),
    PARAM_END
};

static int ni_check(augur_termination *t, void *state,
                    const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const change_state *s = state;
    size_t g = whole(s->generations);
    const double *h;
    size_t len = history(info, &h);
    /* Unlike mystic's h[-g], this looks exactly g records back. */
    return len > g && h[len - 1 - g] - h[len - 1] <= s->tolerance;
}

const augur_term_type augur__term_type_no_improvement = {
    .name = "no-improvement",
    .label = "NoImprovement",
    .doc = "the best energy improved by at most tolerance over the last "
           "generations",
    .state_size = sizeof(change_state),
    .params = ni_params,
    .max_children = 0,
    .check = ni_check,
    .reset = NULL,
};

/* --- NLopt's stopval, ftol and xtol ------------------------------------- */

typedef struct {
    double value;
} stopval_state;

static const augur_param stopval_params[] = {
    PARAM_REAL("value", stopval_state, value, -INFINITY, -INFINITY, INFINITY,
               "stop once the best energy is at or below this"),
    PARAM_END
};

static int stopval_check(augur_termination *t, void *state,
                         const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const stopval_state *s = state;
    return info->f <= s->value;
}

const augur_term_type augur__term_type_stopval = {
    .name = "stopval",
    .label = "StopVal",
    .doc = "the best energy is at or below a value",
    .state_size = sizeof(stopval_state),
    .params = stopval_params,
    .max_children = 0,
    .check = stopval_check,
    .reset = NULL,
};

static const augur_param ftol_abs_params[] = {
    PARAM_TOL("tolerance", tol_state, tolerance, 1e-8,
              "largest change of the best energy between records"),
    PARAM_END
};

static const augur_param ftol_rel_params[] = {
    PARAM_TOL("tolerance", tol_state, tolerance, 1e-8,
              "largest change of the best energy relative to |f|"),
    PARAM_END
};

/* The energy change since the previous record, or NaN when there is none
 * to compare with: generation 0, or an infinite previous value (as in
 * NLopt, where inf - inf must not read as "no change"). */
static double energy_change(const augur_info *info)
{
    if (!info->x_prev || !isfinite(info->f_prev))
        return NAN;
    return fabs(info->f_prev - info->f);
}

static int ftol_abs_check(augur_termination *t, void *state,
                          const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const tol_state *s = state;
    return energy_change(info) <= s->tolerance;
}

static int ftol_rel_check(augur_termination *t, void *state,
                          const augur_info *info, char *reason, size_t cap)
{
    (void)t, (void)reason, (void)cap;
    const tol_state *s = state;
    return energy_change(info) <= s->tolerance * fabs(info->f);
}

const augur_term_type augur__term_type_ftol_abs = {
    .name = "ftol-abs",
    .label = "FtolAbs",
    .doc = "the best energy changed by at most tolerance since the last record",
    .state_size = sizeof(tol_state),
    .params = ftol_abs_params,
    .max_children = 0,
    .check = ftol_abs_check,
    .reset = NULL,
};

const augur_term_type augur__term_type_ftol_rel = {
    .name = "ftol-rel",
    .label = "FtolRel",
    .doc = "the best energy changed by at most tolerance |f| since the last "
           "record",
    .state_size = sizeof(tol_state),
    .params = ftol_rel_params,
    .max_children = 0,
    .check = ftol_rel_check,
    .reset = NULL,
};

static const augur_param xtol_abs_params[] = {
    PARAM_TOL("tolerance", tol_state, tolerance, 1e-8,
              "largest coordinate move of the best point between records"),
    PARAM_END
};

static const augur_param xtol_rel_params[] = {
    PARAM_TOL("tolerance", tol_state, tolerance, 1e-8,
              "largest move of the best point relative to its size"),
    PARAM_END
};

/* 1 when both points are there, 0 at generation 0, or an error when the
 * solver gave a previous point but no current one. */
static int have_points(augur_termination *t, const augur_info *info,
                       const char *label)
{
    if (!info->x_prev)
        return 0;
    if (!info->x)
        return augur_term_fail(t, AUGUR_EINVAL, "%s needs the best point",
                               label);
    return 1;
}

static int xtol_abs_check(augur_termination *t, void *state,
                          const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const tol_state *s = state;
    int rc = have_points(t, info, "XtolAbs");
    if (rc <= 0)
        return rc;
    for (size_t i = 0; i < info->n; i++)
        if (!(fabs(info->x_prev[i] - info->x[i]) <= s->tolerance))
            return 0;
    return 1;
}

static int xtol_rel_check(augur_termination *t, void *state,
                          const augur_info *info, char *reason, size_t cap)
{
    (void)reason, (void)cap;
    const tol_state *s = state;
    int rc = have_points(t, info, "XtolRel");
    if (rc <= 0)
        return rc;
    double moved = 0, size = 0;
    for (size_t i = 0; i < info->n; i++) {
        moved += fabs(info->x_prev[i] - info->x[i]);
        size += fabs(info->x[i]);
    }
    return moved <= s->tolerance * size;
}

const augur_term_type augur__term_type_xtol_abs = {
    .name = "xtol-abs",
    .label = "XtolAbs",
    .doc = "no coordinate of the best point moved by more than tolerance "
           "since the last record",
    .state_size = sizeof(tol_state),
    .params = xtol_abs_params,
    .max_children = 0,
    .check = xtol_abs_check,
    .reset = NULL,
};

const augur_term_type augur__term_type_xtol_rel = {
    .name = "xtol-rel",
    .label = "XtolRel",
    .doc = "the best point moved by at most tolerance times its size "
           "(1-norms) since the last record",
    .state_size = sizeof(tol_state),
    .params = xtol_rel_params,
    .max_children = 0,
    .check = xtol_rel_check,
    .reset = NULL,
};

/* --- Constructors ------------------------------------------------------- */

/* One parameter for a constructor to set. */
typedef struct {
    const char *name;
    double value;
} setting;

/* A condition of `type` with the settings (ending at a NULL name) applied,
 * or NULL when one is refused (negative tolerance, NaN, out of range): the
 * generic setter does the validating, so constructors cannot disagree with
 * it. */
static augur_termination *build(const augur_term_type *type,
                                const setting *settings)
{
    augur_termination *t = augur_term_create_type(type);
    for (size_t k = 0; t && settings[k].name; k++)
        if (augur_term_set_param(t, settings[k].name, settings[k].value) < 0) {
            augur_term_destroy(t);
            t = NULL;
        }
    return t;
}

#define BUILD(type, ...) build(&(type), (const setting[]){__VA_ARGS__, {NULL, 0}})

augur_termination *augur_term_vtr(double tolerance, double target)
{
    return BUILD(augur__term_type_vtr, {"tolerance", tolerance},
                 {"target", target});
}

augur_termination *augur_term_change_over_generation(double tolerance,
                                                     size_t generations)
{
    return BUILD(augur__term_type_change_over_generation,
                 {"tolerance", tolerance}, {"generations", (double)generations});
}

augur_termination *augur_term_normalized_change_over_generation(
    double tolerance, size_t generations)
{
    return BUILD(augur__term_type_normalized_change_over_generation,
                 {"tolerance", tolerance}, {"generations", (double)generations});
}

augur_termination *augur_term_vtr_change_over_generation(double ftol,
                                                         double gtol,
                                                         size_t generations,
                                                         double target)
{
    return BUILD(augur__term_type_vtr_change_over_generation, {"ftol", ftol},
                 {"gtol", gtol}, {"generations", (double)generations},
                 {"target", target});
}

augur_termination *augur_term_candidate_relative_tolerance(double xtol,
                                                           double ftol)
{
    return BUILD(augur__term_type_candidate_relative_tolerance,
                 {"xtol", xtol}, {"ftol", ftol});
}

augur_termination *augur_term_solution_improvement(double tolerance)
{
    return BUILD(augur__term_type_solution_improvement,
                 {"tolerance", tolerance});
}

augur_termination *augur_term_normalized_cost_target(double fval,
                                                     double tolerance,
                                                     size_t generations)
{
    /* NaN is the documented "no fval"; the table spells it inf. */
    return BUILD(augur__term_type_normalized_cost_target,
                 {"fval", isnan(fval) ? INFINITY : fval},
                 {"tolerance", tolerance},
                 {"generations", (double)generations});
}

augur_termination *augur_term_population_spread(double tolerance)
{
    return BUILD(augur__term_type_population_spread, {"tolerance", tolerance});
}

augur_termination *augur_term_gradient_norm_tolerance(double tolerance,
                                                      double norm)
{
    return BUILD(augur__term_type_gradient_norm_tolerance,
                 {"tolerance", tolerance}, {"norm", norm});
}

augur_termination *augur_term_evaluation_limits(size_t generations,
                                                size_t evaluations)
{
    return BUILD(augur__term_type_evaluation_limits,
                 {"generations", (double)generations},
                 {"evaluations", (double)evaluations});
}

augur_termination *augur_term_time_limits(double seconds)
{
    return BUILD(augur__term_type_time_limits, {"seconds", seconds});
}

augur_termination *augur_term_no_improvement(size_t generations,
                                             double tolerance)
{
    return BUILD(augur__term_type_no_improvement,
                 {"generations", (double)generations},
                 {"tolerance", tolerance});
}

augur_termination *augur_term_stopval(double value)
{
    return BUILD(augur__term_type_stopval, {"value", value});
}

augur_termination *augur_term_ftol_abs(double tolerance)
{
    return BUILD(augur__term_type_ftol_abs, {"tolerance", tolerance});
}

augur_termination *augur_term_ftol_rel(double tolerance)
{
    return BUILD(augur__term_type_ftol_rel, {"tolerance", tolerance});
}

augur_termination *augur_term_xtol_abs(double tolerance)
{
    return BUILD(augur__term_type_xtol_abs, {"tolerance", tolerance});
}

augur_termination *augur_term_xtol_rel(double tolerance)
{
    return BUILD(augur__term_type_xtol_rel, {"tolerance", tolerance});
}
