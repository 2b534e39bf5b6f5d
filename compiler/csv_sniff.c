/* csv_sniff.c: a CSV file's schema, read at compile time the way from_npy reads a .npy
 * header (issue 15): the column names from the first row (pandas' header='infer') and each
 * column's type from the rows sampled, by pandas' C parser's ladder: int64 if every value
 * that is not missing reads as one, else float64, else bool (true and false in any case, as
 * pandas reads them), else str. A missing value (one of pandas' 19 default NA strings, or a string
 * the script adds) makes an int64 column float64 and a bool column str, as pandas' NumPy dtypes do;
 * a column with no value at all is float64. Blank lines (spaces and tabs at most) are skipped, as
 * pandas does. A row with fewer fields than the header is padded with missing values, as pandas
 * pads it; one with more is an error (pandas' too), or left out under on_bad_lines = "warn" |
 * "skip" (pandas reads a first row one field longer as the index: cdask does not). Duplicate column
 * names are an error (pandas renames them a.1), and so are an empty file and a header with no rows.
 * With header = None the first row is data, named by `names` or "0", "1", ... An integer past int64
 * makes a column str when it is the first value that is no int64 (pandas: uint64 up to 2^64, else
 * object), else float64 among floats, as pandas' order of attempts does. The rows come from
 * runtime/csv.c, the same cutting the program will use, so the sample reads as the run reads. */
#include "cdask.h"

#include <stdlib.h>
#include <string.h>

/* pandas' STR_NA_VALUES (pandas/_libs/parsers.pyx), "" included. */
static const char *const sniff_na[] = {
    "",     "#N/A", "#N/A N/A", "#NA",  "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A",  "NA",       "NULL", "NaN",     "None",     "n/a",  "nan",  "null"};

const char *const *csv_default_na(int *n) {
  *n = (int)(sizeof sniff_na / sizeof *sniff_na);
  return sniff_na;
}

const char *csv_type_name(CsvType t) {
  static const char *const names[] = {"int64", "float64", "bool", "str"};
  return (unsigned)t < CSV_NTYPES ? names[t] : "?";
}

bool csv_is_na(const char *s, size_t n, const CsvSniffOptions *o) {
  for (size_t i = 0; o->default_na && i < sizeof sniff_na / sizeof *sniff_na; i++)
    if (strlen(sniff_na[i]) == n && !memcmp(sniff_na[i], s, n)) return true;
  for (int i = 0; i < o->nna; i++)
    if (strlen(o->na[i]) == n && !memcmp(o->na[i], s, n)) return true;
  return false;
}

/* pandas' bool tokens (the C parser's _true_values and _false_values). */
static bool sniff_is_bool(const char *s, size_t n) {
  return cdrt_csv_bool(s, (int64_t)n) >= 0;
}

/* What one value allows: the lowest rung of the ladder it reads as (CSV_NTYPES: an integer
 * past int64, which pandas reads as uint64 or str, or as float64 among floats). */
static int sniff_value(const char *s, size_t n) {
  int64_t i;
  double d;
  int rc = cdrt_parse_i64(s, n, &i);
  if (rc == 0) return CSV_INT64;
  if (rc == -2) return CSV_NTYPES;
  if (cdrt_parse_f64(s, n, &d) == 0) return CSV_FLOAT64;
  if (sniff_is_bool(s, n)) return CSV_BOOL;
  return CSV_STR;
}

/* What the values of a column were seen to be. */
typedef struct {
  unsigned seen;  /* bit t: a value of sniff_value t */
  bool missing;   /* a missing value */
  bool nat;       /* "NaT": a datetime column's missing value */
  int first_fail; /* the first value that is no int64: 0 none, 1 past int64, 2 another */
} sniff_column_seen;

static void sniff_add(sniff_column_seen *c, int t) {
  c->seen |= 1u << t;
  if (t != CSV_INT64 && !c->first_fail) c->first_fail = t == CSV_NTYPES ? 1 : 2;
}

/* The column's type. pandas tries int64 on the values in file order; an integer past
 * int64 met first sends it to uint64, then to object, without trying float64. */
static CsvType sniff_column(const sniff_column_seen *c) {
  if (!c->seen) return CSV_FLOAT64; /* nothing but missing values */
  if (c->seen & 1u << CSV_STR || c->first_fail == 1) return CSV_STR;
  if (c->seen & 1u << CSV_BOOL) /* bools among numbers, or missing, are strings, as in pandas */
    return c->seen == 1u << CSV_BOOL && !c->missing ? CSV_BOOL : CSV_STR;
  if (c->seen & 1u << CSV_FLOAT64) return CSV_FLOAT64;
  return c->missing ? CSV_FLOAT64 : CSV_INT64;
}

/* A blank line: one unquoted field of spaces and tabs, or nothing (pandas skips it). */
static bool sniff_blank(const char *data, const cdrt_csv_field *f, int nf) {
  if (nf != 1 || f->kind != CDRT_CSV_PLAIN) return false;
  for (int64_t i = f->begin; i < f->end; i++)
    if (data[i] != ' ' && data[i] != '\t') return false;
  return true;
}

/* The text of field f, unquoted into *scratch (grown) when it has to be copied. */
static const char *sniff_text(const char *data, const cdrt_csv_field *f, char quote, char **scratch,
                              size_t *n) {
  if (f->kind != CDRT_CSV_COPY) {
    *n = (size_t)(f->end - f->begin);
    return data + f->begin;
  }
  *scratch = realloc(*scratch, (size_t)(f->end - f->begin) + 1);
  if (!*scratch) abort();
  *n = cdrt_csv_unquote(data, f, quote, *scratch);
  return *scratch;
}

/* "a, b, c" (at most the first 8 names), for messages. */
static const char *sniff_names(Arena *a, const CsvSchema *s) {
  StrBuf b;
  sb_init(&b);
  for (int c = 0; c < s->ncols && c < 8; c++) sb_printf(&b, "%s%s", c ? ", " : "", s->names[c]);
  if (s->ncols > 8) sb_printf(&b, ", ... (%d in all)", s->ncols);
  char *out = arena_strdup(a, b.data ? b.data : "");
  sb_free(&b);
  return out;
}

/* The columns' names: the script's names, "0", "1", ... (header = None without names), or
 * the header row's fields ("Unnamed: c" for an empty one, as pandas); a name twice is an
 * error. */
static int sniff_header(Arena *a, const char *data, const cdrt_csv_field *fields, int nf,
                        int64_t line, const CsvSniffOptions *o, char **scratch, CsvSchema *out,
                        char *err, size_t errlen) {
  int ncols = o->nnames ? o->nnames : nf;
  if (o->nnames && !o->no_header && nf != o->nnames)
    return cdrt_fail_msg(err, errlen, "line %lld: the header has %d fields, names gives %d",
                         (long long)line, nf, o->nnames);
  out->ncols = ncols;
  out->names = arena_alloc(a, (size_t)ncols * sizeof *out->names);
  for (int c = 0; c < ncols; c++) {
    if (o->nnames)
      out->names[c] = arena_strdup(a, o->names[c]);
    else if (o->no_header)
      out->names[c] = arena_printf(a, "%d", c);
    else {
      size_t len;
      const char *t = sniff_text(data, &fields[c], o->quote, scratch, &len);
      out->names[c] = arena_alloc(a, len + 1);
      memcpy(out->names[c], t, len);
      if (len == 0) out->names[c] = arena_printf(a, "Unnamed: %d", c); /* pandas' name */
    }
    for (int d = 0; d < c; d++)
      if (!strcmp(out->names[d], out->names[c]))
        return o->nnames
                   ? cdrt_fail_msg(err, errlen, "names: the column name '%s' appears twice",
                                   out->names[c])
                   : cdrt_fail_msg(err, errlen, "line %lld: the column name '%s' appears twice",
                                   (long long)line, out->names[c]);
  }
  return 0;
}

int csv_sniff(Arena *a, const char *data, int64_t n, const CsvSniffOptions *o, CsvSchema *out,
              char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 BOM (Excel's): pandas drops it */
    data += 3, n -= 3;
  int64_t bad = cdrt_utf8_invalid(data, n);
  if (bad >= 0) {
    int64_t line = 1, col = 1;
    for (int64_t i = 0; i < bad; i++) {
      col = data[i] == '\n' ? 1 : col + 1;
      line += data[i] == '\n';
    }
    return cdrt_fail_msg(err, errlen, "line %lld: invalid UTF-8 at byte %lld of the line",
                         (long long)line, (long long)col);
  }
  cdrt_csv_blocks blocks; /* one block: checks that every quoted field closes */
  if (cdrt_csv_split(data, n, n + 1, o->sep, o->quote, &blocks, err, errlen) != 0) return -1;
  cdrt_csv_blocks_free(&blocks);
  int cap = 16, ncols = -1, rc = 0;
  cdrt_csv_field *fields = arena_alloc(a, (size_t)cap * sizeof *fields);
  sniff_column_seen *seen = NULL;
  char *scratch = NULL;
  int64_t at = 0, line = 1, rows = 0;
  while (at < n && rc == 0) {
    int nf;
    int64_t nl, row_line = line;
    int64_t next = cdrt_csv_row(data, at, n, o->sep, o->quote, fields, cap, &nf, &nl);
    if (nf > cap) { /* more fields than room: again with room for them */
      fields = arena_alloc(a, (size_t)nf * sizeof *fields);
      cap = nf;
      continue;
    }
    if (sniff_blank(data, fields, nf)) {
      at = next, line += nl;
      continue;
    }
    if (ncols >= 0 && rows == o->sample_rows) break; /* sampled enough: a row is left */
    at = next, line += nl;
    if (ncols < 0) { /* the first row: the header, or (header = None) the first row of data */
      rc = sniff_header(a, data, fields, nf, row_line, o, &scratch, out, err, errlen);
      ncols = out->ncols;
      seen = arena_alloc(a, (size_t)ncols * sizeof *seen);
      if (!o->no_header) continue;
    }
    if (nf > ncols) { /* pandas: "Expected N fields in line L, saw M" */
      if (o->skip_long) continue;
      rc = cdrt_fail_msg(err, errlen, "line %lld: expected %d fields (%s), saw %d",
                         (long long)row_line, ncols, sniff_names(a, out), nf);
      break;
    }
    for (int c = nf; c < ncols; c++) seen[c].missing = true; /* a short row, padded as pandas */
    for (int c = 0; c < nf; c++) {
      size_t len;
      const char *t = sniff_text(data, &fields[c], o->quote, &scratch, &len);
      if (csv_is_na(t, len, o)) /* quoted or not, as pandas */
        seen[c].missing = true;
      else
        sniff_add(&seen[c], sniff_value(t, len)), seen[c].nat |= len == 3 && !memcmp(t, "NaT", 3);
    }
    rows++;
  }
  free(scratch);
  if (rc == 0 && ncols < 0)
    rc = cdrt_fail_msg(err, errlen,
                       o->no_header ? "the file is empty: no rows"
                                    : "the file is empty: no header row");
  if (rc == 0 && rows == 0 && !o->no_rows_ok)
    rc = cdrt_fail_msg(err, errlen, "the file has a header (%s) but no rows", sniff_names(a, out));
  if (rc != 0) {
    memset(out, 0, sizeof *out);
    return rc;
  }
  out->types = arena_alloc(a, (size_t)ncols * sizeof *out->types);
  out->missing = arena_alloc(a, (size_t)ncols * sizeof *out->missing);
  out->nat = arena_alloc(a, (size_t)ncols * sizeof *out->nat);
  for (int c = 0; c < ncols; c++)
    out->types[c] = sniff_column(&seen[c]), out->missing[c] = seen[c].missing,
    out->nat[c] = seen[c].nat;
  out->rows = rows;
  out->whole = at >= n;
  return 0;
}
