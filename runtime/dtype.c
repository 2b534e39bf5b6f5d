/* Element types: names, .npy descrs and sizes. */
#include "cdrt.h"

#include <string.h>

static const struct {
  const char *name, *descr;
  size_t size;
} dtype_info[CDRT_NDTYPES] = {
    [CDRT_BOOL] = {"bool", "|b1", 1},
    [CDRT_INT32] = {"int32", "<i4", 4},
    [CDRT_INT64] = {"int64", "<i8", 8},
    [CDRT_FLOAT32] = {"float32", "<f4", 4},
    [CDRT_FLOAT64] = {"float64", "<f8", 8},
    [CDRT_COMPLEX64] = {"complex64", "<c8", 8},
    [CDRT_COMPLEX128] = {"complex128", "<c16", 16},
};

static int dtype_valid(cdrt_dtype t) {
  return (int)t >= 0 && t < CDRT_NDTYPES;
}

const char *cdrt_dtype_name(cdrt_dtype t) {
  return dtype_valid(t) ? dtype_info[t].name : "unknown";
}

const char *cdrt_dtype_descr(cdrt_dtype t) {
  return dtype_valid(t) ? dtype_info[t].descr : "";
}

size_t cdrt_dtype_size(cdrt_dtype t) {
  return dtype_valid(t) ? dtype_info[t].size : 0;
}

int cdrt_dtype_from_name(const char *name) {
  if (!name) return -1;
  for (int t = 0; t < CDRT_NDTYPES; t++)
    if (strcmp(name, dtype_info[t].name) == 0) return t;
  return -1;
}
