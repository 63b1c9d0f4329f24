/* penalty_text.c - writing a penalty back as the text it was read from.
 *
 * A penalty made by augur_relations_parse keeps each relation as written,
 * so a tree of them can be written down again (for specs, and for an
 * ensemble handing its penalty to the nested runs): the top-level "and"
 * becomes a list of relations joined by "; " (or "and(a; b)" when a
 * member, an equality "xk = rhs" that came from a group, would read back
 * from a plain list as a mapping), an "or" becomes "or(a; b)"
 * and an "and" inside it "and(a; b)" (a chain of the same combinator is
 * written flat: "or(a; b; c)"), which the parser reads back into the same
 * tree. What the text does not hold - the penalty kinds and the weights k
 * and h - is handed out in augur_relation_options, so the tree is
 * writable only when its relations agree on them: one inequality kind,
 * one equality kind, one k and one h. A user penalty, or a relation
 * penalty made from a function rather than text, has no written form.
 * Those cases are AUGUR_EUNSUP, with a message saying which. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "constraints_int.h"

/* What the options must carry: the kinds and weights seen so far. */
typedef struct shape {
    int inequality, equality;     /* a kind, or -1 before the first */
    double k, h;
    const char *first;            /* the relation that set k and h */
} shape;

static const char *kind_name(int kind)
{
    static const char *const names[] = {
        "quadratic inequality", "linear inequality", "barrier",
        "quadratic equality", "linear equality",
    };
    return kind >= 0 && kind < 5 ? names[kind] : "?";
}

/* The message goes to the root's errmsg, the one field a const call may
 * change. */
static int fail(const augur_penalty *root, int code, const char *fmt, ...)
    AUGUR__PRINTF(3, 4);

static int fail(const augur_penalty *root, int code, const char *fmt, ...)
{
    augur_penalty *m = (augur_penalty *)root;
    va_list ap;
    va_start(ap, fmt);
    augur__vfail_msg(m->errmsg, sizeof m->errmsg, code, fmt, ap);
    va_end(ap);
    return code;
}

static int is_equality(int kind)
{
    return kind == AUGUR_PENALTY_QUADRATIC_EQUALITY ||
           kind == AUGUR_PENALTY_LINEAR_EQUALITY;
}

/* One relation penalty against what the others said. */
static int check_relation(const augur_penalty *root, const augur_penalty *p, shape *sh)
{
    if (!p->text)
        return fail(root, AUGUR_EUNSUP, "penalty: a %s penalty on a function (not "
                    "read from text) has no written form", kind_name(p->kind));
    int *slot = is_equality(p->kind) ? &sh->equality : &sh->inequality;
    if (*slot < 0)
        *slot = p->kind;
    if (*slot != p->kind)
        return fail(root, AUGUR_EUNSUP, "penalty: \"%s\" is a %s penalty and an "
                    "earlier relation a %s one: one text takes one kind of each",
                    p->text, kind_name(p->kind), kind_name(*slot));
    if (!sh->first) {
        sh->first = p->text;
        sh->k = p->k;
        sh->h = p->h;
    }
    if (p->k != sh->k || p->h != sh->h)
        return fail(root, AUGUR_EUNSUP, "penalty: \"%s\" has k = %g, h = %g and "
                    "\"%s\" k = %g, h = %g: one text takes one k and one h",
                    p->text, p->k, p->h, sh->first, sh->k, sh->h);
    return AUGUR_OK;
}

static int check(const augur_penalty *root, const augur_penalty *p, shape *sh)
{
    if (p->kind == AUGUR__PENALTY_USER)
        return fail(root, AUGUR_EUNSUP, "penalty: a user penalty (augur_penalty_user) "
                    "has no written form");
    if (p->kind != AUGUR__PENALTY_AND && p->kind != AUGUR__PENALTY_OR)
        return check_relation(root, p, sh);
    int rc = check(root, p->a, sh);
    return rc == AUGUR_OK ? check(root, p->b, sh) : rc;
}

enum { NO_GROUP = -1 };   /* emit's group for a top level written as and(...) */

/* p inside a group of kind `group` (and at the top level): a chain of the
 * same combinator is written flat. */
static void emit(const augur_penalty *p, int group, augur__text *t)
{
    if (p->kind != AUGUR__PENALTY_AND && p->kind != AUGUR__PENALTY_OR) {
        augur__text_put(t, "%s", p->text);
        return;
    }
    int open = p->kind != group;
    if (open)
        augur__text_put(t, "%s(", p->kind == AUGUR__PENALTY_OR ? "or" : "and");
    emit(p->a, p->kind, t);
    augur__text_put(t, "; ");
    emit(p->b, p->kind, t);
    if (open)
        augur__text_put(t, ")");
}

/* Whether the top-level list of p holds a relation that reads as a
 * mapping outside a group ("x0 = 1" from "and(x0 = 1; x1 <= 2)"). */
static int top_has_mapping_form(const augur_penalty *p)
{
    if (p->kind == AUGUR__PENALTY_AND)
        return top_has_mapping_form(p->a) || top_has_mapping_form(p->b);
    return p->mapping_form;   /* 0 in an "or" node */
}

/* The top-level "and" as a plain list, or as "and(...)" when a member
 * would read back as a mapping from the plain list. */
static void emit_top(const void *obj, augur__text *t)
{
    const augur_penalty *p = obj;
    int wrap = p->kind == AUGUR__PENALTY_AND && top_has_mapping_form(p);
    emit(p, wrap ? NO_GROUP : AUGUR__PENALTY_AND, t);
}

int augur_penalty_write(const augur_penalty *p, char **text, augur_relation_options *opt)
{
    if (text)
        *text = NULL;
    if (!p)
        return AUGUR_EINVAL;
    ((augur_penalty *)p)->errmsg[0] = '\0';
    if (!text || !opt)
        return fail(p, AUGUR_EINVAL, "penalty: NULL %s", text ? "options" : "text");
    shape sh = {.inequality = -1, .equality = -1};
    int rc = check(p, p, &sh);
    if (rc != AUGUR_OK)
        return rc;
    *opt = (augur_relation_options){
        .inequality = sh.inequality >= 0 ? (augur_penalty_kind)sh.inequality
                                         : AUGUR_PENALTY_QUADRATIC_INEQUALITY,
        .equality = sh.equality >= 0 ? (augur_penalty_kind)sh.equality
                                     : AUGUR_PENALTY_QUADRATIC_EQUALITY,
        .k = sh.k,
        .h = sh.h,
    };
    if (!(*text = augur__text_make(emit_top, p)))
        return fail(p, AUGUR_ENOMEM, "out of memory");
    return AUGUR_OK;
}

const char *augur_penalty_errmsg(const augur_penalty *p)
{
    return p ? p->errmsg : "NULL penalty";
}
