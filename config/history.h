/* history.h - private to config/: the convergence history a job keeps for
 * its results file (history.c), so a results file can be plotted
 * (`augur plot`) without a log.
 *
 * The job records the best f so far at every generation record, keeping
 * only the records where it improved (and the last one): a step curve of
 * best f against evaluations that is exact at every kept point and small
 * in the file. For an ensemble it also records every inner evaluation's f
 * (in run order, as the ensemble's evaluation monitors see them) and,
 * once the runs are known, cuts that stream into one such step curve per
 * inner run. Running out of memory drops the history (the run goes on;
 * the results file then has none). */
#ifndef AUGUR_CONFIG_HISTORY_H
#define AUGUR_CONFIG_HISTORY_H

#include <libconfig.h>
#include <stddef.h>
#include "augur/solver.h"
#include "strbuf.h"

typedef struct augur__trace {
    size_t len, cap;
    size_t *evaluations;          /* evaluations so far at each kept point */
    double *f;                    /* best f so far (the user's sign) */
} augur__trace;

/* The checkpoint's text of a growing list, kept between saves: entries
 * before the last never change (a trace only appends, or moves its last
 * point; the stream only appends), so each save formats only what is new
 * and the last entry, instead of the whole list again. */
typedef struct augur__list_text {
    augur_strbuf text;            /* entries [0, done), separators included */
    size_t done;
} augur__list_text;

typedef struct augur__history {
    int lost;                     /* out of memory: nothing is written */
    int maximize;                 /* "best" is the largest f */
    augur__trace outer;
    double *stream;               /* ensembles: every inner evaluation's f */
    size_t nstream, capstream;
    augur__trace *inner;          /* after the run: one per inner run */
    size_t ninner;
    augur__list_text saved_evaluations, saved_f, saved_stream;   /* history_save's */
} augur__history;

/* Attach the recording monitors to s (an evaluation one only for an
 * ensemble). AUGUR_OK or the solver's status. */
int augur__history_attach(augur__history *h, augur_solver *s);
/* Cut the ensemble's stream into inner runs of these evaluation counts. */
void augur__history_split(augur__history *h, const size_t *evaluations, size_t nruns);
/* `history = { evaluations = [...]; f = [...]; };` at this depth; inner
 * run i's with augur__history_emit_inner. Nothing when there is none. */
void augur__history_emit(augur_strbuf *b, const augur__history *h, int depth);
void augur__history_emit_inner(augur_strbuf *b, const augur__history *h, size_t i,
                               int depth);
void augur__history_free(augur__history *h);
/* The history so far as a `history` group (a checkpoint's), and back.
 * save keeps the text of what is final for the next save. */
void augur__history_save(augur_strbuf *b, augur__history *h);
int augur__history_load(const config_setting_t *group, augur__history *h);

#endif
