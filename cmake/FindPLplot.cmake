# FindPLplot.cmake - PLplot's C library, for `augur plot` (optional).
#
# Debian's libplplot-dev ships a plplotConfig.cmake that checks files of
# every binding (Qt, Tcl, Python ...), most of which are not installed, so
# this module asks pkg-config instead. Defines PLplot_FOUND and the
# imported target PLplot::PLplot.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(_PLPLOT QUIET plplot)
endif()
find_path(PLplot_INCLUDE_DIR plplot.h HINTS ${_PLPLOT_INCLUDE_DIRS}
          PATH_SUFFIXES plplot)
find_library(PLplot_LIBRARY NAMES plplot plplotd HINTS ${_PLPLOT_LIBRARY_DIRS})
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(PLplot REQUIRED_VARS PLplot_LIBRARY PLplot_INCLUDE_DIR)
if(PLplot_FOUND AND NOT TARGET PLplot::PLplot)
  add_library(PLplot::PLplot UNKNOWN IMPORTED)
  set_target_properties(PLplot::PLplot PROPERTIES IMPORTED_LOCATION ${PLplot_LIBRARY}
                        INTERFACE_INCLUDE_DIRECTORIES ${PLplot_INCLUDE_DIR})
endif()
mark_as_advanced(PLplot_INCLUDE_DIR PLplot_LIBRARY)
