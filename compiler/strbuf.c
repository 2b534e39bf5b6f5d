/* strbuf.c: growable text buffers and the indentation helpers of the emitter. */
#include "cdask.h"

#include <stdlib.h>
#include <string.h>

void sb_init(StrBuf *b) {
  memset(b, 0, sizeof *b);
}

void sb_free(StrBuf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}

static void reserve(StrBuf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + extra + 1) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) {
    fprintf(stderr, "cdaskc: out of memory\n");
    exit(1);
  }
  b->data = p, b->cap = cap;
}

void sb_puts(StrBuf *b, const char *s) {
  size_t n = strlen(s);
  reserve(b, n);
  memcpy(b->data + b->len, s, n + 1);
  b->len += n;
}

void sb_vprintf(StrBuf *b, const char *fmt, va_list ap) {
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  reserve(b, (size_t)n);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void sb_printf(StrBuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(b, fmt, ap);
  va_end(ap);
}

static void indent(StrBuf *b) {
  for (int i = 0; i < b->indent; i++) sb_puts(b, "  ");
}

void sb_line(StrBuf *b, const char *fmt, ...) {
  indent(b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(b, fmt, ap);
  va_end(ap);
  sb_puts(b, "\n");
}

void emit_open(StrBuf *b, const char *fmt, ...) {
  indent(b);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(b, fmt, ap);
  va_end(ap);
  sb_puts(b, " {\n");
  b->indent++;
}

void emit_close(StrBuf *b, const char *suffix) {
  b->indent--;
  indent(b);
  sb_puts(b, "}");
  sb_puts(b, suffix ? suffix : "");
  sb_puts(b, "\n");
}
