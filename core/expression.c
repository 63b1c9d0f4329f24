/* expression.c - reading an expression of the written form before
 * libmatheval does.
 *
 * A small recursive-descent reader of libmatheval's grammar (operands:
 * numbers, variables x0..x(n-1) or the names a caller gives (a fit
 * formula's parameters and x columns), its constants, function calls and
 * parenthesised expressions, each optionally negated; binary + - * / ^
 * between them). It accepts a subset of what libmatheval accepts, so an
 * expression that passes here is one libmatheval parses. It exists because
 * libmatheval on a bad expression returns a bare NULL (no reason, no
 * column), leaks what it had read, and its scanner echoes characters it
 * does not know to stdout and skips them - and library code never prints.
 * On the way it finds what relations.c needs to decide between a mapping
 * and a penalty: whether a side is one lone variable, and whether a side
 * uses a given variable. It lives in core/ because both the written
 * constraints (constraints/) and fit formulas (fits/) read through it. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* Characters of a relation a message shows. */
#define RELATION_SHOWN 72

int augur__relation_fail(const augur__relation *r, size_t col, int code,
                         const char *fmt, ...)
{
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    /* a long relation is cut short, so that the column and the reason
     * still fit in a message */
    if (r->number == 0)           /* a lone expression: the caller names it */
        return augur__fail_msg(r->err, r->cap, code, "column %zu: %s", col + 1, why);
    int shown = r->len > RELATION_SHOWN ? RELATION_SHOWN - 3 : (int)r->len;
    return augur__fail_msg(r->err, r->cap, code, "relation %zu \"%.*s%s\", column %zu: "
                           "%s", r->number, shown, r->text,
                           r->len > RELATION_SHOWN ? "..." : "", col + 1, why);
}

static const char *const functions[] = {
    "exp", "log", "sqrt", "sin", "cos", "tan", "cot", "sec", "csc", "asin",
    "acos", "atan", "acot", "asec", "acsc", "sinh", "cosh", "tanh", "coth",
    "sech", "csch", "asinh", "acosh", "atanh", "acoth", "asech", "acsch",
    "abs", "step", "delta", "nandelta", "erf", NULL,
};
static const char *const constants[] = {
    "e", "log2e", "log10e", "ln2", "ln10", "pi", "pi_2", "pi_4", "sqrt2",
    "sqrt1_2", NULL,
};

#define MAX_DEPTH 200

/* A reader over text[pos, end) of one relation. */
typedef struct scan {
    const augur__relation *r;
    size_t pos, end;
    int depth;
    size_t operands;              /* operands read */
    size_t lone_var;              /* the variable, when it was the only one */
    size_t watch;                 /* a variable to look out for */
    int watched;                  /* it was used */
} scan;

static int in_list(const char *const *list, const char *s, size_t len)
{
    for (size_t k = 0; list[k]; k++)
        if (strlen(list[k]) == len && memcmp(list[k], s, len) == 0)
            return 1;
    return 0;
}

static char peek(scan *sc)
{
    while (sc->pos < sc->end && (sc->r->text[sc->pos] == ' ' ||
                                 sc->r->text[sc->pos] == '\t' ||
                                 sc->r->text[sc->pos] == '\r'))
        sc->pos++;
    return sc->pos < sc->end ? sc->r->text[sc->pos] : '\0';
}

/* The error at the reader's position: what was expected and what is
 * there, or that the character is not part of the language at all. */
static int found(scan *sc, const char *expected)
{
    unsigned char c = (unsigned char)peek(sc);
    const augur__relation *r = sc->r;
    if (!c)
        return augur__relation_fail(r, sc->pos, AUGUR_EINVAL, "expected %s, found "
                                    "the end of the side", expected);
    if (!isprint(c) || (!strchr("+-*/^()._", c) && !isalnum(c)))
        return augur__relation_fail(r, sc->pos, AUGUR_EINVAL, "unexpected character "
                                    "'%c' (0x%02x)", isprint(c) ? c : '?', c);
    return augur__relation_fail(r, sc->pos, AUGUR_EINVAL, "expected %s, found '%c'",
                                expected, c);
}

static size_t digits(const char *t, size_t pos, size_t end)
{
    while (pos < end && isdigit((unsigned char)t[pos]))
        pos++;
    return pos;
}

/* digits [. digits] [e [+-] digits], at least one digit before the e. */
static int number(scan *sc)
{
    const char *t = sc->r->text;
    size_t start = sc->pos, p = digits(t, sc->pos, sc->end);
    int seen = p > start;
    if (p < sc->end && t[p] == '.') {
        size_t q = digits(t, p + 1, sc->end);
        seen |= q > p + 1;
        p = q;
    }
    if (seen && p < sc->end && (t[p] == 'e' || t[p] == 'E')) {
        size_t q = p + 1;
        if (q < sc->end && (t[q] == '+' || t[q] == '-'))
            q++;
        size_t r = digits(t, q, sc->end);
        if (r == q)
            return augur__relation_fail(sc->r, start, AUGUR_EINVAL, "malformed "
                                        "number (an exponent needs digits)");
        p = r;
    }
    if (!seen)
        return augur__relation_fail(sc->r, start, AUGUR_EINVAL, "malformed number");
    sc->pos = p;
    sc->operands++;
    return AUGUR_OK;
}

int augur__expression_reserved(const char *s, size_t len)
{
    return in_list(functions, s, len) || in_list(constants, s, len);
}

/* The index of s[0, len) among r's variables, or SIZE_MAX. */
static size_t variable(const augur__relation *r, const char *s, size_t len)
{
    if (!r->names)
        return augur__variable_index(s, len, r->n);
    for (size_t k = 0; k < r->n; k++)
        if (strlen(r->names[k]) == len && memcmp(r->names[k], s, len) == 0)
            return k;
    return SIZE_MAX;
}

/* "x0..x3", or "a, tau, t" for named variables, cut short to fit. */
static void list_variables(const augur__relation *r, char *buf, size_t cap)
{
    if (!r->names) {
        snprintf(buf, cap, "x0..x%zu", r->n - 1);
        return;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < r->n && used + 4 < cap; k++) {
        int w = snprintf(buf + used, cap - used, "%s%s", k ? ", " : "", r->names[k]);
        used = w < 0 || (size_t)w >= cap - used ? cap - 1 : used + (size_t)w;
    }
}

size_t augur__variable_index(const char *s, size_t len, size_t n)
{
    if (len < 2 || s[0] != 'x' || (s[1] == '0' && len > 2) || len > 20)
        return SIZE_MAX;
    size_t k = 0;
    for (size_t i = 1; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return SIZE_MAX;
        k = 10 * k + (size_t)(s[i] - '0');
    }
    return k < n ? k : SIZE_MAX;
}

static int expression(scan *sc);

static int identifier(scan *sc)
{
    const char *t = sc->r->text, *s = t + sc->pos;
    size_t start = sc->pos, p = sc->pos;
    while (p < sc->end && (isalnum((unsigned char)t[p]) || t[p] == '_'))
        p++;
    size_t len = p - start, k;
    sc->pos = p;
    if (in_list(functions, s, len)) {
        if (peek(sc) != '(')
            return augur__relation_fail(sc->r, start, AUGUR_EINVAL, "the function "
                                        "'%.*s' needs its argument in parentheses",
                                        (int)len, s);
        sc->pos++;
        int rc = expression(sc);
        if (rc == AUGUR_OK && peek(sc) != ')')
            rc = found(sc, "')'");
        sc->pos += rc == AUGUR_OK;
        sc->operands += 2;        /* a call is never a lone variable */
        return rc;
    }
    sc->operands++;
    if (in_list(constants, s, len))
        return AUGUR_OK;
    if ((k = variable(sc->r, s, len)) == SIZE_MAX) {
        char vars[96];
        list_variables(sc->r, vars, sizeof vars);
        return augur__relation_fail(sc->r, start, AUGUR_EINVAL, "unknown %s '%.*s' "
                                    "(the variables are %s)",
                                    peek(sc) == '(' ? "function" : "variable",
                                    (int)len, s, vars);
    }
    sc->lone_var = k;
    sc->watched |= k == sc->watch;
    return AUGUR_OK;
}

static int operand(scan *sc)
{
    char c = peek(sc);
    if (++sc->depth > MAX_DEPTH)
        return augur__relation_fail(sc->r, sc->pos, AUGUR_EINVAL, "nested too deeply");
    int rc;
    if (c == '-') {               /* unary minus, as often as wanted */
        sc->pos++;
        sc->operands++;
        rc = operand(sc);
    } else if (isdigit((unsigned char)c) || c == '.') {
        rc = number(sc);
    } else if (isalpha((unsigned char)c) || c == '_') {
        rc = identifier(sc);
    } else if (c == '(') {
        sc->pos++;
        sc->operands++;
        rc = expression(sc);
        if (rc == AUGUR_OK && peek(sc) != ')')
            rc = found(sc, "')'");
        sc->pos += rc == AUGUR_OK;
    } else {
        rc = found(sc, "a number, a variable, '(' or '-'");
    }
    sc->depth--;
    return rc;
}

/* operand { (+ - * / ^) operand } */
static int expression(scan *sc)
{
    int rc = operand(sc);
    while (rc == AUGUR_OK && peek(sc) && strchr("+-*/^", peek(sc))) {
        sc->pos++;
        sc->operands++;
        rc = operand(sc);
    }
    return rc;
}

int augur__expression_check(const augur__relation *r, size_t start, size_t end,
                            const char *side, size_t watch, size_t *lone, int *uses)
{
    scan sc = {.r = r, .pos = start, .end = end, .lone_var = SIZE_MAX, .watch = watch};
    if (!peek(&sc))
        return augur__relation_fail(r, start, AUGUR_EINVAL, "the %s side is empty",
                                    side);
    int rc = expression(&sc);
    if (rc == AUGUR_OK && peek(&sc))
        rc = found(&sc, "an operator");
    if (lone)
        *lone = sc.operands == 1 ? sc.lone_var : SIZE_MAX;
    if (uses)
        *uses = sc.watched;
    return rc;
}

