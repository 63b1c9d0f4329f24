/* profile.c - profile scans in config files (augur/profile.h).
 *
 *     profile = { parameter = 0; from = -2.0; to = 2.0; points = 41;
 *                 bins = 4; overlap = 0.1; };
 *
 * A file with a profile group scans instead of solving once: the solver
 * group is the template each grid value's solve is made from, and the map
 * (the top-level one, or the solver's) runs the bins, since a profile's
 * template may have a map of its own only when the scan runs serially.
 * The settings are a parameter table like a solver's, so they are checked
 * by the same setter and listed in docs/CONFIG.md from the same table;
 * `from` and `to` default to the solver's bounds on the parameter. The
 * seed of the scan is the solver's (drawn from the OS and kept when the
 * file has none), so the results file reproduces the scan bit for bit.
 * Its answer (results.x, results.f) is the best grid value's optimum. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur/plugin.h"
#include "solver_int.h"
#include "job_int.h"

#define SLOT(field) offsetof(augur__profile_values, field)

static const char *const combine_names[] = {"lowest", "join", NULL};

const augur_param augur__profile_params[] = {
    {.name = "parameter", .kind = AUGUR_PARAM_INT, .def = 0, .min = 0, .max = 1e6,
     .offset = SLOT(parameter), .doc = "the coordinate scanned, 0-based"},
    {.name = "from", .kind = AUGUR_PARAM_REAL, .def = -INFINITY, .min = -INFINITY,
     .max = INFINITY, .offset = SLOT(from),
     .doc = "first grid value (default: the solver's lower bound on the parameter)"},
    {.name = "to", .kind = AUGUR_PARAM_REAL, .def = INFINITY, .min = -INFINITY,
     .max = INFINITY, .offset = SLOT(to),
     .doc = "last grid value (default: the solver's upper bound on the parameter)"},
    {.name = "points", .kind = AUGUR_PARAM_INT, .def = 21, .min = 2, .max = 1e6,
     .offset = SLOT(points), .doc = "grid values, both ends included"},
    {.name = "bins", .kind = AUGUR_PARAM_INT, .def = 1, .min = 1, .max = 1e6,
     .offset = SLOT(bins), .doc = "map tasks the grid is cut into (at most points - 1)"},
    {.name = "overlap", .kind = AUGUR_PARAM_REAL, .def = 0.1, .min = 0, .max = 1,
     .offset = SLOT(overlap),
     .doc = "how far a bin reaches into each neighbour, as a fraction of its width"},
    {.name = "combine", .kind = AUGUR_PARAM_CHOICE, .def = AUGUR_PROFILE_LOWEST,
     .offset = SLOT(combine), .choices = combine_names,
     .doc = "where bins overlap: the lowest minimum, or the windowed join"},
    {.name = NULL},
};

int augur__profile_read(const config_setting_t *g, augur__profile_values *v, char *err,
                        size_t cap)
{
    int rc = augur__setting_group(g, err, cap);
    augur__params_defaults(augur__profile_params, v);
    for (int i = 0; rc == AUGUR_OK && i < config_setting_length(g); i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const augur_param *p = augur_param_find(augur__profile_params,
                                                config_setting_name(m));
        double x;
        char why[AUGUR_ERRMSG_CAP];
        if (!p) {
            const char *names[8];
            size_t count = 0;
            for (; augur__profile_params[count].name; count++)
                names[count] = augur__profile_params[count].name;
            return augur__setting_only(g, names, count, err, cap);
        }
        if ((rc = augur__setting_param(m, p, &x, err, cap)) == AUGUR_OK &&
            (rc = augur__params_set(augur__profile_params, v, "profile", p->name, x, why,
                                    sizeof why)) != AUGUR_OK)
            rc = augur__setting_fail(m, err, cap, rc, "%s", why);
    }
    return rc;
}

/* After the solver is built: the parameter is one of its coordinates, and
 * the range comes from its bounds where the file gives none. */
int augur__profile_resolve(const config_setting_t *g, augur__profile_values *v,
                           const augur_solver *s, char *err, size_t cap)
{
    size_t n = augur_solver_dimension(s), k = (size_t)v->parameter;
    if (k >= n)
        return augur__setting_fail(g, err, cap, AUGUR_ERANGE,
                                   "parameter %zu: the problem has %zu (0 .. %zu)", k, n,
                                   n - 1);
    if (!config_setting_get_member(g, "from"))
        v->from = augur_solver_lower(s)[k];
    if (!config_setting_get_member(g, "to"))
        v->to = augur_solver_upper(s)[k];
    if (!isfinite(v->from) || !isfinite(v->to))
        return augur__setting_fail(g, err, cap, AUGUR_EINVAL,
                                   "needs from and to (the solver has no finite bounds "
                                   "on x%zu)", k);
    if (!(v->from < v->to))
        return augur__setting_fail(g, err, cap, AUGUR_ERANGE,
                                   "expected from < to, got %g and %g", v->from, v->to);
    if (v->bins > v->points - 1)
        return augur__setting_fail(g, err, cap, AUGUR_ERANGE,
                                   "bins %g: at most points - 1 = %g", v->bins,
                                   v->points - 1);
    return AUGUR_OK;
}

/* The map runs the bins: a map the solver was given moves to the job. */
void augur__profile_take_map(augur_job *j)
{
    augur_solver *s = j->solver;
    if (!s->map || !s->owns_map)
        return;
    augur_map_destroy(j->map);
    j->map = s->map;
    s->map = NULL;
    s->owns_map = 0;
}

/* The answer: the best grid value's optimum, over the bins' raw curves. */
static int best_point(augur_job *j)
{
    const augur_profile_result *r = &j->profile;
    const double *best = NULL;
    double f = INFINITY;
    for (size_t b = 0; b < r->bins; b++)
        for (size_t t = 0; t < r->raw[b].n; t++)
            if (!best || r->raw[b].y[t] < f) {
                f = r->raw[b].y[t];
                best = r->raw[b].argmin + t * r->dimension;
            }
    if (!best || !(j->x = malloc(r->dimension * sizeof *j->x)))
        return augur__fail_msg(j->errmsg, sizeof j->errmsg, AUGUR_ENOMEM, "out of memory");
    memcpy(j->x, best, r->dimension * sizeof *j->x);
    j->f = f;
    return AUGUR_OK;
}

int augur__profile_run(augur_job *j)
{
    augur_solver *s = j->solver;
    if (!s->seed_set)  /* so that the results file can say which */
        augur_solver_set_seed(s, augur__os_seed());
    const augur__profile_values *v = &j->profile_values;
    augur_profile_options o = {.parameter = (size_t)v->parameter, .from = v->from,
                               .to = v->to, .points = (size_t)v->points,
                               .bins = (size_t)v->bins, .overlap = v->overlap,
                               .combine = (augur_profile_combine)v->combine,
                               .seed = augur_solver_seed(s)};
    char why[AUGUR_ERRMSG_CAP];
    double t0 = augur__now();
    int rc = augur_profile(s, j->problem.cost, j->problem.data, j->map, &o, &j->profile,
                           why, sizeof why);
    if (rc != AUGUR_OK)
        return augur__fail_msg(j->errmsg, sizeof j->errmsg, rc, "profile: %s", why);
    j->has_profile_result = 1;
    j->seconds = augur__now() - t0;
    j->evaluations = j->profile.evaluations;
    char reason[96];
    snprintf(reason, sizeof reason, "profile of x%zu: %zu points in %zu bins", o.parameter,
             o.points, j->profile.bins);
    if (!(j->reason = strdup(reason)))
        return augur__fail_msg(j->errmsg, sizeof j->errmsg, AUGUR_ENOMEM, "out of memory");
    return best_point(j);
}

void augur__profile_emit(augur_strbuf *b, const augur_job *j)
{
    augur__sb_printf(b, "profile = {\n");
    for (const augur_param *p = augur__profile_params; p->name; p++) {
        augur__sb_printf(b, "  %s = ", p->name);
        augur__spec_emit_value(b, p, augur__param_value(&j->profile_values, p));
        augur__sb_printf(b, ";\n");
    }
    augur__sb_printf(b, "};\n");
    if (j->map) {
        augur__sb_printf(b, "map = {\n  type = ");
        augur__sb_string(b, augur_map_type_name(j->map));
        augur__sb_printf(b, ";\n  workers = %d;\n", augur_map_workers(j->map));
        if (augur_map_timeout(j->map) > 0) {
            augur__sb_printf(b, "  timeout = ");
            augur__sb_double(b, augur_map_timeout(j->map));
            augur__sb_printf(b, ";\n");
        }
        augur__sb_printf(b, "};\n");
    }
}

void augur__profile_print(const augur_job *j, FILE *fp)
{
    const augur_profile_result *r = &j->profile;
    fprintf(fp, "profile:     %zu points, %zu bins, offsets", r->n, r->bins);
    for (size_t b = 0; b < r->bins; b++)
        fprintf(fp, " %.3g", r->offsets[b]);
    fprintf(fp, "\n  %-22s %s\n", "x", "y");
    for (size_t i = 0; i < r->n; i++)
        fprintf(fp, "  %-22.15g %.15g\n", r->x[i], r->y[i]);
}
