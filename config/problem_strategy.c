/* problem_strategy.c - a fit's least-squares strategy in a config file:
 * what runs when the fit names no solver (augur_fit_strategy: LM from the
 * start, then LM from many starts over the box; docs/FITS.md).
 *
 *     problem = { fit = { ...; strategy = { starts = 64; iterations = 10000;
 *                                           design = "sobol"; lower = [...];
 *                                           upper = [...]; start = [...]; }; }; };
 *
 * Reading the group, running the strategy for a job, and writing the group
 * back with every default resolved. */
#include <stdlib.h>
#include "job_int.h"

static int read_strategy_vector(const config_setting_t *g, const char *name, size_t n,
                                double **out, char *err, size_t cap)
{
    const config_setting_t *m = config_setting_get_member(g, name);
    if (!m)
        return AUGUR_OK;
    if (!(*out = malloc(n * sizeof **out)))
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    return augur__setting_vector(m, n, *out, err, cap);
}

static int read_strategy_numbers(const config_setting_t *g, augur_fit_strategy_options *o,
                                 char *err, size_t cap)
{
    const config_setting_t *m;
    int rc = AUGUR_OK;
    if ((m = config_setting_get_member(g, "starts")))
        rc = augur__setting_count(m, &o->starts, 0, err, cap);
    if (rc == AUGUR_OK && (m = config_setting_get_member(g, "iterations")))
        rc = augur__setting_count(m, &o->lm.max_iterations, 0, err, cap);
    if (rc == AUGUR_OK && (m = config_setting_get_member(g, "distinct")) &&
        (rc = augur__setting_number(m, &o->distinct, err, cap)) == AUGUR_OK &&
        !(o->distinct > 0 && o->distinct < 1))
        rc = augur__setting_fail(m, err, cap, AUGUR_EINVAL, "expected 0 < distinct < 1");
    if (rc == AUGUR_OK && (m = config_setting_get_member(g, "always"))) {
        if (config_setting_type(m) != CONFIG_TYPE_BOOL)
            return augur__setting_fail(m, err, cap, AUGUR_EINVAL, "expected true or false");
        o->always = config_setting_get_bool(m);
    }
    if (rc == AUGUR_OK && (m = config_setting_get_member(g, "design"))) {
        const char *d = augur__setting_string(m, err, cap, &rc);
        if (d && augur__name_eq(d, "sobol"))
            o->design = AUGUR_FIT_DESIGN_SOBOL;
        else if (d && augur__name_eq(d, "latin-hypercube"))
            o->design = AUGUR_FIT_DESIGN_LATIN_HYPERCUBE;
        else if (d)
            rc = augur__setting_fail(m, err, cap, AUGUR_ENOTFOUND, "no design '%s' "
                                     "(sobol or latin-hypercube)", d);
    }
    return rc;
}

/* fit.strategy = { starts; iterations; design; distinct; always; lower;
 * upper; start; }: read when the file names no solver (then the strategy
 * runs, with its defaults when the group is absent). */
int augur__problem_read_strategy(const config_setting_t *f, augur__problem *p, char *err,
                                 size_t cap)
{
    static const char *const keys[] = {"starts", "iterations", "design", "distinct",
                                       "always", "lower", "upper", "start"};
    const config_setting_t *g = config_setting_get_member(f, "strategy");
    const config_setting_t *root = config_setting_parent(config_setting_parent(f));
    p->strategy = !root || !config_setting_get_member(root, "solver");
    if (g && !p->strategy)
        return augur__setting_fail(g, err, cap, AUGUR_EINVAL, "the fit strategy runs in "
                                   "place of a solver: remove the solver group or this");
    if (p->strategy && p->metric == AUGUR_METRIC_ABSOLUTE)
        return augur__setting_fail(f, err, cap, AUGUR_EINVAL, "the fit strategy (no "
                                   "solver named) needs the chi-square or "
                                   "sum-of-squares metric");
    if (!g)
        return AUGUR_OK;
    int rc = augur__setting_group(g, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(g, keys, AUGUR__ARRAY_SIZE(keys), err, cap);
    if (rc == AUGUR_OK)
        rc = read_strategy_numbers(g, &p->strat, err, cap);
    if (rc == AUGUR_OK)
        rc = read_strategy_vector(g, "lower", p->n, &p->strat_lower, err, cap);
    if (rc == AUGUR_OK)
        rc = read_strategy_vector(g, "upper", p->n, &p->strat_upper, err, cap);
    if (rc == AUGUR_OK)
        rc = read_strategy_vector(g, "start", p->n, &p->strat_start, err, cap);
    if (rc == AUGUR_OK && !p->strat_lower != !p->strat_upper)
        rc = augur__setting_fail(g, err, cap, AUGUR_EINVAL, "give both lower and upper");
    return rc;
}

/* The first LM's start: as given, else the box's centre, else an error. */
static int strategy_start(const augur__problem *p, double *x, char *err, size_t cap)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->strat_start)
            x[i] = p->strat_start[i];
        else if (p->strat_lower)
            x[i] = 0.5 * p->strat_lower[i] + 0.5 * p->strat_upper[i];
        else
            return augur__fail_msg(err, cap, AUGUR_EINVAL, "the fit strategy needs a "
                                   "start or a box: problem.fit.strategy = { lower = "
                                   "[...]; upper = [...]; }");
    }
    return AUGUR_OK;
}

int augur__problem_strategy_fit(const augur__problem *p, const augur_solver *s,
                                double *x, double *f, augur_fit_strategy_result *res,
                                char *err, size_t cap)
{
    int rc = strategy_start(p, x, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    augur_fit_strategy_options o = p->strat;
    o.seed = augur_solver_seed(s);
    o.map = augur_solver_map(s);
    char why[AUGUR_ERRMSG_CAP];
    rc = augur_fit_strategy(p->fit, x, p->strat_lower, p->strat_upper, &o, res, why,
                            sizeof why);
    if (rc != AUGUR_OK)
        return augur__fail_msg(err, cap, rc, "fit strategy: %s", why);
    *f = augur_fit_cost(x, p->n, p->fit);
    return AUGUR_OK;
}

static void emit_vector(augur_strbuf *b, const char *name, const double *v, size_t n)
{
    augur__sb_printf(b, "      %s = [ ", name);
    for (size_t i = 0; i < n; i++) {
        augur__sb_printf(b, "%s", i ? ", " : "");
        augur__sb_double(b, v[i]);
    }
    augur__sb_printf(b, " ];\n");
}

/* The strategy group with every default resolved. */
void augur__problem_emit_strategy(augur_strbuf *b, const augur__problem *p)
{
    const augur_fit_strategy_options *o = &p->strat;
    int lhs = o->design == AUGUR_FIT_DESIGN_LATIN_HYPERCUBE ||
              (o->design == AUGUR_FIT_DESIGN_DEFAULT && p->n > 40);
    augur__sb_printf(b, "    strategy = {\n      starts = %zu;\n      iterations = %zu;\n"
                     "      design = \"%s\";\n      distinct = ",
                     o->starts ? o->starts : 64,
                     o->lm.max_iterations ? o->lm.max_iterations : 10000,
                     lhs ? "latin-hypercube" : "sobol");
    augur__sb_double(b, o->distinct > 0 ? o->distinct : 1e-4);
    augur__sb_printf(b, ";\n      always = %s;\n", o->always ? "true" : "false");
    if (p->strat_lower) {
        emit_vector(b, "lower", p->strat_lower, p->n);
        emit_vector(b, "upper", p->strat_upper, p->n);
    }
    if (p->strat_start)
        emit_vector(b, "start", p->strat_start, p->n);
    augur__sb_printf(b, "    };\n");
}
