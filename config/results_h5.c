/* results_h5.c - results files in HDF5, for h5py, MATLAB, ParaView and
 * h5dump (`augur run FILE -o results.h5`, or output.results = "x.h5").
 *
 * The file holds the same results as the text results file (results.c),
 * as datasets - doubles as IEEE 64-bit floats, so they are the run's bits,
 * counts as unsigned 64-bit integers, words as UTF-8 strings:
 *
 *     /x  /f  /evaluations  /generations  /reason  /seconds  /seed
 *     /history/{evaluations, f}                 the convergence (if kept)
 *     /runs/{batch, index, start, end, f,       ensembles: one row per
 *            evaluations, generations, reason}  inner run (start, end: runs x n)
 *     /runs/history/{offsets, evaluations, f}   run i's curve is the rows
 *                                               offsets[i] .. offsets[i+1]-1
 *     /profile/{x, y, offsets}                  profile scans
 *     /fit/{parameters, uncertainty, covariance (n x n), reduced_chi_square,
 *           converged, ending}  and /fit/minima/{x, chi2, runs}  fits
 *
 * and, on the root, the attributes "config" (the whole text results file:
 * the input with every default resolved and the seed used, itself a
 * runnable config), "format" and "version". Loading a .h5 file
 * (augur_job_load, job.c) reads "config" and runs it, so the file reruns
 * the run bit for bit, as the text file does. The text file has no
 * covariance; it is computed again here at the answer, as the report
 * computed the uncertainties (the same deterministic arithmetic).
 *
 * Like the text file it is written to a temporary file next to the target
 * and renamed over it. HDF5 prints its error stack by default; every call
 * here runs with that turned off (and turned back as it was after), and a
 * failure becomes a status with the innermost HDF5 message. HDF5 is
 * optional: built without it (no AUGUR_HAVE_HDF5), writing and reading
 * return AUGUR_EUNSUP saying what to install. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include "results_h5.h"

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n > t && strcmp(s + n - t, tail) == 0;
}

int augur__results_h5_path(const char *path)
{
    return path && (ends_with(path, ".h5") || ends_with(path, ".hdf5"));
}

int augur__results_h5_detect(const char *path)
{
    static const unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a,
                                               '\n'};
    if (augur__results_h5_path(path))
        return 1;
    /* only a regular file is opened: opening a FIFO would wait for a writer */
    struct stat st;
    if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    FILE *fp = fopen(path, "rb");
    unsigned char head[8];
    int is = fp && fread(head, 1, 8, fp) == 8 && memcmp(head, signature, 8) == 0;
    if (fp)
        fclose(fp);
    return is;
}

#ifndef AUGUR_HAVE_HDF5

int augur__results_h5_available(const char *path, char *err, size_t cap)
{
    return augur__fail_msg(err, cap, AUGUR_EUNSUP,
                           "%s: HDF5 results need augur built with HDF5: install "
                           "libhdf5-dev (Debian: apt-get install libhdf5-dev) and build "
                           "augur again, or use a text results file (.cfg)",
                           path ? path : "(null)");
}

int augur__results_h5_write(const augur_job *j, const char *path, const char *text,
                            char *err, size_t cap)
{
    (void)j;
    (void)text;
    return augur__results_h5_available(path, err, cap);
}

char *augur__results_h5_config(const char *path, int *rc, char *err, size_t cap)
{
    *rc = augur__results_h5_available(path, err, cap);
    return NULL;
}

#else

#include <hdf5.h>
#include "augur/fit.h"
#include "augur/plugin.h"
#include "augur/version.h"

#define FORMAT "augur results, HDF5 layout 1"

int augur__results_h5_available(const char *path, char *err, size_t cap)
{
    (void)path;
    (void)err;
    (void)cap;
    return AUGUR_OK;
}

/* --- Errors --------------------------------------------------------------------- */

/* HDF5's automatic printing, saved and turned off for the length of one
 * of our calls. */
typedef struct quiet {
    H5E_auto2_t fn;
    void *data;
} quiet;

static void hush(quiet *q)
{
    q->fn = NULL;
    q->data = NULL;
    H5Eget_auto2(H5E_DEFAULT, &q->fn, &q->data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void unhush(const quiet *q)
{
    H5Eset_auto2(H5E_DEFAULT, q->fn, q->data);
}

/* The innermost entry of HDF5's error stack: the most specific reason. */
static herr_t innermost(unsigned n, const H5E_error2_t *e, void *data)
{
    if (n == 0 && e && e->desc)
        snprintf(data, 256, "%s", e->desc);
    return 0;
}

static int h5_fail(char *err, size_t cap, int code, const char *path, const char *what)
{
    char why[256] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, why);
    return augur__fail_msg(err, cap, code, "%s: HDF5 cannot %s%s%s", path, what,
                           why[0] ? ": " : "", why);
}

/* --- Writing ---------------------------------------------------------------------- */

/* The first failure sticks: every put after it does nothing, so the
 * layout below reads as a list. */
typedef struct writer {
    const char *path;
    int rc;
    char *err;
    size_t cap;
    char what[128];
} writer;

static void put_failed(writer *w, const char *name)
{
    if (w->rc == AUGUR_OK) {
        snprintf(w->what, sizeof w->what, "write %s", name);
        w->rc = h5_fail(w->err, w->cap, AUGUR_EIO, w->path, w->what);
    }
}

static hid_t text_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && (H5Tset_size(t, H5T_VARIABLE) < 0 ||
                   H5Tset_cset(t, H5T_CSET_UTF8) < 0)) {
        H5Tclose(t);
        t = -1;
    }
    return t;
}

/* A dataset of rank 0 (a scalar), 1 or 2. */
static void put(writer *w, hid_t at, const char *name, hid_t ftype, hid_t mtype, int rank,
                const hsize_t *dims, const void *buf)
{
    static const uint64_t none[1];    /* for empty arrays: HDF5 wants a buffer */
    if (w->rc != AUGUR_OK)
        return;
    hid_t space = rank ? H5Screate_simple(rank, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t d = space < 0 ? -1 : H5Dcreate2(at, name, ftype, space, H5P_DEFAULT,
                                          H5P_DEFAULT, H5P_DEFAULT);
    herr_t ok = d < 0 ? -1 : H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                      buf ? buf : none);
    if (d >= 0 && H5Dclose(d) < 0)
        ok = -1;
    if (space >= 0)
        H5Sclose(space);
    if (ok < 0)
        put_failed(w, name);
}

/* rows doubles, or rows x cols when cols > 0. */
static void put_doubles(writer *w, hid_t at, const char *name, const double *v,
                        size_t rows, size_t cols)
{
    hsize_t dims[2] = {rows, cols};
    put(w, at, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, cols ? 2 : 1, dims, v);
}

static void put_double(writer *w, hid_t at, const char *name, double v)
{
    put(w, at, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, NULL, &v);
}

static void put_counts(writer *w, hid_t at, const char *name, const uint64_t *v, size_t n)
{
    hsize_t dims[1] = {n};
    put(w, at, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, dims, v);
}

static void put_count(writer *w, hid_t at, const char *name, uint64_t v)
{
    put(w, at, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, NULL, &v);
}

/* One string, or n when n > 0. */
static void put_texts(writer *w, hid_t at, const char *name, const char *const *v,
                      size_t n)
{
    hid_t t = w->rc == AUGUR_OK ? text_type() : -1;
    if (w->rc == AUGUR_OK && t < 0)
        put_failed(w, name);
    hsize_t dims[1] = {n};
    put(w, at, name, t, t, n ? 1 : 0, dims, v);
    if (t >= 0)
        H5Tclose(t);
}

static void put_text(writer *w, hid_t at, const char *name, const char *v)
{
    const char *s = v ? v : "";
    put_texts(w, at, name, &s, 0);
}

static void put_attribute(writer *w, hid_t at, const char *name, const char *v)
{
    if (w->rc != AUGUR_OK)
        return;
    hid_t t = text_type();
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = t < 0 || space < 0 ? -1 : H5Acreate2(at, name, t, space, H5P_DEFAULT,
                                                   H5P_DEFAULT);
    herr_t ok = a < 0 ? -1 : H5Awrite(a, t, &v);
    if (a >= 0 && H5Aclose(a) < 0)
        ok = -1;
    if (space >= 0)
        H5Sclose(space);
    if (t >= 0)
        H5Tclose(t);
    if (ok < 0)
        put_failed(w, name);
}

static hid_t group(writer *w, hid_t at, const char *name)
{
    if (w->rc != AUGUR_OK)
        return -1;
    hid_t g = H5Gcreate2(at, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        put_failed(w, name);
    return g;
}

static void close_group(hid_t g)
{
    if (g >= 0)
        H5Gclose(g);
}

static uint64_t *counts_of(const size_t *v, size_t n)
{
    uint64_t *c = augur__malloc_array(n ? n : 1, sizeof *c);
    for (size_t i = 0; c && i < n; i++)
        c[i] = v[i];
    return c;
}

static void put_trace(writer *w, hid_t at, const augur__trace *t)
{
    uint64_t *e = counts_of(t->evaluations, t->len);
    if (!e && w->rc == AUGUR_OK)
        w->rc = augur__fail_msg(w->err, w->cap, AUGUR_ENOMEM, "out of memory");
    put_counts(w, at, "evaluations", e, t->len);
    put_doubles(w, at, "f", t->f, t->len, 0);
    free(e);
}

/* /runs/history: the inner runs' curves end to end, and where each starts. */
static void put_inner_history(writer *w, hid_t runs, const augur_job *j)
{
    const augur__history *h = &j->history;
    if (h->lost || h->ninner != j->nruns || w->rc != AUGUR_OK)
        return;
    size_t total = 0;
    for (size_t i = 0; i < h->ninner; i++)
        total += h->inner[i].len;
    uint64_t *offsets = augur__malloc_array(h->ninner + 1, sizeof *offsets);
    augur__trace all = {.len = total,
                        .evaluations = augur__malloc_array(total ? total : 1, sizeof(size_t)),
                        .f = augur__malloc_array(total ? total : 1, sizeof(double))};
    if (offsets && all.evaluations && all.f) {
        size_t at = 0;
        for (size_t i = 0; i < h->ninner; i++) {
            const augur__trace *t = &h->inner[i];
            offsets[i] = at;
            memcpy(all.evaluations + at, t->evaluations, t->len * sizeof(size_t));
            memcpy(all.f + at, t->f, t->len * sizeof(double));
            at += t->len;
        }
        offsets[h->ninner] = at;
        hid_t g = group(w, runs, "history");
        put_counts(w, g, "offsets", offsets, h->ninner + 1);
        put_trace(w, g, &all);
        close_group(g);
    } else {
        w->rc = augur__fail_msg(w->err, w->cap, AUGUR_ENOMEM, "out of memory");
    }
    free(offsets);
    free(all.evaluations);
    free(all.f);
}

static void put_runs(writer *w, hid_t root, const augur_job *j)
{
    size_t n = j->problem.n, m = j->nruns;
    uint64_t *c = augur__malloc_array(4 * m, sizeof *c);
    double *ends = augur__malloc_array(2 * m * n + m, sizeof *ends);
    const char **reasons = augur__malloc_array(m, sizeof *reasons);
    if (!c || !ends || !reasons) {
        w->rc = augur__fail_msg(w->err, w->cap, AUGUR_ENOMEM, "out of memory");
    } else {
        double *start = ends + m * n, *f = ends + 2 * m * n;
        for (size_t i = 0; i < m; i++) {
            const augur__run_copy *r = &j->runs[i];
            c[i] = r->batch;
            c[m + i] = r->index;
            c[2 * m + i] = r->evaluations;
            c[3 * m + i] = r->generations;
            memcpy(start + i * n, r->start, n * sizeof *start);
            memcpy(ends + i * n, r->end, n * sizeof *ends);
            f[i] = r->f;
            reasons[i] = r->reason ? r->reason : "";
        }
        hid_t g = group(w, root, "runs");
        put_counts(w, g, "batch", c, m);
        put_counts(w, g, "index", c + m, m);
        put_doubles(w, g, "start", start, m, n);
        put_doubles(w, g, "end", ends, m, n);
        put_doubles(w, g, "f", f, m, 0);
        put_counts(w, g, "evaluations", c + 2 * m, m);
        put_counts(w, g, "generations", c + 3 * m, m);
        put_texts(w, g, "reason", reasons, m);
        put_inner_history(w, g, j);
        close_group(g);
    }
    free(c);
    free(ends);
    free(reasons);
}

/* The covariance at the answer, as the report took the uncertainties:
 * a coordinate the solver's bounds pin is no parameter of the fit. */
static void put_covariance(writer *w, hid_t fit, const augur_job *j)
{
    size_t n = j->problem.n;
    double *cov = augur__malloc_array(n * n, sizeof *cov);
    double *unc = augur__malloc_array(n, sizeof *unc);
    int *fixed = calloc(n, sizeof *fixed);
    char why[AUGUR_ERRMSG_CAP] = "";
    int rc = cov && unc && fixed ? AUGUR_OK
                                 : augur__fail_msg(why, sizeof why, AUGUR_ENOMEM,
                                                   "out of memory");
    const double *lb = augur_solver_lower(j->solver), *ub = augur_solver_upper(j->solver);
    for (size_t i = 0; rc == AUGUR_OK && lb && ub && i < n; i++)
        fixed[i] = lb[i] == ub[i];
    augur_fit_report r = {.uncertainty = unc, .covariance = cov, .fixed = fixed};
    if (rc == AUGUR_OK)
        rc = augur_fit_report_at(j->problem.fit, j->x, &r, why, sizeof why);
    if (rc != AUGUR_OK && w->rc == AUGUR_OK)
        w->rc = augur__fail_msg(w->err, w->cap, rc, "%s: the fit's covariance: %s",
                                w->path, why);
    put_doubles(w, fit, "covariance", cov, n, n);
    free(cov);
    free(unc);
    free(fixed);
}

static void put_fit(writer *w, hid_t root, const augur_job *j)
{
    size_t n = j->problem.n;
    hid_t g = group(w, root, "fit");
    put_doubles(w, g, "parameters", j->x, n, 0);
    put_doubles(w, g, "uncertainty", j->uncertainty, n, 0);
    put_covariance(w, g, j);
    put_double(w, g, "reduced_chi_square", j->reduced_chi_square);
    if (j->has_strategy || j->problem.polish) {
        const augur_fit_strategy_result *r = &j->problem.strat_res;
        put(w, g, "converged", H5T_STD_U8LE, H5T_NATIVE_UCHAR, 0, NULL,
            &(unsigned char){j->polish.converged ? 1 : 0});
        put_text(w, g, "ending", j->has_strategy ? r->reason : j->polish.reason);
        if (j->has_strategy) {
            uint64_t *hits = counts_of(r->minima_hits, r->nminima);
            if (!hits && w->rc == AUGUR_OK)
                w->rc = augur__fail_msg(w->err, w->cap, AUGUR_ENOMEM, "out of memory");
            hid_t mg = group(w, g, "minima");
            put_doubles(w, mg, "x", r->minima, r->nminima, n);
            put_doubles(w, mg, "chi2", r->minima_chi2, r->nminima, 0);
            put_counts(w, mg, "runs", hits, r->nminima);
            close_group(mg);
            free(hits);
        }
    }
    close_group(g);
}

static void put_all(writer *w, hid_t root, const augur_job *j, const char *text)
{
    put_attribute(w, root, "config", text);
    put_attribute(w, root, "format", FORMAT);
    put_attribute(w, root, "version", augur_version());
    put_doubles(w, root, "x", j->x, j->problem.n, 0);
    put_double(w, root, "f", j->f);
    put_count(w, root, "evaluations", j->evaluations);
    put_count(w, root, "generations", j->generations);
    put_text(w, root, "reason", j->reason);
    put_double(w, root, "seconds", j->seconds);
    put_count(w, root, "seed", augur_solver_seed(j->solver));
    if (!j->history.lost && j->history.outer.len) {
        hid_t g = group(w, root, "history");
        put_trace(w, g, &j->history.outer);
        close_group(g);
    }
    if (j->nruns)
        put_runs(w, root, j);
    if (j->has_profile_result) {
        hid_t g = group(w, root, "profile");
        put_doubles(w, g, "x", j->profile.x, j->profile.n, 0);
        put_doubles(w, g, "y", j->profile.y, j->profile.n, 0);
        put_doubles(w, g, "offsets", j->profile.offsets, j->profile.bins, 0);
        close_group(g);
    }
    if (j->has_report)
        put_fit(w, root, j);
}

/* Access that closes everything still open with the file, so no failure
 * path leaves an object (or the file) behind; and that goes on without
 * file locks where the file system has none (NFS), as HDF5 before 1.10.7
 * did. */
static hid_t strong_access(void)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    herr_t ok = fapl < 0 ? -1 : H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
#if H5_VERSION_GE(1, 10, 7)
    if (ok >= 0)
        ok = H5Pset_file_locking(fapl, 1, 1);
#endif
    if (fapl >= 0 && ok < 0) {
        H5Pclose(fapl);
        fapl = -1;
    }
    return fapl;
}

/* Write the HDF5 file at tmp (an empty file mkstemp made), and sync it. */
static int write_file(const augur_job *j, const char *path, const char *tmp,
                      const char *text, char *err, size_t cap)
{
    writer w = {.path = path, .err = err, .cap = cap};
    hid_t fapl = strong_access();
    hid_t file = fapl < 0 ? -1 : H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    if (file < 0)
        w.rc = h5_fail(err, cap, AUGUR_EIO, path, "create a file next to it");
    put_all(&w, file, j, text);
    if (file >= 0 && H5Fclose(file) < 0 && w.rc == AUGUR_OK)
        w.rc = h5_fail(err, cap, AUGUR_EIO, path, "finish writing it");
    if (fapl >= 0)
        H5Pclose(fapl);
    if (w.rc != AUGUR_OK)
        return w.rc;
    int fd = open(tmp, O_RDONLY);
    int ok = fd >= 0 && fsync(fd) == 0;
    int saved = errno;
    if (fd >= 0)
        close(fd);
    return ok ? AUGUR_OK
              : augur__fail_msg(err, cap, AUGUR_EIO, "%s: cannot write it: %s", path,
                                strerror(saved));
}

int augur__results_h5_write(const augur_job *j, const char *path, const char *text,
                            char *err, size_t cap)
{
    augur__replacement r;
    int rc = augur__replace_begin(&r, path, 0644, err, cap);   /* for sharing */
    if (rc != AUGUR_OK)
        return rc;
    augur__replace_release_fd(&r);   /* HDF5 writes the file by its name */
    quiet q;
    hush(&q);
    rc = write_file(j, path, r.tmp, text, err, cap);
    unhush(&q);
    if (rc != AUGUR_OK) {
        augur__replace_abort(&r);
        return rc;
    }
    return augur__replace_commit(&r, err, cap);
}

/* --- Reading ---------------------------------------------------------------------- */

/* The scalar string attribute "config" of the open file, fixed-length or
 * variable (as h5py may have rewritten it), at most most bytes. */
static char *read_config(hid_t file, const char *path, size_t most, int *rc, char *err,
                         size_t cap)
{
    char *text = NULL;
    if (H5Aexists(file, "config") <= 0) {
        *rc = augur__fail_msg(err, cap, AUGUR_EINVAL, "%s: an HDF5 file without the "
                              "attribute \"config\" on its root: not an augur results "
                              "file (augur run FILE -o results.h5 writes one)", path);
        return NULL;
    }
    hid_t a = H5Aopen(file, "config", H5P_DEFAULT);
    hid_t t = a < 0 ? -1 : H5Aget_type(a);
    hid_t space = a < 0 ? -1 : H5Aget_space(a);
    hid_t mem = t < 0 ? -1 : H5Tcopy(t);
    int scalar = space >= 0 && H5Sget_simple_extent_type(space) == H5S_SCALAR;
    if (mem < 0 || H5Tget_class(t) != H5T_STRING || !scalar) {
        *rc = mem < 0 ? h5_fail(err, cap, AUGUR_EIO, path, "read its attribute \"config\"")
                      : augur__fail_msg(err, cap, AUGUR_EINVAL, "%s: its attribute "
                                        "\"config\" is not one string", path);
    } else if (H5Tis_variable_str(t) > 0) {
        char *s = NULL;
        if (H5Aread(a, mem, &s) < 0 || !s)
            *rc = h5_fail(err, cap, AUGUR_EIO, path, "read its attribute \"config\"");
        else if (strlen(s) > most)
            *rc = augur__fail_msg(err, cap, AUGUR_ERANGE, "%s: its config is over %zu "
                                  "bytes", path, most);
        else if (!(text = strdup(s)))
            *rc = augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
        H5free_memory(s);
    } else {
        size_t size = H5Tget_size(t);
        if (size > most)
            *rc = augur__fail_msg(err, cap, AUGUR_ERANGE, "%s: its config is over %zu "
                                  "bytes", path, most);
        else if (!(text = calloc(size + 1, 1)))
            *rc = augur__fail_msg(err, cap, AUGUR_ENOMEM, "out of memory");
        else if (H5Aread(a, mem, text) < 0) {
            *rc = h5_fail(err, cap, AUGUR_EIO, path, "read its attribute \"config\"");
            free(text);
            text = NULL;
        }
    }
    if (mem >= 0)
        H5Tclose(mem);
    if (t >= 0)
        H5Tclose(t);
    if (space >= 0)
        H5Sclose(space);
    if (a >= 0)
        H5Aclose(a);
    return text;
}

char *augur__results_h5_config(const char *path, int *rc, char *err, size_t cap)
{
    /* the checks every input gets: a regular file, under the data cap */
    FILE *fp = augur__input_open(path, augur__max_data_bytes(), "results file", rc, err,
                                 cap);
    if (!fp)
        return NULL;
    fclose(fp);
    quiet q;
    hush(&q);
    char *text = NULL;
    hid_t fapl = strong_access();
    hid_t file = fapl < 0 ? -1 : H5Fopen(path, H5F_ACC_RDONLY, fapl);
    if (file < 0)
        *rc = h5_fail(err, cap, AUGUR_EINVAL, path, "open it");
    else
        text = read_config(file, path, augur__max_config_bytes(), rc, err, cap);
    if (file >= 0)
        H5Fclose(file);
    if (fapl >= 0)
        H5Pclose(fapl);
    unhush(&q);
    return text;
}

#endif
