/* mpi_check.h - what the MPI test programs share: the check counters and
 * CHECK (their last line is "N passed, N failed", which CI reads), the
 * world's size, and opening an MPI map with or without rank 0 computing.
 * Static functions: each program includes it once. */
#ifndef AUGUR_TEST_MPI_CHECK_H
#define AUGUR_TEST_MPI_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include "augur.h"
#include "augur/map_mpi.h"

static int passed, failed;

__attribute__((unused)) static void check(int ok, int line, const char *what, const char *fmt, ...)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    printf("FAIL line %d: %s: ", line, what);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

#define CHECK(cond, ...) check((cond) != 0, __LINE__, #cond, __VA_ARGS__)

static int ranks;                 /* MPI_COMM_WORLD's size */

__attribute__((unused)) static augur_map *open_mpi(int onall)
{
    char err[256] = "";
    augur_map *m = NULL;
    int rc = augur_map_new(&m, "mpi", 0, err, sizeof err);
    CHECK(rc == AUGUR_OK, "%s", err);
    if (m && onall) {
        rc = augur_map_mpi_set_onall(m, 1);
        CHECK(rc == AUGUR_OK, "%s", augur_map_errmsg(m));
    }
    return m;
}

/* onall values worth testing: 0 needs another rank. */
__attribute__((unused)) static int first_onall(void)
{
    return ranks == 1;
}

#endif
