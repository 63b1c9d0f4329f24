/* combinators.c - conditions made of conditions: Or, And, Not and mystic's
 * When.
 *
 * A combinator is an ordinary condition type whose members are the base's
 * children (added with augur_term_add_child), so the config reader can
 * build one by name member by member, and copy, reset and destroy recurse
 * without knowing the kind. Or and And ask every member on every check,
 * even once the answer is known: a member that remembers values (or counts
 * calls) must see every generation, or it would judge on stale history.
 * A member's error stops the combinator with the member's message.
 *
 * The constructors take ownership of their arguments also when they fail,
 * so nested calls such as augur_term_or(augur_term_vtr(..), augur_term_not(
 * ..)) never leak and need no checks in between. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "augur/termination.h"
#include "internal.h"
#include "termination_int.h"

/* Append "; text" (or just text into an empty buffer), truncating. */
static void join(char *buf, size_t cap, const char *text)
{
    size_t used = strlen(buf);
    if (used + 1 >= cap)
        return;
    snprintf(buf + used, cap - used, "%s%s", used ? "; " : "", text);
}

/* A combinator without members cannot say anything; it is an error rather
 * than a silent "never" (or "always", for an empty And). */
static int need_members(augur_termination *t)
{
    if (augur_term_child_count(t) > 0)
        return AUGUR_OK;
    return augur_term_fail(t, AUGUR_ESTATE, "%s has no conditions",
                           augur_term_get_type(t)->label);
}

/* Ask member k; on error copy its message up so the caller sees why. */
static int ask(augur_termination *t, size_t k, const augur_info *info)
{
    augur_termination *c = augur_term_child(t, k);
    int rc = augur_term_check(c, info);
    if (rc < 0)
        augur_term_fail(t, rc, "%s", augur_term_errmsg(c));
    return rc;
}

/* Or and And: ask every member; `want_all` picks the rule. The reason
 * lists the members that fired, in order. After an error the remaining
 * members are still asked (to keep them in step), but the first error is
 * the one reported. */
static int gather(augur_termination *t, const augur_info *info,
                  int want_all, char *reason, size_t cap)
{
    int rc = need_members(t);
    if (rc < 0)
        return rc;
    size_t n = augur_term_child_count(t), fired = 0;
    int error = AUGUR_OK;
    for (size_t k = 0; k < n; k++) {
        augur_termination *c = augur_term_child(t, k);
        rc = augur_term_check(c, info);
        if (rc < 0 && error == AUGUR_OK)
            error = augur_term_fail(t, rc, "%s", augur_term_errmsg(c));
        else if (rc == 1) {
            fired++;
            join(reason, cap, augur_term_reason(c));
        }
    }
    if (error < 0)
        return error;
    return want_all ? fired == n : fired > 0;
}

static int or_check(augur_termination *t, void *state, const augur_info *info,
                    char *reason, size_t cap)
{
    (void)state;
    return gather(t, info, 0, reason, cap);
}

static int and_check(augur_termination *t, void *state, const augur_info *info,
                     char *reason, size_t cap)
{
    (void)state;
    return gather(t, info, 1, reason, cap);
}

static int not_check(augur_termination *t, void *state, const augur_info *info,
                     char *reason, size_t cap)
{
    (void)state;
    int rc = need_members(t);
    if (rc < 0 || (rc = ask(t, 0, info)) != 0)
        return rc < 0 ? rc : 0;
    /* The member did not fire, so it has no reason: describe it instead. */
    char inner[AUGUR_REASON_CAP];
    augur_term_describe(augur_term_child(t, 0), inner, sizeof inner);
    snprintf(reason, cap, "Not(%s)", inner);
    return 1;
}

static int when_check(augur_termination *t, void *state,
                      const augur_info *info, char *reason, size_t cap)
{
    (void)state;
    int rc = need_members(t);
    if (rc < 0 || (rc = ask(t, 0, info)) != 1)
        return rc;
    snprintf(reason, cap, "%s", augur_term_reason(augur_term_child(t, 0)));
    return 1;
}

const augur_term_type augur__term_type_or = {
    .name = "or",
    .label = "Or",
    .doc = "any member fires (every member is asked every time)",
    .state_size = 0,
    .params = NULL,
    .max_children = SIZE_MAX,
    .check = or_check,
    .reset = NULL,
};

const augur_term_type augur__term_type_and = {
    .name = "and",
    .label = "And",
    .doc = "every member fires",
    .state_size = 0,
    .params = NULL,
    .max_children = SIZE_MAX,
    .check = and_check,
    .reset = NULL,
};

const augur_term_type augur__term_type_not = {
    .name = "not",
    .label = "Not",
    .doc = "its one member does not fire",
    .state_size = 0,
    .params = NULL,
    .max_children = 1,
    .check = not_check,
    .reset = NULL,
};

const augur_term_type augur__term_type_when = {
    .name = "when",
    .label = "When",
    .doc = "its one member fires (mystic's When), with the member's reason",
    .state_size = 0,
    .params = NULL,
    .max_children = 1,
    .check = when_check,
    .reset = NULL,
};

/* --- Constructors ------------------------------------------------------- */

static void destroy_all(augur_termination **children, size_t count)
{
    for (size_t k = 0; children && k < count; k++)
        augur_term_destroy(children[k]);
}

/* A combinator of `type` over the children, which it owns from here on:
 * with a NULL among them (a failed nested constructor), none at all, or no
 * memory, every child is destroyed and the result is NULL. */
static augur_termination *combine(const augur_term_type *type,
                                  augur_termination **children, size_t count)
{
    int ok = children != NULL && count > 0;
    for (size_t k = 0; ok && k < count; k++)
        ok = children[k] != NULL;
    augur_termination *t = ok ? augur_term_create_type(type) : NULL;
    if (!t) {
        destroy_all(children, count);
        return NULL;
    }
    for (size_t k = 0; k < count; k++)
        if (augur_term_add_child(t, children[k]) < 0) {
            /* Destroying t frees members 0..k-1; add_child already freed
             * member k; the rest were never handed over. */
            augur_term_destroy(t);
            destroy_all(children + k + 1, count - k - 1);
            return NULL;
        }
    return t;
}

augur_termination *augur_term_or(augur_termination *a, augur_termination *b)
{
    augur_termination *c[] = {a, b};
    return combine(&augur__term_type_or, c, 2);
}

augur_termination *augur_term_and(augur_termination *a, augur_termination *b)
{
    augur_termination *c[] = {a, b};
    return combine(&augur__term_type_and, c, 2);
}

augur_termination *augur_term_not(augur_termination *a)
{
    return combine(&augur__term_type_not, &a, 1);
}

augur_termination *augur_term_when(augur_termination *a)
{
    return combine(&augur__term_type_when, &a, 1);
}

augur_termination *augur_term_or_n(augur_termination **children, size_t count)
{
    return combine(&augur__term_type_or, children, count);
}

augur_termination *augur_term_and_n(augur_termination **children, size_t count)
{
    return combine(&augur__term_type_and, children, count);
}
