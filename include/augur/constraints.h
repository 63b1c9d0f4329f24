/* augur/constraints.h - constraints and penalties that attach to any solver.
 *
 * Two tools, as in mystic. A constraint is a mapping x -> x' that moves a
 * proposed point onto the set the user allows (integers, a fixed mean, an
 * ordering, or any callback); the cost is then evaluated at x'. A penalty
 * is a number added to the cost that grows with the violation of a
 * relation g(x) <= 0 or h(x) == 0, for rules that cannot be written as a
 * mapping. Both may also be written as text ("x0 + x1 <= 5; x2 == 2*x1;
 * mean(5)"), parsed by augur_relations_parse, and written back
 * (augur_constraints_write, augur_penalty_write): that text is how specs
 * and ensembles carry them.
 *
 * Every solver applies them in one order, in its evaluation path:
 *
 *     x (proposed, in the box by the solver's bound policy)
 *       -> x' = constraints(x), in the order they were added
 *       -> back into the box: while x' is outside it (or a built-in is
 *          still unmet), clip to the box and apply the constraints again,
 *          a few rounds; then if x' is still outside or a built-in is
 *          violated beyond 1e-12 (relative), the point is infeasible:
 *          +inf, with neither the cost nor the penalty called
 *       -> f = cost(x') + penalty(x'), then the NaN rule, the sign,
 *          counting, best point and monitors, as without constraints
 *
 * The point recorded (best point, evaluation monitors) is x', so the best
 * x reported satisfies the constraints and the best f reported is exactly
 * cost(x') + penalty(x'). The algorithm itself keeps its own x: it sees
 * the function x -> f(c(x)). With a map, constraints run on the caller
 * before the rows are shipped and penalties on the caller afterwards, so
 * workers only call the cost. A maximising solver adds the penalty in its
 * minimised sign: the reported value is then cost - penalty.
 *
 * Ownership: a solver owns the constraints and penalty it is given, also
 * when the setter fails. Penalty combinators own their children; a NULL
 * child makes them destroy the other and return NULL, so nested
 * constructors need no checks in between. User data is borrowed. Neither
 * object is safe to use from two threads at once (parsed relations keep a
 * scratch buffer); a solver only uses them on the calling thread. */
#ifndef AUGUR_CONSTRAINTS_H
#define AUGUR_CONSTRAINTS_H

#include <stddef.h>
#include "augur/export.h"
#include "augur/info.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct augur_constraints augur_constraints;
typedef struct augur_penalty augur_penalty;

/* A user mapping: change x (n coordinates) in place. Return 0 when x now
 * satisfies the constraint, a positive value to declare the point
 * infeasible (it then costs +inf, uncalled), or a negative status to stop
 * the run with an error. Mappings should be projections (applying one
 * twice changes nothing more): the solver may apply them again after
 * clipping to the box. */
typedef int (*augur_constraint_fn)(double *x, size_t n, void *data);
/* A relation's left side: g(x) <= 0 (inequality) or h(x) == 0 (equality)
 * is satisfied. */
typedef double (*augur_relation_fn)(const double *x, size_t n, void *data);
/* A user penalty: the value to add (0 where satisfied); generation is the
 * solver's generation count, for schedules of one's own. */
typedef double (*augur_penalty_fn)(const double *x, size_t n, size_t generation,
                                   void *data);

/* --- Constraint mappings --------------------------------------------- */

typedef enum augur_constraint_kind {
    AUGUR_CONSTRAINT_CALLBACK,   /* a user mapping */
    AUGUR_CONSTRAINT_INTEGER,    /* x_i := round(x_i) */
    AUGUR_CONSTRAINT_DISCRETE,   /* x_i := the nearest of a list of values */
    AUGUR_CONSTRAINT_FIXED,      /* x_i := v */
    AUGUR_CONSTRAINT_LINEAR,     /* a.x = b, by orthogonal projection */
    AUGUR_CONSTRAINT_SUM,        /* sum(x) = v, likewise */
    AUGUR_CONSTRAINT_MEAN,       /* mean(x) = v, likewise */
    AUGUR_CONSTRAINT_SPREAD,     /* max(x) - min(x) = v, rescaled about the mean */
    AUGUR_CONSTRAINT_ORDERING,   /* x_i <= x_j, by swapping the two */
    AUGUR_CONSTRAINT_ASSIGN      /* x_k := rhs(x), from a written relation */
} augur_constraint_kind;

/* An empty set of mappings for points of n coordinates; NULL when n == 0
 * or out of memory. */
AUGUR_EXTERN augur_constraints *augur_constraints_create(size_t n);
/* NULL is a no-op. */
AUGUR_EXTERN void augur_constraints_destroy(augur_constraints *c);
AUGUR_EXTERN size_t augur_constraints_dimension(const augur_constraints *c);
AUGUR_EXTERN size_t augur_constraints_count(const augur_constraints *c);
/* The message of the last failed add, or "". */
AUGUR_EXTERN const char *augur_constraints_errmsg(const augur_constraints *c);

/* Each add appends one mapping and returns AUGUR_OK or a status (bad
 * index, non-finite number, ...) with a message. Indices are 0-based. */
AUGUR_EXTERN int augur_constraints_add(augur_constraints *c, augur_constraint_fn fn,
                                       void *data);
AUGUR_EXTERN int augur_constraints_add_integer(augur_constraints *c, size_t i);
/* values (count >= 1, finite) are copied; ties go to the smaller value. */
AUGUR_EXTERN int augur_constraints_add_discrete(augur_constraints *c, size_t i,
                                                const double *values, size_t count);
AUGUR_EXTERN int augur_constraints_add_fixed(augur_constraints *c, size_t i, double v);
/* a (n entries, not all 0) is copied. */
AUGUR_EXTERN int augur_constraints_add_linear_equality(augur_constraints *c,
                                                       const double *a, double b);
AUGUR_EXTERN int augur_constraints_add_sum(augur_constraints *c, double v);
AUGUR_EXTERN int augur_constraints_add_mean(augur_constraints *c, double v);
/* v >= 0. A point whose coordinates are all equal cannot be spread: it is
 * infeasible unless v == 0. */
AUGUR_EXTERN int augur_constraints_add_spread(augur_constraints *c, double v);
/* x_i <= x_j, i != j. */
AUGUR_EXTERN int augur_constraints_add_ordering(augur_constraints *c, size_t i,
                                                size_t j);

/* Apply every mapping in order to x (n coordinates, in place): 0, 1 when a
 * mapping declared the point infeasible, or a callback's negative status.
 * The box is not involved here; the solver adds it (see above). */
AUGUR_EXTERN int augur_constraints_apply(const augur_constraints *c, double *x);
/* 1 when x meets every built-in mapping to 1e-12 relative to the size of
 * the numbers involved, else 0. Callbacks are not checked. */
AUGUR_EXTERN int augur_constraints_satisfied(const augur_constraints *c,
                                             const double *x);
/* Mapping k: its kind (CALLBACK when k is out of range), and its text
 * ("mean(5)", "integer(x2)", "discrete(x0; 0.5, 1, 2)", "fixed(x1; 0.1)",
 * "linear(1, 2, 0; 3)", "sum(5)", "spread(5)", "ordering(x0, x2)", "x2 ==
 * 2*x1" for a written relation, "callback"), numbers written with the
 * shortest text that reads back exactly. augur_relations_parse reads every
 * text but "callback" back into the same mapping. describe truncates to
 * cap (always terminated) and returns AUGUR_ERANGE when k is out of
 * range. */
AUGUR_EXTERN augur_constraint_kind augur_constraints_kind(const augur_constraints *c,
                                                          size_t k);
AUGUR_EXTERN int augur_constraints_describe(const augur_constraints *c, size_t k,
                                            char *buf, size_t cap);
/* Every mapping's text joined with "; " into *text (malloc'd; free it),
 * which augur_relations_parse reads back into the same mappings and
 * describe -> parse -> describe gives the same text. AUGUR_EUNSUP when a
 * mapping is a callback, which has no written form (the message, in
 * augur_constraints_errmsg, names it); *text is then NULL. */
AUGUR_EXTERN int augur_constraints_write(const augur_constraints *c, char **text);

/* --- Penalties -------------------------------------------------------- */

/* The relation penalties. With pk = k * h^gen (mystic's schedule; gen is
 * the solver's generation count) and g the relation's value at x:
 *   quadratic inequality  2 pk max(0, g)^2
 *   linear inequality     2 pk max(0, g)
 *   barrier               -(0.5 / pk) log(-g), +inf when g >= 0
 *   quadratic equality    pk g^2
 *   linear equality       pk |g|
 * k == 0 selects AUGUR_PENALTY_K; h == 0 selects 1, a constant weight (pass
 * mystic's h = 5 for its growing schedule). A NaN g counts as violated:
 * the penalty is +inf. */
typedef enum augur_penalty_kind {
    AUGUR_PENALTY_QUADRATIC_INEQUALITY,
    AUGUR_PENALTY_LINEAR_INEQUALITY,
    AUGUR_PENALTY_BARRIER,
    AUGUR_PENALTY_QUADRATIC_EQUALITY,
    AUGUR_PENALTY_LINEAR_EQUALITY
} augur_penalty_kind;

#define AUGUR_PENALTY_K 100.0

/* NULL when g is NULL, k or h is negative or not finite, or no memory. */
AUGUR_EXTERN augur_penalty *augur_penalty_relation(augur_penalty_kind kind,
                                                   augur_relation_fn g, void *data,
                                                   double k, double h);
AUGUR_EXTERN augur_penalty *augur_penalty_quadratic_inequality(augur_relation_fn g,
                                                               void *data, double k,
                                                               double h);
AUGUR_EXTERN augur_penalty *augur_penalty_linear_inequality(augur_relation_fn g,
                                                            void *data, double k,
                                                            double h);
AUGUR_EXTERN augur_penalty *augur_penalty_barrier(augur_relation_fn g, void *data,
                                                  double k, double h);
AUGUR_EXTERN augur_penalty *augur_penalty_quadratic_equality(augur_relation_fn g,
                                                             void *data, double k,
                                                             double h);
AUGUR_EXTERN augur_penalty *augur_penalty_linear_equality(augur_relation_fn g,
                                                          void *data, double k,
                                                          double h);
/* The user's own penalty value. */
AUGUR_EXTERN augur_penalty *augur_penalty_user(augur_penalty_fn fn, void *data);
/* And: the sum of both (every rule must hold). Or: the smaller (one rule
 * holding is enough). Own a and b, also on failure. */
AUGUR_EXTERN augur_penalty *augur_penalty_and(augur_penalty *a, augur_penalty *b);
AUGUR_EXTERN augur_penalty *augur_penalty_or(augur_penalty *a, augur_penalty *b);
/* Frees p and its children. NULL is a no-op. */
AUGUR_EXTERN void augur_penalty_destroy(augur_penalty *p);
/* The penalty at x (n coordinates) in a run's generation `generation`. */
AUGUR_EXTERN double augur_penalty_value(const augur_penalty *p, const double *x,
                                        size_t n, size_t generation);
/* pk = k * h^generation of a relation penalty; NAN for user and and/or. */
AUGUR_EXTERN double augur_penalty_weight(const augur_penalty *p, size_t generation);

/* --- Attaching to a solver -------------------------------------------- */

/* Owns c, also on failure (a dimension other than the solver's fails with
 * AUGUR_EINVAL); NULL removes the constraints. Takes effect at the next
 * evaluation. */
AUGUR_EXTERN int augur_solver_set_constraints(augur_solver *s, augur_constraints *c);
AUGUR_EXTERN const augur_constraints *augur_solver_constraints(const augur_solver *s);
/* Owns p, also on failure; NULL removes the penalty. */
AUGUR_EXTERN int augur_solver_set_penalty(augur_solver *s, augur_penalty *p);
AUGUR_EXTERN const augur_penalty *augur_solver_penalty(const augur_solver *s);

/* --- The written form ------------------------------------------------- */

/* How parsed relations become penalties. Zero-initialised means the
 * defaults: quadratic inequality and quadratic equality penalties, k =
 * AUGUR_PENALTY_K, h = 1. */
typedef struct augur_relation_options {
    /* QUADRATIC_INEQUALITY, LINEAR_INEQUALITY or BARRIER */
    augur_penalty_kind inequality;
    double k, h;                    /* 0 = the defaults */
    /* QUADRATIC_EQUALITY or LINEAR_EQUALITY; 0 (zero-initialised) means
     * QUADRATIC_EQUALITY */
    augur_penalty_kind equality;
} augur_relation_options;

/* Parse relations separated by newlines or ';' over the variables x0 ..
 * x(n-1): "x0 + x1 <= 5; x2 == 2*x1; x0 >= 0.5*x3". Operators: <=, >=, <
 * and > (strict reads as non-strict), == (or =). Expressions are
 * libmatheval's: + - * / ^ (left-associative), unary -, parentheses,
 * numbers, the functions exp log sqrt sin cos tan ... abs step erf, and the
 * constants e and pi. Each relation is g(x) = lhs - rhs:
 *   - an inequality becomes a penalty of opt->inequality's kind;
 *   - an equality whose left side is one variable xk not used on the right
 *     becomes a mapping xk := rhs(x), added to the constraints in order;
 *   - any other equality becomes a penalty of opt->equality's kind.
 * Besides relations, the text takes the built-in mappings exactly as
 * augur_constraints_describe writes them ("integer(x2)", "discrete(x0;
 * 0.5, 1, 2)", "fixed(x1; 0.1)", "linear(1, 2, 0; 3)", "sum(5)",
 * "mean(5)", "spread(5)", "ordering(x0, x1)"), added in order with the
 * others, and the penalty groups "or(a; b; ...)" and "and(a; b; ...)":
 * two or more members, each a relation or a group, all penalties (an
 * equality of a lone variable too), joined with augur_penalty_or / _and.
 * Inside a form's parentheses ';' and newlines do not end it.
 * On success *c holds the mappings and *p the penalties (joined with and),
 * each NULL when the text has none of that kind; they are the caller's.
 * On failure both are NULL and err names the relation, its text (cut
 * short past 72 characters) and the column: 'relation 2 "x0 + * x1 <=
 * 5", column 6: ...'. Empty relations
 * (blank lines) are skipped; a text with no relation at all is an error. */
AUGUR_EXTERN int augur_relations_parse(const char *text, size_t n,
                                       const augur_relation_options *opt,
                                       augur_constraints **c, augur_penalty **p,
                                       char *err, size_t cap);

/* The text of a penalty read by augur_relations_parse (or a tree of
 * such penalties joined with and/or) into *text (malloc'd; free it), and
 * in *opt the kinds and weights it was read with, so that
 * augur_relations_parse(*text, n, opt, ...) rebuilds it: the top-level and
 * as relations joined by "; ", or as "or(a; b)", an and inside an or as
 * "and(a; b)". AUGUR_EUNSUP, with a message in augur_penalty_errmsg, for a
 * tree the text cannot express: a user penalty, a relation penalty on a
 * function (not read from text), or relations that differ in their
 * inequality kind, their equality kind, k or h (the options carry one of
 * each). *text is then NULL. */
AUGUR_EXTERN int augur_penalty_write(const augur_penalty *p, char **text,
                                     augur_relation_options *opt);
/* The message of the last failed augur_penalty_write on p, or "". */
AUGUR_EXTERN const char *augur_penalty_errmsg(const augur_penalty *p);

#ifdef __cplusplus
}
#endif
#endif
