/* driver_file.h: a whole file into memory, for the test drivers (csv_driver.c,
 * csv_sniff_driver.c). */
#ifndef DRIVER_FILE_H
#define DRIVER_FILE_H

#include <stdio.h>
#include <stdlib.h>

/* path's bytes (malloc'd, NUL after them) and their count in *n; NULL with a message on
 * stderr if it cannot be read. */
static char *driver_read_file(const char *path, long *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return perror(path), NULL;
  char *data = NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (*n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
      (data = malloc((size_t)*n + 1)) && fread(data, 1, (size_t)*n, f) == (size_t)*n) {
    data[*n] = 0;
  } else {
    fprintf(stderr, "%s: cannot read it\n", path);
    free(data), data = NULL;
  }
  fclose(f);
  return data;
}

#endif
