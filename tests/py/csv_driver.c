/* csv_driver: runtime/csv.c for test_csv.py. "csv_driver FILE PIECE [SEP]" splits FILE
 * into blocks of about PIECE bytes and prints, per block, "block BEGIN END LINE", then per
 * row "row OFFSET LINE NFIELDS" and each field as "LENGTH KIND\n" followed by its text (a
 * blank line, one empty plain field, is "blank OFFSET LINE"). A failure prints
 * "error MESSAGE" and exits 1. "csv_driver FILE PIECE SEP fd" splits it as the runtime
 * does a source, reading the file with pread (cdrt_csv_split_fd). "csv_driver --utf8 FILE"
 * prints the offset of FILE's first invalid UTF-8 byte, or -1, as each way of reading it
 * that this CPU has finds it: "0 OFFSET", "1 OFFSET" (SSSE3), "2 OFFSET" (AVX2). */
#include "cdrt.h"
#include "driver_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) return fprintf(stderr, "usage: csv_driver FILE PIECE [SEP] | --utf8 FILE\n"), 2;
  const char *path = strcmp(argv[1], "--utf8") ? argv[1] : argv[2];
  long n;
  char *data = driver_read_file(path, &n);
  if (!data) return 2;
  if (!strcmp(argv[1], "--utf8")) { /* the first invalid UTF-8 byte, or -1 */
    for (int isa = 0; isa < 3; isa++) {
      int64_t at = cdrt_utf8_invalid_isa(data, n, isa);
      if (at != -2) printf("%d %lld\n", isa, (long long)at);
    }
    return 0;
  }
  char sep = argc > 3 ? argv[3][0] : ',', err[256];
  cdrt_csv_blocks blocks;
  int fd = argc > 4 && !strcmp(argv[4], "fd") ? open(path, O_RDONLY) : -1;
  if (fd >= 0 ? cdrt_csv_split_fd(fd, 0, n, atoll(argv[2]), sep, '"', &blocks, err, sizeof err)
              : cdrt_csv_split(data, n, atoll(argv[2]), sep, '"', &blocks, err, sizeof err)) {
    printf("error %s\n", err);
    return 1;
  }
  enum { CAP = 64 };
  cdrt_csv_field fields[CAP];
  char *copy = malloc((size_t)n + 1);
  for (int64_t b = 0; b < blocks.n; b++) {
    const cdrt_csv_block *k = &blocks.block[b];
    printf("block %lld %lld %lld\n", (long long)k->begin, (long long)k->end, (long long)k->line);
    int64_t line = k->line;
    for (int64_t at = k->begin; at < k->end;) {
      int nf;
      int64_t nl;
      int64_t next = cdrt_csv_row(data, at, k->end, sep, '"', fields, CAP, &nf, &nl);
      if (nf == 1 && fields[0].kind == CDRT_CSV_PLAIN && fields[0].end == fields[0].begin) {
        printf("blank %lld %lld\n", (long long)at, (long long)line);
      } else {
        printf("row %lld %lld %d\n", (long long)at, (long long)line, nf);
        for (int i = 0; i < nf && i < CAP; i++) {
          const cdrt_csv_field *x = &fields[i];
          const char *text = data + x->begin;
          size_t len = (size_t)(x->end - x->begin);
          if (x->kind == CDRT_CSV_COPY) len = cdrt_csv_unquote(data, x, '"', copy), text = copy;
          printf("%zu %d\n", len, x->kind);
          fwrite(text, 1, len, stdout);
        }
      }
      line += nl;
      at = next;
    }
  }
  cdrt_csv_blocks_free(&blocks);
  free(copy), free(data);
  return 0;
}
