/* relations.c - constraints and penalties written as text.
 *
 * "x0 + x1 <= 5; x2 == 2*x1" is split into relations at newlines and ';'.
 * Each is lhs OP rhs, read as g(x) = lhs - rhs (rhs - lhs for >=, >):
 * inequalities become penalties, an equality whose left side is a lone
 * variable xk (not used on the right) becomes the mapping xk := rhs(x),
 * and other equalities become equality penalties. Two more sorts of piece
 * make the text the one written form of everything built in: the
 * built-in mappings as describe writes them ("mean(5)", read by forms.c),
 * and the penalty groups "or(a; b)" and "and(a; b)", whose members are
 * relations or groups and are all penalties; inside a form's parentheses
 * ';' and newlines do not end the relation. This is the part of mystic's
 * symbolic constraints that needs no computer algebra (mystic#113, #117:
 * sympy is slow), and the mappings it makes are exact.
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
        augur__matheval_lock();
        e->ev = evaluator_create(copy);
        if (e->ev)
            evaluator_get_variables(e->ev, &e->names, &e->count);
        augur__matheval_unlock();
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
    augur_relation_options o;     /* resolved: kinds, k and h */
    int want;                     /* AUGUR__RELATIONS_* */
} parsed;

/* Pieces of a relation are r->text[b, e): the whole (trimmed) relation, or
 * a member of or(...) / and(...), so that columns always count from the
 * start of the relation the message shows. */

/* Find the one relation operator: its start, length and kind ('<', '>'
 * or '='). */
static int find_operator(const augur__relation *r, size_t b, size_t e, size_t *at,
                         size_t *len, char *kind)
{
    const char *t = r->text;
    size_t i = b;
    while (i < e && !strchr("<>=", t[i]))
        i++;
    if (i == e)
        return augur__relation_fail(r, b, AUGUR_EINVAL, "no relation operator "
                                    "(<=, >=, <, >, ==)");
    *at = i;
    *kind = t[i];
    *len = i + 1 < e && t[i + 1] == '=' ? 2 : 1;
    for (size_t j = i + *len; j < e; j++)
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

/* A piece of the sort a restricted reader does not take. */
static int misplaced(const augur__relation *r, size_t b, const char *is, const char *only)
{
    return augur__relation_fail(r, b, AUGUR_EINVAL, "this is %s, and only %s are "
                                "allowed here", is, only);
}

static int ensure_constraints(parsed *out, const augur__relation *r)
{
    if (!out->c && !(out->c = augur_constraints_create(r->n)))
        return augur__relation_fail(r, 0, AUGUR_ENOMEM, "out of memory");
    return AUGUR_OK;
}

/* xk := the right side r->text[r0, e), written as r->text[b, e). */
static int add_assign(parsed *out, const augur__relation *r, size_t k, size_t b,
                      size_t r0, size_t e)
{
    char *src = strndup(r->text + r0, e - r0);
    char *text = strndup(r->text + b, e - b);
    expr *x;
    int rc = expr_create(r, src, &x);
    if (rc == AUGUR_OK)
        rc = ensure_constraints(out, r);
    if (rc == AUGUR_OK && text) {
        rc = augur__constraints_add_assign(out->c, k, expr_eval, x, expr_free, text);
        x = NULL;                 /* the constraints own it now, or freed it */
    }
    expr_free(x);
    if (rc == AUGUR_OK && !text)
        rc = AUGUR_ENOMEM;
    if (rc == AUGUR_ENOMEM)
        augur__relation_fail(r, 0, rc, "out of memory");
    free(src);
    free(text);
    return rc;
}

/* A penalty of `kind` on the checked expression source (NULL: no memory),
 * keeping r->text[b, e) as its written form. */
static int make_penalty(parsed *out, const augur__relation *r, size_t b, size_t e,
                        augur_penalty_kind kind, const char *source,
                        augur_penalty **made)
{
    expr *x;
    int rc = expr_create(r, source, &x);
    if (rc != AUGUR_OK)
        return rc;
    *made = augur__penalty_owned(kind, expr_eval, x, expr_free, out->o.k, out->o.h,
                                 r->text + b, e - b);
    if (!*made)
        return augur__relation_fail(r, 0, AUGUR_ENOMEM, "out of memory");
    return AUGUR_OK;
}

/* One relation r->text[b, e): a mapping appended to out->c, or a penalty
 * in *made. Inside a group (or, and) every relation is a penalty. */
static int read_relation(parsed *out, const augur__relation *r, size_t b, size_t e,
                         int grouped, augur_penalty **made)
{
    /* set by find_operator and the checks; initialised for -O2's flow analysis */
    size_t at = 0, len = 0, lone = SIZE_MAX;
    char kind = 0;
    int rhs_uses_lone = 0;
    int rc = find_operator(r, b, e, &at, &len, &kind);
    if (rc == AUGUR_OK)
        rc = augur__expression_check(r, b, at, "left", SIZE_MAX, &lone, NULL);
    if (rc == AUGUR_OK)
        rc = augur__expression_check(r, at + len, e, "right", lone, NULL,
                                     &rhs_uses_lone);
    if (rc != AUGUR_OK)
        return rc;
    size_t r0 = at + len;
    int mapping_form = kind == '=' && lone != SIZE_MAX && !rhs_uses_lone;
    if (mapping_form && !grouped) {
        if (out->want == AUGUR__RELATIONS_PENALTIES)
            return misplaced(r, b, "a mapping (a lone variable := the right side; "
                             "for a penalty write it as 'lhs - rhs == 0')", "penalties");
        return add_assign(out, r, lone, b, r0, e);
    }
    if (out->want == AUGUR__RELATIONS_MAPPINGS)
        return misplaced(r, b, kind == '=' ? "a penalty (only a lone variable on "
                         "the left, unused on the right, makes a mapping)"
                         : "a penalty (an inequality)", "mappings");
    char *src = kind == '>' ? difference(r, r0, e, b, at) : difference(r, b, at, r0, e);
    rc = make_penalty(out, r, b, e, kind == '=' ? out->o.equality : out->o.inequality,
                      src, made);
    free(src);
    if (rc == AUGUR_OK)   /* written back, it must stay inside a group */
        (*made)->mapping_form = mapping_form;
    return rc;
}

/* Parentheses depth after character c. */
static size_t nest(size_t depth, char c)
{
    if (c == '(')
        return depth + 1;
    return c == ')' && depth > 0 ? depth - 1 : depth;
}

static size_t skip_space(const char *t, size_t p, size_t e)
{
    while (p < e && isspace((unsigned char)t[p]))
        p++;
    return p;
}

static size_t trim_end(const char *t, size_t b, size_t e)
{
    while (e > b && isspace((unsigned char)t[e - 1]))
        e--;
    return e;
}

/* The end of the member starting at b: the next ';' outside parentheses,
 * or `close`. */
static size_t member_end(const char *t, size_t b, size_t close)
{
    size_t depth = 0, p = b;
    for (; p < close && (depth > 0 || t[p] != ';'); p++)
        depth = nest(depth, t[p]);
    return p;
}

/* Groups inside groups, at most (each level is a recursion). */
#define MAX_GROUP_DEPTH 64

static int read_item(parsed *out, const augur__relation *r, size_t b, size_t e,
                     int depth, augur_penalty **made);

/* or(m; m; ...) and and(m; m; ...) at group depth `depth`: two or more
 * members, each a relation or a group, joined with augur_penalty_or /
 * _and in order. */
static int read_group(parsed *out, const augur__relation *r, size_t b, size_t e,
                      int form, int depth, augur_penalty **made)
{
    const char *t = r->text, *name = form == AUGUR__FORM_OR ? "or" : "and";
    if (out->want == AUGUR__RELATIONS_MAPPINGS)
        return misplaced(r, b, "a penalty (a group of relations)", "mappings");
    if (depth >= MAX_GROUP_DEPTH)
        return augur__relation_fail(r, b, AUGUR_EINVAL, "groups nested too deeply");
    size_t open = b, members = 0;
    while (t[open] != '(')
        open++;
    size_t close = augur__form_close(t, open, e);
    if (close == SIZE_MAX)
        return augur__relation_fail(r, e, AUGUR_EINVAL, "expected ')', found the end");
    if (skip_space(t, close + 1, e) < e)
        return augur__relation_fail(r, skip_space(t, close + 1, e), AUGUR_EINVAL,
                                    "unexpected text after %s(...)", name);
    augur_penalty *acc = NULL;
    int rc = AUGUR_OK;
    for (size_t mb = open + 1; rc == AUGUR_OK && mb <= close; members++) {
        size_t me = member_end(t, mb, close), s = skip_space(t, mb, me);
        augur_penalty *p = NULL;
        rc = s < me ? read_item(out, r, s, trim_end(t, s, me), depth + 1, &p)
                    : augur__relation_fail(r, s, AUGUR_EINVAL, "%s(...) has an empty "
                                           "member", name);
        if (rc == AUGUR_OK && acc)
            p = form == AUGUR__FORM_OR ? augur_penalty_or(acc, p)
                                       : augur_penalty_and(acc, p);
        if (rc == AUGUR_OK && !(acc = p))
            rc = augur__relation_fail(r, 0, AUGUR_ENOMEM, "out of memory");
        mb = me + 1;
    }
    if (rc == AUGUR_OK && members < 2)
        rc = augur__relation_fail(r, b, AUGUR_EINVAL, "%s(...) needs two or more "
                                  "members, separated by ';'", name);
    if (rc != AUGUR_OK)
        augur_penalty_destroy(acc);
    *made = rc == AUGUR_OK ? acc : NULL;
    return rc;
}

/* A relation, a built-in mapping form or a group at r->text[b, e), at
 * group depth `depth` (0: the top level). */
static int read_item(parsed *out, const augur__relation *r, size_t b, size_t e,
                     int depth, augur_penalty **made)
{
    int form = augur__form_kind(r->text, b, e);
    if (form == AUGUR__FORM_OR || form == AUGUR__FORM_AND)
        return read_group(out, r, b, e, form, depth, made);
    if (form == AUGUR__FORM_NONE)
        return read_relation(out, r, b, e, depth > 0, made);
    if (depth > 0)
        return augur__relation_fail(r, b, AUGUR_EINVAL, "a mapping cannot be a "
                                    "member of or(...) or and(...)");
    if (out->want == AUGUR__RELATIONS_PENALTIES)
        return misplaced(r, b, "a mapping", "penalties");
    int rc = ensure_constraints(out, r);
    return rc == AUGUR_OK ? augur__form_read_mapping(r, b, e, out->c) : rc;
}

static int parse_relation(parsed *out, const augur__relation *r)
{
    augur_penalty *p = NULL;
    int rc = read_item(out, r, 0, r->len, 0, &p);
    if (rc != AUGUR_OK || !p)
        return rc;
    out->p = out->p ? augur_penalty_and(out->p, p) : p;
    if (!out->p)
        return augur__relation_fail(r, 0, AUGUR_ENOMEM, "out of memory");
    return AUGUR_OK;
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
    /* 0 (zero-initialised options) is the default, quadratic */
    if (o.equality == 0)
        o.equality = AUGUR_PENALTY_QUADRATIC_EQUALITY;
    if (o.equality != AUGUR_PENALTY_QUADRATIC_EQUALITY &&
        o.equality != AUGUR_PENALTY_LINEAR_EQUALITY)
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "relations: equalities "
                               "become quadratic or linear equality penalties");
    if (!(isfinite(o.k) && o.k >= 0 && isfinite(o.h) && o.h >= 0))
        return augur__fail_msg(err, cap, AUGUR_EINVAL, "relations: k = %g and "
                               "h = %g must be finite and >= 0", o.k, o.h);
    out->o = o;
    return AUGUR_OK;
}

/* Where the relation starting at `start` ends: the next newline or ';',
 * except that a form's parentheses ("discrete(x0; 1, 2)", "or(a; b)") hold
 * both. */
static size_t relation_end(const char *text, size_t start, size_t total)
{
    int form = augur__form_kind(text, start, total) != AUGUR__FORM_NONE;
    size_t depth = 0, p = start;
    for (; text[p] && (depth > 0 || (text[p] != ';' && text[p] != '\n')); p++)
        depth = form ? nest(depth, text[p]) : 0;
    return p;
}

/* The next relation of text from *pos, trimmed; 0 at the end. */
static int next_relation(const char *text, size_t total, size_t *pos,
                         augur__relation *r)
{
    while (text[*pos]) {
        size_t start = skip_space(text, *pos, total);
        size_t end = relation_end(text, start, total);
        *pos = text[end] ? end + 1 : end;
        end = trim_end(text, start, end);
        if (end > start) {
            r->text = text + start;
            r->len = end - start;
            r->number++;
            return 1;
        }
    }
    return 0;
}

int augur__relations_read(const char *text, size_t n, const augur_relation_options *opt,
                          int want, augur_constraints **c, augur_penalty **p,
                          char *err, size_t cap)
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
    parsed out = {.want = want};
    int rc = resolve_options(opt, &out, err, cap);
    augur__relation r = {.n = n, .err = err, .cap = cap};
    size_t pos = 0, total = strlen(text);
    while (rc == AUGUR_OK && next_relation(text, total, &pos, &r))
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

int augur_relations_parse(const char *text, size_t n, const augur_relation_options *opt,
                          augur_constraints **c, augur_penalty **p, char *err,
                          size_t cap)
{
    return augur__relations_read(text, n, opt, AUGUR__RELATIONS_ANY, c, p, err, cap);
}
