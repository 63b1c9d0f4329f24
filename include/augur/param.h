/* augur/param.h - parameter tables.
 *
 * Every pluggable type (solver, termination condition, monitor, map)
 * declares its parameters in one table. The table drives the generic setter
 * and getter, validation, the defaults, `augur list`, writing an object back
 * out as a spec, and the generated docs, so none of those can drift from the
 * code. Each value is stored as a double at `offset` in the type's state
 * (integers, booleans and choices too: a choice stores its index). */
#ifndef AUGUR_PARAM_H
#define AUGUR_PARAM_H

#include <stddef.h>
#include "augur/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum augur_param_kind {
    AUGUR_PARAM_REAL,   /* any double in [min, max] */
    AUGUR_PARAM_INT,    /* a whole number in [min, max] */
    AUGUR_PARAM_BOOL,   /* 0 or 1 */
    AUGUR_PARAM_CHOICE  /* an index into `choices`; set by name or index */
} augur_param_kind;

typedef struct augur_param {
    const char *name;             /* lower-case, hyphenated: "cross-probability" */
    augur_param_kind kind;
    double def;                   /* default value */
    double min, max;              /* inclusive range (ignored for BOOL/CHOICE) */
    size_t offset;                /* offset of the double in the state */
    const char *const *choices;   /* CHOICE: NULL-terminated names */
    const char *doc;              /* one line */
} augur_param;

/* Number of entries in a table that ends with an entry whose name is NULL. */
AUGUR_EXTERN size_t augur_param_count(const augur_param *table);
/* Entry by name (case-insensitive, '_' matches '-'), or NULL. */
AUGUR_EXTERN const augur_param *augur_param_find(const augur_param *table,
                                                 const char *name);
/* Name of choice `index` of a CHOICE parameter, or NULL. */
AUGUR_EXTERN const char *augur_param_choice_name(const augur_param *p,
                                                 double index);

#ifdef __cplusplus
}
#endif
#endif
