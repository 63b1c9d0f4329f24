/* overhead.h - bench_solvers' overhead and start-up tables (overhead.c). */
#ifndef AUGUR_BENCH_OVERHEAD_H
#define AUGUR_BENCH_OVERHEAD_H

#include <stdio.h>
#include "bench_util.h"

/* The overhead table for the contestants cs[0..ncont) that take part
 * (c->overhead, available, and named by filter or NULL), with its ratios;
 * each repetition also as a CSV row when csv is not NULL. */
void bench_overhead_table(const bench_contestant *cs, size_t ncont, const char *filter,
                          FILE *csv);
/* The start-up table: augur's create-solve-destroy Nelder-Mead run against
 * NLopt's, per run. */
void bench_startup_table(void);

#endif
