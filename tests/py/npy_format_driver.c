/* Driver for test_npy_format.py: exposes the runtime's .npy reader and writer and
 * cdrt_print on the command line, so that NumPy can check them.
 *   header FILE...   one line per file: "ok DTYPE FORTRAN OFFSET NBYTES D0 D1 ..." or
 *                    "error MESSAGE"
 *   print FILE...    cdrt_print(stdout, "x", ...) of each (C-order) file, each followed
 *                    by a line "@@"
 *   copy IN OUT      reads IN and writes it to OUT with cdrt_npy_write: "ok" or
 *                    "error MESSAGE" */
#include "cdrt.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Loads a C-order .npy file: returns its data (malloc'd) or NULL with err set. */
static void *load(const char *path, cdrt_npy_header *h, char *err, size_t errlen) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    snprintf(err, errlen, "cannot open %s", path);
    return NULL;
  }
  if (cdrt_npy_read_header(fd, h, err, errlen) != 0) {
    close(fd);
    return NULL;
  }
  char *data = malloc(h->nbytes ? (size_t)h->nbytes : 1);
  int64_t done = 0;
  while (data && done < h->nbytes) {
    ssize_t r = pread(fd, data + done, (size_t)(h->nbytes - done), h->data_offset + done);
    if (r <= 0) break;
    done += r;
  }
  close(fd);
  if (!data || done < h->nbytes) {
    free(data);
    snprintf(err, errlen, "cannot read the data of %s", path);
    return NULL;
  }
  return data;
}

int main(int argc, char **argv) {
  char err[256];
  cdrt_npy_header h;
  if (argc < 2) return 2;
  if (strcmp(argv[1], "header") == 0) {
    for (int i = 2; i < argc; i++) {
      int fd = open(argv[i], O_RDONLY);
      if (fd < 0) {
        printf("error cannot open\n");
        continue;
      }
      if (cdrt_npy_read_header(fd, &h, err, sizeof err) != 0)
        printf("error %s\n", err);
      else {
        printf("ok %s %d %" PRId64 " %" PRId64, cdrt_dtype_name(h.dtype), h.fortran_order,
               h.data_offset, h.nbytes);
        for (int d = 0; d < h.ndim; d++) printf(" %" PRId64, h.shape[d]);
        printf("\n");
      }
      close(fd);
    }
    return 0;
  }
  if (strcmp(argv[1], "print") == 0) {
    for (int i = 2; i < argc; i++) {
      void *data = load(argv[i], &h, err, sizeof err);
      if (!data)
        printf("error %s\n", err);
      else
        cdrt_print(stdout, "x", h.dtype, h.ndim, h.shape, data);
      printf("@@\n");
      free(data);
    }
    return 0;
  }
  if (strcmp(argv[1], "copy") == 0 && argc == 4) {
    void *data = load(argv[2], &h, err, sizeof err);
    if (data && cdrt_npy_write(argv[3], h.dtype, h.ndim, h.shape, data, err, sizeof err) == 0)
      printf("ok\n");
    else
      printf("error %s\n", err);
    free(data);
    return 0;
  }
  return 2;
}
