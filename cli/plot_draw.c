/* plot_draw.c - the figures of plot.h drawn with PLplot (docs/PLOTS.md says
 * why PLplot), each on a page of plot_page.c. Built without PLplot, each
 * draw_* says what to install. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "plot.h"

#ifndef AUGUR_HAVE_PLPLOT

static int missing(void)
{
    return cli_fail(CLI_USAGE, "plot: this augur was built without PLplot; install it "
                    "and rebuild:\n  apt-get install libplplot-dev plplot-driver-cairo");
}

int plot_ready(void)
{
    return missing();
}

int draw_convergence(const char *path, const plot_convergence *c)
{
    (void)path, (void)c;
    return missing();
}

int draw_minima(const char *path, const plot_minima *m)
{
    (void)path, (void)m;
    return missing();
}

int draw_fit(const char *path, const plot_fit *f)
{
    (void)path, (void)f;
    return missing();
}

int draw_profile(const char *path, const plot_profile *p)
{
    (void)path, (void)p;
    return missing();
}

int draw_bands(const char *path, const char *title, const plot_band *b, size_t n)
{
    (void)path, (void)title, (void)b, (void)n;
    return missing();
}

#else
#include "plot_page.h"

int plot_ready(void)
{
    return CLI_OK;
}

/* --- Convergence -------------------------------------------------------------- */

/* How f is drawn: log10 when the positive values span three decades or
 * more, with values <= 0 (a run that reached an exact minimum of 0) drawn
 * on a floor a decade below the smallest positive one; linear when any
 * value is negative or the span is small. */
typedef struct yscale {
    int log;
    double floor;                 /* log10 of where values <= 0 are drawn */
    int floored;                  /* some value was drawn there */
    char label[64];
} yscale;

typedef struct yrange {
    double min_pos, max;
    int negative, nonpos;
} yrange;

static void yrange_add(yrange *r, double y)
{
    if (!isfinite(y))
        return;
    if (y < 0)
        r->negative = 1;
    if (y <= 0)
        r->nonpos = 1;
    else if (y < r->min_pos)
        r->min_pos = y;
    if (y > r->max)
        r->max = y;
}

static yscale choose_scale(const yrange *r)
{
    yscale sc = {.log = 0};
    if (!r->negative && r->min_pos < INFINITY && r->max > 0 &&
        (r->max / r->min_pos >= 1e3 || r->nonpos)) {
        sc.log = 1;
        sc.floor = log10(r->min_pos) - 1;
        sc.floored = r->nonpos;
    }
    if (sc.log && sc.floored)
        snprintf(sc.label, sizeof sc.label, "best f (log scale; 0 drawn at 1e%.0f)",
                 sc.floor);
    else
        snprintf(sc.label, sizeof sc.label, "%s", sc.log ? "best f (log scale)" : "best f");
    return sc;
}

/* y in plot coordinates. */
static double yval(const yscale *sc, double y)
{
    if (!sc->log || !isfinite(y))
        return y;
    return y > 0 ? log10(y) : sc->floor;
}

/* The step curve of (x, y) in plot coordinates. */
static void step_line(const plot_series *s, const yscale *sc, int marker)
{
    size_t m = 0;
    PLFLT *px = malloc((2 * s->n + 1) * sizeof *px), *py = malloc((2 * s->n + 1) * sizeof *py);
    if (!px || !py) {
        free(px);
        free(py);
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        double y = yval(sc, s->y[i]);
        if (!isfinite(y))
            continue;
        if (m) {
            px[m] = s->x[i];
            py[m] = py[m - 1];
            m++;
        }
        px[m] = s->x[i];
        py[m++] = y;
    }
    if (m > 1)
        plline((PLINT)m, px, py);
    if (m && marker)
        plstring(1, &px[m - 1], &py[m - 1], "#(850)");
    free(px);
    free(py);
}

int draw_convergence(const char *path, const plot_convergence *c)
{
    plot_quiet q;
    int rc = plot_begin(path, 900, 600, &q);
    if (rc != CLI_OK)
        return rc;
    yrange r = {.min_pos = INFINITY, .max = -INFINITY};
    for (size_t k = 0; k < c->nlines; k++)
        for (size_t i = 0; i < c->lines[k].n; i++)
            yrange_add(&r, c->lines[k].y[i]);
    yscale sc = choose_scale(&r);
    double x0 = 0, x1 = 1, y0 = INFINITY, y1 = -INFINITY;
    for (size_t k = 0; k < c->nlines; k++) {
        plot_extend(c->lines[k].x, c->lines[k].n, &x0, &x1);
        for (size_t i = 0; i < c->lines[k].n; i++) {
            double y = yval(&sc, c->lines[k].y[i]);
            plot_extend(&y, 1, &y0, &y1);
        }
    }
    plot_pad(&y0, &y1, 0.05);
    plvpor(0.11, 0.95, 0.12, 0.86);
    plot_frame(0, x1 * 1.02, y0, y1, "bcnst", sc.log ? "bcnstvl" : "bcnstv");
    pllab("evaluations", sc.label, c->title);
    plschr(0, 0.8);
    plmtex("t", 1.0, 0.5, 0.5, c->reason);
    plschr(0, 1.0);
    for (size_t k = c->nlines; k-- > 0;) {
        plcol0(k == 0 ? C_FG : plot_colour(k - 1));
        plwidth(k == 0 ? 2.5 : 1.2);
        step_line(&c->lines[k], &sc, 1);
    }
    /* legend: the first line, the others as one entry, the stop marker */
    const char *text[3] = {c->first_label, c->rest_label, "where it stopped"};
    PLINT opts[3] = {PL_LEGEND_LINE, PL_LEGEND_LINE, PL_LEGEND_SYMBOL};
    PLINT lcol[3] = {C_FG, plot_colour(0), C_FG}, lsty[3] = {1, 1, 1}, tcol[3] = {C_FG, C_FG, C_FG};
    PLFLT lw[3] = {2.5, 1.2, 1}, ssc[3] = {1, 1, 1};
    PLINT snum[3] = {1, 1, 1}, scol[3] = {C_FG, C_FG, C_FG};
    const char *sym[3] = {"", "", "#(850)"};
    PLINT nl = c->nlines > 1 && c->rest_label ? 3 : 2;
    if (nl == 2) {
        text[1] = text[2];
        opts[1] = opts[2];
        sym[1] = sym[2];
    }
    PLFLT w, h;
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, PL_POSITION_TOP |
             PL_POSITION_RIGHT | PL_POSITION_INSIDE, 0.02, 0.02, 0.08, C_BG, C_FG, 1, 0,
             0, nl, opts, 1.0, 0.9, 2.0, 0.0, tcol, text, NULL, NULL, NULL, NULL, lcol, lsty,
             lw, scol, ssc, snum, sym);
    return plot_end(path, &q);
}

/* --- Minima --------------------------------------------------------------------- */

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Contour levels at quantiles of z, so both deep wells and high walls show. */
static void quantile_levels(const double *z, size_t n, PLFLT *lev, int nlev)
{
    double *s = malloc(n * sizeof *s);
    size_t m = 0;
    for (size_t i = 0; s && i < n; i++)
        if (isfinite(z[i]))
            s[m++] = z[i];
    if (m)
        qsort(s, m, sizeof *s, by_value);
    for (int k = 0; k < nlev; k++)
        lev[k] = m ? s[(size_t)((double)(m - 1) * k / (nlev - 1))] : k;
    for (int k = 1; k < nlev; k++)   /* strictly increasing */
        if (!(lev[k] > lev[k - 1]))
            lev[k] = lev[k - 1] + 1e-12 * (fabs(lev[k - 1]) + 1);
    free(s);
}

static void background(const plot_minima *m)
{
    enum { NLEV = 16 };
    PLFLT lev[NLEV];
    quantile_levels(m->z, m->gx * m->gy, lev, NLEV);
    PLFLT **a = NULL;
    plAlloc2dGrid(&a, (PLINT)m->gx, (PLINT)m->gy);
    for (size_t i = 0; i < m->gx; i++)
        for (size_t j = 0; j < m->gy; j++) {
            double v = m->z[i * m->gy + j];
            a[i][j] = isfinite(v) ? v : lev[NLEV - 1];
        }
    /* pale blues for low, pale yellow for high */
    PLFLT pos[2] = {0, 1}, r[2] = {0.62, 1.0}, g[2] = {0.78, 0.98}, b[2] = {0.95, 0.80};
    plscmap1l(1, 2, pos, r, g, b, NULL);
    plshades((PLFLT_MATRIX)a, (PLINT)m->gx, (PLINT)m->gy, NULL, m->lo[0], m->hi[0], m->lo[1],
             m->hi[1], lev, NLEV, 1, C_GREY, 0.5, plfill, 1, NULL, NULL);
    plFree2dGrid(a, (PLINT)m->gx, (PLINT)m->gy);
}

int draw_minima(const char *path, const plot_minima *m)
{
    plot_quiet q;
    int rc = plot_begin(path, 800, 700, &q);
    if (rc != CLI_OK)
        return rc;
    double x0 = m->lo[0], x1 = m->hi[0], y0 = m->lo[1], y1 = m->hi[1];
    if (!m->z) {
        x0 = y0 = INFINITY;
        x1 = y1 = -INFINITY;
        plot_extend(m->sx, m->nruns, &x0, &x1);
        plot_extend(m->ex, m->nruns, &x0, &x1);
        plot_extend(m->sy, m->nruns, &y0, &y1);
        plot_extend(m->ey, m->nruns, &y0, &y1);
        plot_pad(&x0, &x1, 0.08);
        plot_pad(&y0, &y1, 0.08);
    }
    plvpor(0.12, 0.95, 0.11, 0.88);
    plwind(x0, x1, y0, y1);
    if (m->z)
        background(m);
    plot_frame(x0, x1, y0, y1, "bcnst", "bcnstv");
    pllab(m->xlabel, m->ylabel, m->title);
    plschr(0, 0.8);
    plmtex("t", 1.0, 0.5, 0.5, m->z ? "each inner run: start (circle) to end (cross); "
           "contours of the cost" : "each inner run: start (circle) to end (cross)");
    plschr(0, 1.0);
    for (size_t i = 0; i < m->nruns; i++) {
        PLFLT px[2] = {m->sx[i], m->ex[i]}, py[2] = {m->sy[i], m->ey[i]};
        plcol0(plot_colour(0));
        plwidth(1.2);
        plline(2, px, py);
        plcol0(C_FG);
        plpoin(1, &px[0], &py[0], 4);
        plcol0(plot_colour(3));
        plpoin(1, &px[1], &py[1], 5);
    }
    if (m->nruns) {
        PLFLT bx = m->ex[m->best], by = m->ey[m->best];
        plcol0(C_FG);
        plschr(0, 1.6);
        plstring(1, &bx, &by, "#(850)");
        plschr(0, 1.0);
    }
    const char *text[3] = {"start", "end", "best end"};
    PLINT opts[3] = {PL_LEGEND_SYMBOL, PL_LEGEND_SYMBOL, PL_LEGEND_SYMBOL};
    PLINT tcol[3] = {C_FG, C_FG, C_FG}, scol[3] = {C_FG, plot_colour(3), C_FG};
    PLFLT ssc[3] = {1, 1, 2};
    PLINT snum[3] = {1, 1, 1};
    const char *sym[3] = {"#(840)", "#(846)", "#(850)"};
    PLFLT w, h;
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, PL_POSITION_TOP |
             PL_POSITION_RIGHT | PL_POSITION_INSIDE, 0.02, 0.02, 0.05, C_BG, C_FG, 1, 0, 0,
             3, opts, 1.0, 0.9, 2.0, 0.0, tcol, text, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             scol, ssc, snum, sym);
    return plot_end(path, &q);
}

/* --- Fits --------------------------------------------------------------------------- */

int draw_fit(const char *path, const plot_fit *f)
{
    plot_quiet q;
    int rc = plot_begin(path, 900, 700, &q);
    if (rc != CLI_OK)
        return rc;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    plot_extend(f->x, f->n, &x0, &x1);
    plot_extend(f->curve.x, f->curve.n, &x0, &x1);
    for (size_t i = 0; i < f->n; i++) {
        double s = f->sigma ? f->sigma[i] : 0, lo = f->y[i] - s, hi = f->y[i] + s;
        plot_extend(&lo, 1, &y0, &y1);
        plot_extend(&hi, 1, &y0, &y1);
    }
    plot_extend(f->curve.y, f->curve.n, &y0, &y1);
    plot_pad(&x0, &x1, 0.02);
    plot_pad(&y0, &y1, 0.05);
    /* the data and the curve */
    plvpor(0.12, 0.95, 0.38, 0.88);
    plot_frame(x0, x1, y0, y1, "bcst", "bcnstv");
    pllab("", f->ylabel, f->title);
    plcol0(plot_colour(0));
    for (size_t i = 0; f->sigma && i < f->n; i++) {
        PLFLT xx = f->x[i], lo = f->y[i] - f->sigma[i], hi = f->y[i] + f->sigma[i];
        plerry(1, &xx, &lo, &hi);
    }
    plstring((PLINT)f->n, f->x, f->y, "#(850)");
    plcol0(plot_colour(3));
    plwidth(2);
    plline((PLINT)f->curve.n, f->curve.x, f->curve.y);
    plwidth(1);
    const char *text[2] = {f->sigma ? "data (error bars: sigma)" : "data", "fit"};
    PLINT opts[2] = {PL_LEGEND_SYMBOL, PL_LEGEND_LINE};
    PLINT tcol[2] = {C_FG, C_FG}, lcol[2] = {0, plot_colour(3)}, lsty[2] = {1, 1};
    PLINT scol[2] = {plot_colour(0), 0}, snum[2] = {1, 1};
    PLFLT lw[2] = {1, 2}, ssc[2] = {1, 1};
    const char *sym[2] = {"#(850)", ""};
    PLFLT w, h;
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, PL_POSITION_TOP |
             PL_POSITION_RIGHT | PL_POSITION_INSIDE, 0.02, 0.03, 0.06, C_BG, C_FG, 1, 0, 0,
             2, opts, 1.0, 0.9, 2.0, 0.0, tcol, text, NULL, NULL, NULL, NULL, lcol, lsty, lw,
             scol, ssc, snum, sym);
    /* the residuals */
    double r0 = INFINITY, r1 = -INFINITY;
    plot_extend(f->residual, f->n, &r0, &r1);
    double rmax = fmax(fabs(r0), fabs(r1));
    if (!(rmax > 0))
        rmax = 1;
    plvpor(0.12, 0.95, 0.11, 0.33);
    plot_frame(x0, x1, -1.15 * rmax, 1.15 * rmax, "bcnst", "bcnstv");
    pllab(f->xlabel, f->weighted ? "(y - fit) / sigma" : "y - fit", "");
    PLFLT zx[2] = {x0, x1}, zy[2] = {0, 0};
    plcol0(C_GREY);
    plline(2, zx, zy);
    plcol0(plot_colour(0));
    plpoin((PLINT)f->n, f->x, f->residual, 17);
    return plot_end(path, &q);
}

/* --- Profiles ----------------------------------------------------------------------- */

int draw_profile(const char *path, const plot_profile *p)
{
    plot_quiet q;
    int rc = plot_begin(path, 900, 600, &q);
    if (rc != CLI_OK)
        return rc;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    plot_extend(p->curve.x, p->curve.n, &x0, &x1);
    plot_extend(p->curve.y, p->curve.n, &y0, &y1);
    plot_pad(&x0, &x1, 0.02);
    plot_pad(&y0, &y1, 0.06);
    plvpor(0.11, 0.95, 0.12, 0.86);
    plot_frame(x0, x1, y0, y1, "bcnst", "bcnstv");
    pllab(p->xlabel, "best f with it pinned", p->title);
    plschr(0, 0.8);
    plmtex("t", 1.0, 0.5, 0.5, "dashed lines: where each bin of the scan begins");
    plschr(0, 1.0);
    plcol0(C_GREY);
    pllsty(2);
    for (size_t i = 0; i < p->nedges; i++) {
        PLFLT bx[2] = {p->edges[i], p->edges[i]}, by[2] = {y0, y1};
        plline(2, bx, by);
    }
    pllsty(1);
    plcol0(plot_colour(0));
    plwidth(2);
    plline((PLINT)p->curve.n, p->curve.x, p->curve.y);
    plwidth(1);
    plpoin((PLINT)p->curve.n, p->curve.x, p->curve.y, 17);
    return plot_end(path, &q);
}

/* --- compare: median and quartiles over seeds ------------------------------------- */

int draw_bands(const char *path, const char *title, const plot_band *b, size_t n)
{
    plot_quiet q;
    int rc = plot_begin(path, 1000, 650, &q);
    if (rc != CLI_OK)
        return rc;
    yrange r = {.min_pos = INFINITY, .max = -INFINITY};
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < b[k].n; i++) {
            yrange_add(&r, b[k].q1[i]);
            yrange_add(&r, b[k].q3[i]);
        }
    yscale sc = choose_scale(&r);
    double x0 = 0, x1 = 1, y0 = INFINITY, y1 = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        plot_extend(b[k].evals, b[k].n, &x0, &x1);
        for (size_t i = 0; i < b[k].n; i++) {
            double lo = yval(&sc, b[k].q1[i]), hi = yval(&sc, b[k].q3[i]);
            plot_extend(&lo, 1, &y0, &y1);
            plot_extend(&hi, 1, &y0, &y1);
        }
    }
    plot_pad(&y0, &y1, 0.05);
    plvpor(0.10, 0.72, 0.12, 0.88);
    plot_frame(0, x1 * 1.02, y0, y1, "bcnst", sc.log ? "bcnstvl" : "bcnstv");
    pllab("evaluations", sc.label, title);
    plschr(0, 0.8);
    plmtex("t", 1.0, 0.5, 0.5, "lines: median over seeds; bands: first to third quartile");
    plschr(0, 1.0);
    const char **text = calloc(n, sizeof *text);
    PLINT *opts = calloc(n, sizeof *opts), *cols = calloc(n, sizeof *cols);
    PLINT *pats = calloc(n, sizeof *pats), *lsty = calloc(n, sizeof *lsty);
    PLFLT *lw = calloc(n, sizeof *lw), *bsc = calloc(n, sizeof *bsc);
    PLFLT *bw = calloc(n, sizeof *bw);
    PLFLT *px = NULL, *py = NULL;
    for (size_t k = 0; k < n; k++) {
        const plot_band *s = &b[k];
        free(px);
        free(py);
        px = malloc((2 * s->n + 2) * sizeof *px);
        py = malloc((2 * s->n + 2) * sizeof *py);
        if (!px || !py || !text || !opts || !cols || !pats || !lsty || !lw || !bsc || !bw)
            break;
        size_t m = 0;
        for (size_t i = 0; i < s->n; i++) {
            px[m] = s->evals[i];
            py[m++] = yval(&sc, s->q3[i]);
        }
        for (size_t i = s->n; i-- > 0;) {
            px[m] = s->evals[i];
            py[m++] = yval(&sc, s->q1[i]);
        }
        int finite = 1;
        for (size_t i = 0; i < m; i++)
            finite &= isfinite(py[i]) != 0;
        plcol0(plot_colour(k));
        plot_colour_alpha(k, 0.25);
        if (finite && m > 2)
            plfill((PLINT)m, px, py);
        plot_colour_alpha(k, 1.0);
        m = 0;
        for (size_t i = 0; i < s->n; i++) {
            double y = yval(&sc, s->median[i]);
            if (isfinite(y)) {
                px[m] = s->evals[i];
                py[m++] = y;
            }
        }
        plwidth(2);
        if (m > 1)
            plline((PLINT)m, px, py);
        plwidth(1);
        text[k] = s->label;
        opts[k] = PL_LEGEND_LINE | PL_LEGEND_COLOR_BOX;
        cols[k] = plot_colour(k);
        lsty[k] = 1;
        lw[k] = 2;
        bsc[k] = 0.8;
        bw[k] = 1;
    }
    free(px);
    free(py);
    if (text && opts && cols && pats && lsty && lw && bsc && bw) {
        PLFLT w, h;
        PLINT *tcol = cols;
        pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
                 PL_POSITION_RIGHT | PL_POSITION_OUTSIDE, 0.02, 0.0, 0.05,
                 C_BG, C_FG, 1, 0, 0, (PLINT)n, opts, 1.0, 0.9, 2.0, 0.0, tcol, text, cols,
                 pats, bsc, bw, cols, lsty, lw, NULL, NULL, NULL, NULL);
    }
    free(text);
    free(opts);
    free(cols);
    free(pats);
    free(lsty);
    free(lw);
    free(bsc);
    free(bw);
    return plot_end(path, &q);
}

#endif
