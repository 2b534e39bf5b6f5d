/* csv_sniff_driver: compiler/csv_sniff.c for test_csv_sniff.py. "csv_sniff_driver FILE ROWS
 * SEP [NA...]" sniffs FILE (ROWS rows sampled; SEP the separator; NA, strings read as
 * missing besides pandas' own) and prints "rows N whole W", then "NAME<TAB>TYPE" per column;
 * or "error MESSAGE" and exits 1. */
#include "cdask.h"
#include "driver_file.h"

#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc < 4) return fprintf(stderr, "usage: csv_sniff_driver FILE ROWS SEP [NA...]\n"), 2;
  long n;
  char *data = driver_read_file(argv[1], &n);
  if (!data) return 2;
  CsvSniffOptions o = {.sep = argv[3][0],
                       .quote = '"',
                       .default_na = true,
                       .na = (const char *const *)argv + 4,
                       .nna = argc - 4,
                       .sample_rows = atoll(argv[2])};
  Arena *a = arena_new();
  CsvSchema s;
  char err[512];
  int rc = csv_sniff(a, data, n, &o, &s, err, sizeof err);
  if (rc != 0) {
    printf("error %s\n", err);
  } else {
    printf("rows %lld whole %d\n", (long long)s.rows, s.whole);
    for (int c = 0; c < s.ncols; c++) printf("%s\t%s\n", s.names[c], csv_type_name(s.types[c]));
  }
  arena_free(a);
  free(data);
  return rc ? 1 : 0;
}
