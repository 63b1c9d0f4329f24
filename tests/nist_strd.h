/* nist_strd.h - the NIST StRD nonlinear regression problems (Statistical
 * Reference Datasets, NIST Information Technology Laboratory,
 * https://www.itl.nist.gov/div898/strd/nls/nls_main.shtml) for the LM
 * suites: a reader of NIST's own .dat files (tests/data/nist/, unchanged)
 * and each problem's model as residuals y_i - model(x_i).
 *
 * A .dat file states where its parts are in its header ("Starting Values
 * (lines 41 to 44)", "Data (lines 61 to 71)"); a parameter line reads
 * "b1 = start1 start2 certified stddev", and the data lines "y x" (one
 * predictor in every problem here; Nelson, with two, is left out). The
 * certified values come from the file; nothing here computes them.
 *
 * Static and marked unused, since not every suite uses all of it. */
#ifndef AUGUR_TESTS_NIST_STRD_H
#define AUGUR_TESTS_NIST_STRD_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIST_MAXP 9
#define NIST_MAXN 256

typedef double (*nist_model)(const double *b, double x);

typedef struct nist_problem {
    char name[16];
    size_t np, n;
    double start[2][NIST_MAXP], certified[NIST_MAXP], stddev[NIST_MAXP];
    double rss;                       /* certified residual sum of squares */
    double x[NIST_MAXN], y[NIST_MAXN];
    nist_model model;
} nist_problem;

/* --- The models, as the .dat files state them --------------------------- */

static double nist_pi(void) { return 3.141592653589793238462643383279; }

static double m_misra1a(const double *b, double x) { return b[0] * (1 - exp(-b[1] * x)); }
static double m_misra1b(const double *b, double x)
{
    return b[0] * (1 - pow(1 + b[1] * x / 2, -2));
}
static double m_misra1c(const double *b, double x)
{
    return b[0] * (1 - pow(1 + 2 * b[1] * x, -.5));
}
static double m_misra1d(const double *b, double x)
{
    return b[0] * b[1] * x * pow(1 + b[1] * x, -1);
}
static double m_chwirut(const double *b, double x) { return exp(-b[0] * x) / (b[1] + b[2] * x); }
static double m_danwood(const double *b, double x) { return b[0] * pow(x, b[1]); }
static double m_lanczos(const double *b, double x)
{
    return b[0] * exp(-b[1] * x) + b[2] * exp(-b[3] * x) + b[4] * exp(-b[5] * x);
}
static double m_gauss(const double *b, double x)
{
    return b[0] * exp(-b[1] * x) + b[2] * exp(-(x - b[3]) * (x - b[3]) / (b[4] * b[4])) +
           b[5] * exp(-(x - b[6]) * (x - b[6]) / (b[7] * b[7]));
}
static double m_kirby2(const double *b, double x)
{
    return (b[0] + b[1] * x + b[2] * x * x) / (1 + b[3] * x + b[4] * x * x);
}
static double m_cubic_cubic(const double *b, double x)   /* Hahn1, Thurber */
{
    return (b[0] + b[1] * x + b[2] * x * x + b[3] * x * x * x) /
           (1 + b[4] * x + b[5] * x * x + b[6] * x * x * x);
}
static double m_mgh17(const double *b, double x)
{
    return b[0] + b[1] * exp(-x * b[3]) + b[2] * exp(-x * b[4]);
}
static double m_roszman1(const double *b, double x)
{
    return b[0] - b[1] * x - atan(b[2] / (x - b[3])) / nist_pi();
}
static double m_enso(const double *b, double x)
{
    double w = 2 * nist_pi() * x;
    return b[0] + b[1] * cos(w / 12) + b[2] * sin(w / 12) + b[4] * cos(w / b[3]) +
           b[5] * sin(w / b[3]) + b[7] * cos(w / b[6]) + b[8] * sin(w / b[6]);
}
static double m_mgh09(const double *b, double x)
{
    return b[0] * (x * x + x * b[1]) / (x * x + x * b[2] + b[3]);
}
static double m_rat42(const double *b, double x) { return b[0] / (1 + exp(b[1] - b[2] * x)); }
static double m_mgh10(const double *b, double x) { return b[0] * exp(b[1] / (x + b[2])); }
static double m_eckerle4(const double *b, double x)
{
    return (b[0] / b[1]) * exp(-0.5 * ((x - b[2]) / b[1]) * ((x - b[2]) / b[1]));
}
static double m_rat43(const double *b, double x)
{
    return b[0] / pow(1 + exp(b[1] - b[2] * x), 1 / b[3]);
}
static double m_bennett5(const double *b, double x) { return b[0] * pow(b[1] + x, -1 / b[2]); }

typedef struct nist_entry {
    const char *name;
    nist_model model;
} nist_entry;

static const nist_entry nist_models[] = {
    {"Misra1a", m_misra1a},   {"Chwirut2", m_chwirut}, {"Chwirut1", m_chwirut},
    {"Lanczos3", m_lanczos},  {"Gauss1", m_gauss},     {"Gauss2", m_gauss},
    {"DanWood", m_danwood},   {"Misra1b", m_misra1b},  {"Kirby2", m_kirby2},
    {"Hahn1", m_cubic_cubic}, {"MGH17", m_mgh17},      {"Lanczos1", m_lanczos},
    {"Lanczos2", m_lanczos},  {"Gauss3", m_gauss},     {"Misra1c", m_misra1c},
    {"Misra1d", m_misra1d},   {"Roszman1", m_roszman1}, {"ENSO", m_enso},
    {"MGH09", m_mgh09},       {"Thurber", m_cubic_cubic}, {"BoxBOD", m_misra1a},
    {"Rat42", m_rat42},       {"MGH10", m_mgh10},      {"Eckerle4", m_eckerle4},
    {"Rat43", m_rat43},       {"Bennett5", m_bennett5},
};
#define NIST_NPROBLEMS (sizeof nist_models / sizeof *nist_models)

/* --- The reader ------------------------------------------------------------ */

/* "(lines a to b)" after label in the header; 0 when absent. */
static int nist_range(char lines[][128], size_t nl, const char *label, int *a, int *b)
{
    for (size_t i = 0; i < nl && i < 12; i++) {
        const char *s = strstr(lines[i], label);
        if (s && (s = strstr(s, "(lines")) && sscanf(s, "(lines %d to %d)", a, b) == 2)
            return 1;
    }
    return 0;
}

/* Reads dir/name.dat into *pr; 0 on success, else -1 with why written. */
static __attribute__((unused)) int nist_load(const char *dir, const char *name,
                                             nist_problem *pr, char *why, size_t cap)
{
    static char lines[512][128];
    memset(pr, 0, sizeof *pr);
    snprintf(pr->name, sizeof pr->name, "%s", name);
    for (size_t k = 0; k < NIST_NPROBLEMS; k++)
        if (strcmp(nist_models[k].name, name) == 0)
            pr->model = nist_models[k].model;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.dat", dir, name);
    FILE *fp = fopen(path, "r");
    if (!fp || !pr->model) {
        snprintf(why, cap, "%.200s: %s", path, fp ? "no model for it" : "cannot open");
        if (fp)
            fclose(fp);
        return -1;
    }
    size_t nl = 0;
    while (nl < 512 && fgets(lines[nl], sizeof lines[nl], fp))
        nl++;
    fclose(fp);
    int s0, s1, d0, d1;
    if (!nist_range(lines, nl, "Starting Values", &s0, &s1) &&
        !nist_range(lines, nl, "Starting values", &s0, &s1)) {
        snprintf(why, cap, "%.200s: no starting values", path);
        return -1;
    }
    if (!nist_range(lines, nl, "Data ", &d0, &d1) || d1 > (int)nl ||
        d1 - d0 + 1 > NIST_MAXN) {
        snprintf(why, cap, "%.200s: no data range", path);
        return -1;
    }
    for (int i = s0; i <= s1; i++) {
        int j;
        double v[4];
        if (sscanf(lines[i - 1], " b%d = %lf %lf %lf %lf", &j, &v[0], &v[1], &v[2],
                   &v[3]) != 5 || j < 1 || j > NIST_MAXP) {
            snprintf(why, cap, "%.200s:%d: not a parameter line", path, i);
            return -1;
        }
        pr->start[0][j - 1] = v[0];
        pr->start[1][j - 1] = v[1];
        pr->certified[j - 1] = v[2];
        pr->stddev[j - 1] = v[3];
        pr->np = (size_t)j;
    }
    for (size_t i = 0; i < nl; i++)
        if (strncmp(lines[i], "Residual Sum of Squares:", 24) == 0)
            pr->rss = strtod(lines[i] + 24, NULL);
    for (int i = d0; i <= d1; i++, pr->n++)
        if (sscanf(lines[i - 1], "%lf %lf", &pr->y[pr->n], &pr->x[pr->n]) != 2) {
            snprintf(why, cap, "%.200s:%d: not a data line", path, i);
            return -1;
        }
    return 0;
}

/* Residuals model(x_i) - y_i: an augur_residual_fn with the problem as
 * data. */
static __attribute__((unused)) int nist_residuals(const double *b, size_t np, double *r,
                                                  size_t n, void *data)
{
    const nist_problem *pr = data;
    (void)np;
    for (size_t i = 0; i < n; i++)
        r[i] = pr->model(b, pr->x[i]) - pr->y[i];
    return 0;
}

/* NIST's log relative error, -log10(|x - c| / |c|): the number of correct
 * significant digits (15 when x == c). */
static __attribute__((unused)) double nist_lre(double x, double c)
{
    double e = fabs(x - c) / fabs(c);
    return e == 0 ? 15 : !isfinite(e) ? 0 : fmin(15, -log10(e));
}

/* The fewest correct digits over the parameters b of problem pr. */
static __attribute__((unused)) double nist_min_lre(const double *b, const nist_problem *pr)
{
    double lre = 15;
    for (size_t j = 0; j < pr->np; j++)
        lre = fmin(lre, nist_lre(b[j], pr->certified[j]));
    return lre;
}

#endif
