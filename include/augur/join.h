/* augur/join.h - overlapping bins and the windowed join of their results.
 *
 * A long scan (a profile, a sweep of simulations) is cut into bins that
 * run in parallel, each widened a little into its neighbours so that no
 * bin's edge effects reach the final curve (augur_extend_bin). The pieces
 * that come back overlap and are joined into one curve over the union of
 * their x values (augur_join_results):
 *
 *   - each piece i gets a window w_i over its own points (Hann by default:
 *     full credence in the middle, none at its ends);
 *   - each piece after the first is shifted by an offset Delta_y_i that
 *     aligns it with the pieces before it, by weighted least squares over
 *     the points they share, the weight of a shared point being the
 *     product of the two windows there:
 *         Delta_y_i = sum_{j<i} sum_x w_i w_j (y_j + Delta_y_j - y_i)
 *                     / sum_{j<i} sum_x w_i w_j      (0 when that is empty);
 *   - the joined value at x is the window-weighted mean of the shifted
 *     pieces that have x; where their weights there sum to zero (a piece's
 *     end where no other piece reaches, or an overlap of ends only) every
 *     piece that has x counts the same.
 *
 * The x values are compared exactly: pieces meant to share a point must
 * carry the very same double for it. docs/PROFILES.md has the details. */
#ifndef AUGUR_JOIN_H
#define AUGUR_JOIN_H

#include <stddef.h>
#include "augur/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The range of bin i of the bins whose nedges (>= 2) edges are given
 * (strictly increasing, finite), widened by k times the width of each
 * neighbour (k clamped to [0, 1]): the first bin keeps its lower edge and
 * the last its upper edge; a single bin (nedges == 2) is its own range.
 * AUGUR_EINVAL for bad input (NULL, i >= nedges - 1, NaN k, bad edges). */
AUGUR_EXTERN int augur_extend_bin(const double *edges, size_t nedges, size_t i,
                                  double k, double *lo, double *hi);

/* A user window: fill w[0..len-1] with finite weights >= 0 for a piece of
 * len points; 0 or a negative status. */
typedef int (*augur_window_fn)(double *w, size_t len, void *data);

typedef enum augur_window_kind {
    AUGUR_WINDOW_HANN = 0,        /* 0.5 - 0.5 cos(2 pi k / (len - 1)): the default */
    AUGUR_WINDOW_HAMMING,         /* 0.54 - 0.46 cos(2 pi k / (len - 1)) */
    AUGUR_WINDOW_BOXCAR,          /* all ones: a plain average */
    AUGUR_WINDOW_CALLBACK         /* fn(w, len, data) */
} augur_window_kind;

/* Zero-initialised, a window is Hann. A piece of one point has weight 1
 * under every built-in window. */
typedef struct augur_window {
    augur_window_kind kind;
    augur_window_fn fn;           /* AUGUR_WINDOW_CALLBACK only */
    void *data;                   /* the callback's, borrowed */
} augur_window;

/* The joined curve. Its arrays are malloc'd; augur_joined_destroy frees
 * them. */
typedef struct augur_joined {
    size_t n;                     /* points in the union grid */
    double *x;                    /* n, increasing */
    double *y;                    /* n */
    size_t m;                     /* pieces */
    double *offsets;              /* m: Delta_y_i; offsets[0] is 0 */
} augur_joined;

/* Join m >= 1 pieces: piece i has lens[i] >= 1 points (xs[i] strictly
 * increasing and finite, ys[i] finite). On success *out holds the joined
 * curve; on failure *out is zeroed and err (cap bytes) says why. */
AUGUR_EXTERN int augur_join_results(size_t m, const double *const *xs,
                                    const double *const *ys, const size_t *lens,
                                    augur_window window, augur_joined *out,
                                    char *err, size_t cap);
/* Free the arrays and zero the struct (which stays the caller's). NULL is
 * a no-op. */
AUGUR_EXTERN void augur_joined_destroy(augur_joined *j);

#ifdef __cplusplus
}
#endif
#endif
