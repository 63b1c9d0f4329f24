/* reference.c - the generated part of docs/CONFIG.md: every type a config
 * file can name, with its settings, printed as Markdown from the tables
 * the code itself uses.
 *
 * Solvers, termination conditions and monitor kinds have parameter
 * tables; maps, models and fit models have their registries. Printing the
 * reference from them (and checking the committed file against the
 * output: tests/config_reference.c) is what keeps the docs from drifting
 * when a parameter, a default or a type is added. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "augur/plugin.h"
#include "job_int.h"

/* Markdown cell text: '|' would end the cell. */
static void cell(FILE *fp, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", fp);
        else if (*s == '\n')
            fputc(' ', fp);
        else
            fputc(*s, fp);
    }
}

static void number(FILE *fp, double v)
{
    char num[40];
    if (isinf(v)) {
        fputs(v > 0 ? "inf" : "-inf", fp);
        return;
    }
    augur__format_double(num, sizeof num, v);
    fputs(num, fp);
}

static void kind_and_range(FILE *fp, const augur_param *p)
{
    switch (p->kind) {
    case AUGUR_PARAM_BOOL:
        fputs("boolean | ", fp);
        fputs(p->def != 0 ? "true" : "false", fp);
        fputs(" | ", fp);
        return;
    case AUGUR_PARAM_CHOICE:
        fputs("choice | ", fp);
        cell(fp, augur_param_choice_name(p, p->def));
        fputs(" | ", fp);
        for (size_t k = 0; p->choices[k]; k++) {
            fputs(k ? ", " : "", fp);
            cell(fp, p->choices[k]);
        }
        return;
    default:
        fputs(p->kind == AUGUR_PARAM_INT ? "integer | " : "number | ", fp);
        number(fp, p->def);
        fputs(" | ", fp);
        number(fp, p->min);
        fputs(" .. ", fp);
        number(fp, p->max);
    }
}

static void param_table(FILE *fp, const augur_param *table,
                        const augur_text_setting *texts)
{
    if ((!table || !table[0].name) && (!texts || !texts[0].name)) {
        fputs("No settings.\n\n", fp);
        return;
    }
    fputs("| setting | type | default | range | description |\n"
          "|---|---|---|---|---|\n", fp);
    for (size_t k = 0; table && table[k].name; k++) {
        fprintf(fp, "| `%s` | ", table[k].name);
        kind_and_range(fp, &table[k]);
        fputs(" | ", fp);
        cell(fp, table[k].doc);
        fputs(" |\n", fp);
    }
    for (size_t k = 0; texts && texts[k].name; k++) {
        fprintf(fp, "| `%s` | string | %s | | ", texts[k].name,
                texts[k].required ? "(required)" : "(none)");
        cell(fp, texts[k].doc);
        fputs(" |\n", fp);
    }
    fputs("\n", fp);
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Two tables that print the same (NLopt's families build theirs at run
 * time, one per algorithm). */
static int same_table(const augur_param *a, const augur_param *b)
{
    size_t k = 0;
    for (; a && b && a[k].name && b[k].name; k++)
        if (strcmp(a[k].name, b[k].name) || a[k].kind != b[k].kind ||
            memcmp(&a[k].def, &b[k].def, sizeof a[k].def) ||
            memcmp(&a[k].min, &b[k].min, sizeof a[k].min) ||
            memcmp(&a[k].max, &b[k].max, sizeof a[k].max) ||
            a[k].choices != b[k].choices || !same_text(a[k].doc, b[k].doc))
            return 0;
    return a && b && !a[k].name && !b[k].name && k > 0;
}

static void heading(FILE *fp, const char *name, const char *doc)
{
    fprintf(fp, "#### `%s`\n\n", name);
    if (doc && *doc) {
        cell(fp, doc);
        fputs("\n\n", fp);
    }
}

static void solvers(FILE *fp)
{
    fputs("### Solvers (`solver.type`, `solver.parameters`)\n\n"
          "Every solver also takes these parameters:\n\n", fp);
    param_table(fp, augur_solver_base_params(), NULL);
    /* the NLopt and GSL families share tables: each is printed once */
    const augur_solver_type *const *all = augur_solver_types();
    for (const augur_solver_type *const *t = all; *t; t++) {
        heading(fp, (*t)->name, (*t)->doc);
        const augur_solver_type *const *first = all;
        while (first < t && !same_table((*first)->params, (*t)->params))
            first++;
        if (first < t)
            fprintf(fp, "Parameters: those of `%s` (above).\n\n", (*first)->name);
        else
            param_table(fp, (*t)->params, NULL);
    }
}

static void conditions(FILE *fp)
{
    fputs("### Termination conditions (`solver.termination`)\n\n", fp);
    for (const augur_term_type *const *t = augur_term_types(); *t; t++) {
        fprintf(fp, "#### `%s`\n\n", (*t)->name);
        fputs("Reported as ", fp);
        fprintf(fp, "`%s`", (*t)->label);
        if ((*t)->max_children)
            fprintf(fp, "; takes `members = ( { ... }, ... );` (up to %zu)",
                    (*t)->max_children);
        fputs(". ", fp);
        cell(fp, (*t)->doc);
        fputs("\n\n", fp);
        param_table(fp, (*t)->params, NULL);
    }
}

static void monitors(FILE *fp)
{
    fputs("### Monitors (`monitors`)\n\n", fp);
    for (const augur_monitor_kind *const *k = augur_monitor_kinds(); *k; k++) {
        heading(fp, (*k)->name, (*k)->doc);
        param_table(fp, (*k)->params, (*k)->texts);
    }
}

static void profile(FILE *fp)
{
    fputs("### Profile scans (`profile`)\n\n", fp);
    param_table(fp, augur__profile_params, NULL);
}

static void checkpoint(FILE *fp)
{
    fputs("### Checkpoints (`checkpoint`)\n\n"
          "| setting | type | default | description |\n|---|---|---|---|\n"
          "| `file` | string | (required) | where the run's state is saved (relative "
          "to the config file); `augur resume` continues from it |\n"
          "| `every` | integer or string | \"60s\" | every N generations (10), or "
          "every so long (\"30s\", \"5m\", \"1h\"); a stop (Ctrl-C, SIGTERM) "
          "saves once more |\n\n", fp);
}

static void maps(FILE *fp)
{
    fputs("### Maps (`map`, `solver.map`)\n\n"
          "| setting | type | default | description |\n|---|---|---|---|\n"
          "| `type` | string | (required) | one of:", fp);
    for (const char *const *t = augur_map_types(); *t; t++)
        fprintf(fp, "%s `%s`", t == augur_map_types() ? "" : ",", *t);
    fputs(" |\n| `workers` | integer | 0 | threads or processes; 0: one per CPU "
          "(mpi: from mpirun) |\n\n", fp);
}

static void models(FILE *fp)
{
    fputs("### Models (`problem.model`)\n\n"
          "| model | dimension | default | minimum at the default dimension | "
          "description |\n|---|---|---|---|---|\n", fp);
    for (const augur_model *const *m = augur_models(); *m; m++) {
        double fmin;
        fprintf(fp, "| `%s` | ", (*m)->name);
        if ((*m)->max_dim == (*m)->min_dim)
            fprintf(fp, "%zu", (*m)->min_dim);
        else if ((*m)->max_dim)
            fprintf(fp, "%zu .. %zu", (*m)->min_dim, (*m)->max_dim);
        else
            fprintf(fp, ">= %zu", (*m)->min_dim);
        fprintf(fp, " | %zu | ", (*m)->default_dim);
        if (augur_model_minimum(*m, (*m)->default_dim, &fmin, NULL) == AUGUR_OK)
            number(fp, fmin);
        else
            fputs("unknown", fp);
        fputs(" | ", fp);
        cell(fp, (*m)->doc);
        fputs(" |\n", fp);
    }
    fputs("\n", fp);
}

int augur_config_reference(FILE *fp)
{
    if (!fp)
        return AUGUR_EINVAL;
    solvers(fp);
    conditions(fp);
    monitors(fp);
    profile(fp);
    checkpoint(fp);
    maps(fp);
    models(fp);
    augur__reference_fit_models(fp);
    return ferror(fp) ? AUGUR_EIO : AUGUR_OK;
}
