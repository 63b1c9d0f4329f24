/* plot.h - private to the `augur` command: pictures of runs (plot.c reads
 * results files and CSV logs into these figures, plot_draw.c draws them
 * with PLplot, compare.c draws its solvers' convergence).
 *
 * Every draw_* writes one file, its format chosen by the extension (.svg,
 * .png, .pdf), and returns CLI_OK or CLI_USAGE / CLI_IO after printing
 * why. PLplot's own chatter is caught and shown only when it failed.
 * Without PLplot (built without it) every draw_* says what to install and
 * returns CLI_USAGE. */
#ifndef AUGUR_CLI_PLOT_H
#define AUGUR_CLI_PLOT_H

#include <stddef.h>

/* One curve: n points (x[i], y[i]). */
typedef struct plot_series {
    double *x, *y;
    size_t n;
    char label[96];
} plot_series;

/* Best f against evaluations: one or more step curves, each ending in a
 * marker (where its run stopped); `reason` printed under the title. */
typedef struct plot_convergence {
    char title[160];
    char reason[320];
    plot_series *lines;       /* lines[0] is drawn last, on top, in black */
    size_t nlines;
    const char *first_label;  /* legend: lines[0] */
    const char *rest_label;   /* legend: every other line (one entry) */
} plot_convergence;

/* Where an ensemble's inner runs started and ended, on two coordinates,
 * over the cost's contours when z is set (gx by gy values, row-major by
 * x: z[ix * gy + iy], on [lo, hi] of each axis). */
typedef struct plot_minima {
    char title[160];
    char xlabel[32], ylabel[32];
    size_t nruns;
    double *sx, *sy, *ex, *ey;
    size_t best;              /* the run with the best f */
    double *z;
    size_t gx, gy;
    double lo[2], hi[2];
} plot_minima;

/* A fit: the data with error bars and the fitted curve, and the residuals
 * below ((y - fit) / sigma when the data have sigma, else y - fit). */
typedef struct plot_fit {
    char title[160];
    char xlabel[64], ylabel[64];
    size_t n;
    double *x, *y, *sigma, *residual;   /* sigma NULL: none */
    int weighted;
    plot_series curve;
} plot_fit;

/* A profile scan: the joined curve, and where its bins begin. */
typedef struct plot_profile {
    char title[160];
    char xlabel[64];
    plot_series curve;
    double *edges;            /* x where bin 1, 2, ... begins */
    size_t nedges;
} plot_profile;

/* Median and quartiles of best f over seeds, per solver. */
typedef struct plot_band {
    char label[96];
    double *evals, *q1, *median, *q3;
    size_t n;
} plot_band;

/* CLI_OK when this augur can draw, else CLI_USAGE after saying what to
 * install (checked before any work is done). */
int plot_ready(void);
int draw_convergence(const char *path, const plot_convergence *c);
int draw_minima(const char *path, const plot_minima *m);
int draw_fit(const char *path, const plot_fit *f);
int draw_profile(const char *path, const plot_profile *p);
int draw_bands(const char *path, const char *title, const plot_band *b, size_t n);

/* CLI_OK when path may be written: a regular file or a name that does not
 * exist yet, in a directory that exists (symbolic links, directories,
 * devices and FIFOs are refused). Prints why not. (A shared checker for
 * output paths is planned in core/; this one is local until then.) */
int plot_output_ok(const char *path);
/* A checkpoint (plot_checkpoint.c): 1 when path starts as one does; its
 * convergence so far drawn into out (kind NULL or "convergence"). */
int plot_is_checkpoint(const char *path);
int plot_checkpoint(const char *path, const char *out, const char *kind);
/* "svg", "pngcairo" or "pdfcairo" by extension, or NULL. */
const char *plot_device(const char *path);

#endif
