/* plot.c - `augur plot FILE -o OUT.svg`: a picture of a run.
 *
 *     augur plot RESULTS|LOG.csv|CHECKPOINT -o OUT.svg|.png|.pdf [--kind K] [--axes i,j]
 *
 * FILE is a results file (config/results.c) or a CSV log of the logging
 * monitor. Kinds: convergence (best f against evaluations: the results'
 * history, one line per inner run for an ensemble, or the log's rows),
 * minima (an ensemble's inner runs from start to end on coordinates i and
 * j, over the cost's contours for a 2-D registry model), fit (the data,
 * the fitted curve, the residuals) and profile (a profile scan with its
 * bins). The default is the file's own: profile for a profile scan, fit
 * for a fit, else convergence. Drawing is plot_draw.c's. */
#include <errno.h>
#include <libconfig.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur/fit.h"
#include "augur/model.h"
#include "cli.h"
#include "plot.h"

typedef struct plot_args {
    const char *file, *out, *kind;
    size_t axes[2];
} plot_args;

static const char usage[] =
    "usage: augur plot FILE -o OUT [--kind convergence|minima|fit|profile] [--axes i,j]\n";

static int parse(int argc, char **argv, plot_args *a, int *help)
{
    *a = (plot_args){.axes = {0, 1}};
    *help = 0;
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        int more = i + 1 < argc;
        if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0)
            *help = 1;
        else if ((strcmp(w, "-o") == 0 || strcmp(w, "--output") == 0) && more)
            a->out = argv[++i];
        else if (strcmp(w, "--kind") == 0 && more)
            a->kind = argv[++i];
        else if (strcmp(w, "--axes") == 0 && more) {
            unsigned long p, q;
            char tail;
            if (sscanf(argv[++i], "%lu,%lu%c", &p, &q, &tail) != 2 || p == q)
                return cli_fail(CLI_USAGE, "plot: --axes wants two different "
                                "coordinates, e.g. 0,1");
            a->axes[0] = p;
            a->axes[1] = q;
        } else if (w[0] == '-' && w[1])
            return cli_fail(CLI_USAGE, "plot: unknown option '%s' or a missing value\n%s",
                            w, usage);
        else if (!a->file)
            a->file = w;
        else
            return cli_fail(CLI_USAGE, "plot: one FILE only\n%s", usage);
    }
    if (*help)
        return CLI_OK;
    if (!a->file || !a->out)
        return cli_fail(CLI_USAGE, "plot: %s\n%s", a->file ? "where to? (-o OUT.svg)"
                        : "which file?", usage);
    if (a->kind && strcmp(a->kind, "convergence") && strcmp(a->kind, "minima") &&
        strcmp(a->kind, "fit") && strcmp(a->kind, "profile"))
        return cli_fail(CLI_USAGE, "plot: --kind %s: expected convergence, minima, fit "
                        "or profile", a->kind);
    return CLI_OK;
}

/* --- Reading ---------------------------------------------------------------------- */

/* A vector setting (array, or list with "inf"/"nan" strings) as doubles. */
static int get_vec(const config_setting_t *s, double **v, size_t *n)
{
    *v = NULL;
    *n = 0;
    if (!s || !(config_setting_is_array(s) || config_setting_is_list(s)))
        return -1;
    int len = config_setting_length(s);
    *v = malloc(((size_t)len + 1) * sizeof **v);
    if (!*v)
        return -1;
    for (int i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        int t = config_setting_type(e);
        if (t == CONFIG_TYPE_STRING)
            (*v)[i] = strtod(config_setting_get_string(e), NULL);
        else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
            (*v)[i] = (double)config_setting_get_int64(e);
        else
            (*v)[i] = config_setting_get_float(e);
    }
    *n = (size_t)len;
    return 0;
}

static const char *get_text(const config_setting_t *s, const char *path)
{
    const char *v = NULL;
    return s && config_setting_lookup_string(s, path, &v) ? v : NULL;
}

static const config_setting_t *find(const config_t *c, const char *path)
{
    return config_lookup(c, path);
}

/* "nelder-mead on rosen" and the like. */
static void describe(const config_t *c, char *buf, size_t cap)
{
    const char *type = NULL, *model = NULL, *fit = NULL;
    config_lookup_string(c, "solver.type", &type);
    config_lookup_string(c, "problem.model", &model);
    config_lookup_string(c, "problem.fit.model", &fit);
    snprintf(buf, cap, "%s on %s%s", type ? type : "a solver", fit ? "a fit of " : "",
             fit ? fit : model ? model : "a formula");
}

static void free_series(plot_series *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].x);
        free(s[i].y);
    }
    free(s);
}

/* The history group under s as a series (NULL x when there is none). */
static void history_of(const config_setting_t *s, plot_series *out)
{
    size_t ne = 0, nf = 0;
    const config_setting_t *h = s ? config_setting_get_member(s, "history") : NULL;
    get_vec(h ? config_setting_get_member(h, "evaluations") : NULL, &out->x, &ne);
    get_vec(h ? config_setting_get_member(h, "f") : NULL, &out->y, &nf);
    out->n = ne < nf ? ne : nf;
}

/* --- Convergence --------------------------------------------------------------- */

static int csv_convergence(const plot_args *a, plot_convergence *c)
{
    FILE *fp = fopen(a->file, "r");
    if (!fp)
        return cli_fail(CLI_USAGE, "plot: %s: %s", a->file, strerror(errno));
    c->lines = calloc(1, sizeof *c->lines);
    size_t cap = 0, n = 0;
    char line[1 << 16];
    int rc = c->lines ? CLI_OK : cli_fail(CLI_USAGE, "out of memory");
    if (rc == CLI_OK && !fgets(line, sizeof line, fp))
        rc = cli_fail(CLI_USAGE, "plot: %s: empty", a->file);
    double best = INFINITY;
    while (rc == CLI_OK && fgets(line, sizeof line, fp)) {
        unsigned long long g, e;
        double f;
        if (sscanf(line, "%llu,%llu,%lf", &g, &e, &f) != 3) {
            rc = cli_fail(CLI_USAGE, "plot: %s: a line that is not "
                          "generation,evaluations,f,...: %.40s", a->file, line);
            break;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            double *x = realloc(c->lines[0].x, cap * sizeof *x);
            double *y = x ? realloc(c->lines[0].y, cap * sizeof *y) : NULL;
            if (x)
                c->lines[0].x = x;
            if (!y) {
                rc = cli_fail(CLI_USAGE, "out of memory");
                break;
            }
            c->lines[0].y = y;
        }
        best = f < best ? f : best;
        c->lines[0].x[n] = (double)e;
        c->lines[0].y[n++] = best;
    }
    fclose(fp);
    if (rc == CLI_OK && n == 0)
        rc = cli_fail(CLI_USAGE, "plot: %s: no rows to plot", a->file);
    c->nlines = c->lines ? 1 : 0;
    if (c->lines)
        c->lines[0].n = n;
    char *copy = strdup(a->file);
    snprintf(c->title, sizeof c->title, "Convergence: %s", copy ? basename(copy) : "log");
    free(copy);
    snprintf(c->reason, sizeof c->reason, "best f so far (lowest) from a CSV log; "
             "the log does not say why the run stopped");
    c->first_label = "best f so far";
    return rc;
}

static int results_convergence(const config_t *cf, const plot_args *a, plot_convergence *c)
{
    const config_setting_t *runs = find(cf, "results.runs");
    size_t nruns = runs ? (size_t)config_setting_length(runs) : 0;
    const char *reason = NULL;
    config_lookup_string(cf, "results.reason", &reason);
    char what[128];
    describe(cf, what, sizeof what);
    snprintf(c->title, sizeof c->title, "Convergence: %s", what);
    snprintf(c->reason, sizeof c->reason, "stopped: %.300s", reason ? reason : "?");
    c->lines = calloc(nruns ? nruns : 1, sizeof *c->lines);
    if (!c->lines)
        return cli_fail(CLI_USAGE, "out of memory");
    if (nruns) {
        /* best run first; then the rest in run order */
        size_t best = 0;
        double bf = INFINITY;
        for (size_t i = 0; i < nruns; i++) {
            double f = INFINITY;
            config_setting_lookup_float(config_setting_get_elem(runs, (unsigned)i), "f", &f);
            if (f < bf) {
                bf = f;
                best = i;
            }
        }
        for (size_t i = 0, k = 1; i < nruns; i++)
            history_of(config_setting_get_elem(runs, (unsigned)i),
                       &c->lines[i == best ? 0 : k++]);
        c->nlines = nruns;
        c->first_label = "the best inner run";
        c->rest_label = "the other inner runs";
        if (c->lines[0].n) {
            size_t len = strlen(c->reason);
            snprintf(c->reason + len, sizeof c->reason - len, "; %zu inner runs, each "
                     "from its own first evaluation", nruns);
            return CLI_OK;
        }
        free_series(c->lines, nruns);
        if (!(c->lines = calloc(1, sizeof *c->lines)))
            return cli_fail(CLI_USAGE, "out of memory");
    }
    history_of(find(cf, "results"), &c->lines[0]);
    c->nlines = 1;
    c->rest_label = NULL;
    c->first_label = "best f so far";
    if (!c->lines[0].n)
        return cli_fail(CLI_USAGE, "plot: %s: no convergence history (results.history); "
                        "rerun it with this augur, or plot its logging monitor's CSV",
                        a->file);
    return CLI_OK;
}

/* --- Minima ------------------------------------------------------------------------ */

static void contour(const config_t *cf, plot_minima *m, const plot_args *a, size_t n)
{
    const char *name = NULL;
    config_lookup_string(cf, "problem.model", &name);
    const augur_model *model = name ? augur_model_find(name) : NULL;
    double lb[2], ub[2];
    if (!model || n != 2 || augur_model_box(model, 2, lb, ub) != AUGUR_OK)
        return;
    for (int k = 0; k < 2; k++) {
        double lo = lb[a->axes[k]], hi = ub[a->axes[k]];
        const double *s = k ? m->sy : m->sx, *e = k ? m->ey : m->ex;
        for (size_t i = 0; i < m->nruns; i++) {
            lo = fmin(lo, fmin(s[i], e[i]));
            hi = fmax(hi, fmax(s[i], e[i]));
        }
        m->lo[k] = lo;
        m->hi[k] = hi;
    }
    m->gx = m->gy = 160;
    if (!(m->z = malloc(m->gx * m->gy * sizeof *m->z)))
        return;
    for (size_t i = 0; i < m->gx; i++)
        for (size_t j = 0; j < m->gy; j++) {
            double x[2];
            x[a->axes[0]] = m->lo[0] + (m->hi[0] - m->lo[0]) * (double)i / (double)(m->gx - 1);
            x[a->axes[1]] = m->lo[1] + (m->hi[1] - m->lo[1]) * (double)j / (double)(m->gy - 1);
            m->z[i * m->gy + j] = model->cost(x, 2, NULL);
        }
}

static int results_minima(const config_t *cf, const plot_args *a, plot_minima *m)
{
    const config_setting_t *runs = find(cf, "results.runs");
    size_t nruns = runs ? (size_t)config_setting_length(runs) : 0;
    if (!nruns)
        return cli_fail(CLI_USAGE, "plot: %s: --kind minima needs an ensemble's inner "
                        "runs (results.runs)", a->file);
    m->nruns = nruns;
    m->sx = calloc(nruns, sizeof(double));
    m->sy = calloc(nruns, sizeof(double));
    m->ex = calloc(nruns, sizeof(double));
    m->ey = calloc(nruns, sizeof(double));
    if (!m->sx || !m->sy || !m->ex || !m->ey)
        return cli_fail(CLI_USAGE, "out of memory");
    size_t n = 0;
    double bf = INFINITY;
    for (size_t i = 0; i < nruns; i++) {
        const config_setting_t *r = config_setting_get_elem(runs, (unsigned)i);
        double *s = NULL, *e = NULL, f = INFINITY;
        size_t ns = 0, ne = 0;
        get_vec(config_setting_get_member(r, "start"), &s, &ns);
        get_vec(config_setting_get_member(r, "end"), &e, &ne);
        config_setting_lookup_float(r, "f", &f);
        n = ns;
        int ok = ns == ne && a->axes[0] < ns && a->axes[1] < ns;
        if (ok) {
            m->sx[i] = s[a->axes[0]];
            m->sy[i] = s[a->axes[1]];
            m->ex[i] = e[a->axes[0]];
            m->ey[i] = e[a->axes[1]];
        }
        free(s);
        free(e);
        if (!ok)
            return cli_fail(CLI_USAGE, "plot: --axes %zu,%zu: the runs have %zu "
                            "coordinates", a->axes[0], a->axes[1], ns);
        if (f < bf) {
            bf = f;
            m->best = i;
        }
    }
    char what[128];
    describe(cf, what, sizeof what);
    snprintf(m->title, sizeof m->title, "Minima found: %s", what);
    snprintf(m->xlabel, sizeof m->xlabel, "x[%zu]", a->axes[0]);
    snprintf(m->ylabel, sizeof m->ylabel, "x[%zu]", a->axes[1]);
    contour(cf, m, a, n);
    return CLI_OK;
}

/* --- Fits ------------------------------------------------------------------------------ */

static int predict(const augur_fit *fit, const double *p, size_t np, const augur_data *d,
                   double *yhat)
{
    return augur_fit_get_model(fit)->predict(p, np, d, yhat);
}

static int fit_curve(const augur_fit *fit, const double *p, size_t np, plot_fit *f)
{
    enum { DENSE = 400 };
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < f->n; i++) {
        lo = fmin(lo, f->x[i]);
        hi = fmax(hi, f->x[i]);
    }
    double xs[DENSE], zeros[DENSE] = {0};
    for (size_t i = 0; i < DENSE; i++)
        xs[i] = lo + (hi - lo) * (double)i / (DENSE - 1);
    augur_data *dense = augur_data_create(DENSE, 1, 1, xs, zeros, NULL);
    f->curve.x = malloc(DENSE * sizeof(double));
    f->curve.y = malloc(DENSE * sizeof(double));
    if (!f->curve.x || !f->curve.y) {
        augur_data_destroy(dense);
        return cli_fail(CLI_USAGE, "out of memory");
    }
    if (dense && hi > lo && predict(fit, p, np, dense, f->curve.y) == 0) {
        memcpy(f->curve.x, xs, sizeof xs);
        f->curve.n = DENSE;
    } else {   /* a model that predicts only at its data's x: join the points */
        for (size_t i = 0; i < f->n; i++) {
            f->curve.x[i] = f->x[i];
            f->curve.y[i] = f->y[i] - f->residual[i] * (f->weighted ? f->sigma[i] : 1);
        }
        f->curve.n = f->n < DENSE ? f->n : DENSE;
    }
    augur_data_destroy(dense);
    return CLI_OK;
}

static int results_fit(const config_t *cf, const plot_args *a, plot_fit *f)
{
    const char *model = NULL, *file = NULL, *xs = NULL, *ys = NULL, *ss = NULL;
    config_lookup_string(cf, "problem.fit.model", &model);
    const config_setting_t *dg = find(cf, "problem.fit.data");
    file = get_text(dg, "file");
    xs = get_text(dg, "x");
    ys = get_text(dg, "y");
    ss = get_text(dg, "sigma");
    double *p = NULL;
    size_t np = 0;
    get_vec(find(cf, "results.fit.parameters"), &p, &np);
    if (!model || !file || !xs || !ys || !np) {
        free(p);
        return cli_fail(CLI_USAGE, "plot: %s: --kind fit needs a fit's results "
                        "(problem.fit with a model and a data file, results.fit)", a->file);
    }
    char *copy = strdup(a->file), path[4096];
    if (file[0] == '/' || !copy)
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/%s", dirname(copy), file);
    free(copy);
    char err[1024];
    augur_data *d = NULL;
    augur_fit *fit = NULL;
    int rc = CLI_OK;
    if (augur_data_read_csv(path, xs, ys, ss, &d, err, sizeof err) != AUGUR_OK ||
        augur_fit_create(model, np, d, AUGUR_METRIC_CHI_SQUARE, &fit, err, sizeof err) !=
            AUGUR_OK)
        rc = cli_fail(CLI_USAGE, "plot: %s: %s", a->file, err);
    else if (augur_data_xdim(d) != 1 || augur_data_ydim(d) != 1)
        rc = cli_fail(CLI_USAGE, "plot: %s: fit plots draw one x column against one y "
                      "column; these data have %zu and %zu", a->file, augur_data_xdim(d),
                      augur_data_ydim(d));
    size_t n = d ? augur_data_points(d) : 0;
    if (rc == CLI_OK) {
        f->n = n;
        f->weighted = augur_data_weighted(d);
        f->x = malloc(n * sizeof(double));
        f->y = malloc(n * sizeof(double));
        f->residual = malloc(n * sizeof(double));
        f->sigma = f->weighted ? malloc(n * sizeof(double)) : NULL;
        if (!f->x || !f->y || !f->residual || (f->weighted && !f->sigma))
            rc = cli_fail(CLI_USAGE, "out of memory");
    }
    if (rc == CLI_OK && predict(fit, p, np, d, f->residual) != 0)
        rc = cli_fail(CLI_USAGE, "plot: %s: the model cannot predict at the answer",
                      a->file);
    if (rc == CLI_OK) {
        memcpy(f->x, augur_data_x(d), n * sizeof(double));
        memcpy(f->y, augur_data_y(d), n * sizeof(double));
        for (size_t i = 0; i < n; i++) {
            double s = f->weighted ? augur_data_sigma(d)[i] : 1;
            if (f->sigma)
                f->sigma[i] = s;
            f->residual[i] = (f->y[i] - f->residual[i]) / s;
        }
        rc = fit_curve(fit, p, np, f);
        double chi2 = NAN;
        config_lookup_float(cf, "results.fit.reduced_chi_square", &chi2);
        const char *base = strrchr(file, '/');
        snprintf(f->title, sizeof f->title, "Fit of %s to %s (reduced chi-square %.3g)",
                 model, base ? base + 1 : file, chi2);
        snprintf(f->xlabel, sizeof f->xlabel, "%s", xs);
        snprintf(f->ylabel, sizeof f->ylabel, "%s", ys);
    }
    augur_fit_destroy(fit);
    augur_data_destroy(d);
    free(p);
    return rc;
}

/* --- Profiles ------------------------------------------------------------------------- */

static int results_profile(const config_t *cf, const plot_args *a, plot_profile *p)
{
    const config_setting_t *g = find(cf, "results.profile");
    double *off = NULL;
    size_t nx = 0, ny = 0, nb = 0;
    get_vec(g ? config_setting_get_member(g, "x") : NULL, &p->curve.x, &nx);
    get_vec(g ? config_setting_get_member(g, "y") : NULL, &p->curve.y, &ny);
    get_vec(g ? config_setting_get_member(g, "offsets") : NULL, &off, &nb);
    if (!nx || nx != ny) {
        free(off);
        return cli_fail(CLI_USAGE, "plot: %s: --kind profile needs a profile scan's "
                        "results (results.profile)", a->file);
    }
    p->curve.n = nx;
    p->edges = malloc((nb ? nb : 1) * sizeof(double));
    /* offsets as indices where each bin's points begin: drawn only when
     * they read as such (increasing, inside the curve) */
    for (size_t b = 1; p->edges && b < nb; b++)
        if (off[b] > off[b - 1] && off[b] < (double)nx)
            p->edges[p->nedges++] = p->curve.x[(size_t)off[b]];
    free(off);
    int k = 0;
    config_lookup_int(cf, "profile.parameter", &k);
    char what[128];
    describe(cf, what, sizeof what);
    snprintf(p->title, sizeof p->title, "Profile of x[%d]: %s", k, what);
    snprintf(p->xlabel, sizeof p->xlabel, "x[%d] (pinned)", k);
    return CLI_OK;
}

/* --- The command ------------------------------------------------------------------ */

static int is_csv_log(const char *path)
{
    FILE *fp = fopen(path, "r");
    char head[32] = "";
    if (fp) {
        if (!fgets(head, sizeof head, fp))
            head[0] = '\0';
        fclose(fp);
    }
    return strncmp(head, "generation,evaluations,f", 24) == 0;
}

static int plot_results(const plot_args *a)
{
    config_t cf;
    config_init(&cf);
    if (config_read_file(&cf, a->file) != CONFIG_TRUE) {
        int rc = config_error_type(&cf) == CONFIG_ERR_FILE_IO
                     ? cli_fail(CLI_USAGE, "plot: %s: cannot read it", a->file)
                     : cli_fail(CLI_USAGE, "plot: %s:%d: %s (expected a results file or "
                                "a CSV log)", a->file, config_error_line(&cf),
                                config_error_text(&cf));
        config_destroy(&cf);
        return rc;
    }
    if (!find(&cf, "results")) {
        config_destroy(&cf);
        return cli_fail(CLI_USAGE, "plot: %s: no results group: a config file that has "
                        "not run (plot its results file: augur run FILE -o R.cfg)", a->file);
    }
    const char *kind = a->kind;
    if (!kind)
        kind = find(&cf, "results.profile") ? "profile"
               : find(&cf, "results.fit") ? "fit" : "convergence";
    int rc;
    if (strcmp(kind, "convergence") == 0) {
        plot_convergence c = {0};
        rc = results_convergence(&cf, a, &c);
        if (rc == CLI_OK)
            rc = draw_convergence(a->out, &c);
        free_series(c.lines, c.nlines ? c.nlines : 1);
    } else if (strcmp(kind, "minima") == 0) {
        plot_minima m = {0};
        rc = results_minima(&cf, a, &m);
        if (rc == CLI_OK)
            rc = draw_minima(a->out, &m);
        free(m.sx), free(m.sy), free(m.ex), free(m.ey), free(m.z);
    } else if (strcmp(kind, "fit") == 0) {
        plot_fit f = {0};
        rc = results_fit(&cf, a, &f);
        if (rc == CLI_OK)
            rc = draw_fit(a->out, &f);
        free(f.x), free(f.y), free(f.sigma), free(f.residual);
        free(f.curve.x), free(f.curve.y);
    } else {
        plot_profile p = {0};
        rc = results_profile(&cf, a, &p);
        if (rc == CLI_OK)
            rc = draw_profile(a->out, &p);
        free(p.curve.x), free(p.curve.y), free(p.edges);
    }
    config_destroy(&cf);
    return rc;
}

int cmd_plot(int argc, char **argv)
{
    plot_args a;
    int help;
    int rc = parse(argc, argv, &a, &help);
    if (rc != CLI_OK)
        return rc;
    if (help)
        return print_command_help("plot", stdout) == 0 ? CLI_OK : CLI_USAGE;
    if ((rc = plot_ready()) != CLI_OK || (rc = plot_output_ok(a.out)) != CLI_OK)
        return rc;
    if (plot_is_checkpoint(a.file))
        return plot_checkpoint(a.file, a.out, a.kind);
    if (is_csv_log(a.file)) {
        if (a.kind && strcmp(a.kind, "convergence"))
            return cli_fail(CLI_USAGE, "plot: %s: a CSV log has only the convergence",
                            a.file);
        plot_convergence c = {0};
        rc = csv_convergence(&a, &c);
        if (rc == CLI_OK)
            rc = draw_convergence(a.out, &c);
        free_series(c.lines, c.nlines);
        return rc;
    }
    return plot_results(&a);
}
