/* strbuf.c - the growable text buffer behind spec and results writers.
 *
 * Numbers are written here and only here, so every file augur writes reads
 * back bit for bit: the shortest of %.15g..%.17g that round-trips, with a
 * ".0" added where libconfig would otherwise read an integer. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"

static int reserve(augur_strbuf *b, size_t more)
{
    if (b->failed)
        return 0;
    if (b->len + more + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *t = realloc(b->text, cap);
    if (!t) {
        b->failed = 1;
        return 0;
    }
    b->text = t;
    b->cap = cap;
    return 1;
}

void augur__sb_printf(augur_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0 || !reserve(b, (size_t)need))
        return;
    va_start(ap, fmt);
    vsnprintf(b->text + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
}

void augur__sb_indent(augur_strbuf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        augur__sb_printf(b, "  ");
}

void augur__sb_double(augur_strbuf *b, double v)
{
    if (isinf(v)) {
        augur__sb_printf(b, v > 0 ? "\"inf\"" : "\"-inf\"");
        return;
    }
    if (isnan(v)) {
        augur__sb_printf(b, "\"nan\"");
        return;
    }
    char num[40];
    augur__format_double(num, sizeof num - 2, v);
    if (!strpbrk(num, ".eE"))
        strcat(num, ".0");
    augur__sb_printf(b, "%s", num);
}

void augur__sb_string(augur_strbuf *b, const char *s)
{
    augur__sb_printf(b, "\"");
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            augur__sb_printf(b, "\\%c", *s);
        else if (*s == '\n')
            augur__sb_printf(b, "\\n");
        else if (*s == '\t')
            augur__sb_printf(b, "\\t");
        else
            augur__sb_printf(b, "%c", *s);
    }
    augur__sb_printf(b, "\"");
}

int augur__sb_finish(augur_strbuf *b, char **text)
{
    if (!reserve(b, 0)) {
        free(b->text);
        *b = (augur_strbuf){0};
        return AUGUR_ENOMEM;
    }
    b->text[b->len] = '\0';
    *text = b->text;
    *b = (augur_strbuf){0};
    return AUGUR_OK;
}
