/* augur/version.h - the library's version. */
#ifndef AUGUR_VERSION_H
#define AUGUR_VERSION_H

#include "augur/export.h"

#define AUGUR_VERSION_MAJOR 0
#define AUGUR_VERSION_MINOR 1
#define AUGUR_VERSION_PATCH 0
#define AUGUR_VERSION_STRING "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the library actually linked ("0.1.0"). */
AUGUR_EXTERN const char *augur_version(void);

#ifdef __cplusplus
}
#endif
#endif
