/* cmaes_eigen.c - CMA-ES's decomposition C = B diag(D^2) B^T, made when
 * due (cmaes.c sets the interval), and the symmetric eigensolver behind
 * it: Householder tridiagonalisation and the implicit QL algorithm (tred2
 * and tql2 of EISPACK, in the public-domain form of JAMA's
 * EigenvalueDecomposition, which Hansen's c-cmaes also uses). Plain loops:
 * at CMA-ES's sizes (n of 2 to a few dozen) calls into a BLAS cost more
 * than the arithmetic, and GSL's gsl_eigen_symmv took two to three times
 * as long. */
#include <math.h>
#include <string.h>
#include "cmaes_int.h"

/* tred2: V (n x n) holds C on entry and the orthogonal transformation on
 * exit; d the diagonal and e the subdiagonal (e[0] = 0) of the tridiagonal
 * matrix. V is stored by columns (V_(i, j) is V[j n + i]): JAMA's inner
 * loops run down columns, which are then contiguous, C is symmetric so
 * either order holds it on entry, and on exit row i of the storage is
 * column i of V, the row of the eigenvector array tql2 rotates (the same
 * arithmetic in the same order as the row-major form, so the same bits). */
static void tred2(size_t n, double *restrict V, double *restrict d,
                  double *restrict e)
{
#define V_(i, j) V[(size_t)(j) * n + (size_t)(i)]
    for (size_t j = 0; j < n; j++)
        d[j] = V_(n - 1, j);
    for (size_t i = n - 1; i > 0; i--) {
        double scale = 0, h = 0;
        for (size_t k = 0; k < i; k++)
            scale += fabs(d[k]);
        if (scale == 0) {
            e[i] = d[i - 1];
            for (size_t j = 0; j < i; j++) {
                d[j] = V_(i - 1, j);
                V_(i, j) = 0;
                V_(j, i) = 0;
            }
        } else {
            for (size_t k = 0; k < i; k++) {
                d[k] /= scale;
                h += d[k] * d[k];
            }
            double f = d[i - 1], g = sqrt(h);
            if (f > 0)
                g = -g;
            e[i] = scale * g;
            h -= f * g;
            d[i - 1] = f - g;
            for (size_t j = 0; j < i; j++)
                e[j] = 0;
            for (size_t j = 0; j < i; j++) {
                f = d[j];
                V_(j, i) = f;
                g = e[j] + V_(j, j) * f;
                for (size_t k = j + 1; k < i; k++) {
                    g += V_(k, j) * d[k];
                    e[k] += V_(k, j) * f;
                }
                e[j] = g;
            }
            f = 0;
            for (size_t j = 0; j < i; j++) {
                e[j] /= h;
                f += e[j] * d[j];
            }
            double hh = f / (h + h);
            for (size_t j = 0; j < i; j++)
                e[j] -= hh * d[j];
            for (size_t j = 0; j < i; j++) {
                f = d[j];
                g = e[j];
                for (size_t k = j; k < i; k++)
                    V_(k, j) -= f * e[k] + g * d[k];
                d[j] = V_(i - 1, j);
                V_(i, j) = 0;
            }
        }
        d[i] = h;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        V_(n - 1, i) = V_(i, i);
        V_(i, i) = 1;
        double h = d[i + 1];
        if (h != 0) {
            for (size_t k = 0; k <= i; k++)
                d[k] = V_(k, i + 1) / h;
            for (size_t j = 0; j <= i; j++) {
                double g = 0;
                for (size_t k = 0; k <= i; k++)
                    g += V_(k, i + 1) * V_(k, j);
                for (size_t k = 0; k <= i; k++)
                    V_(k, j) -= g * d[k];
            }
        }
        for (size_t k = 0; k <= i; k++)
            V_(k, i + 1) = 0;
    }
    for (size_t j = 0; j < n; j++) {
        d[j] = V_(n - 1, j);
        V_(n - 1, j) = 0;
    }
    V_(n - 1, n - 1) = 1;
    e[0] = 0;
#undef V_
}

/* The Givens rotation of tql2's chase on two eigenvector rows: the rows
 * are distinct, which the compiler needs told to vectorise the loop (the
 * same arithmetic per element, so the same bits). */
static void rotate_rows(double *restrict qi, double *restrict qj, size_t n,
                        double c, double s)
{
    for (size_t k = 0; k < n; k++) {
        double h = qj[k];
        qj[k] = s * qi[k] + c * h;
        qi[k] = c * qi[k] - s * h;
    }
}

/* tql2 on the tridiagonal (d, e) from tred2, rotating the eigenvector
 * rows: row i of Q (n x n) is column i of tred2's V on entry and the
 * eigenvector of d[i] on exit, sorted by ascending eigenvalue. Returns 0
 * when an eigenvalue fails to converge in 30 n sweeps. */
static int tql2(size_t n, double *Q, double *d, double *e)
{
    for (size_t i = 1; i < n; i++)
        e[i - 1] = e[i];
    e[n - 1] = 0;
    double f = 0, tst1 = 0, eps = 0x1p-52;
    for (size_t l = 0; l < n; l++) {
        tst1 = fmax(tst1, fabs(d[l]) + fabs(e[l]));
        size_t m = l;
        while (m < n - 1 && fabs(e[m]) > eps * tst1)
            m++;
        if (m > l) {
            size_t iter = 0;
            do {
                if (++iter > 30 * n)
                    return 0;
                double g = d[l], p = (d[l + 1] - g) / (2 * e[l]);
                double r = sqrt(p * p + 1);
                if (p < 0)
                    r = -r;
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                double dl1 = d[l + 1], h = g - d[l];
                for (size_t i = l + 2; i < n; i++)
                    d[i] -= h;
                f += h;
                p = d[m];
                double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
                for (size_t i = m; i-- > l;) {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = sqrt(p * p + e[i] * e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    rotate_rows(Q + i * n, Q + (i + 1) * n, n, c, s);
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
            } while (fabs(e[l]) > eps * tst1);
        }
        d[l] += f;
        e[l] = 0;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        size_t k = i;
        double p = d[i];
        for (size_t j = i + 1; j < n; j++)
            if (d[j] < p) {
                k = j;
                p = d[j];
            }
        if (k != i) {
            d[k] = d[i];
            d[i] = p;
            for (size_t j = 0; j < n; j++) {
                double t = Q[i * n + j];
                Q[i * n + j] = Q[k * n + j];
                Q[k * n + j] = t;
            }
        }
    }
    return 1;
}

/* C = axes^T diag(eval) axes into st->eval (ascending) and st->axes (row k
 * the eigenvector of eval[k]); tred2 and tql2 work in st->axes, st->tmp
 * (3n) is free here and holds the subdiagonal. Numerical trouble can leave C with
 * a non-positive eigenvalue; as Hansen's code does, lift the diagonal so
 * that the condition number is 1e14 (the ConditionCov limit) and
 * decompose again. */
static int eigen(cmaes_state *st)
{
    size_t n = st->n;
    double *d = st->eval, *e = st->tmp;
    for (int attempt = 0; attempt < 2; attempt++) {
        memcpy(st->axes, st->C, n * n * sizeof *st->axes);
        tred2(n, st->axes, d, e);
        if (!tql2(n, st->axes, d, e))
            return AUGUR_EFAILED;
        double lo = d[0], hi = d[n - 1];
        if (lo > 0 && isfinite(hi))
            return AUGUR_OK;
        if (!isfinite(hi) || !(hi > 0))
            return AUGUR_EFAILED;
        double lift = hi / 1e14 - lo;
        for (size_t i = 0; i < n; i++)
            st->C[i * n + i] += lift;
    }
    return AUGUR_EFAILED;
}

int augur__cmaes_decompose(augur_solver *s, cmaes_state *st, int force)
{
    size_t n = st->n;
    if (st->sep) {
        for (size_t i = 0; i < n; i++)
            st->D[i] = sqrt(st->C[i]);
        st->decomposed_at = st->gen;
        return AUGUR_OK;
    }
    if (!force && st->gen - st->decomposed_at < st->decompose_every)
        return AUGUR_OK;
    if (eigen(st) != AUGUR_OK)
        return augur_solver_fail(s, AUGUR_EFAILED, "cmaes: the covariance matrix "
                                 "has broken down at generation %zu (not positive "
                                 "definite or not finite)", st->gen);
    for (size_t k = 0; k < n; k++)
        st->D[k] = sqrt(st->eval[k]);
    st->decomposed_at = st->gen;
    return AUGUR_OK;
}
