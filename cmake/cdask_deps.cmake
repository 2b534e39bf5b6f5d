# The libraries cdask builds against, found once for the main build (CMakeLists.txt) and
# for the fuzz targets' own project (tests/fuzz/CMakeLists.txt).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LUA REQUIRED IMPORTED_TARGET lua5.4)
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle)
find_package(OpenMP REQUIRED)
find_library(SLEEF_LIB sleef REQUIRED)
find_library(M_LIB m REQUIRED)
find_library(FFTW3_LIB fftw3 REQUIRED)
find_library(FFTW3F_LIB fftw3f REQUIRED)
