/* relations.c - constraints and penalties written as text.
 *
 * "x0 + x1 <= 5; x2 == 2*x1" is split into relations at newlines and ';'.
 * Each is lhs OP rhs, read as g(x) = lhs - rhs (rhs - lhs for >=, >):
 * inequalities become penalties, an equality whose left side is a lone
 * variable xk (not used on the right) becomes the mapping xk := rhs(x),
 * and other equalities become quadratic equality penalties. This is the
 * part of mystic's symbolic constraints that needs no computer algebra
 * (mystic#113, #117: sympy is slow), and the mappings it makes are exact.
 *
 * Expressions are evaluated by libmatheval (evaluator_create / _evaluate,
 * variables named x0 .. x(n-1)), but first read by expression.c, which
 * gives errors a reason and a column and keeps libmatheval from printing
 * (see there). libmatheval's parser keeps global state, so evaluator_create
 * runs under a lock; an evaluator keeps its variables' values in itself,
 * so one parsed relation must not be evaluated from two threads at once
 * (a solver evaluates constraints and penalties on its calling thread). */
#include <ctype.h>
#include <math.h>
#include <matheval.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "constraints_int.h"

/* --- Expressions through libmatheval ------------------------------------ */

static pthread_mutex_t parser_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct expr {
    void *ev;
    int count;                    /* variables the expression uses */
    char **names;                 /* theirs, owned by the evaluator */
    size_t *idx;                  /* their coordinates */
    double *vals;                 /* scratch for evaluator_evaluate */
} expr;

static void expr_free(void *data)
{
    expr *e = data;
    if (!e)
        return;
    if (e->ev)
        evaluator_destroy(e->ev);
    free(e->idx);
    free(e->vals);
    free(e);
}

static double expr_eval(const double *x, size_t n, void *data)
{
    expr *e = data;
    (void)n;
    for (int k = 0; k < e->count; k++)
        e->vals[k] = x[e->idx[k]];
    return evaluator_evaluate(e->ev, e->count, e->names, e->vals);
}

/* libmatheval's evaluator of `source` (already checked) into *out. */
static int expr_create(const augur__relation *r, const char *source, expr **out)
{
    expr *e = calloc(1, sizeof *e);
    char *copy = source ? strdup(source) : NULL;
    if (e && copy) {
        pthread_mutex_lock(&parser_lock);
        e->ev = evaluator_create(copy);
        if (e->ev)
            evaluator_get_variables(e->ev, &e->names, &e->count);
        pthread_mutex_unlock(&parser_lock);
    }
    free(copy);
    *out = NULL;
    if (e && source && !e->ev) {
        expr_free(e);
        return augur__relation_fail(r, 0, AUGUR_EFAILED, "libmatheval cannot read "
                                    "\"%s\"", source);
    }
    size_t m = e && e->count > 0 ? (size_t)e->count : 1;
    if (!e || !source || !(e->idx = malloc(m * sizeof *e->idx)) ||
        !(e->vals = malloc(m * sizeof *e->vals))) {
        expr_free(e);
        return augur__relation_fail(r, 0, AUGUR_ENOMEM, "out of memory");
    }
    for (int k = 0; k < e->count; k++)
        e->idx[k] = augur__variable_index(e->names[k], strlen(e->names[k]), r->n);
    *out = e;
    return AUGUR_OK;
}

/* --- Relations ---------------------------------------------------------- */

typedef struct parsed {
    augur_constraints *c;
    augur_penalty *p;
    augur_penalty_kind inequality;
    double k, h;
} parsed;

/* Find the one relation operator: its start, length and kind ('<', '>'
 * or '='). */
static int find_operator(const augur__relation *r, size_t *at, size_t *len, char *kind)
{
    const char *t = r->text;
    size_t i = 0;
    while (i < r->len && !strchr("<>=", t[i]))
        i++;
    if (i == r->len)
        return augur__relation_fail(r, 0, AUGUR_EINVAL, "no relation operator "
                                    "(<=, >=, <, >, ==)");
    *at = i;
    *kind = t[i];
    *len = i + 1 < r->len && t[i + 1] == '=' ? 2 : 1;
    for (size_t j = i + *len; j < r->len; j++)
        if (strchr("<>=", t[j]))
            return augur__relation_fail(r, j, AUGUR_EINVAL, "more than one relation "
                                        "operator (write one per line or after ';')");
    return AUGUR_OK;
}

/* "(a)-(b)" of two pieces of the relation's text. */
static char *difference(const augur__relation *r, size_t a0, size_t a1, size_t b0,
                        size_t b1)
{
    size_t len = (a1 - a0) + (b1 - b0) + 6;
    char *s = malloc(len);
    if (s)
        snprintf(s, len, "(%.*s)-(%.*s)", (int)(a1 - a0), r->text + a0,
                 (int)(b1 - b0), r->text + b0);
    return s;
}

static int add_assign(parsed *out, const augur__relation *r, size_t k, size_t r0)
{
    char *src = strndup(r->text + r0, r->len - r0);
    char *text = strndup(r->text, r->len);
    expr *e;
    int rc = expr_create(r, src, &e);
    if (rc == AUGUR_OK && !out->c && !(out->c = augur_constraints_create(r->n)))
        rc = AUGUR_ENOMEM;
    if (rc == AUGUR_OK && text) {
        rc = augur__constraints_add_assign(out->c, k, expr_eval, e, expr_free, text);
        e = NULL;                 /* the constraints own it now, or freed it */
    }
    expr_free(e);
    if (rc == AUGUR_OK && !text)
        rc = AUGUR_ENOMEM;
    if (rc == AUGUR_ENOMEM)
        augur__relation_fail(r, 0, rc, "out of memory");
    free(src);
    free(text);
    return rc;
}

/* A penalty of `kind` on the checked expression source (NULL: no memory). */
static int add_penalty(parsed *out, const augur__relation *r, augur_penalty_kind kind,
                       const char *source)
{
    expr *e;
    int rc = expr_create(r, source, &e);
    if (rc != AUGUR_OK)
        return rc;
    augur_penalty *p = augur__penalty_owned(kind, expr_eval, e, expr_free, out->k,
                                            out->h);
    if (p)
        out->p = out->p ? augur_penalty_and(out->p, p) : p;
    if (!p || !out->p)
        return augur__relation_fail(r, 0, AUGUR_ENOMEM, "out of memory");
    return AUGUR_OK;
}

static int parse_relation(parsed *out, const augur__relation *r)
{
    size_t at, len, lone;
    char kind;
    int rhs_uses_lone = 0;
    int rc = find_operator(r, &at, &len, &kind);
    if (rc == AUGUR_OK)
        rc = augur__expression_check(r, 0, at, "left", SIZE_MAX, &lone, NULL);
    if (rc == AUGUR_OK)
        rc = augur__expression_check(r, at + len, r->len, "right", lone, NULL,
                                     &rhs_uses_lone);
    if (rc != AUGUR_OK)
        return rc;
    size_t r0 = at + len;
    if (kind == '=' && lone != SIZE_MAX && !rhs_uses_lone)
        return add_assign(out, r, lone, r0);
    char *src = kind == '>' ? difference(r, r0, r->len, 0, at)
                            : difference(r, 0, at, r0, r->len);
    rc = add_penalty(out, r, kind == '=' ? AUGUR_PENALTY_QUADRATIC_EQUALITY
                                         : out->inequality, src);
    free(src);
    return rc;
}

/* --- The text ----------------------------------------------------------- */

static int resolve_options(const augur_relation_options *opt, parsed *out,
                           char *err, size_t cap)
{
    augur_relation_options o = opt ? *opt : (augur_relation_options){0};
    if (o.inequality != AUGUR_PENALTY_QUADRATIC_INEQUALITY &&
        o.inequality != AUGUR_PENALTY_LINEAR_INEQUALITY &&
        o.inequality != AUGUR_PENALTY_BARRIER)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "relations: inequalities "
                               "become quadratic, linear or barrier penalties");
    if (!(isfinite(o.k) && o.k >= 0 && isfinite(o.h) && o.h >= 0))
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "relations: k = %g and "
                               "h = %g must be finite and >= 0", o.k, o.h);
    *out = (parsed){.inequality = o.inequality, .k = o.k, .h = o.h};
    return AUGUR_OK;
}

/* The next relation of text from *pos, trimmed; 0 at the end. */
static int next_relation(const char *text, size_t *pos, augur__relation *r)
{
    while (text[*pos]) {
        size_t start = *pos, end = start;
        while (text[end] && text[end] != '\n' && text[end] != ';')
            end++;
        *pos = text[end] ? end + 1 : end;
        while (start < end && isspace((unsigned char)text[start]))
            start++;
        while (end > start && isspace((unsigned char)text[end - 1]))
            end--;
        if (end > start) {
            r->text = text + start;
            r->len = end - start;
            r->number++;
            return 1;
        }
    }
    return 0;
}

int augur_relations_parse(const char *text, size_t n, const augur_relation_options *opt,
                          augur_constraints **c, augur_penalty **p, char *err,
                          size_t cap)
{
    if (err && cap)
        err[0] = '\0';
    if (!c || !p)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "relations: NULL result pointer");
    *c = NULL;
    *p = NULL;
    if (!text || n == 0)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "relations: %s",
                               text ? "the dimension must be at least 1" : "NULL text");
    parsed out = {0};
    int rc = resolve_options(opt, &out, err, cap);
    augur__relation r = {.n = n, .err = err, .cap = cap};
    size_t pos = 0;
    while (rc == AUGUR_OK && next_relation(text, &pos, &r))
        rc = parse_relation(&out, &r);
    if (rc == AUGUR_OK && r.number == 0)
        rc = augur__fail_msg(err, cap, AUGUR_EINVAL, "relations: the text has no "
                             "relation");
    if (rc != AUGUR_OK) {
        augur_constraints_destroy(out.c);
        augur_penalty_destroy(out.p);
        return rc;
    }
    *c = out.c;
    *p = out.p;
    return AUGUR_OK;
}
