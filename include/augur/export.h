/* augur/export.h - symbol visibility. The build compiles with hidden
 * visibility by default; AUGUR_EXTERN marks the public API. */
#ifndef AUGUR_EXPORT_H
#define AUGUR_EXPORT_H

#if defined(__GNUC__) && __GNUC__ >= 4
#define AUGUR_EXTERN __attribute__((visibility("default")))
#else
#define AUGUR_EXTERN
#endif

#endif
