/* cdrt_sleef.h: SLEEF for the runtime's vector kernels (vmath.c, random.c), internal to the
 * runtime. Those files build their AVX and AVX-512 kernels with target attributes, without
 * -mavx, and sleef.h defines its pairs of vectors (what sincos returns) only under __AVX__
 * and __AVX512F__: the missing ones are defined here, once, as sleef.h would. In the
 * amalgamation this header comes right after cdrt.h (tools/embed.c). */
#ifndef CDRT_SLEEF_H
#define CDRT_SLEEF_H

#include <sleef.h>
#include <x86intrin.h>

#ifndef Sleef___m256d_2_DEFINED
typedef struct {
  __m256d x, y;
} Sleef___m256d_2;
#define Sleef___m256d_2_DEFINED
#endif
#ifndef Sleef___m512d_2_DEFINED
typedef struct {
  __m512d x, y;
} Sleef___m512d_2;
#define Sleef___m512d_2_DEFINED
#endif

#endif
