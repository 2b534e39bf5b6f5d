# What the main build (CMakeLists.txt) and the fuzz targets' own project
# (tests/fuzz/CMakeLists.txt) share: the C dialect, the default build type, the warnings
# and floating-point flags, and the libraries cdask builds against.
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE RelWithDebInfo)
endif()
add_compile_options(-Wall -Wextra -ffp-contract=off)
add_compile_definitions(_GNU_SOURCE)

find_package(PkgConfig REQUIRED)
pkg_check_modules(LUA REQUIRED IMPORTED_TARGET lua5.4)
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle)
find_package(OpenMP REQUIRED)
find_library(SLEEF_LIB sleef REQUIRED)
find_library(M_LIB m REQUIRED)
find_library(FFTW3_LIB fftw3 REQUIRED)
find_library(FFTW3F_LIB fftw3f REQUIRED)
