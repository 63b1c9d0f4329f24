/* pagmo_none.c - stands in for pagmo_anchor.cpp when CMake did not find
 * pagmo2: the pagmo rows are skipped and the output says why. */
#include <stdio.h>

#include "bench_pagmo.h"

int bench_pagmo_available(char *why, size_t cap)
{
    snprintf(why, cap, "built without pagmo2 (install libpagmo-dev and "
                       "reconfigure to add it)");
    return 0;
}

const char *bench_pagmo_version(void)
{
    return NULL;
}

int bench_pagmo_run(bench_pagmo_alg alg, bench_problem *p, uint64_t seed,
                    char *err, size_t cap)
{
    (void)alg;
    (void)p;
    (void)seed;
    snprintf(err, cap, "built without pagmo2");
    return -1;
}

size_t bench_pagmo_trivial(bench_pagmo_alg alg, size_t n, size_t budget,
                           uint64_t seed)
{
    (void)alg;
    (void)n;
    (void)budget;
    (void)seed;
    return 0;
}
