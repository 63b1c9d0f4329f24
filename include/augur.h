/* augur.h - the umbrella header: include this and link with -laugur.
 *
 * augur is a C11 library for model-independent optimisation and fitting:
 * many solvers behind one interface (solver.h), with monitors (monitor.h),
 * termination conditions (termination.h) and bounds that attach to any of
 * them, a registry of test problems (model.h), maps that run work on
 * threads, forked processes or MPI ranks (map.h), ensembles (ensemble.h),
 * constraints and penalties (constraints.h), fits (fit.h), specs and
 * config-driven jobs (spec.h, config.h). plugin.h is for those who
 * implement a solver; map_mpi.h (built with MPI only) for
 * MPI programs. */
#ifndef AUGUR_H
#define AUGUR_H

#include "augur/version.h"
#include "augur/status.h"
#include "augur/param.h"
#include "augur/info.h"
#include "augur/termination.h"
#include "augur/monitor.h"
#include "augur/solver.h"
#include "augur/powell.h"
#include "augur/model.h"
#include "augur/map.h"
#include "augur/sampler.h"
#include "augur/constraints.h"
#include "augur/ensemble.h"
#include "augur/spec.h"
#include "augur/join.h"
#include "augur/profile.h"
#include "augur/lm.h"
#include "augur/fit.h"
#include "augur/config.h"
#include "augur/settings.h"

#endif
