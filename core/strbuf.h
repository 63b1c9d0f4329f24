/* strbuf.h - private to augur's config area: a growable text buffer for
 * writing specs and results. A failed allocation is remembered and
 * reported once at the end, so writers need no check after every append. */
#ifndef AUGUR_STRBUF_H
#define AUGUR_STRBUF_H

#include <stddef.h>
#include "internal.h"

typedef struct augur_strbuf {
    char *text;
    size_t len, cap;
    int failed;
} augur_strbuf;

void augur__sb_printf(augur_strbuf *b, const char *fmt, ...) AUGUR__PRINTF(2, 3);
void augur__sb_append(augur_strbuf *b, const char *text, size_t len);
void augur__sb_indent(augur_strbuf *b, int depth);
/* Two lowercase hex digits per byte. */
void augur__sb_hex_bytes(augur_strbuf *b, const void *data, size_t len);
/* A double as libconfig reads it back exactly: always with a '.' or an
 * exponent, so it stays a float; infinities as the strings "inf"/"-inf". */
void augur__sb_double(augur_strbuf *b, double v);
/* A double as a quoted C99 hex float ("0x1.8p+3"), exact and cheap to
 * write, read back with strtod; infinities and NaN as augur__sb_double. */
void augur__sb_hex_double(augur_strbuf *b, double v);
/* A libconfig string literal with escapes. */
void augur__sb_string(augur_strbuf *b, const char *s);
/* Hands over the text (NUL-terminated) or frees it on failure. */
int augur__sb_finish(augur_strbuf *b, char **text);
/* Empty b, keeping its room (and forgetting a failure): a text reused write
 * after write. */
void augur__sb_clear(augur_strbuf *b);

#endif
