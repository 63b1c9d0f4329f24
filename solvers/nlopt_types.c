/* nlopt_types.c - the solver type tables of the NLopt adapter, one per
 * NLopt algorithm this NLopt was built with, generated once (thread-safe)
 * from the list below with the parameters each algorithm takes; the
 * registry lists them after the built-ins. How the adapter runs NLopt is in
 * nlopt.c. */
#include <math.h>
#include <nlopt.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "nlopt_int.h"
#include "thirdparty_int.h"

static const algorithm algorithms[] = {
    {NLOPT_LN_BOBYQA, STEP},
    {NLOPT_LN_COBYLA, STEP},
    {NLOPT_LN_NEWUOA, STEP},
    {NLOPT_LN_NEWUOA_BOUND, STEP},
    {NLOPT_LN_NELDERMEAD, STEP},
    {NLOPT_LN_SBPLX, STEP},
    {NLOPT_LN_PRAXIS, STEP | K_PRAXIS},
    {NLOPT_LN_AUGLAG, STEP | LOCAL},
    {NLOPT_LN_AUGLAG_EQ, STEP | LOCAL},
    {NLOPT_AUGLAG, STEP | LOCAL},
    {NLOPT_AUGLAG_EQ, STEP | LOCAL},
    {NLOPT_GN_DIRECT, BOX | K_DIRECT},
    {NLOPT_GN_DIRECT_L, BOX | K_DIRECT},
    {NLOPT_GN_DIRECT_L_RAND, BOX | K_DIRECT},
    {NLOPT_GN_DIRECT_NOSCAL, BOX | K_DIRECT},
    {NLOPT_GN_DIRECT_L_NOSCAL, BOX | K_DIRECT},
    {NLOPT_GN_DIRECT_L_RAND_NOSCAL, BOX | K_DIRECT},
    {NLOPT_GN_ORIG_DIRECT, BOX | K_ORIG | CAP},
    {NLOPT_GN_ORIG_DIRECT_L, BOX | K_ORIG | CAP},
    {NLOPT_GN_CRS2_LM, BOX | POP},
    {NLOPT_GN_ISRES, BOX | POP},
    {NLOPT_GN_ESCH, BOX | POP},
    {NLOPT_GN_AGS, BOX},
    {NLOPT_GN_MLSL, BOX | POP | STEP | LOCAL},
    {NLOPT_GN_MLSL_LDS, BOX | POP | STEP | LOCAL},
    {NLOPT_G_MLSL, BOX | POP | STEP | LOCAL},
    {NLOPT_G_MLSL_LDS, BOX | POP | STEP | LOCAL},
    /* Gradient-based, NLopt's own local choices for the meta ones. */
    {NLOPT_LD_LBFGS, GRAD},
    {NLOPT_LD_VAR1, GRAD},
    {NLOPT_LD_VAR2, GRAD},
    {NLOPT_LD_TNEWTON, GRAD},
    {NLOPT_LD_TNEWTON_RESTART, GRAD},
    {NLOPT_LD_TNEWTON_PRECOND, GRAD},
    {NLOPT_LD_TNEWTON_PRECOND_RESTART, GRAD},
    {NLOPT_LD_MMA, GRAD | K_CCSA},
    {NLOPT_LD_CCSAQ, GRAD | K_CCSA},
    {NLOPT_LD_SLSQP, GRAD},
    {NLOPT_LD_AUGLAG, GRAD},
    {NLOPT_LD_AUGLAG_EQ, GRAD},
    {NLOPT_GD_MLSL, BOX | POP | GRAD},
    {NLOPT_GD_MLSL_LDS, BOX | POP | GRAD},
    {NLOPT_GD_STOGO, BOX | GRAD},
    {NLOPT_GD_STOGO_RAND, BOX | POP | GRAD},
};
#define NALG AUGUR__ARRAY_SIZE(algorithms)

/* The local optimizers "local" chooses from (LN_ only: our gradient is
 * the outer algorithm's business). */
static const char *const local_names[] = {
    "LN_BOBYQA", "LN_COBYLA", "LN_NEWUOA_BOUND", "LN_NELDERMEAD",
    "LN_SBPLX", "LN_PRAXIS", "LN_NEWUOA", NULL,
};
const nlopt_algorithm augur__nlopt_local_algs[] = {
    NLOPT_LN_BOBYQA, NLOPT_LN_COBYLA, NLOPT_LN_NEWUOA_BOUND, NLOPT_LN_NELDERMEAD,
    NLOPT_LN_SBPLX, NLOPT_LN_PRAXIS, NLOPT_LN_NEWUOA,
};

static const augur_param common_params[] = {
    {.name = "record-every", .kind = AUGUR_PARAM_INT, .def = 0, .min = 0,
     .max = 1e9, .offset = offsetof(nl_state, record_every),
     .doc = "a generation record every this many evaluations (0: n + 1)"},
    {.name = NULL},
};

/* Local algorithms get NLopt tolerances tight enough that our limits and
 * conditions decide in practice; global ones (a box to search) get none
 * unless the user sets them, as when NLopt is called directly - 1e-10 and
 * 1e-14 stopped GN_CRS2_LM on the 3-D Rosenbrock after 66 evaluations,
 * far from the minimum. */
static const augur_param local_tol_params[] = {
    {.name = "nlopt-xtol-rel", .kind = AUGUR_PARAM_REAL, .def = 1e-10, .min = 0,
     .max = INFINITY, .offset = offsetof(nl_state, xtol_rel),
     .doc = "NLopt's own xtol_rel (0: off)"},
    {.name = "nlopt-ftol-rel", .kind = AUGUR_PARAM_REAL, .def = 1e-14, .min = 0,
     .max = INFINITY, .offset = offsetof(nl_state, ftol_rel),
     .doc = "NLopt's own ftol_rel (0: off)"},
    {.name = NULL},
};

static const augur_param global_tol_params[] = {
    {.name = "nlopt-xtol-rel", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = offsetof(nl_state, xtol_rel),
     .doc = "NLopt's own xtol_rel (0: unset, NLopt's default: off)"},
    {.name = "nlopt-ftol-rel", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = offsetof(nl_state, ftol_rel),
     .doc = "NLopt's own ftol_rel (0: unset, NLopt's default: off)"},
    {.name = NULL},
};

static const augur_param step_params[] = {
    {.name = "initial-step", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = offsetof(nl_state, initial_step),
     .doc = "0: NLopt's heuristic; else this fraction of ub - lb where both "
            "are finite, this absolute step elsewhere"},
    {.name = NULL},
};

static const augur_param pop_params[] = {
    {.name = "population", .kind = AUGUR_PARAM_INT, .def = 0, .min = 0,
     .max = 1e9, .offset = offsetof(nl_state, population),
     .doc = "population (MLSL: points per round); 0: NLopt's heuristic"},
    {.name = NULL},
};

static const augur_param local_params[] = {
    {.name = "local", .kind = AUGUR_PARAM_CHOICE, .def = 0,
     .offset = offsetof(nl_state, local), .choices = local_names,
     .doc = "the local optimizer (MLSL, AUGLAG)"},
    {.name = "local-xtol-rel", .kind = AUGUR_PARAM_REAL, .def = 1e-7, .min = 0,
     .max = INFINITY, .offset = offsetof(nl_state, local_xtol_rel),
     .doc = "the local optimizer's xtol_rel"},
    {.name = NULL},
};

static const char *const fd_names[] = {"forward", "central", NULL};

static const augur_param grad_params[] = {
    {.name = "fd", .kind = AUGUR_PARAM_CHOICE, .def = 1,
     .offset = offsetof(nl_state, fd), .choices = fd_names,
     .doc = "finite differences for the gradient (central: 2n evaluations)"},
    {.name = "fd-step", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0, .max = 1,
     .offset = offsetof(nl_state, fd_step),
     .doc = "difference step relative to max(|x_i|, 1); 0: sqrt(eps) "
            "forward, cbrt(eps) central"},
    {.name = NULL},
};

static const augur_param direct_params[] = {
    {.name = "magic-eps", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = KNOB(magic_eps),
     .doc = "NLopt's magic_eps: Jones' epsilon (potentially-optimal test)"},
    {.name = NULL},
};

static const augur_param orig_params[] = {
    {.name = "magic-eps", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = KNOB(magic_eps),
     .doc = "NLopt's magic_eps: Jones' epsilon (relative)"},
    {.name = "magic-eps-abs", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = KNOB(magic_eps_abs),
     .doc = "NLopt's magic_eps_abs: Jones' epsilon (absolute)"},
    {.name = "sigma-reltol", .kind = AUGUR_PARAM_REAL, .def = -1, .min = -1,
     .max = INFINITY, .offset = KNOB(sigma_reltol),
     .doc = "NLopt's sigma_reltol: stop when the best box's measure is "
            "below it (-1: off)"},
    /* fglobal_reltol is left out: it qualifies NLopt's stopval, which we
     * never set (a VTR condition does that job). */
    {.name = NULL},
};

static const augur_param praxis_params[] = {
    {.name = "t0-tol", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = KNOB(t0_tol),
     .doc = "NLopt's t0_tol: PRAXIS's absolute tolerance t0"},
    {.name = NULL},
};

static const augur_param ccsa_params[] = {
    {.name = "inner-maxeval", .kind = AUGUR_PARAM_INT, .def = 0, .min = 0,
     .max = 1e9, .offset = KNOB(inner_maxeval),
     .doc = "NLopt's inner_maxeval: inner iterations per outer one (0: none)"},
    {.name = "dual-ftol-rel", .kind = AUGUR_PARAM_REAL, .def = 1e-14, .min = 0,
     .max = INFINITY, .offset = KNOB(dual_ftol_rel),
     .doc = "NLopt's dual_ftol_rel"},
    {.name = "dual-ftol-abs", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = KNOB(dual_ftol_abs),
     .doc = "NLopt's dual_ftol_abs"},
    {.name = "dual-xtol-rel", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = KNOB(dual_xtol_rel),
     .doc = "NLopt's dual_xtol_rel"},
    {.name = "dual-xtol-abs", .kind = AUGUR_PARAM_REAL, .def = 0, .min = 0,
     .max = INFINITY, .offset = KNOB(dual_xtol_abs),
     .doc = "NLopt's dual_xtol_abs"},
    {.name = "dual-maxeval", .kind = AUGUR_PARAM_INT, .def = 100000, .min = 1,
     .max = 1e9, .offset = KNOB(dual_maxeval), .doc = "NLopt's dual_maxeval"},
    {.name = NULL},
};

/* --- The generated tables ------------------------------------------------- */

#define MAX_PARAMS 16
#define NAME_CAP 48
#define DOC_CAP 192

static augur_solver_type types[NALG];
static const algorithm *type_alg[NALG];
static augur_param tables[NALG][MAX_PARAMS];
static char names[NALG][NAME_CAP];
static char docs[NALG][DOC_CAP];
static size_t ntypes;
static pthread_once_t once = PTHREAD_ONCE_INIT;


/* Copy the entries of from[0..count) (its terminator excluded) after k.
 * The count, not the terminator, bounds the loop: at -O3 GCC cannot see the
 * terminator of a table reached through a pointer and warns. */
static size_t append_n(augur_param *table, size_t k, const augur_param *from,
                       size_t count)
{
    for (size_t i = 0; i < count && from[i].name && k + 1 < MAX_PARAMS; i++)
        table[k++] = from[i];
    table[k] = (augur_param){.name = NULL};
    return k;
}
#define append(table, k, from) append_n(table, k, from, AUGUR__ARRAY_SIZE(from))

static void fill_params(augur_param *table, unsigned flags)
{
    size_t k = append(table, 0, common_params);
    if (flags & BOX)
        k = append(table, k, global_tol_params);
    else
        k = append(table, k, local_tol_params);
    if (flags & STEP)
        k = append(table, k, step_params);
    if (flags & POP)
        k = append(table, k, pop_params);
    if (flags & LOCAL)
        k = append(table, k, local_params);
    if (flags & GRAD)
        k = append(table, k, grad_params);
    if (flags & K_DIRECT)
        k = append(table, k, direct_params);
    if (flags & K_ORIG)
        k = append(table, k, orig_params);
    if (flags & K_PRAXIS)
        k = append(table, k, praxis_params);
    if (flags & K_CCSA)
        append(table, k, ccsa_params);
}

/* This NLopt may lack some (StoGO needs C++, AGS C++11): it says so in the
 * algorithm's name. */
static int compiled(nlopt_algorithm alg)
{
    const char *what = nlopt_algorithm_name(alg);
    return what && !strstr(what, "NOT COMPILED");
}

static void build_types(void)
{
    for (size_t i = 0; i < NALG; i++) {
        const algorithm *a = &algorithms[i];
        if (!compiled(a->alg))
            continue;
        size_t t = ntypes++;
        snprintf(names[t], NAME_CAP, "nlopt:%s", nlopt_algorithm_to_string(a->alg));
        snprintf(docs[t], DOC_CAP, "NLopt: %s%s; bounds: NLopt's",
                 nlopt_algorithm_name(a->alg),
                 a->flags & GRAD ? ", finite-difference gradient" : "");
        fill_params(tables[t], a->flags);
        type_alg[t] = a;
        types[t] = (augur_solver_type){
            .name = names[t],
            .doc = docs[t],
            .state_size = sizeof(nl_state),
            .params = tables[t],
            .population_size = NULL,
            .generation_scale = 0,      /* records follow evaluations: no limit */
            .evaluation_scale = 1000,   /* 1000 n evaluations */
            .default_termination = NULL,
            .check = augur__nlopt_check,
            .needs_start = 1,
            .start = augur__nlopt_start,
            .step = augur__nlopt_step,
            .free = augur__nlopt_free,
        };
    }
}

const augur_solver_type *augur__nlopt_types(size_t *count)
{
    pthread_once(&once, build_types);
    *count = ntypes;
    return types;
}

const algorithm *augur__nlopt_algorithm_of(const augur_solver *s)
{
    const augur_solver_type *t = augur_solver_get_type(s);
    return type_alg[t - types];
}
