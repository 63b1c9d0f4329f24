/* map_hooks.h - private to augur: the hooks the maps area owns and the
 * areas above it fill. Workers in other processes find what they run by
 * name, and some of those names belong to upper areas (the solvers' batch
 * evaluation and nested runs, the fits' profile bins). Rather than the
 * registry naming them (an include running upwards), each upper area
 * registers its own at load time (AUGUR__AT_LOAD in internal.h). In a
 * static program the owner is linked in whenever the program can send the
 * task, so every SPMD rank of that program knows it too.
 * Included by maps/ and by the areas that fill the hooks; not installed. */
#ifndef AUGUR_MAP_HOOKS_H
#define AUGUR_MAP_HOOKS_H

#include "augur/map.h"

/* A built-in task: found by every process under a reserved "augur." name,
 * and refused to user registrations under that name with another function.
 * Called at load time only; fails when the table is full or the name is
 * taken by another function. */
int augur__task_builtin(const char *name, augur_task_fn fn);

/* 1 when the map's workers cannot use the caller's pointers (the type
 * says its tasks run in another address space), so tasks must carry names. */
struct augur_map;
int augur__map_crosses_images(const struct augur_map *m);

#endif
