/* data_csv.c - augur_data_read_csv: data from a CSV file.
 *
 * The reader is strict, since a fit to silently misread data is worse than
 * no fit: every field it uses must be a finite number, every row must have
 * as many fields as the first, and sigma must be positive. Each complaint
 * names the file, the line and the column (1-based, in characters) of what
 * is wrong, as compilers do, so an editor can jump to it. Lines whose first
 * non-blank character is '#' and blank lines are skipped; the first other
 * line is a header when any field in it is not a number; columns are
 * chosen by header name (exactly as written, without surrounding quotes)
 * or by 0-based index, a name winning over an index that looks the same.
 * Fields are split at every comma: quoted fields with commas inside are
 * not supported. Only the chosen columns are parsed, so a file may carry
 * a text column (labels) that the fit does not use. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "internal.h"
#include "fit_int.h"

/* --- CSV: one line split into fields -------------------------------------- */

#define MAX_SEL 64                /* columns one of x, y, sigma may list */

typedef struct field {
    const char *text;             /* trimmed, NUL-terminated in the line */
    size_t col;                   /* 1-based column of its first character */
} field;

typedef struct csv {
    const char *path;
    FILE *fp;
    char *line;
    size_t cap, lineno;
    size_t len;                   /* of the line before splitting */
    field *fields;
    size_t nfields, fcap;
    char *err;
    size_t errcap;
} csv;

/* "path:line:col: message" (line and col omitted when 0). */
AUGUR__PRINTF(4, 5)
static int csv_fail(csv *c, size_t col, int code, const char *fmt, ...)
{
    char msg[AUGUR_ERRMSG_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->lineno == 0)
        return augur__fail_msg(c->err, c->errcap, code, "%s: %s", c->path, msg);
    return augur__fail_msg(c->err, c->errcap, code, "%s:%zu:%zu: %s", c->path,
                           c->lineno, col ? col : 1, msg);
}

static char *trim(char *s, char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *end = '\0';
    return s;
}

static int push_field(csv *c, char *start, char *end)
{
    if (c->nfields == c->fcap) {
        size_t cap = c->fcap ? 2 * c->fcap : 16;
        field *f = realloc(c->fields, cap * sizeof *f);
        if (!f)
            return csv_fail(c, 0, AUGUR_ENOMEM, "out of memory");
        c->fields = f;
        c->fcap = cap;
    }
    char *s = trim(start, end);
    c->fields[c->nfields].text = s;
    c->fields[c->nfields].col = (size_t)(s - c->line) + 1;
    c->nfields++;
    return AUGUR_OK;
}

/* Split c->line at commas (in place). */
static int split(csv *c, size_t len)
{
    c->nfields = 0;
    char *start = c->line, *end = c->line + len;
    for (char *p = start; p <= end; p++)
        if (p == end || *p == ',') {
            int rc = push_field(c, start, p);
            if (rc != AUGUR_OK)
                return rc;
            start = p + 1;
        }
    return AUGUR_OK;
}

/* The next line that is neither blank nor a '#' comment, split; 0 at the
 * end of the file. */
static int next_line(csv *c, int *got)
{
    ssize_t len;
    *got = 0;
    while ((len = getline(&c->line, &c->cap, c->fp)) >= 0) {
        c->lineno++;
        while (len > 0 && (c->line[len - 1] == '\n' || c->line[len - 1] == '\r'))
            c->line[--len] = '\0';
        size_t lead = strspn(c->line, " \t");
        if (c->line[lead] == '\0' || c->line[lead] == '#')
            continue;
        *got = 1;
        c->len = (size_t)len;
        return split(c, c->len);
    }
    if (ferror(c->fp))
        return csv_fail(c, 0, AUGUR_EIO, "read error: %s", strerror(errno));
    return AUGUR_OK;
}

/* --- CSV: numbers and column choices -------------------------------------- */

static int parse_number(const char *s, double *v)
{
    if (*s == '\0')
        return 0;
    char *end;
    *v = augur__strtod(s, &end);
    return *end == '\0';
}

/* A header line has a field that is not empty and not a number. */
static int is_header(const csv *c)
{
    for (size_t i = 0; i < c->nfields; i++) {
        double v;
        if (c->fields[i].text[0] != '\0' && !parse_number(c->fields[i].text, &v))
            return 1;
    }
    return 0;
}

typedef struct header {
    char **names;                 /* nfields names, or NULL without header */
    size_t n;
    size_t line;
} header;

static void header_free(header *h)
{
    if (h->names)
        for (size_t i = 0; i < h->n; i++)
            free(h->names[i]);
    free(h->names);
    h->names = NULL;
}

/* Copy the header's names, without one pair of surrounding quotes. */
static int header_keep(csv *c, header *h)
{
    h->n = c->nfields;
    h->line = c->lineno;
    h->names = calloc(h->n, sizeof *h->names);
    if (!h->names)
        return csv_fail(c, 0, AUGUR_ENOMEM, "out of memory");
    for (size_t i = 0; i < h->n; i++) {
        const char *s = c->fields[i].text;
        size_t len = strlen(s);
        if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
            s++;
            len -= 2;
        }
        h->names[i] = malloc(len + 1);
        if (!h->names[i])
            return csv_fail(c, 0, AUGUR_ENOMEM, "out of memory");
        memcpy(h->names[i], s, len);
        h->names[i][len] = '\0';
    }
    return AUGUR_OK;
}

static int all_digits(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* "t, counts, sigma" for messages. */
static void list_names(const header *h, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < h->n && used + 1 < cap; i++) {
        int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", h->names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* One column choice: a header name first, else a 0-based index. */
static int resolve(csv *c, const header *h, const char *tok, size_t *col)
{
    if (h->names)
        for (size_t i = 0; i < h->n; i++)
            if (strcmp(h->names[i], tok) == 0) {
                *col = i;
                return AUGUR_OK;
            }
    if (all_digits(tok)) {
        unsigned long v = strtoul(tok, NULL, 10);
        if (v < c->nfields) {
            *col = (size_t)v;
            return AUGUR_OK;
        }
        return csv_fail(c, 1, AUGUR_ERANGE,
                        "column %s does not exist (%zu columns, numbered from 0)",
                        tok, c->nfields);
    }
    if (!h->names)
        return csv_fail(c, 1, AUGUR_ENOTFOUND,
                        "no header line, so column '%s' must be a 0-based index", tok);
    char names[160];
    list_names(h, names, sizeof names);
    return csv_fail(c, 1, AUGUR_ENOTFOUND, "no column '%s' (the header has: %s)",
                    tok, names);
}

typedef struct selection {
    size_t col[MAX_SEL];
    size_t n;
} selection;

/* Split "a,b" and resolve each name; what names the role in messages. */
static int select_columns(csv *c, const header *h, const char *spec,
                          const char *what, selection *sel)
{
    sel->n = 0;
    const char *s = spec;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char tok[128];
        while (len > 0 && (*s == ' ' || *s == '\t')) {
            s++;
            len--;
        }
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (len == 0 || len >= sizeof tok)
            return csv_fail(c, 1, AUGUR_EINVAL, "%s: bad column list \"%s\"", what,
                            spec);
        if (sel->n == MAX_SEL)
            return csv_fail(c, 1, AUGUR_EINVAL, "%s: more than %d columns", what,
                            MAX_SEL);
        memcpy(tok, s, len);
        tok[len] = '\0';
        int rc = resolve(c, h, tok, &sel->col[sel->n++]);
        if (rc != AUGUR_OK)
            return rc;
        if (!comma)
            return AUGUR_OK;
        s = comma + 1;
    }
}

/* --- CSV: rows ------------------------------------------------------------ */

typedef struct rows {
    double *x, *y, *s;            /* growing row-major arrays */
    size_t n, cap;
} rows;

static void rows_free(rows *r)
{
    free(r->x);
    free(r->y);
    free(r->s);
}

static int grow(double **a, size_t n)
{
    double *p = realloc(*a, n * sizeof *p);
    if (p)
        *a = p;
    return p != NULL;
}

static int rows_grow(rows *r, size_t xdim, size_t ydim)
{
    if (r->n < r->cap)
        return AUGUR_OK;
    size_t cap = r->cap ? 2 * r->cap : 64;
    if (!grow(&r->x, cap * xdim) || !grow(&r->y, cap * ydim) || !grow(&r->s, cap * ydim))
        return AUGUR_ENOMEM;
    r->cap = cap;
    return AUGUR_OK;
}

/* The number in field col of the current line; what names it in messages. */
static int field_value(csv *c, const header *h, size_t col, double *v)
{
    const field *f = &c->fields[col];
    char name[64];
    if (h->names)
        snprintf(name, sizeof name, "'%s'", h->names[col]);
    else
        snprintf(name, sizeof name, "%zu", col);
    if (f->text[0] == '\0')
        return csv_fail(c, f->col, AUGUR_EINVAL, "empty field (column %s)", name);
    if (!parse_number(f->text, v))
        return csv_fail(c, f->col, AUGUR_EINVAL, "'%s' is not a number (column %s)",
                        f->text, name);
    if (!isfinite(*v))
        return csv_fail(c, f->col, AUGUR_ERANGE,
                        "'%s' is not a finite number (column %s)", f->text, name);
    return AUGUR_OK;
}

typedef struct choice {
    selection x, y, s;
    int has_sigma;
} choice;

static int read_values(csv *c, const header *h, const selection *sel, double *out)
{
    for (size_t k = 0; k < sel->n; k++) {
        int rc = field_value(c, h, sel->col[k], &out[k]);
        if (rc != AUGUR_OK)
            return rc;
    }
    return AUGUR_OK;
}

/* Check the field count against the first line and append the row. */
static int add_row(csv *c, const header *h, const choice *ch, size_t width, rows *r)
{
    if (c->nfields != width) {
        return csv_fail(c, c->len + 1, AUGUR_EINVAL, "%zu field%s where the %s has %zu",
                        c->nfields, c->nfields == 1 ? "" : "s",
                        h->names ? "header" : "first row", width);
    }
    if (rows_grow(r, ch->x.n, ch->y.n) != AUGUR_OK)
        return csv_fail(c, 0, AUGUR_ENOMEM, "out of memory");
    double *sg = r->s + r->n * ch->y.n;
    int rc = read_values(c, h, &ch->x, r->x + r->n * ch->x.n);
    if (rc == AUGUR_OK)
        rc = read_values(c, h, &ch->y, r->y + r->n * ch->y.n);
    if (rc == AUGUR_OK && ch->has_sigma)
        rc = read_values(c, h, &ch->s, sg);
    if (rc != AUGUR_OK)
        return rc;
    for (size_t k = 0; k < ch->y.n; k++) {
        if (!ch->has_sigma)
            sg[k] = 1.0;
        else if (!(sg[k] > 0.0))
            return csv_fail(c, c->fields[ch->s.col[k]].col, AUGUR_ERANGE,
                            "sigma must be positive, not %s",
                            c->fields[ch->s.col[k]].text);
    }
    r->n++;
    return AUGUR_OK;
}

/* --- CSV: the whole file -------------------------------------------------- */

static int choose(csv *c, const header *h, const char *x, const char *y,
                  const char *sigma, choice *ch)
{
    int rc = select_columns(c, h, x, "x", &ch->x);
    if (rc == AUGUR_OK)
        rc = select_columns(c, h, y, "y", &ch->y);
    ch->has_sigma = sigma != NULL;
    if (rc == AUGUR_OK && sigma)
        rc = select_columns(c, h, sigma, "sigma", &ch->s);
    if (rc == AUGUR_OK && sigma && ch->s.n != ch->y.n)
        rc = csv_fail(c, 1, AUGUR_EINVAL, "%zu sigma column%s for %zu y column%s",
                      ch->s.n, ch->s.n == 1 ? "" : "s", ch->y.n,
                      ch->y.n == 1 ? "" : "s");
    return rc;
}

/* Header (if any), column choice, then every row. */
static int read_all(csv *c, const char *x, const char *y, const char *sigma,
                    header *h, rows *r, choice *ch)
{
    int got, rc = next_line(c, &got);
    if (rc == AUGUR_OK && got && is_header(c)) {
        rc = header_keep(c, h);
        if (rc == AUGUR_OK)
            rc = choose(c, h, x, y, sigma, ch);
        if (rc == AUGUR_OK)
            rc = next_line(c, &got);
    } else if (rc == AUGUR_OK && got) {
        rc = choose(c, h, x, y, sigma, ch);
    }
    size_t width = h->names ? h->n : c->nfields;
    while (rc == AUGUR_OK && got) {
        rc = add_row(c, h, ch, width, r);
        if (rc == AUGUR_OK)
            rc = next_line(c, &got);
    }
    if (rc == AUGUR_OK && r->n == 0) {
        c->lineno++;              /* point just past the last line */
        rc = csv_fail(c, 1, AUGUR_EINVAL, "no data rows");
    }
    return rc;
}

static int move_rows(rows *r, const choice *ch, augur_data **out)
{
    augur_data *d = augur__data_alloc(r->n, ch->x.n, ch->y.n);
    if (!d)
        return AUGUR_ENOMEM;
    memcpy(d->x, r->x, r->n * ch->x.n * sizeof *d->x);
    memcpy(d->y, r->y, r->n * ch->y.n * sizeof *d->y);
    memcpy(d->sigma, r->s, r->n * ch->y.n * sizeof *d->sigma);
    d->weighted = ch->has_sigma;
    *out = d;
    return AUGUR_OK;
}

int augur_data_read_csv(const char *path, const char *x, const char *y,
                        const char *sigma, augur_data **out, char *err, size_t cap)
{
    if (out)
        *out = NULL;
    if (!path || !x || !y || !out)
        return augur__fail_msg(err, cap, AUGUR_EINVAL,
                               "augur_data_read_csv: path, x, y and out are required");
    csv c = {.path = path, .err = err, .errcap = cap};
    int opened;
    c.fp = augur__input_open(path, augur__max_data_bytes(), "data file", &opened, err, cap);
    if (!c.fp)
        return opened;
    header h = {0};
    rows r = {0};
    choice ch = {0};
    int rc = read_all(&c, x, y, sigma, &h, &r, &ch);
    if (rc == AUGUR_OK && move_rows(&r, &ch, out) != AUGUR_OK) {
        c.lineno = 0;
        rc = csv_fail(&c, 0, AUGUR_ENOMEM, "out of memory");
    }
    rows_free(&r);
    header_free(&h);
    free(c.fields);
    free(c.line);
    fclose(c.fp);
    return rc;
}
