/* parse_number_driver: runtime/parse_number.c for test_parse_number.py. Each line of stdin
 * is "f TEXT" or "i TEXT" (TEXT up to the line's end, spaces kept); each answer a line:
 * the float64's bits in hex, the int64 in decimal, or "error -1" / "error -2". "r BITS"
 * (a double's bits in hex) answers cdrt_pyrepr's text, Python's repr (pdformat.c). */
#include "cdrt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, stdin)) > 0) {
    if (line[len - 1] == '\n') line[--len] = 0;
    if (len < 2) continue;
    if (line[0] == 'r') {
      uint64_t bits = strtoull(line + 2, NULL, 16);
      double v;
      char text[40];
      memcpy(&v, &bits, sizeof v);
      cdrt_pyrepr(v, text);
      printf("%s\n", text);
    } else if (line[0] == 'f') {
      double v;
      int rc = cdrt_parse_f64(line + 2, (size_t)len - 2, &v);
      uint64_t bits;
      memcpy(&bits, &v, sizeof bits);
      if (rc)
        printf("error %d\n", rc);
      else
        printf("%016" PRIx64 "\n", bits);
    } else {
      int64_t v;
      int rc = cdrt_parse_i64(line + 2, (size_t)len - 2, &v);
      if (rc)
        printf("error %d\n", rc);
      else
        printf("%" PRId64 "\n", v);
    }
  }
  free(line);
  return 0;
}
