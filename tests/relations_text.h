/* relations_text.h - reading relations from text, shared by the suites of
 * the written form (test_relations.c, test_written.c): parse() reads text
 * for n variables into mappings and a penalty, with a 256-byte message;
 * refused() checks that a text is refused with nothing made and a message
 * that holds the given one. Static and marked unused, since each suite uses
 * only part of it. */
#ifndef AUGUR_TESTS_RELATIONS_TEXT_H
#define AUGUR_TESTS_RELATIONS_TEXT_H

#include <criterion/criterion.h>
#include <string.h>
#include "augur.h"

#define RELATIONS_STATIC static __attribute__((unused))

RELATIONS_STATIC int parse(const char *text, size_t n,
                           const augur_relation_options *opt, augur_constraints **c,
                           augur_penalty **p, char *err)
{
    return augur_relations_parse(text, n, opt, c, p, err, 256);
}

RELATIONS_STATIC void refused(const char *text, size_t n, const char *message)
{
    augur_constraints *c = (augur_constraints *)1;
    augur_penalty *p = (augur_penalty *)1;
    char err[256];
    cr_assert_lt(parse(text, n, NULL, &c, &p, err), 0, "\"%s\" was read", text);
    cr_assert_null(c);
    cr_assert_null(p);
    cr_assert(strstr(err, message), "\"%s\": %s\nwant: %s", text, err, message);
}

#endif
