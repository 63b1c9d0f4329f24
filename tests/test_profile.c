/* test_profile.c - profile scans against profiles known in closed form.
 *
 * f(x) = (x0 - a)^2 + sum_{i>=1} (x_i - b x0)^2 + c: with x0 pinned at v
 * the other coordinates settle at b v, so the profile over x0 is exactly
 * (v - a)^2 + c; over x1 it is (v - a b)^2 / (1 + b^2) + c (x2 = b x0, and
 * x0 = (a + b v) / (1 + b^2) balances the first two terms). Rosenbrock's
 * profile over x0 is (1 - x0)^2 (x1 = x0^2), smallest at x0 = 1. The scans
 * are checked to 1e-8 at every grid value for several bin counts and
 * overlaps, and must be the same bytes on every map backend. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur.h"
#include "augur/profile.h"

static void quiet_gsl(void)
{
    gsl_set_error_handler_off();
}

TestSuite(profile, .init = quiet_gsl);

typedef struct bowl {
    double a, b, c;
} bowl;

static double bowl_cost(const double *x, size_t n, void *data)
{
    const bowl *p = data;
    double f = (x[0] - p->a) * (x[0] - p->a) + p->c;
    for (size_t i = 1; i < n; i++)
        f += (x[i] - p->b * x[0]) * (x[i] - p->b * x[0]);
    return f;
}

/* b = 1.5, not 2: powell.c gives up on a line whose first two points tie
 * (f(0) == f(1), a minimum exactly half a step away), which a warm start
 * moving x_i = b v by b * step = 0.5 would hit. */
static const bowl the_bowl = {.a = 0.5, .b = 1.5, .c = 3};

/* Powell solves each pinned quadratic exactly up to rounding; the tight
 * condition only stops it once it has. */
static augur_solver *powell(size_t n)
{
    augur_solver *s = augur_solver_create("powell", n);
    cr_assert_not_null(s);
    double x0[4] = {0.1, -0.2, 0.3, 0.4};
    cr_assert_eq(augur_solver_set_initial_point(s, x0), AUGUR_OK);
    augur_solver_set_termination(s, augur_term_change_over_generation(1e-15, 3));
    augur_solver_set_evaluation_limits(s, 0, 20000);
    return s;
}

static void scan(const augur_solver *s, augur_cost cost, void *data, augur_map *map,
                 const augur_profile_options *o, augur_profile_result *r)
{
    char err[512];
    int rc = augur_profile(s, cost, data, map, o, r, err, sizeof err);
    cr_assert_eq(rc, AUGUR_OK, "%s (%s)", err, augur_status_name(rc));
}

static double grid(const augur_profile_options *o, size_t j)
{
    return j + 1 == o->points ? o->to
                              : o->from + (o->to - o->from) * ((double)j / (double)(o->points - 1));
}

Test(profile, bowl_over_x0_every_bin_count_and_overlap)
{
    augur_solver *s = powell(3);
    const size_t bins[] = {1, 3, 5};
    const double overlaps[] = {0, 0.1};
    for (size_t bi = 0; bi < 3; bi++)
        for (size_t oi = 0; oi < 2; oi++) {
            augur_profile_options o = {.parameter = 0, .from = -2, .to = 3,
                                       .points = 26, .bins = bins[bi],
                                       .overlap = overlaps[oi], .seed = 7};
            augur_profile_result r;
            scan(s, bowl_cost, (void *)&the_bowl, NULL, &o, &r);
            cr_assert_eq(r.n, 26);
            cr_assert_eq(r.bins, bins[bi]);
            for (size_t j = 0; j < r.n; j++) {
                double v = grid(&o, j), want = (v - 0.5) * (v - 0.5) + 3;
                cr_assert_eq(r.x[j], v, "the grid's own values");
                cr_assert(fabs(r.y[j] - want) < 1e-8, "bins %zu, overlap %g, x0 = %g: "
                          "%.17g, not %.17g", bins[bi], overlaps[oi], v, r.y[j], want);
            }
            for (size_t b = 0; b < r.bins; b++)
                cr_assert(fabs(r.offsets[b]) < 1e-8, "bin %zu offset %g", b, r.offsets[b]);
            augur_profile_result_destroy(&r);
            cr_assert_null(r.x);
        }
    augur_solver_destroy(s);
}

/* The bins: equal bins of [from, to] widened by overlap times a
 * neighbour's width, holding the grid values inside; and the optimum
 * points: x_k at the value, the others where the closed form puts them. */
Test(profile, raw_bins_and_optima)
{
    augur_solver *s = powell(3);
    augur_profile_options o = {.parameter = 0, .from = 0, .to = 4, .points = 41,
                               .bins = 4, .overlap = 0.25, .seed = 1};
    augur_profile_result r;
    scan(s, bowl_cost, (void *)&the_bowl, NULL, &o, &r);
    const double lo[4] = {0, 0.75, 1.75, 2.75}, hi[4] = {1.25, 2.25, 3.25, 4};
    size_t total = 0;
    for (size_t b = 0; b < 4; b++) {
        const augur_profile_bin *rb = &r.raw[b];
        cr_assert(fabs(rb->lo - lo[b]) < 1e-12 && fabs(rb->hi - hi[b]) < 1e-12);
        cr_assert(rb->x[0] >= rb->lo - 1e-9 && rb->x[rb->n - 1] <= rb->hi + 1e-9);
        cr_assert_eq(rb->x[0], grid(&o, rb->first));
        for (size_t t = 0; t < rb->n; t++) {
            const double *p = rb->argmin + t * 3;
            cr_assert_eq(p[0], rb->x[t], "x_k is pinned");
            cr_assert(fabs(p[1] - 1.5 * p[0]) < 1e-6 && fabs(p[2] - 1.5 * p[0]) < 1e-6);
        }
        cr_assert_gt(rb->evaluations, 0);
        total += rb->evaluations;
    }
    cr_assert_eq(r.raw[0].n, 13);         /* 0 .. 1.2 */
    cr_assert_eq(r.raw[1].n, 15);         /* 0.8 .. 2.2 (0.75 .. 2.25) */
    cr_assert_eq(r.evaluations, total);
    cr_assert_eq(r.dimension, 3);
    augur_profile_result_destroy(&r);
    augur_solver_destroy(s);
}

Test(profile, bowl_over_x1)
{
    augur_solver *s = powell(3);
    augur_profile_options o = {.parameter = 1, .from = -3, .to = 3, .points = 31,
                               .bins = 3, .overlap = 0.2, .seed = 2};
    augur_profile_result r;
    scan(s, bowl_cost, (void *)&the_bowl, NULL, &o, &r);
    for (size_t j = 0; j < r.n; j++) {
        double v = r.x[j], want = (v - 0.75) * (v - 0.75) / 3.25 + 3;
        cr_assert(fabs(r.y[j] - want) < 1e-8, "x1 = %g: %.17g vs %.17g", v, r.y[j], want);
    }
    augur_profile_result_destroy(&r);
    augur_solver_destroy(s);
}

static int has_backend(const char *name)
{
    for (const char *const *t = augur_map_types(); *t; t++)
        if (strcmp(*t, name) == 0)
            return 1;
    return 0;
}

static void same_bytes(const augur_profile_result *a, const augur_profile_result *b,
                       const char *what)
{
    cr_assert_eq(a->n, b->n);
    cr_assert_eq(memcmp(a->y, b->y, a->n * sizeof *a->y), 0, "%s: joined curve", what);
    cr_assert_eq(memcmp(a->offsets, b->offsets, a->bins * sizeof *a->offsets), 0);
    cr_assert_eq(a->evaluations, b->evaluations, "%s", what);
    for (size_t k = 0; k < a->bins; k++) {
        const augur_profile_bin *p = &a->raw[k], *q = &b->raw[k];
        cr_assert_eq(p->n, q->n);
        cr_assert_eq(memcmp(p->y, q->y, p->n * sizeof *p->y), 0, "%s: bin %zu", what, k);
        cr_assert_eq(memcmp(p->argmin, q->argmin, p->n * 3 * sizeof *p->argmin), 0);
    }
}

/* Random starting points make every bin's runs depend on their seeds, so
 * equal bytes show that no seed depends on the worker or the backend. */
Test(profile, same_bytes_on_every_backend)
{
    augur_solver *s = augur_solver_create("nelder-mead", 3);
    double lb[3] = {-1, -1, -1}, ub[3] = {1, 1, 1};
    augur_solver_set_random_initial_points(s, lb, ub);
    augur_solver_set_evaluation_limits(s, 0, 3000);
    augur_profile_options o = {.parameter = 0, .from = -1, .to = 2, .points = 16,
                               .bins = 5, .overlap = 0.3, .seed = 99};
    augur_profile_result serial;
    scan(s, bowl_cost, (void *)&the_bowl, NULL, &o, &serial);
    const char *types[] = {"serial", "threads", "fork"};
    for (size_t t = 0; t < 3; t++) {
        if (!has_backend(types[t]))
            continue;
        augur_map *m = augur_map_create(types[t], 2);
        cr_assert_not_null(m, "%s", types[t]);
        augur_profile_result r;
        scan(s, bowl_cost, (void *)&the_bowl, m, &o, &r);
        same_bytes(&serial, &r, types[t]);
        augur_profile_result_destroy(&r);
        augur_map_destroy(m);
    }
    augur_profile_result_destroy(&serial);
    augur_solver_destroy(s);
}

Test(profile, rosenbrock_minimum_at_one)
{
    augur_solver *s = powell(2);
    augur_profile_options o = {.parameter = 0, .from = -1, .to = 2, .points = 31,
                               .bins = 3, .overlap = 0.1, .seed = 3};
    augur_profile_result r;
    scan(s, augur_model_rosen, NULL, NULL, &o, &r);
    size_t best = 0;
    for (size_t j = 0; j < r.n; j++) {
        if (r.y[j] < r.y[best])
            best = j;
        double want = (1 - r.x[j]) * (1 - r.x[j]);
        cr_assert(fabs(r.y[j] - want) < 1e-6, "x0 = %g: %g vs %g", r.x[j], r.y[j], want);
    }
    cr_assert(fabs(r.x[best] - 1) < 1e-12, "minimum at x0 = %g", r.x[best]);
    cr_assert_lt(r.y[best], 1e-8);
    augur_profile_result_destroy(&r);
    augur_solver_destroy(s);
}

/* The template is borrowed and unchanged: the same spec before and after. */
Test(profile, template_unchanged)
{
    augur_solver *s = powell(3);
    char *before = NULL, *after = NULL;
    cr_assert_eq(augur_solver_write_spec(s, &before), AUGUR_OK);
    augur_profile_options o = {.parameter = 2, .from = 0, .to = 1, .points = 5};
    augur_profile_result r;
    scan(s, bowl_cost, (void *)&the_bowl, NULL, &o, &r);
    cr_assert_eq(r.bins, 1, "bins 0 means one bin");
    cr_assert_eq(augur_solver_write_spec(s, &after), AUGUR_OK);
    cr_assert_str_eq(before, after);
    free(before);
    free(after);
    augur_profile_result_destroy(&r);
    augur_solver_destroy(s);
}

static double nan_cost(const double *x, size_t n, void *data)
{
    (void)x, (void)n, (void)data;
    return NAN;
}

static int identity(double *x, size_t n, void *data)
{
    (void)x, (void)n, (void)data;
    return 0;
}

static int fails(augur_solver *s, augur_cost cost, augur_map *map,
                 const augur_profile_options *o, const char *needle)
{
    char err[512] = "";
    augur_profile_result r = {.n = 5};
    int rc = augur_profile(s, cost, (void *)&the_bowl, map, o, &r, err, sizeof err);
    cr_assert_lt(rc, 0);
    cr_assert_eq(r.n, 0, "zeroed on failure");
    cr_assert_null(r.raw);
    cr_assert(strstr(err, needle), "'%s' lacks '%s'", err, needle);
    return rc;
}

Test(profile, bad_input)
{
    augur_solver *s = powell(3);
    const augur_profile_options good = {.parameter = 0, .from = 0, .to = 1,
                                        .points = 5, .bins = 2};
    augur_profile_options o = good;
    o.parameter = 3;
    cr_assert_eq(fails(s, bowl_cost, NULL, &o, "dimension"), AUGUR_EINVAL);
    o = good;
    o.to = 0;
    fails(s, bowl_cost, NULL, &o, "from < to");
    o.to = NAN;
    fails(s, bowl_cost, NULL, &o, "finite");
    o = good;
    o.points = 1;
    fails(s, bowl_cost, NULL, &o, "points");
    o = good;
    o.bins = 5;
    fails(s, bowl_cost, NULL, &o, "bins");
    o = good;
    o.overlap = 1.5;
    fails(s, bowl_cost, NULL, &o, "overlap");
    o.overlap = NAN;
    fails(s, bowl_cost, NULL, &o, "overlap");
    cr_assert_eq(fails(s, NULL, NULL, &good, "cost"), AUGUR_EINVAL);
    cr_assert_eq(fails(NULL, bowl_cost, NULL, &good, "template"), AUGUR_EINVAL);
    cr_assert_eq(fails(s, bowl_cost, NULL, NULL, "options"), AUGUR_EINVAL);
    cr_assert_eq(augur_profile(s, bowl_cost, NULL, NULL, &good, NULL, NULL, 0),
                 AUGUR_EINVAL);
    /* a cost with no finite value: the failing grid value is named */
    cr_assert_eq(fails(s, nan_cost, NULL, &good, "x0 = 0"), AUGUR_EFAILED);
    augur_profile_result_destroy(NULL);
    augur_solver_destroy(s);
}

Test(profile, template_without_spec_or_with_its_own_map)
{
    augur_solver *s = powell(3);
    augur_constraints *c = augur_constraints_create(3);
    augur_constraints_add(c, identity, NULL);
    cr_assert_eq(augur_solver_set_constraints(s, c), AUGUR_OK);
    augur_profile_options o = {.parameter = 0, .from = 0, .to = 1, .points = 5};
    cr_assert_eq(fails(s, bowl_cost, NULL, &o, "spec"), AUGUR_EUNSUP);
    augur_solver_destroy(s);
    if (!has_backend("threads"))
        return;
    /* a template with a map of its own evaluates batches: de2 */
    s = augur_solver_create("de2", 3);
    double lb[3] = {-1, -1, -1}, ub[3] = {1, 1, 1};
    augur_solver_set_bounds(s, lb, ub);
    augur_solver_set_evaluation_limits(s, 20, 0);
    augur_map *inner = augur_map_create("threads", 2), *outer = augur_map_create("threads", 2);
    cr_assert_eq(augur_solver_set_map(s, inner), AUGUR_OK, "%s", augur_solver_errmsg(s));
    fails(s, bowl_cost, outer, &o, "'threads' map under a 'threads' profile");
    augur_profile_result r;
    scan(s, bowl_cost, (void *)&the_bowl, NULL, &o, &r);   /* serial profile: fine */
    augur_profile_result_destroy(&r);
    augur_solver_destroy(s);
    augur_map_destroy(inner);
    augur_map_destroy(outer);
}

/* A template that starts from a random box: the box's scanned coordinate is
 * replaced by the value too, even when the box does not reach it. */
Test(profile, random_start_box_outside_the_range)
{
    augur_solver *s = powell(3);
    double lb[3] = {-1, -1, -1}, ub[3] = {1, 1, 1};
    augur_solver_set_random_initial_points(s, lb, ub);
    augur_profile_options o = {.parameter = 0, .from = 2, .to = 3, .points = 5,
                               .bins = 2, .overlap = 0.5};
    augur_profile_result r;
    scan(s, bowl_cost, (void *)&the_bowl, NULL, &o, &r);
    for (size_t j = 0; j < r.n; j++) {
        double want = (r.x[j] - 0.5) * (r.x[j] - 0.5) + 3;
        cr_assert(fabs(r.y[j] - want) < 1e-8, "%g: %.17g vs %.17g", r.x[j], r.y[j], want);
    }
    augur_profile_result_destroy(&r);
    augur_solver_destroy(s);
}

/* Rosenbrock 3-D, Powell from (0.5, 0.5, 0.5), the profile over x1 on [0, 2]
 * in 2 bins with overlap 0.1: at a grid value both bins computed, the
 * combined curve takes the lower minimum (where one bin's warm start ends
 * in a worse local answer, averaging or aligning bins would carry it into
 * the curve). The windowed join stays available and reports its offsets. */
Test(profile, overlapping_bins_keep_the_lower_minimum)
{
    augur_solver *s = augur_solver_create("powell", 3);
    double x0[3] = {0.5, 0.5, 0.5}, lb[3] = {-3, -3, -3}, ub[3] = {3, 3, 3};
    augur_solver_set_initial_point(s, x0);
    augur_solver_set_bounds(s, lb, ub);
    augur_profile_options o = {.parameter = 1, .from = 0, .to = 2, .points = 21,
                               .bins = 2, .overlap = 0.1, .seed = 3};
    augur_profile_result r;
    char err[256];
    cr_assert_eq(augur_profile(s, augur_model_rosen, NULL, NULL, &o, &r, err, sizeof err),
                 AUGUR_OK, "%s", err);
    for (size_t j = 0; j < r.n; j++) {
        double lowest = INFINITY;
        for (size_t b = 0; b < r.bins; b++)
            for (size_t i = 0; i < r.raw[b].n; i++)
                if (r.raw[b].x[i] == r.x[j])
                    lowest = fmin(lowest, r.raw[b].y[i]);
        cr_assert_eq(r.y[j], lowest, "grid %zu", j);
    }
    for (size_t b = 0; b < r.bins; b++)
        cr_assert_eq(r.offsets[b], 0);
    size_t at_one = 10;   /* x1 = 1: the global minimum, f = 0 */
    cr_assert_eq(r.x[at_one], 1);
    cr_assert_lt(r.y[at_one], 1e-10, "profile at x1 = 1: %g", r.y[at_one]);
    augur_profile_result_destroy(&r);

    o.combine = AUGUR_PROFILE_JOIN;
    cr_assert_eq(augur_profile(s, augur_model_rosen, NULL, NULL, &o, &r, err, sizeof err),
                 AUGUR_OK, "%s", err);
    cr_assert_eq(r.n, 21);
    cr_assert_eq(r.offsets[0], 0);
    augur_profile_result_destroy(&r);
    augur_solver_destroy(s);
}
