/* de_draws.c - the out-of-line half of differential evolution's draws
 * (de_draws.h says why DE draws for itself): batches of uniforms. */
#include "de_draws.h"

/* m draws of gsl_rng_uniform in a row into out. For mt19937 the words are
 * tempered in a loop of their own, whose iterations do not wait on one
 * another (one at a time, each waits on the index the last one stored). */
void augur__de_draw_uniforms(const de_rng *g, double *out, size_t m)
{
    mt_state *mt = g->mt;
    if (!mt) {
        for (size_t k = 0; k < m; k++)
            out[k] = g->get_double(g->state);
        return;
    }
    int t = mt->mti;
    for (size_t k = 0; k < m; k++) {
        if (t >= MT_N) {
            augur__mt_refill(mt);
            t = 0;
        }
        out[k] = (double)mt_temper(mt->mt[t++]) / 4294967296.0;
    }
    mt->mti = t;
}
