/* list.c - `augur list [SECTION]`: what a config file can name.
 *
 * Every line comes from the library's registries and parameter tables -
 * augur_solver_types, augur_term_types, augur_map_types, augur_models,
 * augur_fit_models - so the listing cannot drift from the code: a new
 * solver or parameter shows up here the day it is registered. Parameters
 * are printed one per line, aligned in columns: name, kind, default, range
 * (or, for choices, the names on the next line) and the one-line doc. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "augur/fit.h"
#include "augur/plugin.h"
#include "cli.h"

/* --- Parameter tables ---------------------------------------------------- */

/* A value as a person writes it: "inf", whole numbers below ten million
 * in full, and otherwise the shortest text that reads back as the same
 * double (1e+09), so a range end such as 1 - 1e-12 is not shown as 1. */
static void format_value(double v, char *buf, size_t cap)
{
    if (isinf(v)) {
        snprintf(buf, cap, "%sinf", v < 0 ? "-" : "");
        return;
    }
    if (fabs(v) < 1e7 && v == floor(v)) {
        snprintf(buf, cap, "%.0f", v);
        return;
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, cap, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

static const char *kind_name(augur_param_kind kind)
{
    switch (kind) {
    case AUGUR_PARAM_REAL: return "real";
    case AUGUR_PARAM_INT: return "int";
    case AUGUR_PARAM_BOOL: return "bool";
    case AUGUR_PARAM_CHOICE: return "choice";
    }
    return "?";
}

/* One line of a table: a parameter, or a monitor kind's text setting. */
typedef struct line {
    const char *name, *kind, *doc;
    char def[64], range[96];
    const augur_param *choice;    /* a CHOICE parameter: its names follow */
} line;

static void param_line(const augur_param *p, line *l)
{
    *l = (line){.name = p->name, .kind = kind_name(p->kind), .doc = p->doc};
    if (p->kind == AUGUR_PARAM_BOOL)
        snprintf(l->def, sizeof l->def, "%s", p->def != 0 ? "true" : "false");
    else if (p->kind == AUGUR_PARAM_CHOICE) {
        const char *name = augur_param_choice_name(p, p->def);
        snprintf(l->def, sizeof l->def, "%s", name ? name : "?");
        l->choice = p;
    } else {
        char lo[32], hi[32];
        format_value(p->def, l->def, sizeof l->def);
        format_value(p->min, lo, sizeof lo);
        format_value(p->max, hi, sizeof hi);
        snprintf(l->range, sizeof l->range, "[%s, %s]", lo, hi);
    }
}

static void text_line(const augur_text_setting *t, line *l)
{
    *l = (line){.name = t->name, .kind = "text", .doc = t->doc};
    snprintf(l->def, sizeof l->def, "%s", t->required ? "(required)" : "(none)");
}

/* "choices: a, b, c", wrapped under the default column. */
static void print_choices(const augur_param *p, int indent)
{
    int col = printf("%*schoices:", indent, "");
    for (size_t k = 0; p->choices[k]; k++) {
        int len = (int)strlen(p->choices[k]) + 2;
        if (k && col + len > 100)
            col = printf(",\n%*s", indent + 8, "") - 2;
        else if (k)
            col += printf(",");
        col += printf(" %s", p->choices[k]);
    }
    putchar('\n');
}

static void print_lines(const line *lines, size_t n, int indent)
{
    int w[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        int lens[3] = {(int)strlen(lines[i].name), (int)strlen(lines[i].def),
                       (int)strlen(lines[i].range)};
        for (int c = 0; c < 3; c++)
            w[c] = lens[c] > w[c] ? lens[c] : w[c];
    }
    for (size_t i = 0; i < n; i++) {
        const line *l = &lines[i];
        printf("%*s%-*s  %-6s  %-*s  %-*s  %s\n", indent, "", w[0], l->name, l->kind, w[1],
               l->def, w[2], l->range, l->doc ? l->doc : "");
        if (l->choice && l->choice->choices)
            print_choices(l->choice, indent + w[0] + 2);
    }
}

/* A parameter table and, for monitor kinds, the text settings after it. */
static void list_params_texts(const augur_param *params, const augur_text_setting *texts,
                              int indent)
{
    size_t n = augur_param_count(params), k = 0;
    for (const augur_text_setting *t = texts; t && t->name; t++)
        k++;
    line *lines = calloc(n + k + 1, sizeof *lines);
    if (!lines)
        return;
    for (size_t i = 0; i < n; i++)
        param_line(&params[i], &lines[i]);
    for (size_t i = 0; i < k; i++)
        text_line(&texts[i], &lines[n + i]);
    print_lines(lines, n + k, indent);
    free(lines);
}

static void list_params(const augur_param *params, int indent)
{
    list_params_texts(params, NULL, indent);
}

/* --- Sections ------------------------------------------------------------- */

static void list_solvers(void)
{
    printf("solvers (solver.type; parameters go in solver.parameters)\n");
    printf("  every solver also takes:\n");
    list_params(augur_solver_base_params(), 4);
    for (const augur_solver_type *const *t = augur_solver_types(); *t; t++) {
        printf("\n  %s - %s\n", (*t)->name, (*t)->doc ? (*t)->doc : "");
        if ((*t)->nested_limits)
            printf("    an ensemble: runs solver.nested from each starting point\n");
        list_params((*t)->params, 4);
    }
}

static void list_terminations(void)
{
    printf("terminations (solver.termination: { type = \"...\"; ... })\n");
    for (const augur_term_type *const *t = augur_term_types(); *t; t++) {
        printf("\n  %s (%s) - %s\n", (*t)->name, (*t)->label, (*t)->doc ? (*t)->doc : "");
        if ((*t)->max_children == SIZE_MAX)
            printf("    members: any number\n");
        else if ((*t)->max_children > 0)
            printf("    members: %zu\n", (*t)->max_children);
        list_params((*t)->params, 4);
    }
}

/* What a model takes, as "n = 2", "n >= 2" or "2 <= n <= 10". */
static void model_dims(const augur_model *m, char *buf, size_t cap)
{
    if (m->max_dim == m->min_dim)
        snprintf(buf, cap, "n = %zu", m->min_dim);
    else if (m->max_dim == 0)
        snprintf(buf, cap, "n >= %zu (default %zu)", m->min_dim, m->default_dim);
    else
        snprintf(buf, cap, "%zu <= n <= %zu (default %zu)", m->min_dim, m->max_dim,
                 m->default_dim);
}

static void list_models(void)
{
    printf("models (problem.model: test problems with known minima)\n");
    for (const augur_model *const *m = augur_models(); *m; m++) {
        char dims[64], fmin[64] = "unknown";
        double f;
        model_dims(*m, dims, sizeof dims);
        if (augur_model_minimum(*m, (*m)->default_dim, &f, NULL) == AUGUR_OK)
            snprintf(fmin, sizeof fmin, "%.10g", f);
        printf("\n  %s - %s\n    dimension %s; minimum f = %s at the default dimension\n",
               (*m)->name, (*m)->doc ? (*m)->doc : "", dims, fmin);
    }
}

static void print_columns(const char *what, size_t dim)
{
    if (dim == 0)
        printf("%s any number", what);
    else
        printf("%s %zu", what, dim);
}

static void list_fit_models(void)
{
    printf("fit-models (problem.fit.model: curves fitted to data)\n");
    for (const augur_fit_model *const *m = augur_fit_models(); *m; m++) {
        printf("\n  %s - %s\n    parameters: ", (*m)->name, (*m)->doc ? (*m)->doc : "");
        if ((*m)->nparams && (*m)->param_names)
            for (size_t i = 0; (*m)->param_names[i]; i++)
                printf("%s%s", i ? ", " : "", (*m)->param_names[i]);
        else if ((*m)->nparams)
            printf("%zu", (*m)->nparams);
        else
            printf("%s", (*m)->size_rule ? (*m)->size_rule : "chosen by the fit");
        printf("\n    columns:");
        print_columns(" x", (*m)->xdim);
        print_columns(", y", (*m)->ydim);
        putchar('\n');
    }
}

static void list_monitors(void)
{
    printf("monitors (monitors = ( { type = \"...\"; ... }, ... ))\n");
    for (const augur_monitor_kind *const *k = augur_monitor_kinds(); *k; k++) {
        printf("\n  %s - %s\n", (*k)->name, (*k)->doc ? (*k)->doc : "");
        list_params_texts((*k)->params, (*k)->texts, 4);
    }
}

/* The map registry has names only; what each backend is, and how the
 * command line and a file name it, is said here. */
static const char *map_doc(const char *name)
{
    static const struct { const char *name, *doc; } docs[] = {
        {"serial", "evaluate in the calling thread (the reference)"},
        {"threads", "threads:N - a pool of N POSIX threads (N = 0: one per CPU)"},
        {"fork", "fork:N - N forked worker processes (N = 0: one per CPU)"},
        {"mpi", "MPI ranks under mpirun: rank 0 deals, the others compute"},
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        if (strcmp(docs[i].name, name) == 0)
            return docs[i].doc;
    return "";
}

static void list_maps(void)
{
    printf("maps (map, or --map: where population solvers evaluate their batches)\n");
    for (const char *const *m = augur_map_types(); *m; m++)
        printf("  %-8s %s\n", *m, map_doc(*m));
}

typedef struct section {
    const char *name;
    void (*print)(void);
} section;

static const section sections[] = {
    {.name = "solvers", .print = list_solvers},
    {.name = "terminations", .print = list_terminations},
    {.name = "monitors", .print = list_monitors},
    {.name = "maps", .print = list_maps},
    {.name = "models", .print = list_models},
    {.name = "fit-models", .print = list_fit_models},
};

#define NSECTIONS (sizeof sections / sizeof sections[0])

static int unknown_section(const char *name)
{
    fprintf(stderr, "augur: list: no section '%s'; the sections are:", name);
    for (size_t i = 0; i < NSECTIONS; i++)
        fprintf(stderr, " %s", sections[i].name);
    fputc('\n', stderr);
    return CLI_USAGE;
}

static int print_sections(const char *which)
{
    int printed = 0;
    for (size_t i = 0; i < NSECTIONS; i++) {
        if (which && strcmp(which, sections[i].name) != 0)
            continue;
        if (printed++)
            putchar('\n');
        sections[i].print();
    }
    return printed ? CLI_OK : unknown_section(which);
}

int cmd_list(int argc, char **argv)
{
    cli_options o;
    int rc = parse_options(argc, argv, 0, POS_OPTIONAL, &o);
    if (rc == CLI_OK && o.help)
        print_command_help("list", stdout);
    else if (rc == CLI_OK)
        rc = print_sections(o.file);
    free_options(&o);
    return rc;
}
