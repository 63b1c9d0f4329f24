/* forms.c - reading the written forms that are not relations: the built-in
 * mappings exactly as augur_constraints_describe writes them, and finding
 * the penalty groups "or(...)" and "and(...)".
 *
 *     integer(x2)               discrete(x0; 0.5, 1, 2)     fixed(x1; 0.1)
 *     linear(1, -2, 0; 3)       sum(5)  mean(5)  spread(5)  ordering(x0, x2)
 *
 * so that describe -> parse -> describe gives the same text and a spec can
 * carry a solver's constraints as one string. Numbers are read with strtod
 * after a check that the token is a plain decimal number (no "inf", "nan"
 * or hex), which reads back exactly what augur__format_double wrote.
 * Whitespace around the pieces is free; anything else out of place is an
 * error with its column, like a relation's. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "constraints_int.h"

typedef struct form_name {
    const char *name;
    int form;
    augur_constraint_kind kind;
} form_name;

static const form_name names[] = {
    {.name = "integer", .form = AUGUR__FORM_MAPPING, .kind = AUGUR_CONSTRAINT_INTEGER},
    {.name = "discrete", .form = AUGUR__FORM_MAPPING, .kind = AUGUR_CONSTRAINT_DISCRETE},
    {.name = "fixed", .form = AUGUR__FORM_MAPPING, .kind = AUGUR_CONSTRAINT_FIXED},
    {.name = "linear", .form = AUGUR__FORM_MAPPING, .kind = AUGUR_CONSTRAINT_LINEAR},
    {.name = "sum", .form = AUGUR__FORM_MAPPING, .kind = AUGUR_CONSTRAINT_SUM},
    {.name = "mean", .form = AUGUR__FORM_MAPPING, .kind = AUGUR_CONSTRAINT_MEAN},
    {.name = "spread", .form = AUGUR__FORM_MAPPING, .kind = AUGUR_CONSTRAINT_SPREAD},
    {.name = "ordering", .form = AUGUR__FORM_MAPPING, .kind = AUGUR_CONSTRAINT_ORDERING},
    {.name = "or", .form = AUGUR__FORM_OR, .kind = AUGUR_CONSTRAINT_CALLBACK},
    {.name = "and", .form = AUGUR__FORM_AND, .kind = AUGUR_CONSTRAINT_CALLBACK},
};

static size_t skip_space(const char *t, size_t p, size_t e)
{
    while (p < e && isspace((unsigned char)t[p]))
        p++;
    return p;
}

/* The entry for the name at text[b, e) when a '(' follows it, or NULL. */
static const form_name *lookup(const char *text, size_t b, size_t e)
{
    size_t p = b;
    while (p < e && isalpha((unsigned char)text[p]))
        p++;
    size_t open = skip_space(text, p, e);
    if (p == b || open >= e || text[open] != '(')
        return NULL;
    for (size_t k = 0; k < AUGUR__ARRAY_SIZE(names); k++)
        if (strlen(names[k].name) == p - b && memcmp(names[k].name, text + b, p - b) == 0)
            return &names[k];
    return NULL;
}

int augur__form_kind(const char *text, size_t b, size_t e)
{
    const form_name *f = lookup(text, b, e);
    return f ? f->form : AUGUR__FORM_NONE;
}

size_t augur__form_close(const char *text, size_t b, size_t e)
{
    size_t depth = 0;
    for (size_t p = b; p < e; p++) {
        if (text[p] == '(')
            depth++;
        else if (text[p] == ')' && depth > 0 && --depth == 0)
            return p;
    }
    return SIZE_MAX;
}

/* --- The pieces of a mapping form -------------------------------------- */

/* A reader over the arguments r->text[pos, end) of one form. */
typedef struct args {
    const augur__relation *r;
    size_t pos, end;
} args;

static int expect(args *a, char c, const char *what)
{
    a->pos = skip_space(a->r->text, a->pos, a->end);
    if (a->pos < a->end && a->r->text[a->pos] == c) {
        a->pos++;
        return AUGUR_OK;
    }
    if (a->pos >= a->end)
        return augur__relation_fail(a->r, a->pos, AUGUR_EINVAL, "expected %s, found "
                                    "the closing ')'", what);
    return augur__relation_fail(a->r, a->pos, AUGUR_EINVAL, "expected %s, found '%c'",
                                what, a->r->text[a->pos]);
}

static int variable(args *a, size_t *i)
{
    const char *t = a->r->text;
    size_t b = a->pos = skip_space(t, a->pos, a->end), p = b;
    while (p < a->end && isalnum((unsigned char)t[p]))
        p++;
    *i = augur__variable_index(t + b, p - b, a->r->n);
    if (*i == SIZE_MAX)
        return augur__relation_fail(a->r, b, AUGUR_EINVAL, "expected a variable "
                                    "x0..x%zu, found '%.*s'", a->r->n - 1,
                                    (int)(p - b), t + b);
    a->pos = p;
    return AUGUR_OK;
}

/* A plain decimal number: sign, digits, point, exponent - nothing strtod
 * would read beyond that (inf, nan, hex). */
static int number(args *a, double *v)
{
    const char *t = a->r->text;
    size_t b = a->pos = skip_space(t, a->pos, a->end), p = b;
    while (p < a->end && (isdigit((unsigned char)t[p]) || strchr("+-.eE", t[p])))
        p++;
    char tok[64] = "";   /* a token too long to copy reads as no number */
    char *stop = tok;
    if (p > b && p - b < sizeof tok) {
        memcpy(tok, t + b, p - b);
        tok[p - b] = '\0';
        *v = augur__strtod(tok, &stop);
    }
    if (p == b || *stop != '\0' || stop == tok) {
        size_t q = b;             /* the whole token, for the message */
        while (q < a->end && !strchr(",; \t\r\n", t[q]))
            q++;
        if (q == b)
            return augur__relation_fail(a->r, b, AUGUR_EINVAL, "expected a number, "
                                        "found %s", b < a->end ? "a separator"
                                                               : "the closing ')'");
        return augur__relation_fail(a->r, b, AUGUR_EINVAL, "expected a number, found "
                                    "'%.*s'", (int)(q - b), t + b);
    }
    if (!isfinite(*v))
        return augur__relation_fail(a->r, b, AUGUR_ERANGE, "%s is not a finite "
                                    "number", tok);
    a->pos = p;
    return AUGUR_OK;
}

/* Numbers separated by ',' into a growing array *list of *count. */
static int number_list(args *a, double **list, size_t *count)
{
    size_t cap = 0;
    int rc;
    do {
        double v = 0;
        a->pos += *count > 0;     /* the ',' */
        rc = number(a, &v);
        if (rc == AUGUR_OK && *count == cap) {
            cap = cap ? 2 * cap : 8;
            double *grown = realloc(*list, cap * sizeof *grown);
            if (!grown)
                return augur__relation_fail(a->r, 0, AUGUR_ENOMEM, "out of memory");
            *list = grown;
        }
        if (rc == AUGUR_OK)
            (*list)[(*count)++] = v;
        a->pos = skip_space(a->r->text, a->pos, a->end);
    } while (rc == AUGUR_OK && a->pos < a->end && a->r->text[a->pos] == ',');
    return rc;
}

/* The end of the arguments: nothing left but spaces. */
static int done(args *a)
{
    a->pos = skip_space(a->r->text, a->pos, a->end);
    if (a->pos < a->end)
        return augur__relation_fail(a->r, a->pos, AUGUR_EINVAL, "expected ')', "
                                    "found '%c'", a->r->text[a->pos]);
    return AUGUR_OK;
}

/* --- The forms --------------------------------------------------------- */

/* One mapping as read, before it is added. */
typedef struct mapping {
    augur_constraint_kind kind;
    size_t i, j;
    double v;
    double *list;
    size_t count;
} mapping;

/* integer(xi), fixed(xi; v), ordering(xi, xj) */
static int read_indices(args *a, mapping *m)
{
    int rc = variable(a, &m->i);
    if (rc == AUGUR_OK && m->kind == AUGUR_CONSTRAINT_ORDERING)
        rc = expect(a, ',', "','");
    if (rc == AUGUR_OK && m->kind == AUGUR_CONSTRAINT_ORDERING)
        rc = variable(a, &m->j);
    if (rc == AUGUR_OK && m->kind == AUGUR_CONSTRAINT_FIXED)
        rc = expect(a, ';', "';'");
    if (rc == AUGUR_OK && m->kind == AUGUR_CONSTRAINT_FIXED)
        rc = number(a, &m->v);
    return rc;
}

/* discrete(xi; v, v, ...), linear(a0, ..., a(n-1); b) */
static int read_list(args *a, mapping *m)
{
    int rc = AUGUR_OK;
    if (m->kind == AUGUR_CONSTRAINT_DISCRETE) {
        rc = variable(a, &m->i);
        if (rc == AUGUR_OK)
            rc = expect(a, ';', "';'");
    }
    size_t col = skip_space(a->r->text, a->pos, a->end);
    if (rc == AUGUR_OK)
        rc = number_list(a, &m->list, &m->count);
    if (rc != AUGUR_OK || m->kind != AUGUR_CONSTRAINT_LINEAR)
        return rc;
    if (m->count != a->r->n)
        return augur__relation_fail(a->r, col, AUGUR_EINVAL, "linear needs %zu "
                                    "coefficients (one per variable), found %zu",
                                    a->r->n, m->count);
    rc = expect(a, ';', "';'");
    return rc == AUGUR_OK ? number(a, &m->v) : rc;
}

static int add(augur_constraints *c, const mapping *m)
{
    switch (m->kind) {
    case AUGUR_CONSTRAINT_INTEGER:
        return augur_constraints_add_integer(c, m->i);
    case AUGUR_CONSTRAINT_DISCRETE:
        return augur_constraints_add_discrete(c, m->i, m->list, m->count);
    case AUGUR_CONSTRAINT_FIXED:
        return augur_constraints_add_fixed(c, m->i, m->v);
    case AUGUR_CONSTRAINT_LINEAR:
        return augur_constraints_add_linear_equality(c, m->list, m->v);
    case AUGUR_CONSTRAINT_SUM:
        return augur_constraints_add_sum(c, m->v);
    case AUGUR_CONSTRAINT_MEAN:
        return augur_constraints_add_mean(c, m->v);
    case AUGUR_CONSTRAINT_SPREAD:
        return augur_constraints_add_spread(c, m->v);
    case AUGUR_CONSTRAINT_ORDERING:
        return augur_constraints_add_ordering(c, m->i, m->j);
    default:
        return AUGUR_EINVAL;
    }
}

static int read_arguments(args *a, mapping *m)
{
    switch (m->kind) {
    case AUGUR_CONSTRAINT_DISCRETE:
    case AUGUR_CONSTRAINT_LINEAR:
        return read_list(a, m);
    case AUGUR_CONSTRAINT_SUM:
    case AUGUR_CONSTRAINT_MEAN:
    case AUGUR_CONSTRAINT_SPREAD:
        return number(a, &m->v);
    default:
        return read_indices(a, m);
    }
}

int augur__form_read_mapping(const augur__relation *r, size_t b, size_t e,
                             augur_constraints *c)
{
    const form_name *f = lookup(r->text, b, e);
    size_t open = b;
    while (r->text[open] != '(')
        open++;
    size_t close = augur__form_close(r->text, open, e);
    if (close == SIZE_MAX)
        return augur__relation_fail(r, e, AUGUR_EINVAL, "expected ')', found the end");
    if (skip_space(r->text, close + 1, e) < e)
        return augur__relation_fail(r, skip_space(r->text, close + 1, e), AUGUR_EINVAL,
                                    "unexpected text after %s(...)", f->name);
    args a = {.r = r, .pos = open + 1, .end = close};
    mapping m = {.kind = f->kind};
    int rc = read_arguments(&a, &m);
    if (rc == AUGUR_OK)
        rc = done(&a);
    /* a form that reads but says nothing sensible (a spread < 0, x0 <= x0):
     * the add's own message */
    if (rc == AUGUR_OK && (rc = add(c, &m)) != AUGUR_OK)
        augur__relation_fail(r, b, rc, "%s", augur_constraints_errmsg(c));
    free(m.list);
    return rc;
}
