/* strbuf.c - the growable text buffer behind spec and results writers.
 *
 * Numbers are written here and only here, so every file augur writes reads
 * back bit for bit: the shortest of %.15g..%.17g that round-trips, with a
 * ".0" added where libconfig would otherwise read an integer. Checkpoints,
 * which write about a thousand numbers at every save and are read by
 * programs, not people, write theirs as C99 hex floats instead
 * (augur__sb_hex_double, C99's %a): exact in one snprintf, with no
 * shortest-text trials, and read back by strtod. */
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

/* Formatted once into the room left when it fits (the usual case), and a
 * second time only after growing. */
void augur__sb_printf(augur_strbuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    size_t room = b->cap - b->len;
    void *locale = augur__numeric_begin();   /* texts are read back: "0.5" */
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(room ? b->text + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (need >= 0 && (size_t)need >= room && reserve(b, (size_t)need)) {
        va_start(ap, fmt);
        vsnprintf(b->text + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    augur__numeric_end(locale);
    if (need >= 0 && !b->failed)
        b->len += (size_t)need;
}

void augur__sb_append(augur_strbuf *b, const char *text, size_t len)
{
    if (!reserve(b, len))
        return;
    memcpy(b->text + b->len, text, len);
    b->len += len;
    b->text[b->len] = '\0';
}

void augur__sb_indent(augur_strbuf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        augur__sb_append(b, "  ", 2);
}

void augur__sb_hex_bytes(augur_strbuf *b, const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *p = data;
    if (!reserve(b, 2 * len))
        return;
    char *out = b->text + b->len;
    for (size_t k = 0; k < len; k++) {
        *out++ = digits[p[k] >> 4];
        *out++ = digits[p[k] & 15];
    }
    b->len += 2 * len;
    b->text[b->len] = '\0';
}

void augur__sb_hex_double(augur_strbuf *b, double v)
{
    if (isinf(v) || isnan(v)) {
        augur__sb_double(b, v);
        return;
    }
    char num[40];   /* C99's %a is exact; "-0x1.<13 digits>p-1022" fits */
    void *locale = augur__numeric_begin();
    int len = snprintf(num, sizeof num, "\"%a\"", v);
    augur__numeric_end(locale);
    augur__sb_append(b, num, (size_t)len);
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

/* Runs of plain characters are copied whole. */
void augur__sb_string(augur_strbuf *b, const char *s)
{
    augur__sb_append(b, "\"", 1);
    while (s && *s) {
        size_t run = strcspn(s, "\"\\\n\t");
        augur__sb_append(b, s, run);
        s += run;
        if (!*s)
            break;
        char esc[2] = {'\\', *s == '\n' ? 'n' : *s == '\t' ? 't' : *s};
        augur__sb_append(b, esc, 2);
        s++;
    }
    augur__sb_append(b, "\"", 1);
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

void augur__sb_clear(augur_strbuf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->text)
        b->text[0] = '\0';
}
