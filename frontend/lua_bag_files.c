/* lua_bag_files.c: the files of db.read_text and db.read_json_lines as sources of the
 * dataframe layer (runtime/text.c reads their lines): the paths checked while compiling,
 * and a JSON-lines file's fields and their types sniffed from its first records with the
 * program's own reader (runtime/jsonl.c), the way read_csv sniffs a CSV file's columns. */
#include "frontend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

enum { JSON_SAMPLE_LINES = 1000, JSON_MAX_FIELDS = 4096 };

/* A file a read names: one that exists and is a regular file, now */
static const char *text_file(lua_State *L, const char *path, const char *what) {
  struct stat st;
  if (stat(path, &st) != 0) fe_error(L, "%s: cannot read '%s': %s", what, path, strerror(errno));
  if (!S_ISREG(st.st_mode)) fe_error(L, "%s: '%s' is not a regular file", what, path);
  return arena_strdup(fe_arena(L), path);
}

/* The compression at arg ("infer", "gzip", "none") into src, and whether a file is gzip:
 * then blocksize is refused, as Dask refuses it (read_bytes: "Cannot do chunked reads on
 * compressed files") */
static void text_compression(lua_State *L, int arg, TSource *src, const char *what) {
  const char *c = luaL_optstring(L, arg, "infer");
  src->compression = !strcmp(c, "gzip")   ? CDRT_GZ_ALL
                     : !strcmp(c, "none") ? CDRT_GZ_NONE
                                          : CDRT_GZ_INFER;
  for (int k = 0; k < (src->paths ? src->npaths : 1); k++) {
    const char *path = src->paths ? src->paths[k] : src->path;
    if (!cdrt_text_gzip(src->compression, path)) continue;
    src->gzip = true;
    if (src->blocksize)
      fe_error(L,
               "%s: blocksize with a compressed file ('%s'): Dask cannot do chunked reads on "
               "compressed files (leave blocksize out: a partition per file)",
               what, path);
  }
}

/* The files at 1 (a path, a glob or a list of paths) and the block size at 2 into src;
 * Dask's partition count (a file each, or read_bytes' ceil(size / blocksize) blocks) */
static int64_t text_files(lua_State *L, TSource *src, const char *what) {
  Arena *a = fe_arena(L);
  src->text = true, src->nrows = -1;
  fe_df_locate(L, &src->file, &src->line);
  if (lua_istable(L, 1)) {
    int n = (int)luaL_len(L, 1);
    if (n == 0) fe_error(L, "%s: an empty list of files", what);
    src->paths = arena_alloc(a, (size_t)n * sizeof *src->paths), src->npaths = n;
    for (int k = 0; k < n; k++) {
      lua_geti(L, 1, k + 1);
      src->paths[k] = text_file(L, fe_check_string(L, -1, "a path", true), what);
      lua_pop(L, 1);
    }
    src->path = src->paths[0];
  } else {
    const char *path = fe_check_string(L, 1, "the path", true);
    if (strpbrk(path, "*?["))
      src->paths = fe_glob_files(L, path, what, &src->npaths);
    else
      text_file(L, path, what);
    src->path = arena_strdup(a, path);
  }
  if (!lua_isnoneornil(L, 2)) {
    src->blocksize = fe_check_int(L, 2, "blocksize");
    if (src->blocksize < 1) fe_error(L, "%s: blocksize must be at least 1 byte", what);
  }
  int64_t parts = 0;
  for (int k = 0; k < (src->paths ? src->npaths : 1); k++) {
    struct stat st;
    int64_t size = stat(src->paths ? src->paths[k] : src->path, &st) == 0 ? (int64_t)st.st_size : 0;
    parts += !src->blocksize || size <= src->blocksize
                 ? 1
                 : (size + src->blocksize - 1) / src->blocksize;
  }
  return parts;
}

/* The errors at arg ("strict", "replace", "ignore", "backslashreplace") and the linedelimiter at
 * arg + 1 (nil: Python's universal newlines) into src. Without blocksize Dask splits a file's text
 * at a delimiter other than "", "\n", "\r" and "\r\n" (text.split), so a file that ends with it has
 * an empty last element (delim_tail). */
static void text_lines(lua_State *L, int arg, TSource *src, const char *what) {
  const char *e = luaL_optstring(L, arg, "strict");
  src->errors = !strcmp(e, "replace")            ? CDRT_ERRORS_REPLACE
                : !strcmp(e, "ignore")           ? CDRT_ERRORS_IGNORE
                : !strcmp(e, "backslashreplace") ? CDRT_ERRORS_BACKSLASH
                                                 : CDRT_ERRORS_STRICT;
  if (lua_isnoneornil(L, arg + 1)) return;
  const char *d = lua_tostring(L, arg + 1);
  if (cdrt_utf8_invalid(d, (int64_t)strlen(d)) >= 0)
    fe_error(L, "%s: linedelimiter is not valid UTF-8 (Dask's is a str)", what);
  src->newline = *d ? CDRT_NL_EXACT : CDRT_NL_ANY;
  src->delim = *d ? arena_strdup(fe_arena(L), d) : NULL;
  src->delim_tail =
      *d && strcmp(d, "\n") && strcmp(d, "\r") && strcmp(d, "\r\n") && !src->blocksize;
}

/* db._read_text(path | glob | {paths}, blocksize, compression, errors, linedelimiter): a
 * source of the files' lines (one str column), read in this order; pushes the Series and
 * Dask's partition count */
int fe_bag_read_text(lua_State *L) {
  Arena *a = fe_arena(L);
  TSource src = {.ncols = 1};
  int64_t parts = text_files(L, &src, "read_text");
  text_compression(L, 3, &src, "read_text");
  text_lines(L, 4, &src, "read_text");
  src.names = arena_alloc(a, sizeof *src.names);
  src.names[0] = "line";
  src.types = arena_alloc(a, 1);
  src.types[0] = CDRT_COL_STR;
  src.declared = arena_alloc(a, 1);
  src.missing = arena_alloc(a, 1);
  int s = table_add_source(fe_df_graph(L), &src);
  int x = fe_df_add_expr(
      L, (TExpr){.kind = TX_COLUMN, .type = CDRT_COL_STR, .src = s, .col = 0, .a = -1, .b = -1});
  fe_df_push_series(L, s, x, NULL, -1);
  lua_pushinteger(L, parts);
  return 2;
}

/* ---- JSON lines: the fields ---- */
typedef struct {
  char *name;
  unsigned kinds; /* bit CDRT_JSON_* per kind seen */
  int64_t seen;   /* records that have it */
  bool escaped;   /* a nested field whose path has a key that escapes a control character */
} JsonField;
typedef struct {
  JsonField *f;
  int n, cap;
  int escaped; /* a key that escapes a control character (\u0001: not a column's name) */
  int slot[2 * JSON_MAX_FIELDS]; /* the fields by their names' hash: index + 1, 0 free */
} JsonFields;

static unsigned name_hash(const char *p, int64_t n) {
  unsigned h = 2166136261u; /* FNV-1a */
  for (int64_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 16777619u;
  return h;
}

/* A field (a path, for a nested object's: runtime/jsonl.c) and its value's kind */
static void visit_field(void *ctx, cdrt_str key, int escaped, int kind) {
  JsonFields *fs = ctx;
  bool nested = memchr(key.p, CDRT_JSON_SEP, (size_t)key.n) != NULL;
  fs->escaped |= escaped && !nested;
  unsigned at = name_hash(key.p, key.n) % (2 * JSON_MAX_FIELDS);
  int k;
  while ((k = fs->slot[at] - 1) >= 0 && !(strlen(fs->f[k].name) == (size_t)key.n &&
                                          memcmp(fs->f[k].name, key.p, (size_t)key.n) == 0))
    at = (at + 1) % (2 * JSON_MAX_FIELDS);
  if (k < 0) {
    if (fs->n == JSON_MAX_FIELDS) return;
    if (fs->n == fs->cap) {
      fs->cap = fs->cap ? 2 * fs->cap : 16;
      fs->f = realloc(fs->f, (size_t)fs->cap * sizeof *fs->f);
      if (!fs->f) abort();
    }
    k = fs->n++;
    fs->f[k].name = strndup(key.p, (size_t)key.n);
    fs->f[k].kinds = 0, fs->f[k].seen = 0, fs->f[k].escaped = false;
    fs->slot[at] = k + 1;
  }
  fs->f[k].escaped |= escaped && nested;
  fs->f[k].kinds |= 1u << kind;
  fs->f[k].seen++;
}

/* A gzip file read through stdio (getline): zlib's gzread as the stream's read */
static ssize_t gz_read(void *z, char *buf, size_t n) {
  return gzread(z, buf, n > (1u << 30) ? 1u << 30 : (unsigned)n);
}

static int gz_close(void *z) {
  return gzclose(z) == Z_OK ? 0 : -1;
}

static FILE *open_text(const char *path, bool gzip) {
  if (!gzip) return fopen(path, "r");
  gzFile z = gzopen(path, "rb");
  FILE *f =
      z ? fopencookie(z, "r", (cookie_io_functions_t){.read = gz_read, .close = gz_close}) : NULL;
  if (z && !f) gzclose(z);
  return f;
}

/* The next element of in into *line (its length, with its end; -1 at the end of the file):
 * a line ended by "\n", "\r\n" or "\r" (Python's universal newlines), or the text up to
 * and with delim (read_text's linedelimiter: "\n" and "\r" are only themselves) */
static ssize_t next_element(FILE *in, const char *delim, char **line, size_t *cap) {
  size_t n = 0, dn = delim ? strlen(delim) : 0;
  int ch;
  while ((ch = getc(in)) != EOF) {
    if (n + 2 > *cap) {
      *cap = *cap ? 2 * *cap : 256;
      *line = realloc(*line, *cap);
      if (!*line) abort();
    }
    (*line)[n++] = (char)ch;
    if (delim ? n >= dn && memcmp(*line + n - dn, delim, dn) == 0 : ch == '\n') break;
    if (!delim && ch == '\r') { /* "\r\n" or a lone "\r" */
      int next = getc(in);
      if (next == '\n')
        (*line)[n++] = '\n';
      else if (next != EOF)
        ungetc(next, in);
      break;
    }
  }
  return n || ch != EOF ? (ssize_t)n : -1;
}

/* The records of file path (all, or the first JSON_SAMPLE_LINES) into fs, each decoded as
 * src's errors says; their count */
static int64_t sniff_file(lua_State *L, const char *path, const TSource *src, bool all,
                          JsonFields *fs) {
  FILE *in = open_text(path, cdrt_text_gzip(src->compression, path));
  if (!in) fe_error(L, "read_json_lines: cannot read '%s': %s", path, strerror(errno));
  char *line = NULL, *clean = NULL, err[160];
  size_t cap = 0;
  ssize_t len;
  int64_t lineno = 0, records = 0;
  while ((all || lineno < JSON_SAMPLE_LINES) &&
         (len = next_element(in, src->delim, &line, &cap)) >= 0) {
    lineno++;
    int64_t n = len;
    const char *text = line;
    if (cdrt_utf8_invalid(line, n) >= 0) {
      if (src->errors == CDRT_ERRORS_STRICT) {
        free(line), fclose(in);
        fe_error(L, "read_json_lines: invalid UTF-8 on line %lld of %s", (long long)lineno, path);
      }
      clean = realloc(clean, 4 * (size_t)n + 1); /* Python's decode(errors = ...) */
      if (!clean) abort();
      n = cdrt_utf8_clean(line, n, src->errors, clean), text = clean;
    }
    while (n && memchr(" \t\r\n", text[n - 1], 4)) n--; /* JSON's whitespace */
    if (!cdrt_json_keys(text, n, visit_field, fs, err, sizeof err)) {
      free(line), free(clean), fclose(in);
      fe_error(L, "read_json_lines: malformed JSON on line %lld of %s: %s", (long long)lineno, path,
               err);
    }
    records++;
  }
  free(line), free(clean);
  bool bad = ferror(in);
  fclose(in);
  if (bad) fe_error(L, "read_json_lines: cannot read '%s' (invalid gzip data)", path);
  return records;
}

static int field_type(const JsonField *f, int64_t records, const char **why);

/* The type of the items of f, a field that holds arrays, from their kinds (the field
 * after it in fs, its path CDRT_JSON_ITEMS, if an array had items: str if none had): -1 and
 * *why when they are not one type (nulls: only among str and float64 items) */
static int items_type(const JsonFields *fs, int k, const char **why) {
  const JsonField *f = &fs->f[k];
  size_t n = strlen(f->name);
  const JsonField *it = NULL;
  for (int j = k + 1; j < fs->n && !it; j++)
    if (strncmp(fs->f[j].name, f->name, n) == 0 && fs->f[j].name[n] == CDRT_JSON_SEP &&
        strcmp(fs->f[j].name + n + 1, CDRT_JSON_ITEMS) == 0)
      it = &fs->f[j];
  if (!it) return CDRT_COL_STR;
  unsigned kinds = it->kinds;
  if (kinds & (1u << CDRT_JSON_ARRAY))
    return *why = "holds arrays of arrays (Python's lists of lists)", -1;
  if (kinds == 1u << CDRT_JSON_OBJECT) return CDRT_JSON_ITEM_OBJECT; /* printed, counted */
  if (kinds & (1u << CDRT_JSON_OBJECT))
    return *why = "holds arrays of objects and other values", -1;
  JsonField g = {.kinds = kinds & ~(1u << CDRT_JSON_NULL), .seen = 1};
  int t = field_type(&g, 1, why);
  bool null = kinds >> CDRT_JSON_NULL & 1;
  if (t == CDRT_COL_INT64 && null) t = CDRT_COL_FLOAT64; /* pandas' ladder */
  if (t == CDRT_COL_BOOL && null)
    return *why = "holds arrays of booleans and nulls (a bool item cannot be missing)", -1;
  if (t < 0)
    return *why = "holds arrays whose items are of different kinds (numbers, strings, "
                  "booleans)",
           -1;
  return t;
}

/* A field's type from the kinds its values had (pandas' ladder: ints with a missing value
 * are float64); -1: objects or arrays (not a column), *why says why not an object (NULL:
 * one); -2: mixed kinds; -3: arrays (items_type) */
static int field_type(const JsonField *f, int64_t records, const char **why) {
  unsigned k = f->kinds & ~(1u << CDRT_JSON_NULL);
  bool missing = f->seen < records || (f->kinds >> CDRT_JSON_NULL & 1);
  *why = NULL;
  if (f->escaped)
    return *why = "has a key with a control character (an escape such as \\u0001)", -1;
  if (k == 1u << CDRT_JSON_ARRAY) return -3;
  if (k & (1u << CDRT_JSON_ARRAY)) return *why = "holds arrays and other values", -1;
  if (k & (1u << CDRT_JSON_DEEP))
    return *why = "is an object nested deeper than 8 keys (CDRT_JSON_MAX_DEPTH)", -1;
  if (k == 1u << CDRT_JSON_OBJECT) return -1;
  if (k & (1u << CDRT_JSON_OBJECT)) return *why = "holds objects and other values", -1;
  if (!k || k == 1u << CDRT_JSON_STRING) return CDRT_COL_STR;
  if (k == 1u << CDRT_JSON_BOOL) return CDRT_COL_BOOL;
  if (k == 1u << CDRT_JSON_INT && !missing) return CDRT_COL_INT64;
  if (!(k & ~(1u << CDRT_JSON_INT | 1u << CDRT_JSON_NUMBER))) return CDRT_COL_FLOAT64;
  return -2;
}

_Static_assert(CDRT_JSON_MAX_DEPTH == 8, "field_type's message says 8");

/* Where a field of a list's objects starts in name (after the list's path, CDRT_JSON_SEP,
 * CDRT_JSON_ITEMS, CDRT_JSON_SEP), or NULL */
static const char *item_key(const char *name) {
  const char *p = strstr(name, "\x1f" CDRT_JSON_ITEMS "\x1f");
  return p ? p + sizeof CDRT_JSON_ITEMS + 1 : NULL;
}

/* Field f of a list's objects (item_key) into src's item fields, objects or refused
 * (pandas' ladder over the list's objects: the ones that lack it make it missing) */
static void item_field(Arena *a, TSource *src, const JsonFields *fs, const JsonField *f) {
  const char *key = item_key(f->name);
  if (item_key(key) || strstr(key, "\x1f" CDRT_JSON_ITEMS)) return; /* a list in an object's list */
  size_t n = (size_t)(key - 1 - f->name);
  int64_t objects = 0; /* the list's objects (its items' pseudo-field's count) */
  for (int k = 0; k < fs->n; k++)
    if (strlen(fs->f[k].name) == n && strncmp(fs->f[k].name, f->name, n) == 0)
      objects = fs->f[k].seen;
  const char *why;
  int t = field_type(f, objects, &why);
  bool missing = f->seen < objects || (f->kinds >> CDRT_JSON_NULL & 1);
  if (t == -3) why = "holds arrays (lists in a list's objects)";
  if (t == -2) why = "holds values of different kinds (numbers, strings, booleans)";
  if (t == CDRT_COL_BOOL && missing)
    t = -1, why = "is a bool that some of the first objects lack or hold as null";
  if (t == -1 && !why) {
    src->json_objects[src->njson_objects++] = arena_strdup(a, f->name);
  } else if (t < 0) {
    src->json_refused_why[src->njson_refused] = why;
    src->json_refused[src->njson_refused++] = arena_strdup(a, f->name);
  } else {
    int c = src->njson_ifields++;
    src->json_inames[c] = arena_strdup(a, f->name);
    src->json_itypes[c] = (unsigned char)t, src->json_imissing[c] = missing;
  }
}

/* The nesting of path (CDRT_JSON_SEP): its keys */
static int path_depth(const char *path) {
  int d = 1;
  for (; *path; path++) d += *path == CDRT_JSON_SEP;
  return d;
}

/* db._read_json(path | glob | {paths}, blocksize, sample_all, compression, errors,
 * linedelimiter): a frame of the records' fields (in order of first appearance; the
 * top-level ones: nested objects' fields are the source's columns under their paths,
 * lua_dataframe.c's fe_df_json_object makes a frame of them) and Dask's partition count */
int fe_bag_read_json(lua_State *L) {
  Arena *a = fe_arena(L);
  TSource src = {.json = true};
  int64_t parts = text_files(L, &src, "read_json_lines");
  text_compression(L, 4, &src, "read_json_lines");
  text_lines(L, 5, &src, "read_json_lines");
  bool all = lua_toboolean(L, 3);
  JsonFields *fs = calloc(1, sizeof *fs);
  if (!fs) abort();
  int64_t records = 0;
  for (int k = 0; k < (src.paths ? src.npaths : 1) && (all || k == 0); k++)
    records += sniff_file(L, src.paths ? src.paths[k] : src.path, &src, all, fs);
  if (fs->escaped)
    fe_error(L, "read_json_lines: a key with a control character (an escape such as \\u0001) is "
                "not supported");
  size_t n1 = (size_t)fs->n + 1;
  src.names = arena_alloc(a, n1 * sizeof *src.names);
  src.types = arena_alloc(a, n1);
  src.declared = arena_alloc(a, n1);
  src.missing = arena_alloc(a, n1);
  src.json_objects = arena_alloc(a, n1 * sizeof *src.json_objects);
  src.json_refused = arena_alloc(a, n1 * sizeof *src.json_refused);
  src.json_refused_why = arena_alloc(a, n1 * sizeof *src.json_refused_why);
  src.json_items = arena_alloc(a, n1);
  src.json_inames = arena_alloc(a, n1 * sizeof *src.json_inames);
  src.json_itypes = arena_alloc(a, n1), src.json_imissing = arena_alloc(a, n1);
  int top = 0; /* the top-level columns */
  for (int k = 0; k < fs->n; k++) {
    const char *why = NULL, *items = strrchr(fs->f[k].name, CDRT_JSON_SEP);
    if (items && strcmp(items + 1, CDRT_JSON_ITEMS) == 0) continue; /* an array's (-3) */
    if (item_key(fs->f[k].name)) { /* a field of a list's objects */
      item_field(a, &src, fs, &fs->f[k]);
      continue;
    }
    int t = field_type(&fs->f[k], records, &why), it = -1;
    if (t == -3) {
      it = items_type(fs, k, &why);
      t = it < 0 ? -1 : CDRT_COL_STR;
    }
    if (t == -2) {
      char name[256];
      fe_error(L,
               "read_json_lines: field '%s' holds values of different kinds (numbers, "
               "strings, booleans) in the first records of %s: not supported yet",
               cdrt_json_dotted(fs->f[k].name, name, sizeof name),
               src.paths ? src.paths[0] : src.path);
    }
    if (t == -1 && why) {
      src.json_refused_why[src.njson_refused] = why;
      src.json_refused[src.njson_refused++] = arena_strdup(a, fs->f[k].name);
      continue;
    }
    if (t == -1) {
      src.json_objects[src.njson_objects++] = arena_strdup(a, fs->f[k].name);
      continue;
    }
    if (path_depth(fs->f[k].name) == 1) top++;
    int c = src.ncols++;
    src.names[c] = arena_strdup(a, fs->f[k].name);
    src.types[c] = (unsigned char)t;
    src.json_items[c] = (signed char)it;
    src.missing[c] = fs->f[k].seen < records || (fs->f[k].kinds >> CDRT_JSON_NULL & 1);
  }
  for (int k = 0; k < fs->n; k++) free(fs->f[k].name);
  free(fs->f), free(fs);
  src.njson_items = src.ncols;
  src.sampled = records, src.whole = all;
  int s = table_add_source(fe_df_graph(L), &src);
  LFrame *f = fe_df_push_frame(L);
  f->src = s, f->ncols = 0;
  f->names = arena_alloc(a, (size_t)(top + 1) * sizeof *f->names);
  f->cols = arena_alloc(a, (size_t)(top + 1) * sizeof *f->cols);
  for (int c = 0; c < src.ncols; c++)
    if (path_depth(src.names[c]) == 1)
      f->names[f->ncols] = src.names[c],
      f->cols[f->ncols++] = fe_df_add_expr(
          L,
          (TExpr){.kind = TX_COLUMN, .type = src.types[c], .src = s, .col = c, .a = -1, .b = -1});
  lua_pushinteger(L, parts);
  return 2;
}

/* ---- Dask's read_bytes blocks, for to_textfiles ---- */
/* The byte after the first delim at or past offset off of in (size: the file's), or size */
static int64_t block_start(FILE *in, int64_t off, int64_t size, const char *delim) {
  size_t dn = strlen(delim), keep = 0;
  char buf[(1 << 16) + 8];
  if (fseeko(in, off, SEEK_SET) != 0) return size;
  int64_t at = off; /* the file's byte at buf[keep] */
  for (;;) {
    size_t got = fread(buf + keep, 1, 1 << 16, in);
    if (!got) return size;
    char *hit = memmem(buf, keep + got, delim, dn);
    if (hit) return at - (int64_t)keep + (hit - buf) + (int64_t)dn;
    at += (int64_t)got;
    size_t n = keep + got, tail = dn - 1 < n ? dn - 1 : n; /* a delimiter across reads */
    memmove(buf, buf + n - tail, tail);
    keep = tail;
  }
}

void fe_bag_dask_blocks(lua_State *L, TSource *src) {
  Arena *a = fe_arena(L);
  const char *delim = src->delim ? src->delim : "\n"; /* Dask's for Python's newlines */
  size_t dn = strlen(delim);
  for (size_t k = 1; k < dn; k++)
    if (memcmp(delim, delim + dn - k, k) == 0)
      fe_error(L, "to_textfiles of a bag read with a blocksize and a linedelimiter that overlaps "
                  "itself (\"||\", \"\\n\\n\") is not supported: Dask's partitions then split "
                  "its elements where the blocks are cut");
  int nf = src->paths ? src->npaths : 1;
  int64_t n = 0, cap = 16;
  src->dask_first = arena_alloc(a, (size_t)(nf + 1) * sizeof *src->dask_first);
  int64_t *start = malloc((size_t)cap * sizeof *start);
  if (!start) abort();
  for (int f = 0; f < nf; f++) {
    const char *path = src->paths ? src->paths[f] : src->path;
    src->dask_first[f] = n;
    struct stat st;
    if (stat(path, &st) != 0) free(start), fe_error(L, "to_textfiles: cannot read '%s'", path);
    int64_t size = (int64_t)st.st_size, bs = src->blocksize;
    if (size == 0) continue; /* read_bytes skips an empty file */
    FILE *in = fopen(path, "rb");
    if (!in) free(start), fe_error(L, "to_textfiles: cannot read '%s': %s", path, strerror(errno));
    /* read_bytes' offsets: "shrink blocksize to give same number of parts" */
    double bs1 = size % bs && size > bs ? (double)size / (double)(size / bs) : (double)bs;
    double place = 0;
    for (int64_t off = 0;;) {
      if (n == cap) {
        start = realloc(start, (size_t)(cap *= 2) * sizeof *start);
        if (!start) abort();
      }
      start[n++] = off ? block_start(in, off, size, delim) : 0;
      if (!((double)size - place > bs1 * 2 - 1)) break;
      place += bs1;
      off = (int64_t)place;
    }
    fclose(in);
  }
  src->dask_first[nf] = n;
  src->dask_start = arena_alloc(a, (size_t)(n + 1) * sizeof *src->dask_start);
  memcpy(src->dask_start, start, (size_t)n * sizeof *start);
  free(start);
}
