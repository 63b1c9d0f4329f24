/* history.c - termination conditions that read the energy history: VTR,
 * ChangeOverGeneration, NormalizedChangeOverGeneration,
 * VTRChangeOverGeneration, NormalizedCostTarget and NoImprovement.
 *
 * Each is one const type table and one predicate over the run's augur_info;
 * its state holds only its parameters, so the base in termination.c sets,
 * reads, copies and prints them without knowing the leaf. Formulas follow
 * mystic's termination module, including its observable quirk: h[-g] is
 * Python indexing from the end, so with g == 0 the "change" tests compare
 * the last energy with the first one. */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include "augur/termination.h"
#include "internal.h"
#include "termination_int.h"

/* --- History windows ------------------------------------------------------ */

/* How many records a test over `generations` reads: g + 1 (h[-g] .. h[-1],
 * and len > g), or just the last when g is 0 (mystic's h[-0] is the first
 * record, which the solver keeps apart: info->energy_first). */
static size_t window_of(double generations)
{
    size_t g = whole(generations);
    return g == 0 ? 1 : g + 1;
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
    .history = augur__term_last_only,
};

/* --- ChangeOverGeneration ----------------------------------------------- */

typedef struct {
    double tolerance, generations;
} change_state;

static size_t change_window(const void *state)
{
    return window_of(((const change_state *)state)->generations);
}

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
    .history = change_window,
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
    double old = from_end(info, h, len, g), last = h[len - 1];
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
    .history = change_window,
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

static size_t vtrcog_window(const void *state)
{
    return window_of(((const vtrcog_state *)state)->generations);
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
    .history = vtrcog_window,
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
    return len > g && from_end(info, h, len, g) - h[len - 1] <= 0;
}

static size_t nct_window(const void *state)
{
    return window_of(((const nct_state *)state)->generations);
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
    .history = nct_window,
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
    .history = change_window,
};

/* --- Constructors ------------------------------------------------------- */

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

augur_termination *augur_term_no_improvement(size_t generations,
                                             double tolerance)
{
    return BUILD(augur__term_type_no_improvement,
                 {"generations", (double)generations},
                 {"tolerance", tolerance});
}
