/* ziggurat.c - the tables of ziggurat_int.h's normal draws and the draws
 * that miss a layer's quick test (wedges and the tail). The tables follow
 * Marsaglia and Tsang's zigset with 24-bit positions: layer 0 is the base
 * strip (area V, the tail beyond R included), layer 127 the widest
 * rectangle (edge R) and layer 1 the top one (edge x_1, up to f = 1). */
#include <math.h>
#include "ziggurat_int.h"

#define ZIG_R 3.442619855899           /* the base layer's edge */
#define ZIG_V 9.91256303526217e-3       /* every layer's area */
#define ZIG_M 16777216.0                /* 2^24 positions */

void augur__zig_init(zig_table *t)
{
    double dn = ZIG_R, tn = dn, q = ZIG_V / exp(-0.5 * dn * dn);
    t->k[0] = (uint32_t)(dn / q * ZIG_M);
    t->k[1] = 0;
    t->w[0] = q / ZIG_M;
    t->w[ZIG_LAYERS - 1] = dn / ZIG_M;
    t->f[0] = 1;
    t->f[ZIG_LAYERS - 1] = exp(-0.5 * dn * dn);
    for (int i = ZIG_LAYERS - 2; i >= 1; i--) {
        dn = sqrt(-2 * log(ZIG_V / dn + exp(-0.5 * dn * dn)));
        t->k[i + 1] = (uint32_t)(dn / tn * ZIG_M);
        tn = dn;
        t->f[i] = exp(-0.5 * dn * dn);
        t->w[i] = dn / ZIG_M;
    }
}

/* A uniform in (0, 1) from one word. */
static double open_uniform(const zig_source *g)
{
    return ((double)zig_word(g) + 0.5) / 4294967296.0;
}

/* Beyond R: R + e1 / R for exponentials e1, e2, kept when 2 e2 > (e1/R)^2. */
static double tail(const zig_source *g)
{
    double x, y;
    do {
        x = -log(open_uniform(g)) / ZIG_R;
        y = -log(open_uniform(g));
    } while (y + y < x * x);
    return ZIG_R + x;
}

double augur__zig_slow(const zig_table *t, const zig_source *g, uint32_t u)
{
    for (;;) {
        uint32_t i = u & 0x7f, j = u >> 8;
        double x = j * t->w[i];
        if (j < t->k[i])
            ;                                   /* a later word's quick test */
        else if (i == 0)
            x = tail(g);
        else if (!(t->f[i] + open_uniform(g) * (t->f[i - 1] - t->f[i]) <
                   exp(-0.5 * x * x))) {
            u = zig_word(g);                    /* outside the curve: again */
            continue;
        }
        return u & 0x80 ? x : -x;
    }
}
