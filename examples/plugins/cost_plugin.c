/* cost_plugin.c - a cost in a plugin of its own, with data from the config
 * file (cost-plugin.cfg): a weighted sphere about a centre,
 *
 *     f(x) = sum_i w_i (x_i - c_i)^2,
 *
 * whose centre c and weights w come from the plugin group's settings,
 * read by the init hook through augur/settings.h (no libconfig here).
 * Its minimum 0 is at x = c. Built by examples/CMakeLists.txt as a MODULE
 * library next to the config file. */
#include <stdlib.h>
#include <string.h>
#include "augur/settings.h"
#include "augur/status.h"

#define MAX_DIM 64

typedef struct weighted {
    size_t n;
    double c[MAX_DIM], w[MAX_DIM];
} weighted;

int weighted_init(const augur_settings *s, void **data, char *err, size_t cap);
void weighted_fini(void *data);
double weighted_cost(const double *x, size_t n, void *data);

int weighted_init(const augur_settings *s, void **data, char *err, size_t cap)
{
    weighted *st = calloc(1, sizeof *st);
    if (!st)
        return AUGUR_ENOMEM;
    size_t nw = 0;
    int rc = augur_settings_numbers(s, "centre", st->c, MAX_DIM, &st->n);
    if (rc != AUGUR_OK) {
        free(st);
        return augur_settings_fail(err, cap, "centre: expected up to %d numbers",
                                   MAX_DIM);
    }
    rc = augur_settings_numbers(s, "weights", st->w, MAX_DIM, &nw);
    if (rc == AUGUR_ENOTFOUND)          /* weights are optional: all 1 */
        for (nw = 0; nw < st->n; nw++)
            st->w[nw] = 1;
    else if (rc != AUGUR_OK || nw != st->n) {
        size_t n = st->n;
        free(st);
        return augur_settings_fail(err, cap, "weights: expected %zu numbers, as many "
                                   "as the centre has", n);
    }
    *data = st;
    return AUGUR_OK;
}

void weighted_fini(void *data)
{
    free(data);
}

double weighted_cost(const double *x, size_t n, void *data)
{
    const weighted *st = data;
    if (!st || n != st->n)
        return 0.0 / 0.0;   /* NaN: the solver counts it as +inf */
    double f = 0;
    for (size_t i = 0; i < n; i++)
        f += st->w[i] * (x[i] - st->c[i]) * (x[i] - st->c[i]);
    return f;
}
