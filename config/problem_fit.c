/* problem_fit.c - the `fit` kind of problem: a fit model, data from a CSV
 * file and a metric, turned into a cost over the model's parameters.
 *
 *     problem = { fit = { model = "exponential-decays"; parameters = 5;
 *                         data = { file = "br8.csv"; x = "t"; y = "counts";
 *                                  sigma = "sigma"; };
 *                         metric = "chi-square"; polish = true; }; };
 *     problem = { fit = { plugin = { path = "libmodel.so"; symbol = "my_model"; };
 *                         parameters = 3; data = { ... }; }; };
 *     problem = { fit = { formula = "a * exp(-t / tau) + c";
 *                         parameters = [ "a", "tau", "c" ];
 *                         data = { file = "decay.csv"; x = "t"; y = "y"; }; }; };
 *
 * A model is a name (a built-in or one registered with
 * augur_fit_model_register), a plugin (plugin.c) whose symbol is a const
 * augur_fit_model (its data, when the plugin has an init, is init's), or
 * a formula is an expression in the parameters
 * named by the `parameters` list and the x columns named by data.x
 * (augur_fit_create_formula). Its errors are placed on the setting that
 * caused them: the formula's with their column, a parameter's on its
 * element of the list, an x name's on data.x.
 *
 * The data file is found from the config file's directory, so a config and
 * its data move together. The dimension is the number of parameters (the
 * model's fixed count, or `parameters` for a model whose count varies); a
 * `dimension` given next to the fit must agree with it. After the solve a
 * fit may be polished with Levenberg-Marquardt from the solver's answer,
 * and is reported with one uncertainty per parameter and the reduced
 * chi-square (augur/fit.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augur/plugin.h"
#include "job_int.h"

static int unknown_model(const config_setting_t *ms, const char *name, char *err,
                         size_t cap)
{
    const char *names[128];
    size_t count = 0;
    for (const augur_fit_model *const *m = augur_fit_models(); *m && count < 128; m++)
        names[count++] = (*m)->name;
    const char *near = augur__nearest(name, names, count);
    return augur__setting_fail(ms, err, cap, AUGUR_ENOTFOUND,
                               "no fit model '%s' (did you mean '%s'?)", name,
                               near ? near : "?");
}

static int read_metric(const config_setting_t *f, augur__problem *p, char *err,
                       size_t cap)
{
    int rc;
    const char *name = augur__setting_member_string(f, "metric", 0, err, cap, &rc);
    p->metric = AUGUR_METRIC_CHI_SQUARE;
    if (!name)
        return rc;
    size_t count = 0;
    while (augur_metric_names[count])
        count++;
    for (size_t k = 0; k < count; k++)
        if (augur__name_eq(augur_metric_names[k], name)) {
            p->metric = (int)k;
            return AUGUR_OK;
        }
    const char *near = augur__nearest(name, (const char *const *)augur_metric_names,
                                      count);
    return augur__setting_fail(config_setting_get_member(f, "metric"), err, cap,
                               AUGUR_ENOTFOUND, "no metric '%s' (did you mean '%s'?)",
                               name, near ? near : "?");
}

static int read_polish(const config_setting_t *f, augur__problem *p, char *err,
                       size_t cap)
{
    const config_setting_t *m = config_setting_get_member(f, "polish");
    if (!m)
        return AUGUR_OK;
    if (config_setting_type(m) != CONFIG_TYPE_BOOL)
        return augur__setting_fail(m, err, cap, AUGUR_EINVAL, "expected true or false");
    p->polish = config_setting_get_bool(m);
    if (p->polish && p->metric == AUGUR_METRIC_ABSOLUTE)
        return augur__setting_fail(m, err, cap, AUGUR_EINVAL,
                                   "polishing needs the chi-square or sum-of-squares "
                                   "metric");
    return AUGUR_OK;
}

static char *dup_or(const char *s, const char *fallback)
{
    return s ? strdup(s) : fallback ? strdup(fallback) : NULL;
}

/* data = { file; x; y; sigma; }: the columns as written, then the file. */
static int read_data(const config_setting_t *f, const char *dir, augur__problem *p,
                     char *err, size_t cap)
{
    static const char *const keys[] = {"file", "x", "y", "sigma"};
    const config_setting_t *g = config_setting_get_member(f, "data");
    if (!g)
        return augur__setting_fail(f, err, cap, AUGUR_EINVAL,
                                   "needs data = { file = \"...\"; x = ...; y = ...; }");
    int rc = augur__setting_group(g, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(g, keys, AUGUR__ARRAY_SIZE(keys), err, cap);
    const char *v[4] = {NULL};
    for (size_t k = 0; rc == AUGUR_OK && k < 4; k++)
        v[k] = augur__setting_member_string(g, keys[k], k == 0, err, cap, &rc);
    if (rc != AUGUR_OK)
        return rc;
    p->data_file = strdup(v[0]);
    p->data_x = dup_or(v[1], "0");
    p->data_y = dup_or(v[2], "1");
    p->data_sigma = dup_or(v[3], NULL);
    char *full = augur__path_join(dir, v[0]);
    if (!p->data_file || !p->data_x || !p->data_y || (v[3] && !p->data_sigma) || !full) {
        free(full);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    }
    /* a file that cannot be opened is the file setting's fault; anything
     * else the reader finds (a column, a cell) the data group's */
    char why[AUGUR_ERRMSG_CAP];
    FILE *fp = augur__input_open(full, augur__max_data_bytes(), "data file", &rc, why,
                                 sizeof why);
    if (!fp)
        rc = augur__setting_fail(config_setting_get_member(g, "file"), err, cap, rc, "%s",
                                 why);
    else
        fclose(fp);
    if (rc == AUGUR_OK &&
        (rc = augur_data_read_csv(full, p->data_x, p->data_y, p->data_sigma, &p->d, why,
                                  sizeof why)) != AUGUR_OK)
        rc = augur__setting_fail(g, err, cap, rc, "%s", why);
    free(full);
    return rc;
}

/* --- Formulas --------------------------------------------------------------- */

/* The setting a formula fit's message is about: it starts "parameter N",
 * "x column" or (the formula itself) anything else. */
static const config_setting_t *formula_culprit(const config_setting_t *f,
                                               const char *why)
{
    const config_setting_t *ps = config_setting_get_member(f, "parameters");
    unsigned long k;
    if (sscanf(why, "parameter %lu:", &k) == 1 && k >= 1)
        return config_setting_get_elem(ps, (unsigned)(k - 1));
    const config_setting_t *d = config_setting_get_member(f, "data");
    if (strncmp(why, "x column", 8) == 0 && config_setting_get_member(d, "x"))
        return config_setting_get_member(d, "x");
    if (strncmp(why, "a formula predicts", 18) == 0 || strncmp(why, "x column", 8) == 0)
        return d;
    return config_setting_get_member(f, "formula");
}

/* parameters = [ "a", "tau", ... ]: their names, borrowed from ps. */
static int read_param_names(const config_setting_t *f, const char ***names, size_t *np,
                            char *err, size_t cap)
{
    const config_setting_t *ps = config_setting_get_member(f, "parameters");
    int type = ps ? config_setting_type(ps) : CONFIG_TYPE_NONE;
    if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST)
        return augur__setting_fail(ps ? ps : f, err, cap, AUGUR_EINVAL,
                                   "a formula needs its parameters by name "
                                   "(parameters = [ \"a\", \"tau\" ];)");
    *np = (size_t)config_setting_length(ps);
    if (*np == 0)
        return augur__setting_fail(ps, err, cap, AUGUR_EINVAL,
                                   "expected at least one parameter name");
    if (!(*names = calloc(*np, sizeof **names)))
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    int rc = AUGUR_OK;
    for (size_t k = 0; rc == AUGUR_OK && k < *np; k++)
        (*names)[k] = augur__setting_string(config_setting_get_elem(ps, (unsigned)k),
                                            err, cap, &rc);
    return rc;
}

/* data.x as variable names: "t,u" -> t and u (split in place in buf). */
static size_t split_x(char *buf, const char **xs, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(buf, ","); tok && n < max; tok = strtok(NULL, ",")) {
        tok += strspn(tok, " \t");
        size_t len = strlen(tok);
        while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
            tok[--len] = '\0';
        xs[n++] = tok;
    }
    return n;
}

static int make_formula_fit(const config_setting_t *f, augur__problem *p,
                            const char **names, size_t np, char *err, size_t cap)
{
    char *buf = strdup(p->data_x);
    const char **xs = calloc(augur_data_xdim(p->d) + 1, sizeof *xs);
    if (!buf || !xs) {
        free(buf);
        free(xs);
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    }
    size_t nx = split_x(buf, xs, augur_data_xdim(p->d));
    char why[AUGUR_ERRMSG_CAP];
    int rc = nx == augur_data_xdim(p->d)
                 ? augur_fit_create_formula(p->fit_model, names, np, xs, p->d,
                                            (augur_metric)p->metric, &p->fit, why,
                                            sizeof why)
                 : augur__fail_msg(why, sizeof why, AUGUR_EINVAL,
                                   "x column %zu is not named", nx + 1);
    if (rc != AUGUR_OK)
        rc = augur__setting_fail(formula_culprit(f, why), err, cap, rc, "%s", why);
    free(buf);
    free(xs);
    return rc;
}

static int read_formula_params(const config_setting_t *f, augur__problem *p, char *err,
                               size_t cap)
{
    const char **names = NULL;
    size_t np = 0;
    int rc = read_param_names(f, &names, &np, err, cap);
    if (rc == AUGUR_OK)
        rc = make_formula_fit(f, p, names, np, err, cap);
    free(names);
    if (rc == AUGUR_OK)
        p->fit_params = augur_fit_nparams(p->fit);
    return rc;
}

/* --- Models from plugins ------------------------------------------------------ */

/* fit.plugin = { path; symbol; init; settings; ... }: the symbol is a
 * const augur_fit_model, copied so that init's data becomes its data. */
static int read_plugin_model(const config_setting_t *f, const char *dir,
                             augur__problem *p, char *err, size_t cap)
{
    const config_setting_t *ps = config_setting_get_member(f, "plugin");
    int rc = augur__plugin_read(ps, dir, &p->plugin, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    memcpy(&p->plugin_model, p->plugin.sym, sizeof p->plugin_model);
    if (p->plugin.initialised)
        p->plugin_model.data = p->plugin.data;
    p->fit_plugin = 1;
    const augur_fit_model *m = &p->plugin_model;
    if (!m->name || (!m->predict && !m->predict_with) || (m->nparams && !m->param_names))
        return augur__setting_fail(config_setting_get_member(ps, "symbol"), err, cap,
                                   AUGUR_EINVAL, "'%s' is no fit model: an "
                                   "augur_fit_model needs a name, predict or "
                                   "predict_with, and param_names for a fixed count",
                                   p->plugin.symbol);
    if (!(p->fit_model = strdup(m->name)))
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    return AUGUR_OK;
}

/* One of model (a name), formula or plugin. */
static int read_model_kind(const config_setting_t *f, const char *dir, augur__problem *p,
                           char *err, size_t cap)
{
    static const char *const kinds[] = {"model", "formula", "plugin"};
    const config_setting_t *first = NULL;
    for (size_t k = 0; k < 3; k++) {
        const config_setting_t *m = config_setting_get_member(f, kinds[k]);
        if (m && first)
            return augur__setting_fail(m, err, cap, AUGUR_EINVAL,
                                       "a fit has one of a model, a formula or a "
                                       "plugin (%s is given too, line %u)",
                                       config_setting_name(first),
                                       config_setting_source_line(first));
        first = m ? m : first;
    }
    if (!first)
        return augur__setting_fail(f, err, cap, AUGUR_EINVAL, "needs a model, a formula "
                                   "or a plugin (e.g. model = \"polynomial\";)");
    if (strcmp(config_setting_name(first), "plugin") == 0)
        return read_plugin_model(f, dir, p, err, cap);
    int rc;
    p->fit_formula = strcmp(config_setting_name(first), "formula") == 0;
    const char *model = augur__setting_string(first, err, cap, &rc);
    if (!model)
        return rc;
    if (!p->fit_formula && !augur_fit_model_find(model))
        return unknown_model(first, model, err, cap);
    if (!(p->fit_model = strdup(model)))
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    return AUGUR_OK;
}

/* --- The group ---------------------------------------------------------------- */

static int read_params(const config_setting_t *f, augur__problem *p, char *err,
                       size_t cap)
{
    if (p->fit_formula)
        return read_formula_params(f, p, err, cap);
    const config_setting_t *ps = config_setting_get_member(f, "parameters");
    int rc = ps ? augur__setting_size(ps, 0, AUGUR_MAX_DIMENSION, &p->fit_params, err, cap)
                : AUGUR_OK;
    if (rc != AUGUR_OK)
        return rc;
    char why[AUGUR_ERRMSG_CAP];
    rc = p->fit_plugin
             ? augur_fit_create_model(&p->plugin_model, p->fit_params, p->d,
                                      (augur_metric)p->metric, &p->fit, why, sizeof why)
             : augur_fit_create(p->fit_model, p->fit_params, p->d,
                                (augur_metric)p->metric, &p->fit, why, sizeof why);
    if (rc != AUGUR_OK)
        return augur__setting_fail(ps ? ps : f, err, cap, rc, "%s", why);
    p->fit_params = augur_fit_nparams(p->fit);
    return AUGUR_OK;
}




int augur__problem_read_fit(const config_setting_t *g, const char *dir,
                            augur__problem *p, char *err, size_t cap)
{
    static const char *const keys[] = {"model", "formula", "plugin", "parameters",
                                       "data", "metric", "polish", "strategy"};
    const config_setting_t *f = config_setting_get_member(g, "fit");
    int rc = augur__setting_group(f, err, cap);
    if (rc == AUGUR_OK)
        rc = augur__setting_only(f, keys, AUGUR__ARRAY_SIZE(keys), err, cap);
    if (rc == AUGUR_OK)
        rc = read_model_kind(f, dir, p, err, cap);
    if (rc != AUGUR_OK || (rc = read_metric(f, p, err, cap)) != AUGUR_OK ||
        (rc = read_polish(f, p, err, cap)) != AUGUR_OK ||
        (rc = read_data(f, dir, p, err, cap)) != AUGUR_OK ||
        (rc = read_params(f, p, err, cap)) != AUGUR_OK)
        return rc;
    p->n = p->fit_params;
    if ((rc = augur__problem_read_strategy(f, p, err, cap)) != AUGUR_OK)
        return rc;
    const config_setting_t *d = config_setting_get_member(g, "dimension");
    size_t n = 0;
    if (d && (rc = augur__setting_size(d, 1, AUGUR_MAX_DIMENSION, &n, err, cap)) != AUGUR_OK)
        return rc;
    if (d && n != p->n)
        return augur__setting_fail(d, err, cap, AUGUR_EINVAL,
                                   "the fit has %zu parameters: expected dimension = %zu",
                                   p->n, p->n);
    p->cost = augur_fit_cost;
    p->data = p->fit;
    return AUGUR_OK;
}



void augur__problem_free_fit(augur__problem *p)
{
    augur_fit_destroy(p->fit);
    augur_data_destroy(p->d);
    augur_fit_strategy_result_free(&p->strat_res);
    free(p->strat_lower);
    free(p->strat_upper);
    free(p->strat_start);
    p->strat_lower = p->strat_upper = p->strat_start = NULL;
    p->fit = NULL;
    p->d = NULL;
}



void augur__problem_emit_fit(augur_strbuf *b, const augur__problem *p,
                             const char *data_file, const char *plugin_file)
{
    augur__sb_printf(b, "  fit = {\n");
    if (p->fit_plugin)
        augur__plugin_emit(b, &p->plugin, "    ", plugin_file);
    else {
        augur__sb_printf(b, "    %s = ", p->fit_formula ? "formula" : "model");
        augur__sb_string(b, p->fit_model);
        augur__sb_printf(b, ";\n");
    }
    if (p->fit_formula) {
        augur__sb_printf(b, "    parameters = [");
        for (size_t i = 0; i < p->fit_params; i++) {
            char name[64];
            augur_fit_param_name(p->fit, i, name, sizeof name);
            augur__sb_printf(b, "%s", i ? ", " : " ");
            augur__sb_string(b, name);
        }
        augur__sb_printf(b, " ]");
    } else
        augur__sb_printf(b, "    parameters = %zu", p->fit_params);
    augur__sb_printf(b, ";\n    data = {\n      file = ");
    augur__sb_string(b, data_file);
    augur__sb_printf(b, ";\n      x = ");
    augur__sb_string(b, p->data_x);
    augur__sb_printf(b, ";\n      y = ");
    augur__sb_string(b, p->data_y);
    if (p->data_sigma) {
        augur__sb_printf(b, ";\n      sigma = ");
        augur__sb_string(b, p->data_sigma);
    }
    augur__sb_printf(b, ";\n    };\n    metric = ");
    augur__sb_string(b, augur_metric_names[p->metric]);
    augur__sb_printf(b, ";\n    polish = %s;\n", p->polish ? "true" : "false");
    if (p->strategy)
        augur__problem_emit_strategy(b, p);
    augur__sb_printf(b, "  };\n");
}

/* The solver's bounds for the polish, or NULL when it has none. */
static void polish_bounds(const augur_solver *s, const double **lb, const double **ub)
{
    size_t n = augur_solver_dimension(s);
    *lb = augur_solver_lower(s);
    *ub = augur_solver_upper(s);
    int any = 0;
    for (size_t i = 0; *lb && *ub && i < n; i++)
        any |= isfinite((*lb)[i]) || isfinite((*ub)[i]);
    if (!any)
        *lb = *ub = NULL;
}

int augur__problem_finish_fit(const augur__problem *p, const augur_solver *s,
                              double *x, double *f, double *uncertainty,
                              double *reduced_chi_square, augur_lm_result *lm,
                              char *err, size_t cap)
{
    char why[AUGUR_ERRMSG_CAP];
    int rc;
    if (p->polish) {
        double *y = malloc(p->n * sizeof *y);
        if (!y)
            return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
        memcpy(y, x, p->n * sizeof *y);
        const double *lb, *ub;
        polish_bounds(s, &lb, &ub);
        rc = augur_fit_polish_lm(p->fit, y, lb, ub, NULL, lm, why, sizeof why);
        double fy = rc == AUGUR_OK ? augur_fit_cost(y, p->n, p->fit) : NAN;
        /* the polish starts at the solver's answer; keep it only if it is
         * better there (both are deterministic, so a rerun agrees) */
        if (rc == AUGUR_OK && fy <= *f) {
            memcpy(x, y, p->n * sizeof *y);
            *f = fy;
        }
        free(y);
        if (rc != AUGUR_OK)
            return augur__fail_msg(err, cap, rc, "polish: %s", why);
    }
    /* a coordinate the bounds pin is no parameter of the fit's */
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    int *fixed = calloc(p->n, sizeof *fixed);
    if (!fixed)
        return augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
    for (size_t i = 0; lb && ub && i < p->n; i++)
        fixed[i] = lb[i] == ub[i];
    augur_fit_report r = {.uncertainty = uncertainty, .fixed = fixed};
    rc = augur_fit_report_at(p->fit, x, &r, why, sizeof why);
    free(fixed);
    if (rc != AUGUR_OK)
        return augur__fail_msg(err, cap, rc, "fit report: %s", why);
    *reduced_chi_square = r.reduced_chi_square;
    return AUGUR_OK;
}

/* --- For people --------------------------------------------------------------- */

void augur__problem_print_fit(const augur__problem *p, const double *x,
                              const double *uncertainty, double reduced_chi_square,
                              const augur_lm_result *lm, FILE *fp)
{
    fprintf(fp, "fit:         %s, %zu parameters, reduced chi-square %.6g\n",
            p->fit_formula ? "formula" : p->fit_model, p->n, reduced_chi_square);
    if (lm && p->strategy)
        fprintf(fp, "strategy:    %s%s\n", lm->converged ? "" : "DID NOT CONVERGE: ",
                p->strat_res.reason);
    else if (lm && lm->converged)
        fprintf(fp, "polish:      converged: %s, %zu iterations\n", lm->reason,
                lm->iterations);
    else if (lm)
        fprintf(fp, "polish:      DID NOT CONVERGE: %s, %zu iterations\n", lm->reason,
                lm->iterations);
    for (size_t i = 0; i < p->n; i++) {
        char name[32];
        if (augur_fit_param_name(p->fit, i, name, sizeof name) != AUGUR_OK)
            snprintf(name, sizeof name, "p%zu", i);
        fprintf(fp, "  %-10s %.10g +- %#.3g\n", name, x[i], uncertainty[i]);
    }
}

/* Markdown cell text: '|' would end the cell. */
static void cell(FILE *fp, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", fp);
        else
            fputc(*s == '\n' ? ' ' : *s, fp);
    }
}

void augur__reference_fit_models(FILE *fp)
{
    fputs("### Fit models (`problem.fit.model`)\n\n"
          "| model | parameters | x, y columns | description |\n|---|---|---|---|\n",
          fp);
    for (const augur_fit_model *const *m = augur_fit_models(); *m; m++) {
        fprintf(fp, "| `%s` | ", (*m)->name);
        if ((*m)->nparams) {
            fprintf(fp, "%zu", (*m)->nparams);
            for (size_t k = 0; (*m)->param_names && (*m)->param_names[k]; k++)
                fprintf(fp, "%s`%s`", k ? ", " : ": ", (*m)->param_names[k]);
        } else
            cell(fp, (*m)->size_rule ? (*m)->size_rule : "set `parameters`");
        fputs(" | ", fp);
        if ((*m)->xdim)
            fprintf(fp, "%zu", (*m)->xdim);
        else
            fputs("any", fp);
        fputs(", ", fp);
        if ((*m)->ydim)
            fprintf(fp, "%zu", (*m)->ydim);
        else
            fputs("any", fp);
        fputs(" | ", fp);
        cell(fp, (*m)->doc);
        fputs(" |\n", fp);
    }
    fputs("\nMetrics (`problem.fit.metric`):", fp);
    for (size_t k = 0; augur_metric_names[k]; k++)
        fprintf(fp, "%s `%s`", k ? "," : "", augur_metric_names[k]);
    fputs(".\n", fp);
}


const char *augur__problem_label(const augur__problem *p)
{
    static const char *const by_metric[] = {
        [AUGUR_METRIC_CHI_SQUARE] = "ChiSquare",
        [AUGUR_METRIC_SUM_OF_SQUARES] = "SumOfSquares",
        [AUGUR_METRIC_ABSOLUTE] = "AbsoluteDeviation",
    };
    if (p->kind != AUGUR__PROBLEM_FIT || p->metric < 0 ||
        (size_t)p->metric >= AUGUR__ARRAY_SIZE(by_metric))
        return "f";
    return by_metric[p->metric];
}
