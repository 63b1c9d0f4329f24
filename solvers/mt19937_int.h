/* mt19937_int.h - private to solvers/: GSL's MT19937 stepped in line, on
 * the generator's own state, for the solvers whose draws are a large part
 * of their time per evaluation (differential evolution's uniforms,
 * de_draws.h; CMA-ES's normals, ziggurat.c). libgsl is built without
 * HAVE_INLINE, so each gsl_rng_get is an out-of-line call to another
 * out-of-line call, and GSL's refill branches on each word's random low
 * bit. The words given out are GSL's, in GSL's order, so a caller mixing
 * these with GSL's own calls on the same generator sees one stream. */
#ifndef AUGUR_MT19937_INT_H
#define AUGUR_MT19937_INT_H

#include <gsl/gsl_rng.h>

/* MT19937's state as GSL's rng/mt.c keeps it: 624 words of 32 bits in
 * unsigned longs, and the index of the next word to give out. That layout
 * is GSL's own, not its API, so it is used only where
 * augur__mt_layout_known() has checked it against GSL's generator. */
#define MT_N 624
#define MT_M 397
typedef struct mt_state {
    unsigned long mt[MT_N];
    int mti;
} mt_state;

/* Refill the 624 words (mt19937.c). */
void augur__mt_refill(mt_state *st);
/* Whether GSL's mt19937 keeps the state mt_state describes (mt19937.c). */
int augur__mt_layout_known(void);

/* An output from a word of the state. */
static inline unsigned long mt_temper(unsigned long y)
{
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680UL;
    y ^= (y << 15) & 0xefc60000UL;
    return y ^ (y >> 18);
}

/* The next output: the next word, tempered. */
static inline unsigned long mt_next(mt_state *st)
{
    if (st->mti >= MT_N)
        augur__mt_refill(st);
    return mt_temper(st->mt[st->mti++]);
}

/* r's state when it is GSL's mt19937 in the layout known, else NULL. */
static inline mt_state *mt_state_of(const gsl_rng *r)
{
    return r->type == gsl_rng_mt19937 && augur__mt_layout_known() ? r->state
                                                                  : NULL;
}

#endif
