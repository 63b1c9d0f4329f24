/* spec_int.h - private to augur: writing and reading specs at the level of
 * libconfig settings and text buffers, shared by spec_write.c,
 * spec_read.c, spec_rules.c, the config-file reader and the results
 * writer. */
#ifndef AUGUR_SPEC_INT_H
#define AUGUR_SPEC_INT_H

#include <libconfig.h>
#include "augur/spec.h"
#include "setting_int.h"
#include "strbuf.h"

/* Append the spec's settings at the given indentation depth. A solver
 * whose constraints or penalty have no written form (a callback, a user
 * penalty), or whose nested solver has such, is AUGUR_EUNSUP with a
 * message in err. */
int augur__spec_emit_solver(augur_strbuf *b, const augur_solver *s, int depth,
                            char *err, size_t cap);
void augur__spec_emit_term(augur_strbuf *b, const augur_termination *t, int depth);

/* Build from a group setting. Messages name the setting's path and line. */
int augur__spec_solver_from(const config_setting_t *g, augur_solver **out,
                            char *err, size_t cap);
int augur__spec_term_from(const config_setting_t *g, augur_termination **out,
                          char *err, size_t cap);

/* A solver's constraints and penalty (spec_rules.c): written when present,
 * and read from the settings "constraints" and "penalty". */
int augur__spec_emit_rules(augur_strbuf *b, const augur_solver *s, int depth,
                           char *err, size_t cap);
int augur__spec_read_constraints(const config_setting_t *m, augur_solver *s,
                                 char *err, size_t cap);
int augur__spec_read_penalty(const config_setting_t *m, augur_solver *s, char *err,
                             size_t cap);

/* A parameter's value as the reader takes it back (spec_write.c). */
void augur__spec_emit_value(augur_strbuf *b, const augur_param *p, double v);
/* The value of a parameter setting as the generic setter takes it: a
 * number, true/false for a boolean, a choice's name (spec_read.c). */
int augur__setting_param(const config_setting_t *m, const augur_param *p, double *v,
                         char *err, size_t cap);
/* map = { type = "fork"; workers = 2; timeout = 30; }: made (make_map)
 * or made and handed to s, which then owns it (read_map; fails when s
 * cannot use a map) (spec_read.c; the config file's top-level map too). */
int augur__spec_make_map(const config_setting_t *m, augur_map **out, char *err,
                         size_t cap);
int augur__spec_read_map(const config_setting_t *m, augur_solver *s, char *err,
                         size_t cap);

#endif
