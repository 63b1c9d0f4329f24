#!/usr/bin/env bash
# test-install.sh - install a build into a temporary prefix, move the tree
# (the package must be relocatable), and build an outside program
# (tests/install/consumer.c) against it four ways: pkg-config shared and
# static, CMake shared and static. Each program solves a small problem and
# exits non-zero unless the answer is right. With MPI, a fifth program
# (examples/mpi_map.c) builds against augur-mpi and runs under mpiexec.
#
#   scripts/test-install.sh [PRESET]    PRESET: release (default) or dev;
#                                       the build must exist (scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=$src/build/${1:-release}
[ -f "$build/CMakeCache.txt" ] || { echo "test-install: no build in $build" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/installed" >/dev/null
mv "$tmp/installed" "$tmp/prefix"
prefix=$tmp/prefix
pc=$(find "$prefix" -name augur.pc)
libdir=$(dirname "$(dirname "$pc")")
export PKG_CONFIG_PATH=$libdir/pkgconfig
cc=${CC:-cc}
cflags=(-std=c11 -Wall -Wextra -Werror)

step() { printf 'test-install: %-24s ' "$1"; }

# 1. pkg-config, shared: libaugur.so found through an rpath.
step "pkg-config shared"
# shellcheck disable=SC2046
"$cc" "${cflags[@]}" $(pkg-config --cflags augur) tests/install/consumer.c \
  -o "$tmp/pc-shared" $(pkg-config --libs augur) -lm -Wl,-rpath,"$libdir"
"$tmp/pc-shared"

# 2. pkg-config, static: libaugur.a itself (the shared one sits next to it,
#    so ask for the archive by name), with everything --static lists.
step "pkg-config static"
static_libs=$(pkg-config --static --libs augur | sed 's/-laugur\b/-l:libaugur.a/')
# shellcheck disable=SC2046,SC2086
"$cc" "${cflags[@]}" $(pkg-config --cflags augur) tests/install/consumer.c \
  -o "$tmp/pc-static" $static_libs
if readelf -d "$tmp/pc-static" | grep -q 'libaugur\|libmpi'; then
  echo "test-install: the static program needs libaugur.so or MPI" >&2
  exit 1
fi
"$tmp/pc-static"

# 3-4. CMake, find_package(augur) with no other find_package: shared, static.
#      With MPI the static build also links examples/mpi_map.c against
#      augur::augur_mpi_static (find_package(augur COMPONENTS mpi)).
mpi=
[ -f "$libdir/pkgconfig/augur-mpi.pc" ] && mpi=1
for kind in shared static; do
  step "CMake $kind"
  args=(-DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release -DAUGUR_STATIC=OFF)
  if [ "$kind" = static ]; then
    args[2]=-DAUGUR_STATIC=ON
    [ -n "$mpi" ] && args+=(-DAUGUR_MPI_PROGRAM="$src/examples/mpi_map.c")
  fi
  cmake -S tests/install -B "$tmp/cmake-$kind" "${args[@]}" >"$tmp/cmake-$kind.log" 2>&1 \
    || { cat "$tmp/cmake-$kind.log" >&2; exit 1; }
  cmake --build "$tmp/cmake-$kind" -j2 >>"$tmp/cmake-$kind.log" 2>&1 \
    || { cat "$tmp/cmake-$kind.log" >&2; exit 1; }
  if [ "$kind" = static ] && readelf -d "$tmp/cmake-static/consumer" | grep -q 'libaugur\|libmpi'; then
    echo "test-install: augur::augur_static's program needs libaugur.so or MPI" >&2
    exit 1
  fi
  "$tmp/cmake-$kind/consumer"
done

# 5. MPI programs: examples/mpi_map.c against augur-mpi (pkg-config, shared)
#    and augur::augur_mpi_static (built above), each under mpiexec.
if [ -n "$mpi" ]; then
  mpiexec=(mpiexec -np 2 --allow-run-as-root --oversubscribe)
  step "pkg-config augur-mpi"
  # shellcheck disable=SC2046
  "$cc" "${cflags[@]}" -D_POSIX_C_SOURCE=200809L $(pkg-config --cflags augur-mpi) \
    examples/mpi_map.c -o "$tmp/pc-mpi" $(pkg-config --libs augur-mpi) -lm \
    -Wl,-rpath,"$libdir"
  "${mpiexec[@]}" "$tmp/pc-mpi" | tail -1
  step "CMake augur_mpi_static"
  "${mpiexec[@]}" "$tmp/cmake-static/mpi_program" | tail -1
fi
