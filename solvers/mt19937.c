/* mt19937.c - the out-of-line half of mt19937_int.h: refilling MT19937's
 * words without a branch, and the once-per-process check that GSL's
 * mt19937 keeps the state layout assumed. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "mt19937_int.h"

/* One word of the refill, Matsumoto and Nishimura's recurrence; the xor
 * with the matrix's last row is masked in rather than branched on. */
static inline unsigned long mt_word(unsigned long w, unsigned long next,
                                    unsigned long far)
{
    unsigned long y = (w & 0x80000000UL) | (next & 0x7fffffffUL);
    return far ^ (y >> 1) ^ ((0UL - (y & 1UL)) & 0x9908b0dfUL);
}

void augur__mt_refill(mt_state *st)
{
    unsigned long *mt = st->mt;
    int k = 0;
    for (; k < MT_N - MT_M; k++)
        mt[k] = mt_word(mt[k], mt[k + 1], mt[k + MT_M]);
    for (; k < MT_N - 1; k++)
        mt[k] = mt_word(mt[k], mt[k + 1], mt[k + MT_M - MT_N]);
    mt[MT_N - 1] = mt_word(mt[MT_N - 1], mt[0], mt[MT_M - 1]);
    st->mti = 0;
}

/* Whether GSL's mt19937 keeps the state mt_state describes: its state has
 * that size, and from one seeded state GSL's own get and mt_next give the
 * same outputs through three refills and leave the same words and index.
 * Checked once per process, on two copies of a state rather than on a
 * solver's generator, whose draws it must not use. */
int augur__mt_layout_known(void)
{
    static atomic_int known;      /* 0 not yet checked, 1 yes, -1 no */
    int k = atomic_load(&known);
    if (k != 0)
        return k > 0;
    const gsl_rng_type *t = gsl_rng_mt19937;
    int ok = t->size == sizeof(mt_state) && t->min == 0 &&
             t->max == 0xffffffffUL;
    mt_state *a = ok ? malloc(sizeof *a) : NULL;
    mt_state *b = ok ? malloc(sizeof *b) : NULL;
    ok = ok && a && b;
    if (ok) {
        t->set(a, 20250101UL);
        memcpy(b, a, sizeof *a);
        for (int i = 0; ok && i < 3 * MT_N + 7; i++) {
            unsigned long theirs = t->get(a);
            ok = theirs == mt_next(b);
        }
        ok = ok && a->mti == b->mti &&
             memcmp(a->mt, b->mt, sizeof a->mt) == 0;
    }
    free(a);
    free(b);
    atomic_store(&known, ok ? 1 : -1);
    return ok;
}
