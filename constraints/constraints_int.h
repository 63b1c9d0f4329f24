/* constraints_int.h - private to augur: what the files of constraints/,
 * the spec reader and writer (config/) and the solver's evaluation path
 * (solvers/run.c) share.
 *
 * The structs are here rather than in the files that own them because the
 * written form (relations.c) builds mappings and penalties that own a
 * parsed expression, which the public constructors (borrowed user data)
 * cannot express. */
#ifndef AUGUR_CONSTRAINTS_INT_H
#define AUGUR_CONSTRAINTS_INT_H

#include <stddef.h>
#include "augur/constraints.h"
#include "internal.h"

/* Rounds of "constraints, then clip to the box" before a point that keeps
 * leaving the box is declared infeasible. Projections onto a set that
 * meets the box usually settle in one or two; more rarely help. */
#define AUGUR__ADMIT_ROUNDS 8
/* Relative tolerance of the built-in mappings' check. */
#define AUGUR__CONSTRAINT_TOL 1e-12

/* Frees data a mapping or penalty owns (a parsed expression). */
typedef void (*augur__free_fn)(void *data);

typedef struct augur__constraint {
    augur_constraint_kind kind;
    size_t i, j;                  /* coordinates (integer, fixed, ordering, assign) */
    double v;                     /* fixed value, b, sum, mean or spread */
    double *values;               /* discrete: sorted values; linear: a (n) */
    size_t count;                 /* entries of values */
    double norm2;                 /* linear: a.a */
    augur_constraint_fn fn;       /* callback */
    augur_relation_fn rhs;        /* assign: the right side */
    void *data;                   /* callback's (borrowed) or assign's (owned) */
    augur__free_fn free_data;     /* NULL when data is borrowed */
    char *text;                   /* assign: the relation as written */
} augur__constraint;

struct augur_constraints {
    size_t n;
    augur__constraint *items;
    size_t count, cap;
    char errmsg[AUGUR_ERRMSG_CAP];
};

/* Penalty kinds beyond the public relation kinds. */
enum {
    AUGUR__PENALTY_USER = 100,
    AUGUR__PENALTY_AND,
    AUGUR__PENALTY_OR
};

struct augur_penalty {
    int kind;                     /* augur_penalty_kind or AUGUR__PENALTY_* */
    augur_relation_fn g;
    augur_penalty_fn user;
    void *data;
    augur__free_fn free_data;     /* NULL when data is borrowed */
    double k, h;
    augur_penalty *a, *b;         /* and / or */
    char *text;                   /* the relation as written, when read from text */
    int mapping_form;             /* text is "xk = rhs", a mapping outside a group */
    char errmsg[AUGUR_ERRMSG_CAP];  /* of the last failed augur_penalty_write */
};

/* --- Small numeric helpers (constraints.c applies, inspect.c checks) --- */

/* The value of the sorted list v nearest to x; ties go to the smaller. */
static inline double augur__nearest_value(const double *v, size_t count, double x)
{
    size_t lo = 0, hi = count;      /* first value >= x, by bisection */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return v[0];
    if (lo == count)
        return v[count - 1];
    return x - v[lo - 1] <= v[lo] - x ? v[lo - 1] : v[lo];
}

static inline double augur__sum(const double *x, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++)
        s += x[k];
    return s;
}

static inline double augur__dot(const double *a, const double *x, size_t n)
{
    double s = 0;
    for (size_t k = 0; k < n; k++)
        s += a[k] * x[k];
    return s;
}

static inline void augur__extremes(const double *x, size_t n, double *lo, double *hi)
{
    *lo = *hi = x[0];
    for (size_t k = 1; k < n; k++) {
        *lo = x[k] < *lo ? x[k] : *lo;
        *hi = x[k] > *hi ? x[k] : *hi;
    }
}

/* Append x_k := rhs(x), owning data (freed with free_data, also when the
 * add fails) and keeping a copy of text for describe. */
int augur__constraints_add_assign(augur_constraints *c, size_t k,
                                  augur_relation_fn rhs, void *data,
                                  augur__free_fn free_data, const char *text);

/* A relation penalty that owns data (freed also when it fails) and keeps
 * a copy of text[0, len), the relation it was read from (text may be NULL). */
augur_penalty *augur__penalty_owned(augur_penalty_kind kind, augur_relation_fn g,
                                    void *data, augur__free_fn free_data,
                                    double k, double h, const char *text, size_t len);

/* --- Text out (inspect.c): measured, then written ----------------------- */

/* Appends to buf while it has room, always terminated, and counts in len
 * the length the whole text needs: a first pass with cap 0 measures, a
 * second writes into an exact allocation. */
typedef struct augur__text {
    char *buf;
    size_t cap, len;
} augur__text;

void augur__text_put(augur__text *t, const char *fmt, ...) AUGUR__PRINTF(2, 3);
/* v in the shortest text that reads back exactly (augur__format_double). */
void augur__text_number(augur__text *t, double v);
/* The malloc'd text emit(obj, t) writes, measured first; NULL: no memory. */
char *augur__text_make(void (*emit)(const void *obj, augur__text *t), const void *obj);

/* --- The written form (relations.c; the expression checker is core's) --- */

/* The written forms that are not relations: the built-in mappings as
 * augur_constraints_describe writes them ("mean(5)") and the penalty
 * groups "or(...)" and "and(...)" (forms.c). */
enum {
    AUGUR__FORM_NONE,
    AUGUR__FORM_MAPPING,
    AUGUR__FORM_OR,
    AUGUR__FORM_AND
};

/* Which form text[b, e) opens with: one of the names followed by '('. */
int augur__form_kind(const char *text, size_t b, size_t e);
/* The ')' matching the first '(' at or after b in text[b, e), or SIZE_MAX. */
size_t augur__form_close(const char *text, size_t b, size_t e);
/* Read the built-in mapping form r->text[b, e) and append it to c. */
int augur__form_read_mapping(const augur__relation *r, size_t b, size_t e,
                             augur_constraints *c);

/* What a text may hold, for readers that keep the two apart (a spec's
 * constraints take mappings, its penalty penalties). */
enum {
    AUGUR__RELATIONS_ANY,
    AUGUR__RELATIONS_MAPPINGS,
    AUGUR__RELATIONS_PENALTIES
};

/* augur_relations_parse with a restriction `want`: a relation of the
 * other sort is an error naming it and its column. */
int augur__relations_read(const char *text, size_t n,
                          const augur_relation_options *opt, int want,
                          augur_constraints **c, augur_penalty **p, char *err,
                          size_t cap);

/* The evaluation path's step from a proposed x to the point evaluated:
 * out := x' = constraints(x), brought into [lb, ub] (see constraints.h).
 * 0 when out is admissible, 1 when the point is infeasible, or a
 * callback's negative status with a message in err. */
int augur__constraints_admit(const augur_constraints *c, const double *lb,
                             const double *ub, const double *x, double *out,
                             char *err, size_t cap);

#endif
