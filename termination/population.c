/* population.c - termination conditions that read the population or the
 * objective: CandidateRelativeTolerance, SolutionImprovement,
 * PopulationSpread and GradientNormTolerance.
 *
 * The population is what the solver exposed (Nelder-Mead: its simplex);
 * conditions that need two members report an error for a population of
 * one (mystic prints a warning and stops instead). The gradient test
 * calls the uncounted objective the solver hands over in augur_info. */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include "augur/termination.h"
#include "internal.h"
#include "termination_int.h"

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
    .history = augur__term_last_only,
};

/* --- SolutionImprovement ------------------------------------------------ */

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
    .history = augur__term_last_only,
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
    .history = augur__term_last_only,
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
    .history = augur__term_last_only,
};

/* --- Constructors ------------------------------------------------------- */

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
