/* fuzz_csv.c - libFuzzer harness for the CSV reader (augur_data_read_csv).
 *
 * The reader takes a path, so each input is written to one scratch file
 * (made once per process with mkstemp under TMPDIR, removed at exit). The
 * first byte chooses the column selection from the table below - indices,
 * header names, several columns, with and without sigma - and the rest is
 * the file. Data that read must be consistent: at least one point, the
 * dimensions asked for, finite values and positive sigmas. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <unistd.h>
#include "augur/fit.h"
#include "augur/status.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
    const char *x, *y, *sigma;
    size_t xdim, ydim;
} columns[] = {
    {"0", "1", NULL, 1, 1},
    {"0", "1", "2", 1, 1},
    {"0,1", "2", NULL, 2, 1},
    {"0", "1,2", "3,4", 1, 2},
    {"t", "counts", "sigma", 1, 1},
    {"x", "y", NULL, 1, 1},
    {"x", "y", "sigma", 1, 1},
    {"t", "y", NULL, 1, 1},
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

static char scratch[64];

static void remove_scratch(void)
{
    if (scratch[0])
        unlink(scratch);
}

static int write_scratch(const uint8_t *data, size_t size)
{
    if (!scratch[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(scratch, sizeof scratch, "%s/augur-fuzz-csv-XXXXXX",
                 dir && *dir && strlen(dir) < 32 ? dir : "/tmp");
        int fd = mkstemp(scratch);
        if (fd < 0) {
            scratch[0] = '\0';
            return -1;
        }
        close(fd);
        atexit(remove_scratch);
    }
    FILE *fp = fopen(scratch, "wb");
    if (!fp)
        return -1;
    int bad = fwrite(data, 1, size, fp) != size;
    return fclose(fp) != 0 || bad ? -1 : 0;
}

static void check(const augur_data *d, size_t xdim, size_t ydim, int weighted)
{
    size_t n = augur_data_points(d);
    if (n == 0 || augur_data_xdim(d) != xdim || augur_data_ydim(d) != ydim ||
        augur_data_weighted(d) != weighted)
        fuzz_broken("data read with the wrong shape", NULL, NULL);
    const double *x = augur_data_x(d), *y = augur_data_y(d), *s = augur_data_sigma(d);
    for (size_t i = 0; i < n * xdim; i++)
        if (!isfinite(x[i]))
            fuzz_broken("data read with an x that is not finite", NULL, NULL);
    for (size_t i = 0; i < n * ydim; i++)
        if (!isfinite(y[i]) || !(s[i] > 0) || !isfinite(s[i]))
            fuzz_broken("data read with a bad y or sigma", NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || write_scratch(data + 1, size - 1) != 0)
        return 0;
    size_t k = data[0] % NCOLUMNS;
    char err[512];
    augur_data *d = NULL;
    if (augur_data_read_csv(scratch, columns[k].x, columns[k].y, columns[k].sigma, &d,
                            err, sizeof err) == AUGUR_OK) {
        check(d, columns[k].xdim, columns[k].ydim, columns[k].sigma != NULL);
        augur_data_destroy(d);
    }
    return 0;
}
