/* progress.c - the progress line: one line on stderr, redrawn in place with
 * '\r' after each generation while a job runs, and cleared at the end.
 *
 *     generation 412  evaluations 8241  best f 3.0517e-07  52k eval/s  ETA 0:03
 *
 * It appears only when stderr is a terminal (and not --quiet), so output
 * that is piped or captured never holds control characters. Redrawing is
 * limited to about twenty times a second: a fast solver finishes thousands
 * of generations a second, and writing each one to the terminal would cost
 * more than the generations. The first generation is always drawn. The ETA
 * comes from the evaluation rate and the evaluation limit, and is left out
 * when there is no limit. A run that saves checkpoints ends the line with
 * how long ago it last saved ("saved 0:12 ago").
 *
 * The file's "verbose" monitors print lines while the run goes on. Written
 * straight to the terminal they would land after the progress text, so
 * while the line is up they write into a memory stream instead, and each
 * callback moves what they wrote to its real destination above the line:
 * clear the line, copy the text, draw the line again. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "cli.h"

#define REDRAW_SECONDS 0.05

int progress_wanted(int quiet)
{
    return !quiet && isatty(STDERR_FILENO);
}

/* The line is cut to the terminal's width, so '\r' returns to its start (a
 * wrapped line could not be redrawn in place); 80 when the width is unknown. */
static size_t line_cap(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
        return ws.ws_col < 200 ? ws.ws_col : 200;
    return 80;
}

/* "52k", "1.3M": rates vary over orders of magnitude; three digits do. */
static void format_rate(double rate, char *buf, size_t cap)
{
    if (rate >= 1e6)
        snprintf(buf, cap, "%.1fM", rate / 1e6);
    else if (rate >= 1e4)
        snprintf(buf, cap, "%.0fk", rate / 1e3);
    else
        snprintf(buf, cap, "%.0f", rate);
}

/* "0:07", "12:30", "3:02:10". */
static void format_eta(double seconds, char *buf, size_t cap)
{
    unsigned long s = seconds > 1e9 ? 999999999ul : (unsigned long)ceil(seconds);
    if (s >= 3600)
        snprintf(buf, cap, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, cap, "%lu:%02lu", s / 60, s % 60);
}

/* "  52k eval/s  ETA 0:03" (either part may be empty). */
static void format_speed(const augur_record *r, size_t max_evaluations, double elapsed,
                         char *buf, size_t cap)
{
    double rate = elapsed > 0 ? (double)r->evaluations / elapsed : 0;
    char t[32], eta[48] = "";
    buf[0] = '\0';
    if (!(rate > 0))
        return;
    if (max_evaluations != 0 && max_evaluations != AUGUR_UNLIMITED &&
        max_evaluations > r->evaluations) {
        format_eta((double)(max_evaluations - r->evaluations) / rate, t, sizeof t);
        snprintf(eta, sizeof eta, "  ETA %s", t);
    }
    format_rate(rate, t, sizeof t);
    snprintf(buf, cap, "  %s eval/s%s", t, eta);
}

static void draw(progress *p, const augur_record *r, size_t max_evaluations,
                 double elapsed)
{
    char line[400], speed[96];
    format_speed(r, max_evaluations, elapsed, speed, sizeof speed);
    char saved[64] = "";
    size_t at = 0;
    double when = 0;
    if (p->job && augur_job_checkpoints(p->job, &at, &when)) {
        char t[32];
        format_eta(elapsed > when ? elapsed - when : 0, t, sizeof t);
        snprintf(saved, sizeof saved, "  saved %s ago", t);
    }
    int len = snprintf(line, sizeof line,
                       "\r%s%sgeneration %zu  evaluations %zu  best f %.6g%s%s", p->label,
                       p->label[0] ? "  " : "", r->generation, r->evaluations, r->f, speed,
                       saved);
    if (len < 0)
        return;
    size_t cap = line_cap();   /* the '\r' counts: the text gets cap - 1 columns */
    if ((size_t)len > cap)
        len = (int)cap;
    /* "\033[K" clears what a longer earlier line left behind. */
    memcpy(line + len, "\033[K", 4);
    fputs(line, stderr);
    fflush(stderr);
    p->drawn = 1;
    p->last = elapsed;
}

/* Move what the verbose monitors wrote since the last call above the line.
 * 1 when the line was cleared for it (and must be drawn again). */
static int relay(progress *p)
{
    if (!p->relay)
        return 0;
    fflush(p->relay);
    if (p->relay_len == 0)
        return 0;
    int cleared = p->drawn;
    if (cleared)
        fputs("\r\033[K", stderr);
    fflush(stderr);
    fwrite(p->relay_buf, 1, p->relay_len, p->out);
    fflush(p->out);
    /* Back to the start: the stream's memory stays the size of one burst. */
    fseek(p->relay, 0, SEEK_SET);
    fflush(p->relay);
    p->drawn = 0;
    return cleared;
}

static void on_generation(const augur_record *r, size_t max_evaluations, double elapsed,
                          void *data)
{
    progress *p = data;
    int redraw = relay(p);
    if (redraw || !p->drawn || elapsed - p->last >= REDRAW_SECONDS || elapsed < p->last)
        draw(p, r, max_evaluations, elapsed);
}

void progress_begin(progress *p, augur_job *job, int on, const char *label, FILE *out)
{
    *p = (progress){.on = on, .out = out};
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
    if (on && out)
        p->relay = open_memstream(&p->relay_buf, &p->relay_len);
    augur_job_set_stream(job, p->relay ? p->relay : out);
    if (on)
        augur_job_set_progress(job, on_generation, p);
}

void progress_end(progress *p, augur_job *job)
{
    if (!p->on)
        return;
    augur_job_set_progress(job, NULL, NULL);
    relay(p);
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->drawn = 0;
    if (p->relay) {
        augur_job_set_stream(job, p->out);
        fclose(p->relay);
        free(p->relay_buf);
        p->relay = NULL;
        p->relay_buf = NULL;
    }
}
