/* plot_page.h - private to the CLI: a PLplot figure's page, shared by the
 * figures of plot_draw.c (plot_page.c): the session that keeps PLplot's
 * own output off stdout and stderr, the palette and the axes. */
#ifndef AUGUR_CLI_PLOT_PAGE_H
#define AUGUR_CLI_PLOT_PAGE_H

#include <stddef.h>
#include <stdio.h>
#include <plplot.h>

/* Colour map 0: white background, black axes, grey, then NCOLOURS
 * distinct colours from C_FIRST (plot_colour). */
enum { C_BG = 0, C_FG = 1, C_GREY = 2, C_FIRST = 3, NCOLOURS = 10 };

/* stdout and stderr, set aside while PLplot draws. */
typedef struct plot_quiet {
    int out, err;
    FILE *cap;
} plot_quiet;

/* Start a figure of width x height pixels written to path (its device
 * from the extension, plot_device); CLI_OK or a message (cli_fail). */
int plot_begin(const char *path, int width, int height, plot_quiet *q);
/* Finish it: CLI_OK, or a message with what PLplot said. */
int plot_end(const char *path, plot_quiet *q);

/* The i-th of the distinct colours, cycling. */
PLINT plot_colour(size_t i);
/* Make that colour's opacity alpha (0 clear .. 1 opaque) from now on. */
void plot_colour_alpha(size_t i, double alpha);
/* Widen [*lo, *hi] to the finite values of v[0..n). */
void plot_extend(const double *v, size_t n, double *lo, double *hi);
/* Widen [*lo, *hi] by frac of its width on each side ([0, 1] when empty). */
void plot_pad(double *lo, double *hi, double frac);
/* The window and the box; 'l' in yopt: a log10 axis labelled 1e<k>. */
void plot_frame(double x0, double x1, double y0, double y1, const char *xopt,
                const char *yopt);

#endif
