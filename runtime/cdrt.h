/* cdrt: the cdask runtime. Small C11, amalgamated into every program cdaskc emits
 * (cdrt.h first, then every runtime/*.c with its '#include "cdrt.h"' line removed), and
 * also built as a static library for the unit tests and the compiler itself (npy headers).
 *
 * This header is the map of the runtime: every exported function is listed under a
 * banner naming the file that defines it. Everything is prefixed cdrt_. */
#ifndef CDRT_H
#define CDRT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CDRT_VERSION "0.1.0"
#define CDRT_MAXDIM 8
/* Length of the strips (innermost-axis runs) that fused loops evaluate at a time. */
#define CDRT_STRIP 512

/* Element types, in NumPy's promotion order. */
typedef enum {
  CDRT_BOOL,
  CDRT_INT32,
  CDRT_INT64,
  CDRT_FLOAT32,
  CDRT_FLOAT64,
  CDRT_NDTYPES
} cdrt_dtype;

/* Exit codes of generated programs. */
enum { CDRT_EXIT_USAGE = 2, CDRT_EXIT_INPUT = 3, CDRT_EXIT_OUTPUT = 4, CDRT_EXIT_MEMORY = 5 };

/* dtype.c */
const char *cdrt_dtype_name(cdrt_dtype t);       /* "float64", ... */
const char *cdrt_dtype_descr(cdrt_dtype t);      /* npy descr: "<f8", "|b1", ... */
size_t cdrt_dtype_size(cdrt_dtype t);            /* bytes per element */
int cdrt_dtype_from_name(const char *name);      /* -1 if unknown */

/* npy.c: the .npy format, version 1.0 to 3.0, little-endian only. */
typedef struct {
  cdrt_dtype dtype;
  int ndim;
  int64_t shape[CDRT_MAXDIM];
  int fortran_order;   /* 1 if the data is stored column-major */
  int64_t data_offset; /* bytes from the start of the file to the first element */
  int64_t nbytes;      /* bytes of element data the header promises */
} cdrt_npy_header;

/* Reads and validates the header of the .npy file open on fd (from offset 0), and checks
 * that the file holds all the data the header promises. Returns 0, or -1 with a message
 * (without the file name) in err. */
int cdrt_npy_read_header(int fd, cdrt_npy_header *h, char *err, size_t errlen);
/* Writes a C-order .npy file atomically: to a temporary name in the same directory,
 * fsynced, then renamed over path. Returns 0, or -1 with a message in err and no file
 * left behind. */
int cdrt_npy_write(const char *path, cdrt_dtype t, int ndim, const int64_t *shape,
                   const void *data, char *err, size_t errlen);

/* format.c: printing like NumPy's str(). */
/* Prints "label = value\n": scalars (ndim 0) with 17 significant digits (floats), integers
 * in full, bools as True/False; arrays as NumPy's str() does (summarised with "..." above
 * 1000 elements). */
void cdrt_print(FILE *out, const char *label, cdrt_dtype t, int ndim, const int64_t *shape,
                const void *data);

/* random.c: counter-based random numbers (Philox-4x32-10, Salmon et al. 2011).
 * Element g (the global row-major index in the generated array) of a random array
 * depends only on (seed, g): the same array for every chunking, stride, thread count and
 * CPU vector ISA. */
void cdrt_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);
/* out[j] = value of element g0 + j*stride, for 0 <= j < n (stride may be 0 or negative). */
void cdrt_random_uniform_f64(double *out, uint64_t seed, int64_t g0, int64_t stride, int64_t n,
                             double low, double high);
void cdrt_random_normal_f64(double *out, uint64_t seed, int64_t g0, int64_t stride, int64_t n,
                            double loc, double scale);

/* vmath.c: transcendental functions over strips, vectorised with SLEEF's deterministic
 * ("cinz") functions, chosen at run time for the CPU. Every element gets the same bits
 * whatever n, its position, the alignment or the ISA. out may equal in. */
void cdrt_vsin_f64(double *out, const double *in, int64_t n);
void cdrt_vcos_f64(double *out, const double *in, int64_t n);
void cdrt_vtan_f64(double *out, const double *in, int64_t n);
void cdrt_vexp_f64(double *out, const double *in, int64_t n);
void cdrt_vlog_f64(double *out, const double *in, int64_t n);
void cdrt_vpow_f64(double *out, const double *x, const double *y, int64_t n);
void cdrt_vsin_f32(float *out, const float *in, int64_t n);
void cdrt_vcos_f32(float *out, const float *in, int64_t n);
void cdrt_vtan_f32(float *out, const float *in, int64_t n);
void cdrt_vexp_f32(float *out, const float *in, int64_t n);
void cdrt_vlog_f32(float *out, const float *in, int64_t n);
void cdrt_vpow_f32(float *out, const float *x, const float *y, int64_t n);
/* sincos of the same argument, used by the normal generator. */
void cdrt_vsincos_f64(double *s, double *c, const double *in, int64_t n);

/* reduce.c: pairwise combination, as NumPy's pairwise summation. */
double cdrt_pairwise_sum_f64(const double *v, int64_t n);
float cdrt_pairwise_sum_f32(const float *v, int64_t n);
double cdrt_pairwise_prod_f64(const double *v, int64_t n);
float cdrt_pairwise_prod_f32(const float *v, int64_t n);

#endif
