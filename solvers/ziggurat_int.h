/* ziggurat_int.h - private to solvers/: standard normal draws by
 * Marsaglia and Tsang's ziggurat (J. Stat. Softw. 5(8), 2000: 128 layers,
 * their R and V), one 32-bit word of the run's MT19937 per draw in the
 * usual case, stepped in line (mt19937_int.h). Cheaper than GSL's
 * gsl_ran_gaussian_ziggurat (the same method, but two out-of-line calls
 * per draw: a third of cmaes's time per evaluation at n = 10 with a
 * trivial cost went to its normals and their generator); not the same
 * numbers.
 *
 * A word gives the layer (its low 7 bits), the sign (bit 7) and a 24-bit
 * position j (the rest), as GSL's ziggurat splits it: x = j w_i, accepted
 * at once when j < k_i (98.8% of draws); otherwise the wedge test (one
 * more word as a uniform) or, in the base layer, the tail beyond R
 * (Marsaglia's exponential method, two words a try). Every word comes
 * from the run's generator, so the draws are the generator's and the
 * seed's alone. */
#ifndef AUGUR_ZIGGURAT_INT_H
#define AUGUR_ZIGGURAT_INT_H

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "mt19937_int.h"

#define ZIG_LAYERS 128

/* The layer tables, filled once by augur__zig_init (ziggurat.c). */
typedef struct zig_table {
    uint32_t k[ZIG_LAYERS];      /* j below k_i: inside the next layer up */
    double w[ZIG_LAYERS];        /* x_i / 2^24: layer i's width per unit of j */
    double f[ZIG_LAYERS];        /* exp(-x_i^2 / 2), f_0 = 1 */
} zig_table;

/* Where the words come from: the generator's state stepped in line when
 * it is GSL's mt19937 (mt_state_of), else its type's get; either way the
 * generator's own outputs, in its order. */
typedef struct zig_source {
    mt_state *mt;
    const gsl_rng *r;
} zig_source;

void augur__zig_init(zig_table *t);
/* The draws after a word failed its layer's quick test (ziggurat.c). */
double augur__zig_slow(const zig_table *t, const zig_source *g, uint32_t u);

static inline zig_source zig_source_of(const gsl_rng *r)
{
    return (zig_source){.mt = mt_state_of(r), .r = r};
}

static inline uint32_t zig_word(const zig_source *g)
{
    return (uint32_t)(g->mt ? mt_next(g->mt) : gsl_rng_get(g->r));
}

/* One standard normal. */
static inline double zig_normal(const zig_table *t, const zig_source *g)
{
    uint32_t u = zig_word(g), i = u & 0x7f, j = u >> 8;
    if (j < t->k[i]) {
        double x = j * t->w[i];
        return u & 0x80 ? x : -x;
    }
    return augur__zig_slow(t, g, u);
}

#endif
