/* plugin_cost.c - a cost in a shared library of its own, for the config
 * suites (test_config_*.c): a config file names it by path and symbol
 * (problem.plugin), and the job opens it with dlopen. A shifted sphere,
 * sum (x_i - (i + 1))^2: its minimum 0 is at x = [1, 2, ..., n]. */
#include <stddef.h>

double cost(const double *x, size_t n, void *data);

double cost(const double *x, size_t n, void *data)
{
    (void)data;
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - (double)(i + 1);
        f += d * d;
    }
    return f;
}

/* With settings (augur/settings.h): the shift comes from init, as
 * settings.shift (default 1), so sum (x_i - shift (i + 1))^2; init fails
 * with a message when shift is not a number, and fini counts its calls in
 * a file named by settings.fini_log (when given). */
#include <stdio.h>
#include <stdlib.h>
#include "augur/fit.h"
#include "augur/settings.h"
#include "augur/status.h"

typedef struct shifted {
    double shift;
    char log[512];
} shifted;

int shifted_init(const augur_settings *s, void **data, char *err, size_t cap);
void shifted_fini(void *data);
double shifted_cost(const double *x, size_t n, void *data);

int shifted_init(const augur_settings *s, void **data, char *err, size_t cap)
{
    shifted *st = calloc(1, sizeof *st);
    if (!st)
        return AUGUR_ENOMEM;
    st->shift = 1;
    if (augur_settings_number(s, "shift", &st->shift) == AUGUR_EINVAL) {
        free(st);
        return augur_settings_fail(err, cap, "shift: expected a number, not '%s'",
                                   augur_settings_get(s, "shift"));
    }
    if (augur_settings_get(s, "fini_log"))
        augur_settings_path(s, "fini_log", st->log, sizeof st->log);
    *data = st;
    return AUGUR_OK;
}

void shifted_fini(void *data)
{
    shifted *st = data;
    FILE *fp = st->log[0] ? fopen(st->log, "a") : NULL;
    if (fp) {
        fputs("fini\n", fp);
        fclose(fp);
    }
    free(st);
}

double shifted_cost(const double *x, size_t n, void *data)
{
    const shifted *st = data;
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - st->shift * (double)(i + 1);
        f += d * d;
    }
    return f;
}

/* A fit model: y = slope x + shift, where shift is not fitted but comes
 * from init (the same shifted_init), through the model's data. */
static const char *const line_names[] = {"slope", NULL};

static int line_predict(void *data, const double *p, size_t np, const augur_data *d,
                        double *yhat)
{
    const shifted *st = data;
    (void)np;
    for (size_t r = 0; r < augur_data_points(d); r++)
        yhat[r] = p[0] * augur_data_x(d)[r] + (st ? st->shift : 0);
    return 0;
}

extern const augur_fit_model shifted_line;

const augur_fit_model shifted_line = {
    .name = "shifted-line",
    .doc = "slope x + shift (shift from the plugin's settings)",
    .nparams = 1,
    .param_names = line_names,
    .xdim = 1,
    .ydim = 1,
    .predict_with = line_predict,
};
