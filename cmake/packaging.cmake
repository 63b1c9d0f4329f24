# packaging.cmake - CPack settings: `cpack -G DEB` in a build folder makes
# two Debian packages from the install components (CMakeLists.txt):
#
#   augur      the shared libraries (libaugur.so.0, libaugur_mpi.so.0), the
#              augur command, augur(1), the documents and examples; its
#              Depends come from dpkg-shlibdeps (GSL, NLopt, libconfig,
#              libmatheval, OpenMPI, libc).
#   augur-dev  headers, static libraries, the .so links, augur.pc and
#              augur-mpi.pc, the CMake package, augur(3); it depends on
#              augur of the same version and the -dev packages a program
#              built against augur needs.
#
# Both install under /usr, whatever CMAKE_INSTALL_PREFIX was.
set(CPACK_PACKAGE_NAME augur)
set(CPACK_PACKAGE_VENDOR "augur")
set(AUGUR_PACKAGE_CONTACT "augur maintainers <augur@example.org>"
    CACHE STRING "The Maintainer field of the Debian packages")
set(CPACK_PACKAGE_CONTACT "${AUGUR_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_STRIP_FILES OFF)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libaugur_mpi.so.0 and the command need libaugur.so.0 from the same
# package: let dpkg-shlibdeps look there (and give the package a shlibs
# file so that others can depend on it).
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
    ${PROJECT_BINARY_DIR})

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME augur)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION science)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
"${PROJECT_DESCRIPTION}
 augur is a C11 library and command-line tool for model-independent
 optimisation and fitting in the style of mystic: many solvers behind one
 interface, with monitors, termination conditions, bounds, constraints and
 a swappable map (serial, threads, fork, MPI).
 .
 This package holds the shared libraries, the augur command, the documents
 and the examples.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME augur-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "augur (= ${PROJECT_VERSION}), libgsl-dev, libnlopt-dev, libconfig-dev, libmatheval-dev")
if(HDF5_FOUND)   # augur.pc's Requires.private names hdf5
  string(APPEND CPACK_DEBIAN_DEV_PACKAGE_DEPENDS ", libhdf5-dev")
endif()
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "pkg-config")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "cmake, libopenmpi-dev")
set(CPACK_DEBIAN_DEV_DESCRIPTION
"${PROJECT_DESCRIPTION} - development files
 Headers, static libraries, pkg-config files (augur, augur-mpi), the CMake
 package (find_package(augur): augur::augur, augur::augur_static, and with
 COMPONENTS mpi augur::augur_mpi) and the augur(3) manual page.")

include(CPack)
