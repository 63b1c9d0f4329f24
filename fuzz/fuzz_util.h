/* fuzz_util.h - what the libFuzzer harnesses in fuzz/ share: the input as a
 * NUL-terminated string, and a loud failure for a broken promise (a round
 * trip that does not hold), which libFuzzer records as a crash with the
 * input that caused it. Harness code only; never part of the library. */
#ifndef AUGUR_FUZZ_UTIL_H
#define AUGUR_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bytes as a C string (a NUL inside ends it early, as it would for
 * any caller), or NULL when out of memory. Free it. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

/* A promise of the API did not hold: say which, show both texts, abort. */
static inline void fuzz_broken(const char *what, const char *a, const char *b)
{
    fprintf(stderr, "fuzz: %s\n--- first:\n%s\n--- second:\n%s\n", what,
            a ? a : "(null)", b ? b : "(null)");
    abort();
}

#endif
