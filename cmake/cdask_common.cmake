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
find_library(Z_LIB z REQUIRED) # zlib: gzip input (db.read_text)
find_library(UNISTRING_LIB unistring REQUIRED) # libunistring: Unicode str.lower, str.upper
find_library(PCRE2_LIB pcre2-8 REQUIRED) # PCRE2: str.contains, str.replace of a regex
# libclang (Debian libclang-14-dev: no pkg-config file, headers under /usr/lib/llvm-14), and
# the resource directory whose builtin headers (stddef.h) it needs: named explicitly, as a
# machine with libclang1-14 alone would not find them.
find_library(LIBCLANG_LIB NAMES clang-14 clang HINTS /usr/lib/llvm-14/lib REQUIRED)
find_path(LIBCLANG_INCLUDE clang-c/Index.h HINTS /usr/lib/llvm-14/include REQUIRED)
file(GLOB LIBCLANG_RESOURCE_DIRS /usr/lib/llvm-14/lib/clang/*)
list(GET LIBCLANG_RESOURCE_DIRS 0 LIBCLANG_RESOURCE_DIR)
