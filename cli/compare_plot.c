/* compare_plot.c - the picture of `augur compare --plot OUT`: each solver's
 * best f against evaluations, the median over seeds with the band from the
 * first to the third quartile, on a common grid of evaluations (PLplot
 * through plot.h; without it `--plot` was refused before any run). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare_int.h"
#include "plot.h"

enum { GRID = 120 };

/* Best f of trajectory t at e evaluations (NaN before its first record). */
static double best_at(const trajectory *t, double e)
{
    double f = NAN;
    for (size_t i = 0; i < t->len && t->evals[i] <= e; i++)
        f = t->f[i];
    return f;
}

static double last_evals(const row *r)
{
    double top = 0;
    for (size_t k = 0; r->traj && k < r->runs; k++)
        if (r->traj[k].len)
            top = fmax(top, r->traj[k].evals[r->traj[k].len - 1]);
    return top;
}

/* One solver's band on GRID points up to top evaluations; v has room for
 * every run. */
static int fill_band(plot_band *s, const row *r, double top, double *v)
{
    snprintf(s->label, sizeof s->label, "%.90s", r->type);
    s->evals = malloc(GRID * sizeof(double));
    s->q1 = malloc(GRID * sizeof(double));
    s->median = malloc(GRID * sizeof(double));
    s->q3 = malloc(GRID * sizeof(double));
    if (!s->evals || !s->q1 || !s->median || !s->q3)
        return cli_fail(CLI_USAGE, "out of memory");
    for (size_t g = 0; g < GRID; g++) {
        double e = top * (double)(g + 1) / GRID;
        size_t m = 0;
        for (size_t k = 0; k < r->runs; k++) {
            double f = best_at(&r->traj[k], e);
            if (isfinite(f))
                v[m++] = f;
        }
        if (m == 0)
            continue;
        s->evals[s->n] = e;
        s->q1[s->n] = compare_quantile(v, m, 0.25);
        s->median[s->n] = compare_quantile(v, m, 0.5);
        s->q3[s->n++] = compare_quantile(v, m, 0.75);
    }
    return CLI_OK;
}

int compare_draw(const char *path, const char *file, size_t seeds, const row *rows,
                 size_t count)
{
    plot_band *b = calloc(count ? count : 1, sizeof *b);
    double *v = malloc((seeds ? seeds : 1) * sizeof *v);
    int rc = b && v ? CLI_OK : cli_fail(CLI_USAGE, "out of memory");
    size_t nb = 0;
    for (size_t i = 0; rc == CLI_OK && i < count; i++) {
        double top = last_evals(&rows[i]);
        if (top > 0)
            rc = fill_band(&b[nb++], &rows[i], top, v);
    }
    if (rc == CLI_OK && nb == 0)
        rc = cli_fail(CLI_FAILED, "compare: --plot: no run to draw");
    if (rc == CLI_OK) {
        char title[200];
        const char *base = strrchr(file, '/');
        snprintf(title, sizeof title, "Solvers compared on %.60s, seeds 1..%zu",
                 base ? base + 1 : file, seeds);
        rc = draw_bands(path, title, b, nb);
    }
    for (size_t i = 0; b && i < nb; i++) {
        free(b[i].evals);
        free(b[i].q1);
        free(b[i].median);
        free(b[i].q3);
    }
    free(b);
    free(v);
    return rc;
}
