/* Driver for test_report.py: report_driver OUT.html DATA.json writes the report page with
 * cdrt_report_write, its data being the bytes of DATA.json as they are. Exit 1 with the
 * runtime's message when the page cannot be written. */
#include "cdrt.h"

#include <stdio.h>

static void copy_file(FILE *out, void *arg) {
  FILE *in = arg;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: report_driver OUT.html DATA.json\n");
    return 2;
  }
  FILE *in = fopen(argv[2], "rb");
  if (!in) {
    perror(argv[2]);
    return 2;
  }
  char err[512];
  int rc = cdrt_report_write(argv[1], copy_file, in, err, sizeof err);
  fclose(in);
  if (rc != 0) fprintf(stderr, "%s\n", err);
  return rc != 0;
}
