/* test_join.c - widening bins and joining overlapping pieces: the seed's
 * demonstration (two lines over [0, 49] and [25, 74]) with its offset and
 * joined values worked out by hand, every case of extend_bin, the
 * windows, the rule for points whose weights are all zero, and bad input.
 *
 * The demonstration by hand: the pieces overlap at x = 25..49, where the
 * pair weight is h(x) h(x - 25) with h the Hann window of 50 points. h is
 * symmetric (h(k) = h(49 - k)), so with u = x - 25 the pair weight is
 * h(u) h(24 - u), symmetric about u = 12: its weighted mean of x is 37.
 * The offset is the weighted mean of y0 - y1 = (x - 25) - (4x + 49) =
 * -3x - 74, so Delta_y_1 = -3 * 37 - 74 = -185: the second line moved to
 * 4x - 136, which meets x - 25 at x = 37 (both 12). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "augur/join.h"
#include "augur/status.h"

#define PI 3.14159265358979323846

static double hann50(double k)
{
    return 0.5 - 0.5 * cos(2 * PI * k / 49);
}

typedef struct demo {
    double x0[50], y0[50], x1[50], y1[50];
    const double *xs[2], *ys[2];
    size_t lens[2];
} demo;

static void make_demo(demo *d)
{
    for (int k = 0; k < 50; k++) {
        d->x0[k] = k;
        d->y0[k] = k - 25;
        d->x1[k] = k + 25;
        d->y1[k] = 4.0 * (k + 25) + 49;
    }
    d->xs[0] = d->x0;
    d->xs[1] = d->x1;
    d->ys[0] = d->y0;
    d->ys[1] = d->y1;
    d->lens[0] = d->lens[1] = 50;
}

static augur_joined join_demo(augur_window w)
{
    demo d;
    make_demo(&d);
    augur_joined j;
    char err[256];
    int rc = augur_join_results(2, d.xs, d.ys, d.lens, w, &j, err, sizeof err);
    cr_assert_eq(rc, AUGUR_OK, "%s", err);
    return j;
}

Test(join, demonstration_union_grid)
{
    augur_joined j = join_demo((augur_window){0});
    cr_assert_eq(j.n, 75);
    cr_assert_eq(j.m, 2);
    for (size_t g = 0; g < 75; g++)
        cr_assert_eq(j.x[g], (double)g);
    augur_joined_destroy(&j);
    cr_assert_null(j.x);
}

Test(join, demonstration_offset_by_hand)
{
    augur_joined j = join_demo((augur_window){.kind = AUGUR_WINDOW_HANN});
    cr_assert_eq(j.offsets[0], 0.0);
    cr_assert(fabs(j.offsets[1] - -185.0) < 1e-9, "Delta_y_1 = %.17g", j.offsets[1]);
    augur_joined_destroy(&j);
}

/* Only piece 0 below 25, only piece 1 (moved by -185) above 49; at 25 and
 * 49 the other piece's Hann weight is 0; at 37 the moved lines meet; at 30
 * the weighted mean of 5 (weight h(30)) and -16 (weight h(5)). */
Test(join, demonstration_values)
{
    augur_joined j = join_demo((augur_window){0});
    const struct {
        size_t x;
        double y;
    } want[] = {{0, -25}, {10, -15}, {24, -1}, {25, 0}, {37, 12},
                {49, 60}, {50, 64}, {60, 104}, {74, 160}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        cr_assert(fabs(j.y[want[k].x] - want[k].y) < 1e-9, "x = %zu: %.17g, not %g",
                  want[k].x, j.y[want[k].x], want[k].y);
    double at30 = (hann50(30) * 5 + hann50(5) * -16) / (hann50(30) + hann50(5));
    cr_assert(fabs(j.y[30] - at30) < 1e-12, "%.17g vs %.17g", j.y[30], at30);
    cr_assert(fabs(at30 - 2.8723239085854666) < 1e-12);
    augur_joined_destroy(&j);
}

/* Boxcar: the offset is the plain mean of -3x - 74 over 25..49 (again
 * -185) and overlap points are plain means. Hamming's weights are also
 * symmetric, so the same offset, but its ends weigh 0.08, not 0. */
Test(join, boxcar_and_hamming)
{
    augur_joined b = join_demo((augur_window){.kind = AUGUR_WINDOW_BOXCAR});
    cr_assert(fabs(b.offsets[1] - -185.0) < 1e-9);
    cr_assert(fabs(b.y[30] - (5.0 + -16.0) / 2) < 1e-12);
    cr_assert(fabs(b.y[25] - (0.0 + -36.0) / 2) < 1e-12);
    augur_joined_destroy(&b);
    augur_joined h = join_demo((augur_window){.kind = AUGUR_WINDOW_HAMMING});
    cr_assert(fabs(h.offsets[1] - -185.0) < 1e-9);
    double w25 = 0.54 - 0.46 * cos(2 * PI * 25 / 49);
    double want = (w25 * 0 + 0.08 * -36.0) / (w25 + 0.08);
    cr_assert(fabs(h.y[25] - want) < 1e-9, "%.17g vs %.17g", h.y[25], want);
    augur_joined_destroy(&h);
}

static int ones(double *w, size_t len, void *data)
{
    (void)data;
    for (size_t k = 0; k < len; k++)
        w[k] = 1;
    return 0;
}

static int failing(double *w, size_t len, void *data)
{
    (void)w, (void)len, (void)data;
    return AUGUR_EFAILED;
}

static int negative(double *w, size_t len, void *data)
{
    ones(w, len, data);
    w[len / 2] = -1;
    return 0;
}

Test(join, callback_window)
{
    augur_joined c = join_demo((augur_window){.kind = AUGUR_WINDOW_CALLBACK, .fn = ones});
    augur_joined b = join_demo((augur_window){.kind = AUGUR_WINDOW_BOXCAR});
    for (size_t g = 0; g < 75; g++)
        cr_assert_eq(c.y[g], b.y[g]);
    augur_joined_destroy(&c);
    augur_joined_destroy(&b);
    demo d;
    make_demo(&d);
    augur_joined j;
    char err[256];
    augur_window bad = {.kind = AUGUR_WINDOW_CALLBACK, .fn = failing};
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, d.lens, bad, &j, err, sizeof err),
                 AUGUR_EFAILED);
    cr_assert(strstr(err, "window"), "%s", err);
    bad.fn = negative;
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, d.lens, bad, &j, err, sizeof err),
                 AUGUR_EINVAL);
    bad.fn = NULL;
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, d.lens, bad, &j, err, sizeof err),
                 AUGUR_EINVAL);
    bad.kind = (augur_window_kind)42;
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, d.lens, bad, &j, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert_null(j.x);
}

/* Identical pieces: offsets exactly 0 and the curve exactly the piece's,
 * ends included (there every weight is 0, so all pieces count equally). */
Test(join, identical_pieces_join_to_themselves)
{
    double x[40], y[40];
    for (int k = 0; k < 40; k++) {
        x[k] = 0.1 * k - 1;
        y[k] = sin(3 * x[k]) + x[k] * x[k];
    }
    const double *xs[3] = {x, x, x}, *ys[3] = {y, y, y};
    size_t lens[3] = {40, 40, 40};
    augur_window wins[] = {{.kind = AUGUR_WINDOW_HANN}, {.kind = AUGUR_WINDOW_HAMMING},
                           {.kind = AUGUR_WINDOW_BOXCAR}};
    for (size_t w = 0; w < 3; w++) {
        augur_joined j;
        cr_assert_eq(augur_join_results(3, xs, ys, lens, wins[w], &j, NULL, 0), AUGUR_OK);
        cr_assert_eq(j.n, 40);
        for (size_t i = 0; i < 3; i++)
            cr_assert_eq(j.offsets[i], 0.0);
        for (size_t k = 0; k < 40; k++) {
            cr_assert_eq(j.x[k], x[k]);
            cr_assert_eq(j.y[k], y[k], "window %zu, point %zu", w, k);
        }
        augur_joined_destroy(&j);
    }
}

Test(join, single_piece_is_unchanged)
{
    double x[7] = {-3, -1.5, 0, 0.25, 2, 7, 11}, y[7] = {5, -2, 0.125, 9, 1e-300, -7, 3};
    const double *xs[1] = {x}, *ys[1] = {y};
    size_t lens[1] = {7};
    augur_joined j;
    cr_assert_eq(augur_join_results(1, xs, ys, lens, (augur_window){0}, &j, NULL, 0),
                 AUGUR_OK);
    cr_assert_eq(j.n, 7);
    cr_assert_eq(j.offsets[0], 0.0);
    for (size_t k = 0; k < 7; k++) {
        cr_assert_eq(j.x[k], x[k]);
        cr_assert_eq(j.y[k], y[k]);
    }
    augur_joined_destroy(&j);
    /* one point: weight 1 under every window */
    lens[0] = 1;
    cr_assert_eq(augur_join_results(1, xs, ys, lens, (augur_window){0}, &j, NULL, 0),
                 AUGUR_OK);
    cr_assert_eq(j.n, 1);
    cr_assert_eq(j.y[0], 5.0);
    augur_joined_destroy(&j);
}

/* Pieces that meet at one point: no weighted overlap, so the offset is 0;
 * at the shared point both Hann weights are 0 and the two count equally;
 * the outer ends (weight 0, one piece) keep their piece's value. Pieces
 * may come in any order: the union grid is sorted. */
Test(join, zero_weight_rule_at_ends)
{
    double x0[11], y0[11], x1[11], y1[11];
    for (int k = 0; k <= 10; k++) {
        x0[k] = 10 + k;
        y0[k] = 10 + k + 1;
        x1[k] = k;
        y1[k] = k;
    }
    const double *xs[2] = {x0, x1}, *ys[2] = {y0, y1};
    size_t lens[2] = {11, 11};
    augur_joined j;
    cr_assert_eq(augur_join_results(2, xs, ys, lens, (augur_window){0}, &j, NULL, 0),
                 AUGUR_OK);
    cr_assert_eq(j.n, 21);
    cr_assert_eq(j.offsets[1], 0.0);
    cr_assert_eq(j.x[0], 0.0);
    cr_assert_eq(j.x[20], 20.0);
    cr_assert_eq(j.y[0], 0.0);
    cr_assert_eq(j.y[10], 10.5);
    cr_assert_eq(j.y[20], 21.0);
    cr_assert_eq(j.y[5], 5.0);
    cr_assert_eq(j.y[15], 16.0);
    augur_joined_destroy(&j);
}

Test(join, bad_input)
{
    demo d;
    make_demo(&d);
    augur_joined j = {.n = 99};
    char err[256];
    augur_window w = {0};
    cr_assert_eq(augur_join_results(0, d.xs, d.ys, d.lens, w, &j, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert_eq(j.n, 0, "the result is zeroed on failure");
    cr_assert_neq(err[0], '\0');
    cr_assert_eq(augur_join_results(2, NULL, d.ys, d.lens, w, &j, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, d.lens, w, NULL, err, sizeof err),
                 AUGUR_EINVAL);
    size_t lens[2] = {50, 0};
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, lens, w, &j, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert(strstr(err, "empty"), "%s", err);
    d.x1[10] = d.x1[9];
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, d.lens, w, &j, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert(strstr(err, "increasing"), "%s", err);
    make_demo(&d);
    d.x0[3] = 100;
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, d.lens, w, &j, err, sizeof err),
                 AUGUR_EINVAL);
    make_demo(&d);
    d.y1[3] = NAN;
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, d.lens, w, &j, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert(strstr(err, "finite"), "%s", err);
    make_demo(&d);
    d.x0[0] = -INFINITY;
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, d.lens, w, &j, err, sizeof err),
                 AUGUR_EINVAL);
    make_demo(&d);
    d.ys[1] = NULL;
    cr_assert_eq(augur_join_results(2, d.xs, d.ys, d.lens, w, &j, err, sizeof err),
                 AUGUR_EINVAL);
    cr_assert_null(j.x);
    augur_joined_destroy(NULL);
}

/* --- extend_bin ------------------------------------------------------------ */

static void bin_is(const double *e, size_t ne, size_t i, double k, double lo, double hi)
{
    double l = NAN, h = NAN;
    cr_assert_eq(augur_extend_bin(e, ne, i, k, &l, &h), AUGUR_OK);
    cr_assert(l == lo && h == hi, "bin %zu, k %g: [%g, %g], not [%g, %g]", i, k, l, h,
              lo, hi);
}

Test(join, extend_bin_cases)
{
    const double e[4] = {0, 1, 3, 6};
    bin_is(e, 4, 0, 0.5, 0, 2);           /* first: keeps its lower edge */
    bin_is(e, 4, 1, 0.5, 0.5, 4.5);       /* middle: half of each neighbour */
    bin_is(e, 4, 2, 0.5, 2, 6);           /* last: keeps its upper edge */
    bin_is(e, 4, 1, 0, 1, 3);             /* no overlap */
    bin_is(e, 4, 1, 1, 0, 6);             /* whole neighbours */
    bin_is(e, 4, 1, 7, 0, 6);             /* k clamped to 1 */
    bin_is(e, 4, 1, -2, 1, 3);            /* ... and to 0 */
    bin_is(e, 4, 1, INFINITY, 0, 6);
    bin_is(e, 4, 1, 0.05, 1 - 0.05, 3 + 0.05 * 3);   /* the seed's default k */
    const double one[2] = {2, 5};
    bin_is(one, 2, 0, 0.5, 2, 5);         /* a single bin is its own range */
    bin_is(one, 2, 0, 1, 2, 5);
    const double two[3] = {0, 1, 2};
    bin_is(two, 3, 0, 0.25, 0, 1.25);
    bin_is(two, 3, 1, 0.25, 0.75, 2);
}

Test(join, extend_bin_bad_input)
{
    const double e[4] = {0, 1, 3, 6}, flat[3] = {0, 1, 1}, nan[3] = {0, NAN, 2};
    double lo, hi;
    cr_assert_eq(augur_extend_bin(NULL, 4, 0, 0.1, &lo, &hi), AUGUR_EINVAL);
    cr_assert_eq(augur_extend_bin(e, 1, 0, 0.1, &lo, &hi), AUGUR_EINVAL);
    cr_assert_eq(augur_extend_bin(e, 4, 3, 0.1, &lo, &hi), AUGUR_EINVAL);
    cr_assert_eq(augur_extend_bin(e, 4, 0, NAN, &lo, &hi), AUGUR_EINVAL);
    cr_assert_eq(augur_extend_bin(e, 4, 0, 0.1, NULL, &hi), AUGUR_EINVAL);
    cr_assert_eq(augur_extend_bin(flat, 3, 0, 0.1, &lo, &hi), AUGUR_EINVAL);
    cr_assert_eq(augur_extend_bin(nan, 3, 0, 0.1, &lo, &hi), AUGUR_EINVAL);
}
