/* pylist.c: a bag's result printed as Python prints what compute() returns (db.print): a
 * list of values, or of tuples of its index (frequencies: the item, then its count) and
 * its columns; a scalar as its repr. Strings are Python's
 * repr: single quotes unless the string has one and no double quote, escapes for the
 * backslash, the quote, \t \n \r, the other control characters and the non-printable
 * code points that text usually holds (CPython's unicode_repr, with
 * Py_UNICODE_ISPRINTABLE's Z* and Cf categories, C1 controls and private use; an
 * unassigned code point prints as itself). */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t cdrt_utf8_at(const unsigned char *p, int64_t n, int *len) {
  if (p[0] < 0x80 || n < 2) return *len = 1, p[0];
  if (p[0] < 0xe0) return *len = 2, (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
  if (p[0] < 0xf0 || n < 4)
    return *len = 3, (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
  return *len = 4, (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
                       (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
}

int cdrt_py_char_repr(uint32_t c, int quote, char *t) {
  if (c == (uint32_t)quote || c == '\\') return t[0] = '\\', t[1] = (char)c, 2;
  if (c == '\t' || c == '\n' || c == '\r')
    return t[0] = '\\', t[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r', 2;
  if (c < 0x20 || c == 0x7f) return snprintf(t, 12, "\\x%02x", (unsigned)c);
  if (c < 0x80 || cdrt_py_printable(c)) return 0;
  return snprintf(t, 12, c <= 0xff ? "\\x%02x" : c <= 0xffff ? "\\u%04x" : "\\U%08x", (unsigned)c);
}

/* Whether Python prints code point c >= 0x80 as itself in a repr */
int cdrt_py_printable(uint32_t c) {
  static const uint32_t hidden[][2] = {
      {0x80, 0xa0},       {0xad, 0xad},       {0x600, 0x605},     {0x61c, 0x61c},
      {0x6dd, 0x6dd},     {0x70f, 0x70f},     {0x8e2, 0x8e2},     {0x1680, 0x1680},
      {0x180e, 0x180e},   {0x2000, 0x200f},   {0x2028, 0x202f},   {0x205f, 0x2064},
      {0x2066, 0x206f},   {0x3000, 0x3000},   {0xd800, 0xf8ff},   {0xfeff, 0xfeff},
      {0xfff9, 0xfffb},   {0x110bd, 0x110bd}, {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a},
      {0xe0001, 0xe007f}, {0xf0000, 0x10ffff}};
  for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
    if (c >= hidden[i][0] && c <= hidden[i][1]) return 0;
  return 1;
}

void cdrt_py_str_print(FILE *out, cdrt_str s) {
  if (!s.p) {
    fputs("None", out);
    return;
  }
  const unsigned char *p = (const unsigned char *)s.p;
  int quote = memchr(p, '\'', (size_t)s.n) && !memchr(p, '"', (size_t)s.n) ? '"' : '\'';
  fputc(quote, out);
  for (int64_t i = 0; i < s.n;) {
    int len;
    uint32_t c = cdrt_utf8_at(p + i, s.n - i, &len);
    char t[12];
    int k = cdrt_py_char_repr(c, quote, t);
    if (k)
      fwrite(t, 1, (size_t)k, out);
    else
      fwrite(p + i, 1, (size_t)len, out);
    i += len;
  }
  fputc(quote, out);
}

static void put_value(FILE *out, int type, const void *data, int64_t i) {
  char t[64];
  switch (type) {
  case CDRT_COL_INT64: fprintf(out, "%lld", (long long)((const int64_t *)data)[i]); break;
  case CDRT_COL_BOOL: fputs(((const uint8_t *)data)[i] ? "True" : "False", out); break;
  case CDRT_COL_STR: cdrt_py_str_print(out, ((const cdrt_str *)data)[i]); break;
  case CDRT_COL_DATETIME:
    cdrt_timestamp_str(((const int64_t *)data)[i], t);
    fprintf(out, "Timestamp('%s')", t);
    break;
  case CDRT_COL_TIMEDELTA:
    cdrt_format_timedelta(((const int64_t *)data)[i], 0, t);
    fprintf(out, "Timedelta('%s')", t);
    break;
  default: cdrt_pyrepr(((const double *)data)[i], t), fputs(t, out);
  }
}

/* Python's s.split(sep) (sep.p NULL: s.split()) as its list */
static void put_split(FILE *out, cdrt_str s, cdrt_str sep) {
  if (!s.p) {
    fputs("None", out);
    return;
  }
  fputc('[', out);
  cdrt_str piece;
  int k = 0;
  for (cdrt_split it = cdrt_split_init(s, sep); cdrt_split_next(&it, &piece);)
    fputs(k++ ? ", " : "", out), cdrt_py_str_print(out, piece);
  fputc(']', out);
}

/* Row i of f as shape (cdrt_output.shape) writes it */
static void put_shaped(FILE *out, const cdrt_frame *f, const char *shape, int64_t i) {
  for (const unsigned char *p = (const unsigned char *)shape; *p; p++) {
    if (*p == CDRT_SHAPE_VALUE) {
      const cdrt_column *c = &f->cols[*++p - 1];
      put_value(out, c->type, c->data, i);
    } else if (*p == CDRT_SHAPE_SPLIT) {
      const cdrt_column *c = &f->cols[p[1] - 1];
      int n = p[2] - 1;
      cdrt_str sep = n ? (cdrt_str){(const char *)p + 3, n} : (cdrt_str){NULL, 0};
      put_split(out, ((const cdrt_str *)c->data)[i], sep);
      p += 2 + n;
    } else
      fputc(*p, out);
  }
}

/* f's rows (index: its index first in each, all of its levels) */
static void put_list(FILE *out, const cdrt_frame *f, int index) {
  const cdrt_column *part[64]; /* a tuple's parts */
  int n = 0;
  if (index && f->nindex)
    for (int k = 0; k < f->nindex && n < 64; k++) part[n++] = &f->levels[k];
  else if (index && f->index.data)
    part[n++] = &f->index;
  for (int c = 0; c < f->ncols && n < 64; c++) part[n++] = &f->cols[c];
  fputc('[', out);
  for (int64_t i = 0; i < f->n; i++) {
    if (i) fputs(", ", out);
    if (n > 1) fputc('(', out);
    for (int k = 0; k < n; k++) {
      if (k) fputs(", ", out);
      put_value(out, part[k]->type, part[k]->data, i);
    }
    if (n > 1) fputc(')', out);
  }
  fputs("]\n", out);
}

/* Rows i and j of column c by their keys: < 0, 0 (one key, as Python's dict groups them: NaN
 * with NaN, -0.0 with 0.0), > 0 */
static int key_cmp(const cdrt_column *c, int64_t i, int64_t j) {
  switch (c->type) {
  case CDRT_COL_STR: {
    cdrt_str a = ((const cdrt_str *)c->data)[i], b = ((const cdrt_str *)c->data)[j];
    return !a.p || !b.p ? (a.p != NULL) - (b.p != NULL) : cdrt_str_cmp(a, b);
  }
  case CDRT_COL_BOOL: return ((const uint8_t *)c->data)[i] - ((const uint8_t *)c->data)[j];
  case CDRT_COL_FLOAT64: {
    double a = ((const double *)c->data)[i], b = ((const double *)c->data)[j];
    return isnan(a) || isnan(b) ? isnan(a) - isnan(b) : (a > b) - (a < b);
  }
  default: {
    int64_t a = ((const int64_t *)c->data)[i], b = ((const int64_t *)c->data)[j];
    return (a > b) - (a < b);
  }
  }
}

/* The rows v[0, n) sorted by their keys in c, equal keys in v's order (a merge sort) */
static void sort_by_key(int64_t *v, int64_t *tmp, int64_t n, const cdrt_column *c) {
  if (n < 2) return;
  int64_t h = n / 2, i = 0, j = h, k = 0;
  sort_by_key(v, tmp, h, c);
  sort_by_key(v + h, tmp, n - h, c);
  while (i < h && j < n) tmp[k++] = key_cmp(c, v[j], v[i]) < 0 ? v[j++] : v[i++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, (size_t)n * sizeof *v);
}

typedef struct {
  int64_t first;      /* the row of its first element (its key's first appearance) */
  int64_t start, len; /* its rows in the key order */
} group_run;

static int by_first(const void *a, const void *b) {
  const group_run *x = a, *y = b;
  return (x->first > y->first) - (x->first < y->first);
}

/* f's rows (in the bag's order) as (key, [values]) for each key of column 0, in order of the
 * keys' first appearance (Dask's for one partition), each group's values in the bag's order
 * (raw: the values are reprs already, strings written as they are) */
static void put_groups(FILE *out, const cdrt_frame *f, bool raw) {
  const cdrt_column *k = &f->cols[0], *v = &f->cols[1];
  int64_t n = f->n, nruns = 0, *row = cdrt_calloc((size_t)(2 * n + 1), sizeof *row);
  group_run *run = cdrt_calloc((size_t)n + 1, sizeof *run);
  for (int64_t i = 0; i < n; i++) row[i] = i;
  sort_by_key(row, row + n, n, k);
  for (int64_t i = 0; i < n; i++) {
    if (i == 0 || key_cmp(k, row[i - 1], row[i]) != 0)
      run[nruns++] = (group_run){.first = row[i], .start = i};
    run[nruns - 1].len++;
  }
  qsort(run, (size_t)nruns, sizeof *run, by_first);
  fputc('[', out);
  for (int64_t r = 0; r < nruns; r++) {
    fputs(r ? "]), (" : "(", out);
    put_value(out, k->type, k->data, run[r].first);
    fputs(", [", out);
    for (int64_t i = run[r].start; i < run[r].start + run[r].len; i++) {
      fputs(i > run[r].start ? ", " : "", out);
      cdrt_str repr = raw ? ((const cdrt_str *)v->data)[row[i]] : (cdrt_str){NULL, 0};
      if (raw)
        fwrite(repr.p, 1, (size_t)repr.n, out);
      else
        put_value(out, v->type, v->data, row[i]);
    }
  }
  fputs(nruns ? "])]\n" : "]\n", out);
  free(run), free(row);
}

void cdrt_pylist_print(FILE *out, const char *label, const struct cdrt_result_s *r, int kind,
                       const char *shape) {
  fprintf(out, "%s = ", label);
  if (r->frame && shape) {
    fputc('[', out);
    for (int64_t i = 0; i < r->frame->n; i++)
      fputs(i ? ", " : "", out), put_shaped(out, r->frame, shape, i);
    fputs("]\n", out);
    return;
  }
  if (r->frame && (kind == CDRT_OUT_PYGROUPS || kind == CDRT_OUT_PYRECGROUPS)) {
    put_groups(out, r->frame, kind == CDRT_OUT_PYRECGROUPS);
    return;
  }
  if (r->frame && kind == CDRT_OUT_PYDICTS) { /* each row a record's repr, made when read */
    const cdrt_str *s = r->frame->cols[r->frame->ncols - 1].data;
    fputc('[', out);
    for (int64_t i = 0; i < r->frame->n; i++)
      fputs(i ? ", " : "", out), fwrite(s[i].p, 1, (size_t)s[i].n, out);
    fputs("]\n", out);
    return;
  }
  if (r->frame) {
    put_list(out, r->frame, kind == CDRT_OUT_PYPAIRS);
    return;
  }
  const cdrt_value *v = &r->v;
  const void *data = v->type == CDRT_COL_STR       ? (const void *)&v->s
                     : v->type == CDRT_COL_FLOAT64 ? (const void *)&v->f
                     : v->type == CDRT_COL_BOOL    ? (const void *)&(uint8_t){(uint8_t)v->i}
                                                   : (const void *)&v->i;
  put_value(out, v->type, data, 0);
  fputc('\n', out);
}
#endif
