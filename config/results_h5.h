/* results_h5.h - private to config/: results files in HDF5 (results_h5.c).
 *
 * A results path ending in ".h5" or ".hdf5" is written as HDF5: the
 * numbers as datasets, and the text results file (a runnable config) as
 * the root's string attribute "config", which loading a .h5 file runs.
 * Built without HDF5 (no AUGUR_HAVE_HDF5), writing and reading say what
 * to install and return AUGUR_EUNSUP; the detection works either way, so
 * such a build can say what the file is. */
#ifndef AUGUR_CONFIG_RESULTS_H5_H
#define AUGUR_CONFIG_RESULTS_H5_H

#include <stddef.h>
#include "job_int.h"

/* 1 when path names an HDF5 results file to write: ".h5" or ".hdf5". */
int augur__results_h5_path(const char *path);
/* 1 when path is to be read as HDF5: its name ends so, or it is a regular
 * file that starts with HDF5's signature. */
int augur__results_h5_detect(const char *path);
/* AUGUR_OK when this build writes HDF5; else AUGUR_EUNSUP and a message
 * naming the packages to install. */
int augur__results_h5_available(const char *path, char *err, size_t cap);
/* Write j's results to path (temp file + rename, like the text file);
 * text is the text results file, stored as the "config" attribute. */
int augur__results_h5_write(const augur_job *j, const char *path, const char *text,
                            char *err, size_t cap);
/* The "config" attribute of the HDF5 file at path (malloc'd text), or
 * NULL with the status in *rc and err saying why. */
char *augur__results_h5_config(const char *path, int *rc, char *err, size_t cap);

#endif
