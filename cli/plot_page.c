/* plot_page.c - what every figure of `augur plot` stands on: the device a
 * name asks for and the check that the name may be written (without
 * PLplot too), and with PLplot a figure's page: its session, palette and
 * axes (plot_page.h; the figures are in plot_draw.c).
 *
 * PLplot writes warnings to stderr and, with some drivers, notes to
 * stdout; `augur plot` must print only its own lines. So every figure is
 * drawn with stdout and stderr pointed at a temporary file, and what was
 * caught there is passed on (as "augur: plot: ...") only when drawing
 * failed. plsabort() routes PLplot's recoverable errors to us as well. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "plot.h"

const char *plot_device(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return NULL;
    if (strcmp(dot, ".svg") == 0)
        return "svg";
    if (strcmp(dot, ".png") == 0)
        return "pngcairo";
    if (strcmp(dot, ".pdf") == 0)
        return "pdfcairo";
    return NULL;
}

int plot_output_ok(const char *path)
{
    if (!plot_device(path))
        return cli_fail(CLI_USAGE, "plot: %s: the name must end in .svg, .png or .pdf",
                        path);
    char why[512];
    if (augur_output_path_check(path, why, sizeof why) != AUGUR_OK)
        return cli_fail(CLI_IO, "plot: %s", why);
    if (access(path, F_OK) == 0)   /* a regular file: PLplot opens it for writing */
        return access(path, W_OK) == 0
                   ? CLI_OK
                   : cli_fail(CLI_IO, "plot: %s: %s", path, strerror(errno));
    return check_writable(path);
}

#ifdef AUGUR_HAVE_PLPLOT
#include "plot_page.h"

/* Colour map 0: white background, black axes, then ten distinct colours. */
static const PLINT pal_r[] = {255, 0, 170, 31, 255, 44, 214, 148, 140, 227, 127, 188, 23};
static const PLINT pal_g[] = {255, 0, 170, 119, 127, 160, 39, 103, 86, 119, 127, 189, 190};
static const PLINT pal_b[] = {255, 0, 170, 180, 14, 44, 40, 189, 75, 194, 127, 34, 207};

static char abort_msg[512];

static void on_abort(PLCHAR_VECTOR msg)
{
    snprintf(abort_msg, sizeof abort_msg, "%s", msg);
}


static int quiet_begin(plot_quiet *q)
{
    fflush(stdout);
    fflush(stderr);
    q->cap = tmpfile();
    q->out = q->cap ? dup(1) : -1;
    q->err = q->cap ? dup(2) : -1;
    if (!q->cap || q->out < 0 || q->err < 0) {
        if (q->cap)
            fclose(q->cap);
        return cli_fail(CLI_IO, "plot: cannot make a temporary file: %s",
                        strerror(errno));
    }
    dup2(fileno(q->cap), 1);
    dup2(fileno(q->cap), 2);
    return CLI_OK;
}

/* Put stdout and stderr back; show what PLplot said when `failed`. */
static void quiet_end(plot_quiet *q, int failed)
{
    fflush(stdout);
    fflush(stderr);
    dup2(q->out, 1);
    dup2(q->err, 2);
    close(q->out);
    close(q->err);
    if (failed) {
        char line[512];
        rewind(q->cap);
        while (fgets(line, sizeof line, q->cap))
            if (strspn(line, " \t\r\n") < strlen(line))
                fprintf(stderr, "augur: plot: PLplot: %s", line);
    }
    fclose(q->cap);
}

static int has_device(const char *dev)
{
    /* the caller's arrays: n in is their size, n out the devices */
    enum { MAXDEV = 128 };
    const char *menu[MAXDEV], *names[MAXDEV];
    const char **pm = menu, **pn = names;
    int n = MAXDEV;
    plgDevs(&pm, &pn, &n);
    int found = 0;
    for (int i = 0; i < n && i < MAXDEV; i++)
        found |= names[i] && strcmp(names[i], dev) == 0;
    return found;
}

/* Start a figure of width x height pixels; CLI_OK or a message. */
int plot_begin(const char *path, int width, int height, plot_quiet *q)
{
    const char *dev = plot_device(path);
    int rc = plot_output_ok(path);
    if (rc != CLI_OK)
        return rc;
    if ((rc = quiet_begin(q)) != CLI_OK)
        return rc;
    abort_msg[0] = '\0';
    plsabort(on_abort);
    if (!has_device(dev)) {
        quiet_end(q, 1);
        return cli_fail(CLI_USAGE, "plot: PLplot has no '%s' driver here; install it:\n"
                        "  apt-get install plplot-driver-cairo", dev);
    }
    plsdev(dev);
    plsfnam(path);
    plspage(0, 0, width, height, 0, 0);
    plscmap0(pal_r, pal_g, pal_b, C_FIRST + NCOLOURS);
    plsetopt("bg", "FFFFFF");
    plinit();
    plfontld(1);
    pladv(0);
    return CLI_OK;
}

int plot_end(const char *path, plot_quiet *q)
{
    plend();
    struct stat st;
    int failed = abort_msg[0] || stat(path, &st) != 0 || st.st_size == 0;
    quiet_end(q, failed);
    if (abort_msg[0])
        return cli_fail(CLI_IO, "plot: %s: %s", path, abort_msg);
    if (failed)
        return cli_fail(CLI_IO, "plot: %s: nothing was written", path);
    return CLI_OK;
}

PLINT plot_colour(size_t i)
{
    return (PLINT)(C_FIRST + i % NCOLOURS);
}

void plot_colour_alpha(size_t i, double alpha)
{
    PLINT c = plot_colour(i);
    plscol0a(c, pal_r[c], pal_g[c], pal_b[c], alpha);
}

/* Range of v[0..n) that is finite, widened a little; [0, 1] for none. */
void plot_extend(const double *v, size_t n, double *lo, double *hi)
{
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            *lo = v[i] < *lo ? v[i] : *lo;
            *hi = v[i] > *hi ? v[i] : *hi;
        }
}

void plot_pad(double *lo, double *hi, double frac)
{
    if (!(*lo <= *hi)) {
        *lo = 0;
        *hi = 1;
    }
    double w = *hi - *lo;
    if (w <= 0)
        w = fabs(*lo) > 0 ? fabs(*lo) * 0.1 : 1;
    *lo -= frac * w;
    *hi += frac * w;
}

/* Labels of a log10 axis: the decade as 1e<k> (1, 10 for 0 and 1). */
static void decade_label(PLINT axis, PLFLT value, PLCHAR_NC_VECTOR label, PLINT len,
                         PLPointer data)
{
    (void)axis;
    (void)data;
    long k = lround(value);
    if (k == 0)
        snprintf(label, (size_t)len, "1");
    else if (k == 1)
        snprintf(label, (size_t)len, "10");
    else
        snprintf(label, (size_t)len, "1e%ld", k);
}

void plot_frame(double x0, double x1, double y0, double y1, const char *xopt,
                const char *yopt)
{
    plwind(x0, x1, y0, y1);
    plcol0(C_FG);
    plwidth(1);
    /* A log axis ('l' in yopt) is drawn in log10 units with our own labels
     * ("1e-20"): every decade while about eight fit, else every k-th, so a
     * run down to 1e-30 stays readable. */
    if (!strchr(yopt, 'l')) {
        plbox(xopt, 0, 0, yopt, 0, 0);
        return;
    }
    char opt[16];
    size_t k = 0;
    for (const char *c = yopt; *c && k + 2 < sizeof opt; c++)
        if (*c != 'l')
            opt[k++] = *c;
    opt[k++] = 'o';
    opt[k] = '\0';
    PLFLT ytick = y1 - y0 > 8 ? ceil((y1 - y0) / 8) : 1;
    plslabelfunc(decade_label, NULL);
    plbox(xopt, 0, 0, opt, ytick, ytick > 1 ? 1 : 0);
    plslabelfunc(NULL, NULL);
}

#endif
