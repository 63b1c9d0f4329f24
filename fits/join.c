/* join.c - widening bins into their neighbours, and joining the overlapping
 * pieces of a binned scan back into one curve (augur/join.h).
 *
 * A scan cut into bins runs each bin as one map task; a bin is widened so
 * that its edges (where a warm-started scan has had the least room to
 * settle) overlap the next bin's middle. The join then works on the union
 * of the pieces' x values: each piece gets a window of credence over its
 * points, every piece after the first is moved by the offset that best
 * matches it to the earlier ones where they overlap (weighted least
 * squares, weights the product of the two windows), and each point of the
 * union takes the window-weighted mean of the moved pieces that have it.
 *
 * Two choices differ from a literal reading of the reference code, whose
 * comments state the intent. There, the mask that should single out
 * points covered by one piece is true at every point of the union, so a
 * zero weight counts as 1 even where another piece overlaps (a Hann end
 * inside the next bin would then get more credence than the bin's middle);
 * here a point falls back to equal weights only where the weights of the
 * pieces that have it sum to zero - one piece's end that no other piece
 * reaches, or ends that meet - which is also where the reference divides
 * 0 by 0. A piece that shares no weighted point with earlier pieces gets
 * offset 0 (nothing to align it with) instead of 0/0.
 *
 * Memory is linear in the total number of points: overlaps are found by
 * walking two pieces' sorted grid indices side by side, never through an
 * m-by-n table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur/join.h"
#include "internal.h"

#define PI 3.14159265358979323846

/* --- Bins ----------------------------------------------------------------- */

static int edges_ok(const double *edges, size_t nedges)
{
    for (size_t e = 0; e < nedges; e++)
        if (!isfinite(edges[e]) || (e > 0 && !(edges[e] > edges[e - 1])))
            return 0;
    return 1;
}

int augur_extend_bin(const double *edges, size_t nedges, size_t i, double k,
                     double *lo, double *hi)
{
    if (!edges || !lo || !hi || nedges < 2 || i >= nedges - 1 || isnan(k) ||
        !edges_ok(edges, nedges))
        return AUGUR_EINVAL;
    *lo = edges[i];
    *hi = edges[i + 1];
    if (nedges == 2)              /* one bin: no neighbour to reach into */
        return AUGUR_OK;
    k = fmax(0.0, fmin(1.0, k));
    if (i > 0)
        *lo -= k * (edges[i] - edges[i - 1]);
    if (i < nedges - 2)
        *hi += k * (edges[i + 2] - edges[i + 1]);
    return AUGUR_OK;
}

/* --- Windows --------------------------------------------------------------- */

/* Hann and Hamming are a0 - (1 - a0) cos(2 pi k / (len - 1)). Each value is
 * computed once and mirrored, so both ends of a piece get exactly the same
 * credence. */
static void cosine_window(double a0, double *w, size_t len)
{
    if (len == 1) {
        w[0] = 1;
        return;
    }
    for (size_t k = 0; k <= (len - 1) / 2; k++) {
        double v = a0 - (1 - a0) * cos(2 * PI * (double)k / (double)(len - 1));
        w[k] = w[len - 1 - k] = v > 0 ? v : 0;   /* never -0 or a rounding below 0 */
    }
}

static int fill_window(const augur_window *win, double *w, size_t len, size_t piece,
                       char *err, size_t cap)
{
    switch (win->kind) {
    case AUGUR_WINDOW_HANN:
        cosine_window(0.5, w, len);
        return AUGUR_OK;
    case AUGUR_WINDOW_HAMMING:
        cosine_window(0.54, w, len);
        return AUGUR_OK;
    case AUGUR_WINDOW_BOXCAR:
        for (size_t k = 0; k < len; k++)
            w[k] = 1;
        return AUGUR_OK;
    case AUGUR_WINDOW_CALLBACK:
        break;
    default:
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "join: unknown window kind %d",
                               (int)win->kind);
    }
    if (!win->fn)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "join: callback window without "
                               "a function");
    int rc = win->fn(w, len, win->data);
    if (rc < 0)
        return augur__fail_msg(err, cap, rc, "join: the window callback failed on "
                               "piece %zu (%s)", piece, augur_status_name(rc));
    for (size_t k = 0; k < len; k++)
        if (!isfinite(w[k]) || w[k] < 0)
            return augur__fail_msg(err, cap, AUGUR_EINVAL, "join: window weight %g "
                                   "at point %zu of piece %zu is not finite and >= 0",
                                   w[k], k, piece);
    return AUGUR_OK;
}

/* --- Input ----------------------------------------------------------------- */

static int check_piece(size_t i, const double *x, const double *y, size_t len,
                       char *err, size_t cap)
{
    if (len == 0)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "join: piece %zu is empty", i);
    if (!x || !y)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "join: piece %zu has a NULL "
                               "array", i);
    for (size_t k = 0; k < len; k++) {
        if (!isfinite(x[k]) || !isfinite(y[k]))
            return augur__fail_msg(err, cap, AUGUR_EINVAL, "join: piece %zu has "
                                   "x = %g, y = %g at point %zu: not finite", i, x[k],
                                   y[k], k);
        if (k > 0 && !(x[k] > x[k - 1]))
            return augur__fail_msg(err, cap, AUGUR_EINVAL, "join: piece %zu's x is "
                                   "not strictly increasing at point %zu (%g after %g)",
                                   i, k, x[k], x[k - 1]);
    }
    return AUGUR_OK;
}

static int check_input(size_t m, const double *const *xs, const double *const *ys,
                       const size_t *lens, char *err, size_t cap)
{
    if (m == 0 || !xs || !ys || !lens)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "join: need m >= 1 pieces "
                               "and their x, y and lengths");
    int rc = AUGUR_OK;
    for (size_t i = 0; i < m && rc == AUGUR_OK; i++)
        rc = check_piece(i, xs[i], ys[i], lens[i], err, cap);
    return rc;
}

/* --- The union grid -------------------------------------------------------- */

typedef struct piece {
    const double *y;
    size_t len;
    size_t *at;                   /* each point's index in the union grid */
    double *w;                    /* its window weight */
} piece;

static int compare_doubles(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/* Sorted, exact duplicates removed; returns the number kept. */
static size_t union_grid(size_t m, const double *const *xs, const size_t *lens,
                         double *grid)
{
    size_t total = 0;
    for (size_t i = 0; i < m; i++) {
        memcpy(grid + total, xs[i], lens[i] * sizeof *grid);
        total += lens[i];
    }
    qsort(grid, total, sizeof *grid, compare_doubles);
    size_t n = 0;
    for (size_t k = 0; k < total; k++)
        if (n == 0 || grid[k] != grid[n - 1])
            grid[n++] = grid[k];
    return n;
}

/* Both are sorted and the grid holds every x: one walk finds them all. */
static void locate(const double *x, size_t len, const double *grid, size_t *at)
{
    size_t g = 0;
    for (size_t k = 0; k < len; k++) {
        while (grid[g] != x[k])
            g++;
        at[k] = g;
    }
}

/* --- Offsets and the weighted mean ---------------------------------------- */

/* Over the points pieces i and j share: sum of w_i w_j (y_j + dj - y_i)
 * into *c and of w_i w_j into *sw. */
static void overlap_sums(const piece *pi, const piece *pj, double dj, double *c,
                         double *sw)
{
    size_t a = 0, b = 0;
    while (a < pi->len && b < pj->len) {
        if (pi->at[a] < pj->at[b]) {
            a++;
        } else if (pi->at[a] > pj->at[b]) {
            b++;
        } else {
            double w = pi->w[a] * pj->w[b];
            *c += w * (pj->y[b] + dj - pi->y[a]);
            *sw += w;
            a++;
            b++;
        }
    }
}

static void offsets(const piece *p, size_t m, double *d)
{
    d[0] = 0;
    for (size_t i = 1; i < m; i++) {
        double c = 0, sw = 0;
        for (size_t j = 0; j < i; j++)
            overlap_sums(&p[i], &p[j], d[j], &c, &sw);
        d[i] = sw > 0 ? c / sw : 0;
    }
}

/* The mean is taken about the first value seen at each point, so a point
 * that one piece has, or that every piece gives the same value, comes out
 * exactly as that value. */
typedef struct sums {
    double *ref, *num, *den, *plain;
    size_t *count;
} sums;

static void combine(const piece *p, size_t m, const double *d, size_t n, sums *s,
                    double *y)
{
    for (size_t i = 0; i < m; i++)
        for (size_t k = 0; k < p[i].len; k++) {
            size_t g = p[i].at[k];
            double v = p[i].y[k] + d[i];
            if (s->count[g]++ == 0)
                s->ref[g] = v;
            s->num[g] += p[i].w[k] * (v - s->ref[g]);
            s->den[g] += p[i].w[k];
            s->plain[g] += v - s->ref[g];
        }
    for (size_t g = 0; g < n; g++)
        y[g] = s->ref[g] + (s->den[g] > 0 ? s->num[g] / s->den[g]
                                          : s->plain[g] / (double)s->count[g]);
}

/* --- The join -------------------------------------------------------------- */

typedef struct work {
    piece *p;
    size_t *at;
    double *w;
    sums s;
} work;

static void work_free(work *wk)
{
    free(wk->p);
    free(wk->at);
    free(wk->w);
    free(wk->s.ref);
    free(wk->s.num);
    free(wk->s.den);
    free(wk->s.plain);
    free(wk->s.count);
}

static int allocate(work *wk, augur_joined *out, size_t m, size_t total)
{
    wk->p = calloc(m, sizeof *wk->p);
    wk->at = malloc(total * sizeof *wk->at);
    wk->w = malloc(total * sizeof *wk->w);
    wk->s.ref = calloc(total, sizeof *wk->s.ref);
    wk->s.num = calloc(total, sizeof *wk->s.num);
    wk->s.den = calloc(total, sizeof *wk->s.den);
    wk->s.plain = calloc(total, sizeof *wk->s.plain);
    wk->s.count = calloc(total, sizeof *wk->s.count);
    out->x = malloc(total * sizeof *out->x);
    out->y = malloc(total * sizeof *out->y);
    out->offsets = malloc(m * sizeof *out->offsets);
    return wk->p && wk->at && wk->w && wk->s.ref && wk->s.num && wk->s.den &&
                   wk->s.plain && wk->s.count && out->x && out->y && out->offsets
               ? AUGUR_OK
               : AUGUR_ENOMEM;
}

static int set_up_pieces(work *wk, size_t m, const double *const *xs,
                         const double *const *ys, const size_t *lens,
                         const augur_window *win, const augur_joined *out, char *err,
                         size_t cap)
{
    size_t used = 0;
    for (size_t i = 0; i < m; i++) {
        wk->p[i] = (piece){.y = ys[i], .len = lens[i], .at = wk->at + used,
                           .w = wk->w + used};
        used += lens[i];
        locate(xs[i], lens[i], out->x, wk->p[i].at);
        int rc = fill_window(win, wk->p[i].w, lens[i], i, err, cap);
        if (rc != AUGUR_OK)
            return rc;
    }
    return AUGUR_OK;
}

int augur_join_results(size_t m, const double *const *xs, const double *const *ys,
                       const size_t *lens, augur_window window, augur_joined *out,
                       char *err, size_t cap)
{
    if (err && cap)
        err[0] = '\0';
    if (!out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "join: NULL result");
    memset(out, 0, sizeof *out);
    int rc = check_input(m, xs, ys, lens, err, cap);
    if (rc != AUGUR_OK)
        return rc;
    size_t total = 0;
    for (size_t i = 0; i < m; i++)
        total += lens[i];
    work wk = {0};
    rc = allocate(&wk, out, m, total);
    if (rc != AUGUR_OK) {
        augur__fail_msg(err, cap, rc, "join: out of memory");
    } else {
        out->m = m;
        out->n = union_grid(m, xs, lens, out->x);
        rc = set_up_pieces(&wk, m, xs, ys, lens, &window, out, err, cap);
    }
    if (rc == AUGUR_OK) {
        offsets(wk.p, m, out->offsets);
        combine(wk.p, m, out->offsets, out->n, &wk.s, out->y);
    }
    work_free(&wk);
    if (rc != AUGUR_OK)
        augur_joined_destroy(out);
    return rc;
}

void augur_joined_destroy(augur_joined *j)
{
    if (!j)
        return;
    free(j->x);
    free(j->y);
    free(j->offsets);
    memset(j, 0, sizeof *j);
}
