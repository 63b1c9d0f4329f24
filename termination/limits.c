/* limits.c - termination conditions on budgets and NLopt's stopping
 * criteria: EvaluationLimits, TimeLimits, and NLopt's stopval, ftol_abs,
 * ftol_rel, xtol_abs and xtol_rel.
 *
 * The NLopt leaves compare the best point and energy of the last two
 * generation records, so they never fire at generation 0. */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include "augur/termination.h"
#include "internal.h"
#include "termination_int.h"

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
    .history = augur__term_last_only,
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
    .history = augur__term_last_only,
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
    .history = augur__term_last_only,
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
    .history = augur__term_last_only,
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
    .history = augur__term_last_only,
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
    .history = augur__term_last_only,
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
    .history = augur__term_last_only,
};

/* --- Constructors ------------------------------------------------------- */

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
