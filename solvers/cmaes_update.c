/* cmaes_update.c - the phases of one CMA-ES generation, after Hansen's
 * tutorial (arXiv:1604.00772, "The CMA Evolution Strategy: A Tutorial"),
 * equations and defaults as there; cmaes.c sets the coefficients and runs
 * the phases in this order:
 *
 *   sample       x_k = m + sigma B (D .* z_k), z_k ~ N(0, I)
 *   rank         sort the generation by energy (ties: sample order)
 *   recombine    m' = sum_{i<=mu} w_i x_{i:lambda},  <y>_w = (m' - m) / sigma
 *   update paths p_s = (1 - c_s) p_s + sqrt(c_s (2 - c_s) mueff) C^-1/2 <y>_w
 *                h_sig = |p_s| / sqrt(1 - (1 - c_s)^(2(g+1))) < (1.4 + 2/(n+1)) chiN
 *                p_c = (1 - c_c) p_c + h_sig sqrt(c_c (2 - c_c) mueff) <y>_w
 *   covariance   C = (1 + c1 delta(h_sig) - c1 - cmu sum w) C + c1 p_c p_c^T
 *                    + cmu sum_i w°_i y_i y_i^T,
 *                delta = (1 - h_sig) c_c (2 - c_c); w°_i = w_i for w_i >= 0,
 *                w_i n / |C^-1/2 y_i|^2 for the negative (active) weights
 *   step size    sigma = sigma exp((c_s / d_s) (|p_s| / chiN - 1))
 *   decompose    C = B diag(D^2) B^T (tred2 + tql2, cmaes_eigen.c), when due
 *
 * Separable CMA-ES keeps only C's diagonal (B = I, D = sqrt(diag C)), so
 * every phase is O(n) per point. The full version keeps C, B and D and
 * decomposes only every few generations, so sampling and C^-1/2 products
 * are O(n^2) per point and the O(n^3) decomposition is amortised.
 *
 * Random draws (the only ones a generation makes): point by point, the n
 * normals of z_k in coordinate order, by the ziggurat of ziggurat_int.h
 * on the run's generator; under "resample" (and "resample-reflect" while
 * the distribution is wide) a point outside the bounds redraws its n
 * normals at once, before the next point is drawn. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmaes_int.h"

/* --- Linear algebra on B and D ------------------------------------------ */

/* Coordinate j of x = m + sigma B a, a = D .* z: B's row j (column j of
 * axes) against a, summed in index order. */
static double coordinate(const cmaes_state *st, const double *a, size_t j)
{
    size_t n = st->n;
    if (st->sep)
        return st->mean[j] + st->sigma * a[j];
    const double *b = st->axes + j;
    double y = 0;
    for (size_t k = 0; k < n; k++)
        y += a[k] * b[k * n];
    return st->mean[j] + st->sigma * y;
}

/* y = B c: the rows of axes weighted by c and added in index order, two
 * rows a pass (y is loaded and stored once per pair); each coordinate is
 * the same sum in the same order as one row at a time. */
static void combine_rows(const cmaes_state *st, const double *c, double *restrict y)
{
    size_t n = st->n, k = 0;
    const double *restrict axes = st->axes;
    memset(y, 0, n * sizeof *y);
    for (; k + 2 <= n; k += 2) {
        const double *restrict b0 = axes + k * n, *restrict b1 = b0 + n;
        double c0 = c[k], c1 = c[k + 1];
        for (size_t j = 0; j < n; j++)
            y[j] = (y[j] + c0 * b0[j]) + c1 * b1[j];
    }
    for (; k < n; k++)
        for (size_t j = 0; j < n; j++)
            y[j] += c[k] * axes[k * n + j];
}

/* The whole x = m + sigma B a: every coordinate the sum coordinate()
 * forms, bit for bit, but built along contiguous rows. */
static void whole_point(const cmaes_state *st, const double *a, double *restrict x)
{
    size_t n = st->n;
    if (st->sep) {
        for (size_t j = 0; j < n; j++)
            x[j] = st->mean[j] + st->sigma * a[j];
        return;
    }
    combine_rows(st, a, x);
    for (size_t j = 0; j < n; j++)
        x[j] = st->mean[j] + st->sigma * x[j];
}

/* u = diag(1/D) B^T v, the step in the eigenbasis scaled to unit
 * variance (|u| = |C^-1/2 v|, B being orthonormal); the products with
 * the rows of axes two at a time (v loaded once per pair), each in index
 * order. */
static void unit_coordinates(const cmaes_state *st, const double *restrict v,
                             double *restrict u)
{
    size_t n = st->n, k = 0;
    if (st->sep) {
        for (size_t i = 0; i < n; i++)
            u[i] = v[i] / st->D[i];
        return;
    }
    for (; k + 2 <= n; k += 2) {
        const double *restrict b0 = st->axes + k * n, *restrict b1 = b0 + n;
        double t0 = 0, t1 = 0;
        for (size_t j = 0; j < n; j++) {
            t0 += b0[j] * v[j];
            t1 += b1[j] * v[j];
        }
        u[k] = t0 / st->D[k];
        u[k + 1] = t1 / st->D[k + 1];
    }
    for (; k < n; k++) {
        const double *b = st->axes + k * n;
        double t = 0;
        for (size_t j = 0; j < n; j++)
            t += b[j] * v[j];
        u[k] = t / st->D[k];
    }
}

/* out = C^-1/2 v = B diag(1/D) B^T v; out, v and scratch (n) distinct. */
static void whiten(const cmaes_state *st, const double *restrict v,
                   double *restrict out, double *restrict scratch)
{
    if (st->sep) {
        unit_coordinates(st, v, out);
        return;
    }
    unit_coordinates(st, v, scratch);
    combine_rows(st, scratch, out);
}

static double norm2(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i] * v[i];
    return s;
}

/* --- Sample ------------------------------------------------------------- */

/* One draw of point k: its n normals into z_k, a = D .* z_k into st->tmp,
 * then x_k. With a box (lb, ub) x_k is built coordinate by coordinate and
 * the draw stops at the first coordinate strictly outside, returning 0 (a
 * rejected draw costs its normals and a few coordinates, not the n x n
 * product); else 1. */
static int draw_point(const zig_source *g, cmaes_state *st, size_t k,
                      const double *lb, const double *ub)
{
    size_t n = st->n;
    double *z = st->z + k * n, *x = st->x + k * n, *a = st->tmp;
    for (size_t i = 0; i < n; i++) {
        z[i] = zig_normal(&st->zig, g);
        a[i] = st->D[i] * z[i];
    }
    if (!lb) {
        whole_point(st, a, x);
        return 1;
    }
    for (size_t j = 0; j < n; j++) {
        x[j] = coordinate(st, a, j);
        if (!(x[j] >= lb[j] && x[j] <= ub[j]))   /* NaN is outside too */
            return 0;
    }
    return 1;
}

/* Hansen's boundary transformation of one coordinate (c-cmaes's
 * boundary_transformation.c): shift y by the period 2 (w + al + au) into
 * [lb - al - ..., ub + au + ...], mirror it at lb - al and ub + au, then
 * bend it quadratically within al of lb and au of ub; the identity on
 * [lb + al, ub - au]. One-sided bounds mirror and bend at their side only. */
static double transform(double y, double lb, double ub)
{
    int lo = lb > -INFINITY, hi = ub < INFINITY;
    if (lo && hi && !(ub > lb))
        return lb;
    double w = ub - lb;
    double al = lo ? (1 + fabs(lb)) / 20 : 0, au = hi ? (1 + fabs(ub)) / 20 : 0;
    if (lo && hi) {
        al = al < w / 2 ? al : w / 2;
        au = au < w / 2 ? au : w / 2;
    }
    if ((!lo || y >= lb + al) && (!hi || y <= ub - au))
        return y;                       /* the interior: the identity */
    if (lo && hi) {
        double xlow = lb - 2 * al - w / 2, xup = ub + 2 * au + w / 2;
        double r = 2 * (w + al + au);
        if (y < xlow)
            y += r * (1 + floor((xlow - y) / r));
        if (y > xup)
            y -= r * (1 + floor((y - xup) / r));
    }
    if (lo && y < lb - al)
        y += 2 * (lb - al - y);
    if (hi && y > ub + au)
        y -= 2 * (y - ub - au);
    if (lo && y < lb + al)
        y = lb + (y - (lb - al)) * (y - (lb - al)) / (4 * al);
    else if (hi && y > ub - au)
        y = ub - (y - (ub + au)) * (y - (ub + au)) / (4 * au);
    /* rounding must not leave the box */
    if (lo && y < lb)
        y = lb;
    if (hi && y > ub)
        y = ub;
    return y;
}

static void transform_point(augur_solver *s, const double *x, double *out, size_t n)
{
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    for (size_t i = 0; i < n; i++)
        out[i] = transform(x[i], lb[i], ub[i]);
}

/* Under "transform", the generation's points as evaluated, sorted best
 * first (the genotypes sorted by rank mapped again, which gives the same
 * numbers): what the solver publishes as its population. */
const double *augur__cmaes_sorted_points(augur_solver *s, cmaes_state *st)
{
    if (st->policy != CMAES_TRANSFORM)
        return st->xs;
    for (size_t r = 0; r < st->lambda; r++)
        transform_point(s, st->xs + r * st->n, st->xe + r * st->n, st->n);
    return st->xe;
}

/* "resample": the first draw and up to CMAES_MAX_RESAMPLE redraws until
 * one is inside the box (lb, ub), else the last one completed and clipped.
 * With no finite bound (lb NULL) every draw is inside. */
static void resample(augur_solver *s, const zig_source *g, cmaes_state *st,
                     size_t k, const double *lb, const double *ub)
{
    double *x = st->x + k * st->n;
    for (int tries = 0; tries <= CMAES_MAX_RESAMPLE; tries++) {
        if (draw_point(g, st, k, lb, ub))
            return;
        st->at_box = 1;
    }
    whole_point(st, st->tmp, x);
    augur_solver_repair(s, x, AUGUR_BOUNDS_CLIP);
}

/* The other policies (see cmaes.c): transform maps the point into the box
 * for evaluation; clip and reflect repair the point, and the update then
 * uses the point as evaluated. */
static void confine(augur_solver *s, cmaes_state *st, size_t k, int policy)
{
    double *x = st->x + k * st->n;
    if (policy == CMAES_TRANSFORM)
        transform_point(s, x, st->xe + k * st->n, st->n);
    else if (!augur_solver_in_bounds(s, x)) {
        augur_solver_repair(s, x, policy == CMAES_REFLECT ? AUGUR_BOUNDS_REFLECT
                                                          : AUGUR_BOUNDS_CLIP);
        st->at_box = 1;
    }
}

/* Whether the distribution is narrow against the box: every bound finite
 * and every coordinate's standard deviation sigma sqrt(C_ii) at most
 * CMAES_NARROW of its width (a coordinate of zero width aside). */
static int narrow(augur_solver *s, const cmaes_state *st)
{
    if (!augur_solver_bounds_finite(s))
        return 0;
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    for (size_t j = 0; j < st->n; j++) {
        double w = ub[j] - lb[j];
        if (w > 0 && st->sigma * sqrt(st->cdiag[j]) > CMAES_NARROW * w)
            return 0;
    }
    return 1;
}

static int any_finite_bound(const double *lb, const double *ub, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (isfinite(lb[j]) || isfinite(ub[j]))
            return 1;
    return 0;
}

/* "resample-reflect" is resample while the distribution is wide and
 * reflect once it is narrow, decided once per generation. */
int augur__cmaes_sample(augur_solver *s, cmaes_state *st)
{
    int policy = st->policy, is_narrow = narrow(s, st);
    if (policy == CMAES_RESAMPLE_REFLECT)
        policy = is_narrow ? CMAES_REFLECT : CMAES_RESAMPLE;
    /* the box, or NULL when no bound is finite: points are then built along
     * B's rows (whole_point) with nothing to reject */
    const double *lb = augur_solver_lower(s), *ub = augur_solver_upper(s);
    if (!any_finite_bound(lb, ub, st->n))
        lb = ub = NULL;
    st->at_box = 0;
    zig_source g = zig_source_of(augur_solver_rng(s));
    for (size_t k = 0; k < st->lambda; k++) {
        if (policy == CMAES_RESAMPLE) {
            resample(s, &g, st, k, lb, ub);
            continue;
        }
        draw_point(&g, st, k, NULL, NULL);
        confine(s, st, k, policy);
    }
    st->at_box = st->at_box && is_narrow;   /* see augur__cmaes_adapt_covariance */
    return AUGUR_OK;
}

/* --- Rank and recombine -------------------------------------------------- */

static int by_energy(const void *a, const void *b)
{
    const cmaes_rank *p = a, *q = b;
    if (p->f < q->f)
        return -1;
    if (p->f > q->f)
        return 1;
    return (p->k > q->k) - (p->k < q->k);
}

/* The generation in order of by_energy: by insertion up to 32 points
 * (every default population below n = 15,000), where qsort's calls through
 * the comparator cost more than the sort; the order is the same, since
 * by_energy orders every pair. */
static void sort_by_energy(cmaes_rank *a, size_t lam)
{
    if (lam > 32) {
        qsort(a, lam, sizeof *a, by_energy);
        return;
    }
    for (size_t i = 1; i < lam; i++) {
        cmaes_rank v = a[i];
        size_t j = i;
        for (; j > 0 && by_energy(&a[j - 1], &v) > 0; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static void remember(cmaes_state *st, double best, double median)
{
    if (st->hlen == CMAES_HIST_CAP) {
        size_t keep = CMAES_HIST_CAP / 2;
        memmove(st->hbest, st->hbest + keep, keep * sizeof *st->hbest);
        memmove(st->hmed, st->hmed + keep, keep * sizeof *st->hmed);
        st->hlen = keep;
    }
    st->hbest[st->hlen] = best;
    st->hmed[st->hlen] = median;
    st->hlen++;
}

void augur__cmaes_rank(cmaes_state *st)
{
    size_t n = st->n, lam = st->lambda;
    for (size_t k = 0; k < lam; k++)
        st->order[k] = (cmaes_rank){.f = st->f[k], .k = k};
    sort_by_energy(st->order, lam);
    for (size_t r = 0; r < lam; r++) {
        size_t k = st->order[r].k;
        st->fs[r] = st->f[k];
        memcpy(st->xs + r * n, st->x + k * n, n * sizeof *st->xs);
    }
    double median = lam % 2 ? st->fs[lam / 2]
                            : 0.5 * (st->fs[lam / 2 - 1] + st->fs[lam / 2]);
    remember(st, st->fs[0], median);
}

void augur__cmaes_recombine(cmaes_state *st)
{
    size_t n = st->n;
    memcpy(st->old_mean, st->mean, n * sizeof *st->mean);
    for (size_t i = 0; i < n; i++) {
        double m = 0;
        for (size_t r = 0; r < st->mu; r++)
            m += st->w[r] * st->xs[r * n + i];
        st->mean[i] = m;
        st->yw[i] = (m - st->old_mean[i]) / st->sigma;
    }
}

/* --- Paths, covariance, step size --------------------------------------- */

void augur__cmaes_update_paths(cmaes_state *st)
{
    size_t n = st->n;
    double *white = st->tmp + n, *scratch = st->tmp + 2 * n;
    whiten(st, st->yw, white, scratch);
    double a = 1 - st->cs, b = sqrt(st->cs * (2 - st->cs) * st->mueff);
    for (size_t i = 0; i < n; i++)
        st->ps[i] = a * st->ps[i] + b * white[i];
    double g = (double)st->gen + 1;
    double ps_norm = sqrt(norm2(st->ps, n));
    double unbias = sqrt(1 - pow(1 - st->cs, 2 * g));
    st->hsig = ps_norm / unbias < (1.4 + 2 / ((double)n + 1)) * st->chin;
    double c = st->hsig ? sqrt(st->cc * (2 - st->cc) * st->mueff) : 0;
    for (size_t i = 0; i < n; i++)
        st->pc[i] = (1 - st->cc) * st->pc[i] + c * st->yw[i];
}

/* The weight of ranked point r in the rank-mu update, its step y_r written
 * to y (w° above: negative weights are rescaled by n / |C^-1/2 y|^2). */
static double update_weight(cmaes_state *st, size_t r, double *y)
{
    size_t n = st->n;
    for (size_t i = 0; i < n; i++)
        y[i] = (st->xs[r * n + i] - st->old_mean[i]) / st->sigma;
    double w = st->w[r];
    if (w >= 0)
        return w;
    /* |C^-1/2 y|^2 as |diag(1/D) B^T y|^2: the turn back by B keeps the
     * length, so half the products of whiten() suffice */
    double *u = st->tmp + n;
    unit_coordinates(st, y, u);
    double q = norm2(u, n);
    return q > 0 ? w * (double)n / q : 0;
}

/* The rank-mu terms: for every ranked point of nonzero weight, its step
 * y_r (a row of st->steps) and its coefficient c_mu w°_r (st->coef, and
 * c_mu w°_r y_ri is formed as (c_mu w°_r) y_ri, as the update reads it).
 * Only the first `ranked` points count. Returns how many. */
static size_t rank_mu_terms(cmaes_state *st, size_t ranked)
{
    size_t terms = 0;
    for (size_t r = 0; r < ranked; r++) {
        if (st->w[r] == 0)
            continue;
        double *y = st->steps + terms * st->n;
        st->coef[terms++] = st->cmu * update_weight(st, r, y);
    }
    return terms;
}

/* The full C's upper triangle, row by row: each element is decayed, gets
 * the rank-one term, then the rank-mu terms in rank order (the sums and
 * their order as when the terms ran outermost, so the same bits, but C is
 * read and written once); the lower triangle is its mirror. */
static void update_full(cmaes_state *st, double a, size_t terms)
{
    size_t n = st->n;
    const double *restrict pc = st->pc;
    for (size_t i = 0; i < n; i++) {
        double *restrict row = st->C + i * n;
        double ci = st->c1 * pc[i];
        for (size_t j = i; j < n; j++)
            row[j] = a * row[j] + ci * pc[j];
        for (size_t t = 0; t < terms; t++) {
            const double *restrict y = st->steps + t * n;
            double cy = st->coef[t] * y[i];
            for (size_t j = i; j < n; j++)
                row[j] += cy * y[j];
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++)
            st->C[j * n + i] = st->C[i * n + j];
        st->cdiag[i] = st->C[i * n + i];
    }
}

static void update_separable(cmaes_state *st, double a, size_t terms)
{
    size_t n = st->n;
    for (size_t i = 0; i < n; i++) {
        double c = a * st->C[i] + st->c1 * st->pc[i] * st->pc[i];
        for (size_t t = 0; t < terms; t++) {
            const double *y = st->steps + t * n;
            c += st->coef[t] * y[i] * y[i];
        }
        st->C[i] = st->cdiag[i] = c;
    }
}

/* Active CMA's negative update takes the worse steps as draws of the
 * normal. Where the box redrew or repaired points they are not (a
 * truncated or folded normal), and near an optimum on the boundary the
 * worse ones all point inwards, so the update would remove the variance
 * along the way to it: on tests/test_cmaes.c's corner bowl (seeds 1-5,
 * 3000 evaluations) active runs under "resample-reflect" stalled at f - 3
 * = 0.06 to 0.17, where the positive update alone reaches 1e-6 in under
 * 900. So a generation that met the box while narrow (every coordinate's
 * standard deviation at most a tenth of its width, all bounds finite: the
 * test "resample-reflect" switches on) updates C with the positive
 * weights alone (they sum to 1). A wide generation keeps the active
 * update though it meets the box: skipping it there too cost BIPOP on
 * Rastrigin-10 a fifth of its successes (seeds 1-200 at 100,000
 * evaluations: 86 against 111). "transform" draws in an unbounded space
 * and is never at the box. */
void augur__cmaes_adapt_covariance(cmaes_state *st)
{
    double delta = st->hsig ? 0 : st->cc * (2 - st->cc);
    size_t ranked = st->at_box ? st->mu : st->lambda;
    double sum_w = st->at_box ? 1 : st->sum_w;
    double a = 1 + st->c1 * delta - st->c1 - st->cmu * sum_w;
    size_t terms = rank_mu_terms(st, ranked);
    if (st->sep)
        update_separable(st, a, terms);
    else
        update_full(st, a, terms);
}

void augur__cmaes_adapt_sigma(cmaes_state *st)
{
    double ps_norm = sqrt(norm2(st->ps, st->n));
    st->sigma *= exp(st->cs / st->damps * (ps_norm / st->chin - 1));
}
