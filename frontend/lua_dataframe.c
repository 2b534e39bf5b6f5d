/* lua_dataframe.c: the cdask.dataframe module (dd): read_csv (the schema sniffed at
 * compile time), DataFrame and Series objects whose columns are table expressions
 * (table.c), their reductions, value_counts, row filters (loc) and head, and the outputs
 * dd.print and dd.to_csv. pandas' and Dask's names and semantics; what differs is said
 * where it is done (docs/dataframes.md lists it). */
#include "frontend.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- read_csv ---- */
static const char *opt_string(lua_State *L, int opts, const char *key) {
  if (!opts) return NULL;
  lua_getfield(L, opts, key);
  const char *s =
      lua_isnil(L, -1)
          ? NULL
          : fe_check_string(L, -1, arena_printf(fe_arena(L), "read_csv: %s", key), true);
  lua_pop(L, 1);
  return s ? arena_strdup(fe_arena(L), s) : NULL;
}

enum { TYPE_CATEGORY = -2 }; /* type_by_name's "category": strings, categorized */
static int type_by_name(lua_State *L, const char *col, const char *name) {
  static const char *const names[] = {"int64", "float64", "bool", "str"};
  for (int t = 0; t < 4; t++)
    if (strcmp(name, names[t]) == 0) return t;
  if (strcmp(name, "object") == 0 || strcmp(name, "string") == 0) return CDRT_COL_STR;
  if (strcmp(name, "datetime64") == 0 || strcmp(name, "datetime64[ns]") == 0)
    return CDRT_COL_DATETIME;
  if (strcmp(name, "category") == 0) return TYPE_CATEGORY;
  return fe_error(
      L,
      "read_csv: column '%s': unknown dtype '%s' (int64, float64, bool, str, category or "
      "datetime64)",
      col, name);
}

/* names = {...} and header = 0 | false (pandas' None): the first row names the columns
 * (header = 0, the default without names) or is data (header = false, the default with
 * names); names replaces the header's names. */
static void read_names(lua_State *L, int opts, CsvSniffOptions *so) {
  Arena *a = fe_arena(L);
  lua_getfield(L, opts, "names");
  if (lua_istable(L, -1)) {
    int n = (int)luaL_len(L, -1);
    if (n == 0) fe_error(L, "read_csv: names must list at least one column");
    const char **names = arena_alloc(a, (size_t)n * sizeof *names);
    for (int i = 1; i <= n; i++) {
      lua_geti(L, -1, i);
      if (lua_type(L, -1) != LUA_TSTRING) fe_error(L, "read_csv: names must be strings");
      names[i - 1] = arena_strdup(a, lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    so->names = names, so->nnames = n, so->no_header = true;
  } else if (!lua_isnil(L, -1))
    fe_error(L, "read_csv: names must be a table of column names");
  lua_pop(L, 1);
  lua_getfield(L, opts, "header");
  if (lua_isboolean(L, -1) && !lua_toboolean(L, -1))
    so->no_header = true;
  else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) == 0)
    so->no_header = false;
  else if (!lua_isnil(L, -1))
    fe_error(L, "read_csv: header must be 0 (the first row names the columns) or false (no header "
                "row); other headers are not supported");
  lua_pop(L, 1);
}

/* The schema of the file at path (sniffed); the header row's text, or NULL without one.
 * Without the file, names and header = None give the columns (sc->types NULL: dtype must
 * give every type). */
static const char *sniff_file(lua_State *L, const char *path, const CsvSniffOptions *so,
                              CsvSchema *sc) {
  Arena *a = fe_arena(L);
  memset(sc, 0, sizeof *sc);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && so->nnames && so->no_header) {
    sc->ncols = so->nnames;
    sc->names = arena_alloc(a, (size_t)so->nnames * sizeof *sc->names);
    for (int c = 0; c < so->nnames; c++) sc->names[c] = (char *)so->names[c];
    return NULL;
  }
  if (fd < 0) fe_error(L, "read_csv: cannot read '%s': %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    fe_error(L, "read_csv: '%s' is not a regular file", path);
  }
  if (st.st_size == 0) {
    close(fd);
    fe_error(L, "read_csv: '%s' is empty (no columns to parse)", path);
  }
  /* the file, mapped: the sample reads only the pages it needs */
  void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (m == MAP_FAILED) fe_error(L, "read_csv: cannot map '%s': %s", path, strerror(errno));
  char err[512];
  int rc = csv_sniff(a, m, st.st_size, so, sc, err, sizeof err);
  const char *data = m, *end = cdrt_csv_row_end(data, st.st_size, so->quote);
  int64_t hl = end ? end - data : st.st_size;
  int64_t he = hl > 0 && data[hl - 1] == '\r' ? hl - 1 : hl;
  char *header = arena_alloc(a, (size_t)he + 1);
  memcpy(header, data, (size_t)he);
  munmap(m, (size_t)st.st_size);
  if (rc != 0)
    fe_error(L, "read_csv: %s:%s", path,
             strncmp(err, "line", 4) == 0 ? err + 4 : arena_printf(a, " %s", err));
  return so->no_header ? NULL : header;
}

static int path_cmp(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The regular files glob pattern matches (POSIX glob(3), relative to the working
 * directory), in byte order as Dask sorts them; directories and other files are skipped, as
 * Dask's expansion skips them; none is an error naming the pattern (what: "read_csv"). */
const char **fe_glob_files(lua_State *L, const char *pattern, const char *what, int *n) {
  Arena *a = fe_arena(L);
  glob_t gl;
  int rc = glob(pattern, GLOB_NOSORT, NULL, &gl);
  if (rc != 0 && rc != GLOB_NOMATCH)
    fe_error(L, "%s: cannot expand '%s': %s", what, pattern, strerror(errno));
  const char **paths = arena_alloc(a, (rc == 0 ? gl.gl_pathc : 0) * sizeof *paths + 1);
  *n = 0;
  for (size_t k = 0; rc == 0 && k < gl.gl_pathc; k++) {
    struct stat st;
    if (stat(gl.gl_pathv[k], &st) == 0 && S_ISREG(st.st_mode))
      paths[(*n)++] = arena_strdup(a, gl.gl_pathv[k]);
  }
  if (rc == 0) globfree(&gl);
  if (*n == 0) fe_error(L, "%s: no file matches '%s'", what, pattern);
  qsort(paths, (size_t)*n, sizeof *paths, path_cmp);
  return paths;
}

/* The type of a column that is x in some files and y in others: pandas' concat (int64 and
 * float64 are float64, anything else that differs is object, our str). */
static CsvType merge_type(CsvType x, CsvType y) {
  if (x == y) return x;
  if ((x == CSV_INT64 || x == CSV_FLOAT64) && (y == CSV_INT64 || y == CSV_FLOAT64))
    return CSV_FLOAT64;
  return CSV_STR;
}

/* The schema of the files of a glob, sniffed in order over one sample (the sample's rows
 * taken from the first files): the same header in every file (else an error naming two),
 * each column's type merged as pandas' concat of the files would. A file may have a header
 * and no rows, if some file has rows. */
static const char *sniff_glob(lua_State *L, const char *pattern, const char **paths, int npaths,
                              const CsvSniffOptions *o, CsvSchema *sc) {
  CsvSniffOptions so = *o;
  so.no_rows_ok = true;
  const char *header = NULL;
  int64_t left = o->sample_rows;
  bool whole = true;
  memset(sc, 0, sizeof *sc);
  for (int k = 0; k < npaths; k++) {
    CsvSchema one;
    so.sample_rows = left;
    const char *h = sniff_file(L, paths[k], &so, &one);
    if (k == 0)
      *sc = one, header = h, sc->rows = 0;
    else if (one.ncols != sc->ncols || (h && header && strcmp(h, header) != 0))
      fe_error(L,
               "read_csv: the files of '%s' differ: %s has the header '%s', %s has '%s' (a glob's "
               "files must have the same columns)",
               pattern, paths[0],
               header ? header : fe_df_name_list(L, (const char *const *)sc->names, sc->ncols),
               paths[k], h ? h : fe_df_name_list(L, (const char *const *)one.names, one.ncols));
    if (one.rows > 0) {
      for (int c = 0; c < sc->ncols; c++) {
        sc->types[c] = sc->rows ? merge_type(sc->types[c], one.types[c]) : one.types[c];
        sc->missing[c] = (sc->rows && sc->missing[c]) || one.missing[c];
        sc->nat[c] = (sc->rows && sc->nat[c]) || one.nat[c];
      }
      sc->rows += one.rows;
    }
    whole = whole && one.whole;
    left = left == INT64_MAX ? left : left - one.rows;
  }
  if (sc->rows == 0)
    fe_error(L, "read_csv: the files of '%s' have a header (%s) but no rows", pattern,
             fe_df_name_list(L, (const char *const *)sc->names, sc->ncols));
  sc->whole = whole;
  return header;
}

/* The index of the column named col among names[0, n), or n (col NULL: n) */
static int column_index(const char *const *names, int n, const char *col) {
  int c = 0;
  while (col && c < n && strcmp(names[c], col) != 0) c++;
  return c;
}

/* parse_dates = {"col", ...}: those columns are datetime64[ns] */
static void parse_dates(lua_State *L, int opts, TSource *src, const char *path) {
  if (!opts) return;
  lua_getfield(L, opts, "parse_dates");
  if (lua_istable(L, -1)) {
    int n = (int)luaL_len(L, -1);
    for (int i = 1; i <= n; i++) {
      lua_geti(L, -1, i);
      const char *col = lua_tostring(L, -1);
      int c = column_index(src->names, src->ncols, col);
      if (c == src->ncols)
        fe_error(L, "read_csv: parse_dates names column '%s', which %s does not have",
                 col ? col : "?", path);
      src->types[c] = CDRT_COL_DATETIME, src->declared[c] = 1;
      lua_pop(L, 1);
    }
  } else if (!lua_isnil(L, -1))
    fe_error(L, "read_csv: parse_dates must be a list of column names");
  lua_pop(L, 1);
}

static int l_read_csv(lua_State *L) {
  Arena *a = fe_arena(L);
  const char *path = arena_strdup(a, fe_check_string(L, 1, "read_csv: the path", true));
  if (lua_gettop(L) > 2)
    fe_error(L, "read_csv takes a path and one table of options, got %d arguments", lua_gettop(L));
  int opts = fe_named_options(L, 2, "read_csv",
                              "sep header names usecols dtype parse_dates na_values "
                              "keep_default_na sample blocksize on_bad_lines");
  TSource src = {.path = path, .sep = ',', .quote = '"', .bad_lines = 0};
  if (strpbrk(path, "*?[")) src.paths = fe_glob_files(L, path, "read_csv", &src.npaths);
  fe_df_locate(L, &src.file, &src.line);
  const char *sep = opt_string(L, opts, "sep");
  if (sep) {
    if (strlen(sep) != 1 || *sep == '"' || *sep == '\n' || *sep == '\r')
      fe_error(L, "read_csv: sep must be one character other than a quote or a line end, got '%s'",
               sep);
    src.sep = *sep;
  }
  CsvSniffOptions so = {.sep = src.sep, .quote = '"', .default_na = true, .sample_rows = 20480};
  const char **na = NULL;
  int nna = 0;
  if (opts) {
    lua_getfield(L, opts, "keep_default_na");
    if (!lua_isnil(L, -1)) {
      if (!lua_isboolean(L, -1)) fe_error(L, "read_csv: keep_default_na must be a boolean");
      so.default_na = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    lua_getfield(L, opts, "na_values");
    if (lua_isstring(L, -1)) {
      na = arena_alloc(a, sizeof *na);
      na[nna++] = arena_strdup(a, lua_tostring(L, -1));
    } else if (lua_istable(L, -1)) {
      int n = (int)luaL_len(L, -1);
      na = arena_alloc(a, (size_t)(n + 1) * sizeof *na);
      for (int i = 1; i <= n; i++) {
        lua_geti(L, -1, i);
        if (!lua_isstring(L, -1)) fe_error(L, "read_csv: na_values must be strings");
        na[nna++] = arena_strdup(a, lua_tostring(L, -1));
        lua_pop(L, 1);
      }
    } else if (!lua_isnil(L, -1))
      fe_error(L, "read_csv: na_values must be a string or a table of strings");
    lua_pop(L, 1);
    lua_getfield(L, opts, "sample");
    if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "all") == 0)
      so.sample_rows = INT64_MAX;
    else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0)
      so.sample_rows = lua_tointeger(L, -1);
    else if (!lua_isnil(L, -1))
      fe_error(L, "read_csv: sample must be \"all\" or a positive number of rows");
    lua_pop(L, 1);
    lua_getfield(L, opts, "blocksize");
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0)
      src.blocksize = lua_tointeger(L, -1);
    else if (!lua_isnil(L, -1))
      fe_error(L, "read_csv: blocksize must be a positive number of bytes");
    lua_pop(L, 1);
    const char *bad = opt_string(L, opts, "on_bad_lines");
    if (bad) {
      if (strcmp(bad, "error") == 0)
        src.bad_lines = 0;
      else if (strcmp(bad, "warn") == 0)
        src.bad_lines = 1;
      else if (strcmp(bad, "skip") == 0)
        src.bad_lines = 2;
      else
        fe_error(L, "read_csv: on_bad_lines must be \"error\", \"warn\" or \"skip\", got '%s'",
                 bad);
    }
    read_names(L, opts, &so);
  }
  so.na = na, so.nna = nna;
  so.skip_long = src.bad_lines != 0;
  CsvSchema sc;
  const char *header = src.paths ? sniff_glob(L, path, src.paths, src.npaths, &so, &sc)
                                 : sniff_file(L, path, &so, &sc);
  src.header_text = so.no_header ? NULL : header;
  src.ncols = sc.ncols;
  src.names = (const char **)sc.names;
  src.types = arena_alloc(a, (size_t)sc.ncols + 1);
  src.declared = arena_alloc(a, (size_t)sc.ncols + 1);
  bool *cats = arena_alloc(a, (size_t)sc.ncols + 1); /* dtype "category" */
  for (int c = 0; sc.types && c < sc.ncols; c++) src.types[c] = (unsigned char)sc.types[c];
  if (sc.missing) {
    src.missing = arena_alloc(a, (size_t)sc.ncols);
    for (int c = 0; c < sc.ncols; c++) src.missing[c] = sc.missing[c];
  }
  src.sampled = sc.rows, src.whole = sc.whole;
  if (!header) header = fe_df_name_list(L, (const char *const *)sc.names, sc.ncols);
  /* dtype = {col = "type"} */
  if (opts) {
    lua_getfield(L, opts, "dtype");
    if (lua_istable(L, -1)) {
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
          fe_error(L, "read_csv: dtype must map column names to dtype names");
        const char *col = lua_tostring(L, -2);
        int c = column_index((const char *const *)sc.names, sc.ncols, col);
        if (c == sc.ncols)
          fe_error(L, "read_csv: dtype names column '%s', which %s does not have", col, path);
        int type = type_by_name(L, col, lua_tostring(L, -1));
        if (type == TYPE_CATEGORY) cats[c] = true;
        src.types[c] = (unsigned char)(type == TYPE_CATEGORY ? CDRT_COL_STR : type);
        src.declared[c] = 1;
        lua_pop(L, 1);
      }
    } else if (!lua_isnil(L, -1))
      fe_error(L, "read_csv: dtype must be a table {column = \"int64\" | \"float64\" | \"bool\" | "
                  "\"str\" | \"datetime64\"}");
    lua_pop(L, 1);
  }
  parse_dates(L, opts, &src, path);
  for (int c = 0; sc.nat && c < sc.ncols; c++) /* pandas reads "NaT" in a datetime column as NaT */
    if (src.types[c] == CDRT_COL_DATETIME && sc.nat[c]) src.missing[c] = 1;
  for (int c = 0; !sc.types && c < sc.ncols; c++)
    if (!src.declared[c])
      fe_error(L,
               "read_csv: cannot read '%s': %s (without the file, names and a dtype for every "
               "column compile the script; column '%s' has none)",
               path, strerror(ENOENT), sc.names[c]);
  /* the NA strings the program tests: pandas' and the script's */
  int ndef = 0;
  const char *const *def = csv_default_na(&ndef);
  src.na = arena_alloc(a, (size_t)(ndef + nna + 1) * sizeof *src.na);
  for (int i = 0; so.default_na && i < ndef; i++) src.na[src.nna++] = def[i];
  for (int i = 0; i < nna; i++) {
    src.na[src.nna++] = na[i];
    double d;
    int64_t k;
    if (cdrt_parse_f64(na[i], strlen(na[i]), &d) == 0 ||
        cdrt_parse_i64(na[i], strlen(na[i]), &k) == 0)
      src.na_numeric = true;
  }
  int s = table_add_source(fe_df_graph(L), &src);
  /* the frame: every column, or usecols */
  LFrame *f = fe_df_push_frame(L);
  f->src = s;
  f->cols = arena_alloc(a, (size_t)sc.ncols * sizeof *f->cols);
  f->names = arena_alloc(a, (size_t)sc.ncols * sizeof *f->names);
  bool *use = arena_alloc(a, (size_t)sc.ncols);
  if (opts) {
    lua_getfield(L, opts, "usecols");
    if (lua_istable(L, -1)) {
      int n = (int)luaL_len(L, -1);
      for (int i = 1; i <= n; i++) {
        lua_geti(L, -1, i);
        const char *col = lua_tostring(L, -1);
        int c = column_index((const char *const *)sc.names, sc.ncols, col);
        if (c == sc.ncols)
          fe_error(L, "read_csv: usecols names '%s', which %s does not have (columns: %s)",
                   col ? col : "?", path, header);
        use[c] = true;
        lua_pop(L, 1);
      }
    } else if (!lua_isnil(L, -1))
      fe_error(L, "read_csv: usecols must be a table of column names");
    else
      memset(use, 1, (size_t)sc.ncols);
    lua_pop(L, 1);
  } else
    memset(use, 1, (size_t)sc.ncols);
  for (int c = 0; c < sc.ncols; c++) {
    if (!use[c]) continue;
    f->cols[f->ncols] = fe_df_add_expr(
        L, (TExpr){.kind = TX_COLUMN, .type = src.types[c], .src = s, .col = c, .a = -1, .b = -1});
    if (cats[c]) f->cols[f->ncols] = fe_df_categorize(L, s, f->cols[f->ncols], sc.names[c]);
    f->names[f->ncols++] = sc.names[c];
  }
  return 1;
}

/* Expression x's path below the objects of the list its TX_EACH each flattens (path: a
 * frame's, that list's path CDRT_JSON_SEP CDRT_JSON_ITEMS and maybe more keys): "" for the
 * objects themselves */
const char *fe_df_json_item_path(const Tables *t, int each, const char *path) {
  const TExpr *list = &t->x[t->x[each].a];
  size_t n = strlen(t->src[list->src].names[list->col]) + sizeof CDRT_JSON_ITEMS;
  return strlen(path) > n ? path + n + 1 : "";
}

void fe_df_json_item_columns(lua_State *L, LFrame *g) {
  const Tables *t = fe_df_tables(L);
  const TSource *src = &t->src[g->src];
  Arena *a = fe_arena(L);
  size_t n = strlen(g->path);
  g->ncols = 0;
  g->cols = arena_alloc(a, (size_t)(src->njson_ifields + 1) * sizeof *g->cols);
  g->names = arena_alloc(a, (size_t)(src->njson_ifields + 1) * sizeof *g->names);
  for (int k = 0; k < src->njson_ifields; k++) { /* the object's own fields: path\x1fkey */
    const char *p = src->json_inames[k];
    if (strncmp(p, g->path, n) != 0 || p[n] != CDRT_JSON_SEP || strchr(p + n + 1, CDRT_JSON_SEP))
      continue;
    const char *rel = fe_df_json_item_path(t, g->items - 1, p);
    g->names[g->ncols] = p + n + 1;
    g->cols[g->ncols++] = fe_df_add_expr(L, (TExpr){.kind = TX_STR,
                                                    .type = src->json_itypes[k],
                                                    .strfn = TS_JSON_FIELD,
                                                    .a = g->items - 1,
                                                    .b = -1,
                                                    .s = rel,
                                                    .slen = (int64_t)strlen(rel),
                                                    .i = src->json_imissing[k]});
  }
}

/* ---- DataFrame ---- */
static int frame_column(const LFrame *f, const char *name) {
  for (int k = 0; k < f->ncols; k++)
    if (strcmp(f->names[k], name) == 0) return k;
  return -1;
}

static const char *frame_column_list(lua_State *L, const LFrame *f) {
  return fe_df_name_list(L, (const char *const *)f->names, f->ncols);
}

int fe_df_json_object(lua_State *L, const LFrame *f, const char *key) {
  const TSource *src = &fe_df_graph(L)->tables.src[f->src];
  if (!src->json) return 0;
  Arena *a = fe_arena(L);
  const char *path = f->path ? arena_printf(a, "%s%c%s", f->path, CDRT_JSON_SEP, key) : key;
  char name[256];
  for (int k = 0; k < src->njson_refused; k++)
    if (strcmp(src->json_refused[k], path) == 0)
      fe_error(L, "field '%s' %s, which is not supported yet (Dask's records would hold them)",
               cdrt_json_dotted(path, name, sizeof name), src->json_refused_why[k]);
  bool object = false;
  for (int k = 0; k < src->njson_objects && !object; k++)
    object = strcmp(src->json_objects[k], path) == 0;
  if (!object) return 0;
  size_t n = strlen(path);
  LFrame *g = fe_df_push_frame(L);
  *g = *f;
  g->path = path, g->ncols = 0;
  if (f->items) return fe_df_json_item_columns(L, g), 1; /* an object in a list's objects */
  g->cols = arena_alloc(a, (size_t)(src->ncols + 1) * sizeof *g->cols);
  g->names = arena_alloc(a, (size_t)(src->ncols + 1) * sizeof *g->names);
  for (int c = 0; c < src->ncols; c++) { /* the object's own fields: path\x1fkey */
    const char *p = src->names[c];
    if (strncmp(p, path, n) != 0 || p[n] != CDRT_JSON_SEP || strchr(p + n + 1, CDRT_JSON_SEP) ||
        p[n + 1] == CDRT_JSON_RECORD[0])
      continue;
    g->names[g->ncols] = p + n + 1;
    g->cols[g->ncols++] = fe_df_add_expr(
        L,
        (TExpr){
            .kind = TX_COLUMN, .type = src->types[c], .src = f->src, .col = c, .a = -1, .b = -1});
  }
  return 1;
}

static int push_column(lua_State *L, const LFrame *f, const char *name) {
  int k = frame_column(f, name);
  if (k < 0 && fe_df_json_object(L, f, name)) return 1;
  if (k < 0) fe_error(L, "KeyError: '%s' (the frame's columns: %s)", name, frame_column_list(L, f));
  LSeries *s = fe_df_push_series(L, f->src, f->cols[k], f->names[k], f->mask);
  s->limit = f->limit;
  return 1;
}

/* a frame of some of f's columns (names in the table at idx) */
static int push_subframe(lua_State *L, const LFrame *f, int idx) {
  int n = (int)luaL_len(L, idx);
  Arena *a = fe_arena(L);
  LFrame *g = fe_df_push_frame(L);
  *g = *f;
  g->ncols = 0;
  g->cols = arena_alloc(a, (size_t)(n + 1) * sizeof *g->cols);
  g->names = arena_alloc(a, (size_t)(n + 1) * sizeof *g->names);
  for (int i = 1; i <= n; i++) {
    lua_geti(L, idx, i);
    const char *name = lua_tostring(L, -1);
    int k = name ? frame_column(f, name) : -1;
    if (k < 0)
      fe_error(L, "KeyError: '%s' (the frame's columns: %s)", name ? name : "?",
               frame_column_list(L, f));
    g->cols[g->ncols] = f->cols[k], g->names[g->ncols++] = f->names[k];
    lua_pop(L, 1);
  }
  return 1;
}

static int and_masks(lua_State *L, int m1, int m2) {
  if (m1 < 0) return m2;
  if (m2 < 0) return m1;
  return fe_df_add_expr(
      L, (TExpr){.kind = TX_OP, .type = CDRT_COL_BOOL, .op = OP_AND, .a = m1, .b = m2});
}

/* The mask at idx (a Series of bools of the frame of source src under mask) */
static int loc_mask(lua_State *L, int src, int mask, int idx) {
  LSeries *m = fe_df_check_values(L, idx, "loc");
  const TExpr *x = &fe_df_tables(L)->x[m->expr];
  if (x->type != CDRT_COL_BOOL)
    fe_error(L, "loc: the mask must be a Series of bools (a comparison), got %s",
             fe_df_type_label(x->type));
  if (m->src != src || (m->mask != mask && m->mask >= 0))
    fe_error(
        L,
        "loc: the mask comes from another frame (masks must be made from the frame they filter)");
  return m->expr;
}

/* labels (a string or a number, or nil before one) rather than a mask */
static bool loc_labels(lua_State *L) {
  int t2 = lua_type(L, 2), t3 = lua_type(L, 3);
  return t2 == LUA_TSTRING || t2 == LUA_TNUMBER ||
         (t2 == LUA_TNIL && (t3 == LUA_TSTRING || t3 == LUA_TNUMBER));
}

/* df:loc(mask [, cols]), df:loc(from, to) by index labels */
static int f_loc(lua_State *L) {
  fe_df_refuse_traced(L, "loc (a selection of rows)", true);
  LFrame *f = fe_df_check_frame(L, 1);
  if (loc_labels(L)) {
    if (f->limit >= 0) fe_error(L, "loc after head is not supported yet");
    int m = fe_df_label_mask(L, f->src, 2, lua_gettop(L) >= 3 ? 3 : 4);
    LFrame *g = fe_df_push_frame(L);
    *g = *f;
    g->mask = and_masks(L, f->mask, m);
    return 1;
  }
  if (f->limit >= 0) fe_error(L, "loc after head is not supported yet");
  int m = loc_mask(L, f->src, f->mask, 2);
  LFrame *g = fe_df_push_frame(L);
  *g = *f;
  g->mask = and_masks(L, f->mask, m);
  if (lua_istable(L, 3)) return push_subframe(L, g, 3);
  if (lua_type(L, 3) == LUA_TSTRING) return push_column(L, g, lua_tostring(L, 3));
  return 1;
}

static int64_t check_head_n(lua_State *L, int idx) {
  int64_t n = lua_isnoneornil(L, idx) ? 5 : fe_check_int(L, idx, "head: n");
  if (n < 0) fe_error(L, "head: n must not be negative (tail is not supported yet)");
  return n;
}

static int f_head(lua_State *L) {
  fe_df_refuse_traced(L, "head", false);
  LFrame *f = fe_df_check_frame(L, 1);
  int64_t n = check_head_n(L, 2);
  LFrame *g = fe_df_push_frame(L);
  *g = *f;
  g->limit = f->limit >= 0 && f->limit < n ? f->limit : n;
  return 1;
}

/* df:iloc(nil, k): Dask's iloc selects columns only (0-based, as pandas) */
static int f_iloc(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1);
  if (!lua_isnil(L, 2))
    fe_error(L, "'DataFrame.iloc' only supports selecting columns. It must be used like "
                "df:iloc(nil, column)");
  int64_t k = fe_check_int(L, 3, "iloc: the column");
  if (k < 0) k += f->ncols;
  if (k < 0 || k >= f->ncols)
    fe_error(L, "iloc: column %lld is out of bounds for %d columns", (long long)k, f->ncols);
  LSeries *s = fe_df_push_series(L, f->src, f->cols[k], f->names[k], f->mask);
  s->limit = f->limit;
  return 1;
}

static int f_compute(lua_State *L) {
  lua_settop(L, 1);
  return 1;
}

/* A reduction of one Series: a Scalar */
static int reduce_series(lua_State *L, const LSeries *s, int rop, const char *what) {
  int type = fe_df_tables(L)->x[s->expr].type;
  int items = table_json_list(fe_df_tables(L), s->expr);
  if (rop == CDRT_AGG_SUM && (items == CDRT_COL_INT64 || items == CDRT_COL_FLOAT64)) {
    /* x.nums:sum() of a JSON list field: Python's sum of each record's list (float64, NaN
     * where the list may be missing) */
    int t = items == CDRT_COL_INT64 && !fe_df_may_be_missing(L, s->expr) ? CDRT_COL_INT64
                                                                         : CDRT_COL_FLOAT64;
    int x = fe_df_add_expr(
        L, (TExpr){.kind = TX_STR, .type = t, .strfn = TS_LIST_SUM, .a = s->expr, .b = -1});
    fe_df_push_series(L, s->src, x, s->name, s->mask);
    return 1;
  }
  fe_df_check_list(L, s->expr, what); /* other reductions of each record's list: not yet */
  if (type == CDRT_COL_STR && rop != CDRT_AGG_COUNT && rop != CDRT_AGG_MIN && rop != CDRT_AGG_MAX &&
      rop != CDRT_AGG_NUNIQUE && rop != CDRT_AGG_ANY && rop != CDRT_AGG_ALL)
    fe_error(L, "%s is not supported for a Series of strings (dtype object)", what);
  if ((rop == CDRT_AGG_ANY || rop == CDRT_AGG_ALL) && s->limit >= 0)
    fe_error(L, "%s after head is not supported yet", what);
  if (rop != CDRT_AGG_COUNT && rop != CDRT_AGG_MIN && rop != CDRT_AGG_MAX &&
      rop != CDRT_AGG_NUNIQUE && !fe_df_nat_reduces(type, rop))
    fe_df_datetime_refuse(L, type, what);
  if (s->limit >= 0) return fe_df_reduce_head(L, rop, what);
  /* nunique is the size of the value counts' table */
  int r = fe_df_result_add(L, (TResult){.kind = rop == CDRT_AGG_NUNIQUE ? TR_VCOUNT : TR_AGG,
                                        .src = s->src,
                                        .mask = s->mask,
                                        .rop = rop,
                                        .expr = s->expr,
                                        .name = s->name,
                                        .limit = -1});
  return fe_df_push_scalar(L, r, table_agg_type(rop, type), what);
}

static bool numeric(int t) {
  return t != CDRT_COL_STR && !cdrt_col_nat(t);
}

/* df:mean() and the others: the numeric columns only (as the seed shows; pandas >= 2 raises
 * on strings), a Series indexed by the columns' names */
static int reduce_frame(lua_State *L, int rop, const char *what) {
  LFrame *f = fe_df_check_frame(L, 1);
  if (f->limit >= 0) fe_error(L, "%s after head is not supported yet", what);
  Arena *a = fe_arena(L);
  TResult st = {.kind = TR_STACK, .src = f->src, .mask = -1, .limit = -1};
  st.cols = arena_alloc(a, (size_t)(f->ncols + 1) * sizeof *st.cols);
  st.names = arena_alloc(a, (size_t)(f->ncols + 1) * sizeof *st.names);
  bool all_int = true;
  for (int k = 0; k < f->ncols; k++) {
    int type = fe_df_tables(L)->x[f->cols[k]].type;
    if (rop != CDRT_AGG_COUNT && rop != CDRT_AGG_NUNIQUE &&
        (!numeric(type) || (type == CDRT_COL_BOOL && (rop == CDRT_AGG_MIN || rop == CDRT_AGG_MAX))))
      continue; /* count and nunique count every column */
    int r = fe_df_result_add(L, (TResult){.kind = rop == CDRT_AGG_NUNIQUE ? TR_VCOUNT : TR_AGG,
                                          .src = f->src,
                                          .mask = f->mask,
                                          .rop = rop,
                                          .expr = f->cols[k],
                                          .name = f->names[k],
                                          .limit = -1});
    all_int &= table_agg_type(rop, type) == CDRT_COL_INT64;
    st.cols[st.ncols] = r, st.names[st.ncols++] = f->names[k];
  }
  st.rop = all_int && st.ncols ? CDRT_COL_INT64 : CDRT_COL_FLOAT64; /* the Series' dtype */
  int r = fe_df_result_add(L, st);
  LSeries *s = fe_df_push_series(L, f->src, -1, NULL, -1);
  s->result = r;
  return 1;
}

#define FRAME_REDUCTION(NAME, ROP)                                                                 \
  static int f_##NAME(lua_State *L) {                                                              \
    return reduce_frame(L, ROP, #NAME);                                                            \
  }
FRAME_REDUCTION(sum, CDRT_AGG_SUM)
FRAME_REDUCTION(mean, CDRT_AGG_MEAN)
FRAME_REDUCTION(min, CDRT_AGG_MIN)
FRAME_REDUCTION(max, CDRT_AGG_MAX)
FRAME_REDUCTION(count, CDRT_AGG_COUNT)
FRAME_REDUCTION(std, CDRT_AGG_STD)
FRAME_REDUCTION(var, CDRT_AGG_VAR)
FRAME_REDUCTION(nunique, CDRT_AGG_NUNIQUE)

/* df:assign{c = value} or df:assign{{"c", value}, ...} (in that order): a Series of the
 * frame, or a constant; an existing column keeps its place, a new one goes last */
static int operand(lua_State *L, int i, const LSeries *s);

/* df:assign with a computed Series among the values (g.v:transform("sum")): the frame's
 * rows collected, and each value assigned to them in turn */
static int assign_computed(lua_State *L, const LFrame *f, int n, bool ordered) {
  Arena *a = fe_arena(L);
  const char **names = arena_alloc(a, (size_t)n * sizeof *names);
  int *exprs = arena_alloc(a, (size_t)n * sizeof *exprs), npop;
  int *results = arena_alloc(a, (size_t)n * sizeof *results);
  LSeries ctx = {f->src, -1, NULL, f->mask, f->limit, -1, 0};
  if (f->limit >= 0) fe_error(L, "assign of a computed Series after head is not supported yet");
  for (int i = 0; i < n; i++) {
    names[i] = fe_df_assign_pair(L, 2, i, ordered, &npop);
    LSeries *s = luaL_testudata(L, -1, SERIES_MT);
    if (s && s->expr >= 0 && s->limit >= 0)
      fe_error(L, "assign: the Series '%s' has other rows than the frame (head)", names[i]);
    results[i] = s && s->expr < 0 ? s->result : -1;
    exprs[i] = results[i] < 0 ? operand(L, lua_gettop(L), &ctx) : -1;
    lua_pop(L, npop);
  }
  return fe_df_assign_rows(L, f, n, names, exprs, results);
}

static int f_assign(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1);
  bool ordered;
  int n = fe_df_assign_count(L, 2, &ordered), npop;
  for (int i = 0; i < n; i++) {
    fe_df_assign_pair(L, 2, i, ordered, &npop);
    LSeries *s = luaL_testudata(L, -1, SERIES_MT);
    bool computed = s && s->expr < 0;
    lua_pop(L, npop);
    if (computed) return assign_computed(L, f, n, ordered);
  }
  Arena *a = fe_arena(L);
  LFrame *g = fe_df_push_frame(L);
  *g = *f;
  g->cols = arena_alloc(a, (size_t)(f->ncols + n) * sizeof *g->cols);
  g->names = arena_alloc(a, (size_t)(f->ncols + n) * sizeof *g->names);
  memcpy(g->cols, f->cols, (size_t)f->ncols * sizeof *g->cols);
  memcpy(g->names, f->names, (size_t)f->ncols * sizeof *g->names);
  LSeries ctx = {f->src, -1, NULL, f->mask, f->limit, -1, 0};
  for (int i = 0; i < n; i++) {
    const char *name = fe_df_assign_pair(L, 2, i, ordered, &npop);
    LSeries *s = luaL_testudata(L, -1, SERIES_MT);
    if (s && s->limit != f->limit)
      fe_error(L, "assign: the Series '%s' has other rows than the frame (head)", name);
    int x = operand(L, lua_gettop(L), &ctx), k = frame_column(g, name);
    if (k < 0) k = g->ncols++;
    g->cols[k] = x, g->names[k] = name;
    lua_pop(L, npop);
  }
  return 1;
}

static const luaL_Reg frame_methods[] = {{"loc", f_loc},
                                         {"assign", f_assign},
                                         {"groupby", fe_df_groupby},
                                         {"resample", fe_df_resample},
                                         {"head", f_head},
                                         {"iloc", f_iloc},
                                         {"compute", f_compute},
                                         {"sum", f_sum},
                                         {"mean", f_mean},
                                         {"min", f_min},
                                         {"max", f_max},
                                         {"count", f_count},
                                         {"std", f_std},
                                         {"var", f_var},
                                         {"nunique", f_nunique},
                                         {"query", fe_df_query},
                                         {"eval", fe_df_eval},
                                         {NULL, NULL}};

static int frame_index(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1);
  if (lua_type(L, 2) == LUA_TTABLE) return push_subframe(L, f, 2);
  if (luaL_testudata(L, 2, SERIES_MT)) return f_loc(L); /* df[mask]: pandas' df.loc[mask] */
  const char *key = luaL_checkstring(L, 2);
  if (fe_df_frame_op(L, key) || fe_df_window_op(L, key) || fe_df_frame_method(L, key) ||
      fe_df_apply_op(L, key, true))
    return 1;
  for (const luaL_Reg *r = frame_methods; r->name; r++)
    if (strcmp(r->name, key) == 0) {
      lua_pushcfunction(L, r->func);
      return 1;
    }
  /* a JSON record's field (a bag's x.size is Python's x["size"]) before pandas' attributes */
  bool field = fe_df_tables(L)->src[f->src].json && frame_column(f, key) >= 0;
  if (!field && fe_df_shape_attribute(L, 1, key, false)) return 1;
  if (!field && strcmp(key, "index") == 0) return fe_df_push_index(L, 1); /* df[{"index"}] */
  if (strcmp(key, "columns") == 0) {
    lua_createtable(L, f->ncols, 0);
    for (int k = 0; k < f->ncols; k++) lua_pushstring(L, f->names[k]), lua_rawseti(L, -2, k + 1);
    return 1;
  }
  return push_column(L, f, key);
}

/* Dask's dtype of expression x in the repr of a lazy frame: a category read from a file has
 * categories known only when it is read */
static const char *structure_label(lua_State *L, int x) {
  return fe_df_tables(L)->x[x].cats ? "category[unknown]"
                                    : fe_df_type_label(fe_df_tables(L)->x[x].type);
}

/* A computed result's dtype label: a category's categories are known once it is computed */
static const char *shape_label(const TShape *sh, int k) {
  return sh->cats && sh->cats[k] ? "category" : fe_df_type_label(sh->types[k]);
}

/* Dask's repr of a frame: the structure (columns, a second row of MultiIndex columns' names
 * when subs, dtypes), not the values */
static void frame_structure(lua_State *L, StrBuf *b, int ncols, const char *const *names,
                            const char *const *subs, const char *const *labels, const char *np) {
  int *w = arena_alloc(fe_arena(L), (size_t)(ncols + 1) * sizeof *w);
  for (int k = 0; k < ncols; k++) {
    int l1 = (int)strlen(names[k] ? names[k] : ""), l2 = (int)strlen(labels[k]);
    int l3 = subs ? (int)strlen(subs[k] ? subs[k] : "") : 0;
    w[k] = l1 > l2 ? l1 : l2;
    if (l3 > w[k]) w[k] = l3;
  }
  int iw = (int)strlen(np);
  sb_printf(b, "Dask DataFrame Structure:\n%*s", iw, "");
  for (int k = 0; k < ncols; k++) { /* a MultiIndex's first level: once for its run */
    bool again = subs && k && names[k] && names[k - 1] && strcmp(names[k], names[k - 1]) == 0;
    sb_printf(b, " %*s", w[k], names[k] && !again ? names[k] : "");
  }
  if (subs) {
    sb_printf(b, "\n%*s", iw, "");
    for (int k = 0; k < ncols; k++) sb_printf(b, " %*s", w[k], subs[k] ? subs[k] : "");
  }
  sb_printf(b, "\n%s\n%*s", np, iw, "");
  for (int k = 0; k < ncols; k++) sb_printf(b, " %*s", w[k], labels[k]);
  sb_printf(b, "\n%*s", iw, "");
  for (int k = 0; k < ncols; k++) sb_printf(b, " %*s", w[k], "...");
}

/* Dask's repr of a lazy frame */
static int frame_tostring(lua_State *L) {
  fe_df_check_tostring(L);
  LFrame *f = fe_df_check_frame(L, 1);
  const char **labels = arena_alloc(fe_arena(L), (size_t)(f->ncols + 1) * sizeof *labels);
  for (int k = 0; k < f->ncols; k++) labels[k] = structure_label(L, f->cols[k]);
  const TSource *src = &fe_df_tables(L)->src[f->src];
  const char *np = src->arrays
                       ? arena_printf(fe_arena(L), "npartitions=%lld",
                                      (long long)((src->nrows + src->chunk - 1) / src->chunk))
                   : src->paths ? arena_printf(fe_arena(L), "npartitions=%d", src->npaths)
                                : "npartitions=1";
  StrBuf b;
  sb_init(&b);
  frame_structure(L, &b, f->ncols, (const char *const *)f->names, NULL, labels, np);
  if (src->arrays)
    sb_printf(&b, "\nDask Name: from_arrays%s", f->mask >= 0 ? " (filtered)" : "");
  else
    sb_printf(&b, "\nDask Name: read_csv, %s%s", src->path, f->mask >= 0 ? " (filtered)" : "");
  lua_pushstring(L, b.data);
  sb_free(&b);
  return 1;
}

/* ---- Series ---- */
/* The expression of operand i: a Series of s's frame, or a Lua number, boolean or string. */
/* Expression x (a Scalar's arithmetic) reads a Scalar of a from_arrays frame where source
 * src is a CSV file's, or the other way: the scans of the two kinds run apart */
static bool scalar_of_other_kind(const Tables *t, int x, int src) {
  if (x < 0) return false;
  const TExpr *e = &t->x[x];
  if (e->kind == TX_SCALAR) return table_result_after_arrays(t, (int)e->i) != !!t->src[src].arrays;
  return scalar_of_other_kind(t, e->a, src) || scalar_of_other_kind(t, e->b, src);
}

static int operand(lua_State *L, int i, const LSeries *s) {
  LSeries *o = luaL_testudata(L, i, SERIES_MT);
  if (o) {
    if (o->expr < 0)
      fe_error(L, "a computed Series (a sort's, a groupby's, a window operation's...) cannot be "
                  "used in expressions of a frame's columns: combine it with + - * / or assign "
                  "it");
    if (o->src != s->src || o->mask != s->mask)
      fe_error(L, "the two Series come from different frames (or filters): combining them needs an "
                  "index join, not supported yet");
    return o->expr;
  }
  int x = fe_df_constant(L, i);
  if (scalar_of_other_kind(fe_df_tables(L), x, s->src))
    fe_error(L, "a Series of a CSV file combined with a Scalar of a from_arrays frame (or the "
                "other way) is not supported yet");
  return x;
}

/* The Series among operands 1 and 2 */
static LSeries *either_series(lua_State *L) {
  LSeries *s = luaL_testudata(L, 1, SERIES_MT);
  if (!s) s = luaL_testudata(L, 2, SERIES_MT);
  if (!s || s->expr < 0) fe_error(L, "expected a Series of values");
  return s;
}

static const char *op_word(Op op) {
  return op_names[op];
}

/* The type of int64 op b (pandas keeps int64 where the divisor or the power is a constant
 * it can check now; a Series of them is not supported yet) */
static int int_arith_type(lua_State *L, Op op, const TExpr *b) {
  bool known = b->kind == TX_CONST;
  if (op == OP_POW) {
    if (!known)
      fe_error(L, "int64 ** a Series of int64 is not supported yet (pandas raises for a negative "
                  "power when it runs): astype(\"float64\") one side");
    if (b->i < 0)
      fe_error(L,
               "ValueError: Integers to negative integer powers are not allowed (write ^ %lld.0 "
               "for floats)",
               (long long)b->i);
  }
  if (op == OP_MOD || op == OP_FLOORDIV) {
    const char *w = op == OP_MOD ? "%" : "//";
    if (!known)
      fe_error(L,
               "int64 %s a Series of int64 is not supported yet (pandas makes a division by 0 "
               "NaN or inf, a float64): astype(\"float64\") one side",
               w);
    if (b->i == 0)
      fe_error(L, "%s 0 of int64 values: a division by zero (pandas gives float64 NaN or inf)", w);
  }
  return CDRT_COL_INT64;
}

/* a + b of strings */
static int concat_expr(lua_State *L, int a, int b) {
  return fe_df_add_expr(
      L, (TExpr){.kind = TX_STR, .type = CDRT_COL_STR, .strfn = TS_CONCAT, .a = a, .b = b});
}

static int binary(lua_State *L, Op op) {
  LSeries *c1 = luaL_testudata(L, 1, SERIES_MT), *c2 = luaL_testudata(L, 2, SERIES_MT);
  if ((c1 && c1->expr < 0) || (c2 && c2->expr < 0)) return fe_df_computed_binary(L, op);
  LSeries *s = either_series(L);
  if (s->limit >= 0) fe_error(L, "expressions after head are not supported yet");
  int a = operand(L, 1, s), b = operand(L, 2, s);
  fe_df_check_list(L, a, NULL), fe_df_check_list(L, b, NULL); /* a JSON field's lists */
  int nat = fe_df_nat_operands(L, op, &a, &b);
  bool dates = nat >= 0;
  int ta = fe_df_tables(L)->x[a].type, tb = fe_df_tables(L)->x[b].type, type = -1;
  bool cmp = op == OP_EQ || op == OP_NE || op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE;
  bool logic = op == OP_AND || op == OP_OR || op == OP_XOR;
  if (cmp && op != OP_EQ && op != OP_NE &&
      (fe_df_tables(L)->x[a].cats || fe_df_tables(L)->x[b].cats))
    fe_error(L, "TypeError: Unordered Categoricals can only compare equality or not");
  if (!dates && (ta == CDRT_COL_STR) != (tb == CDRT_COL_STR)) {
    if (op == OP_EQ || op == OP_NE) { /* never equal, always unequal: a constant */
      int r = fe_df_add_expr(
          L, (TExpr){.kind = TX_CONST, .type = CDRT_COL_BOOL, .i = op == OP_NE, .a = -1, .b = -1});
      fe_df_push_series(L, s->src, r, s->name, s->mask);
      return 1;
    }
    fe_error(L, "TypeError: '%s' is not supported between strings and numbers", op_word(op));
  }
  if (ta == CDRT_COL_STR && op == OP_ADD) /* pandas: concatenation */
    type = CDRT_COL_STR;
  else if (ta == CDRT_COL_STR && !cmp)
    fe_error(L, "TypeError: %s of strings is not supported", op_word(op));
  if (dates) {
    type = nat;
  } else if (type == CDRT_COL_STR) {
  } else if (logic) {
    if (ta != CDRT_COL_BOOL || tb != CDRT_COL_BOOL)
      fe_error(L, "%s needs Series of bools (comparisons), got %s and %s", op_word(op),
               fe_df_type_label(ta), fe_df_type_label(tb));
    type = CDRT_COL_BOOL;
  } else if (cmp)
    type = CDRT_COL_BOOL;
  else if (op == OP_DIV || ta == CDRT_COL_FLOAT64 || tb == CDRT_COL_FLOAT64)
    type = CDRT_COL_FLOAT64;
  else
    type = int_arith_type(L, op, &fe_df_tables(L)->x[b]);
  int r = type == CDRT_COL_STR
              ? concat_expr(L, a, b)
              : fe_df_add_expr(L, (TExpr){.kind = TX_OP, .type = type, .op = op, .a = a, .b = b});
  /* pandas' name: the operands' when they agree (a number has none to disagree) */
  LSeries *s1 = luaL_testudata(L, 1, SERIES_MT), *s2 = luaL_testudata(L, 2, SERIES_MT);
  const char *name = s->name;
  if (s1 && s2 && (!s1->name || !s2->name || strcmp(s1->name, s2->name) != 0)) name = NULL;
  fe_df_push_series(L, s->src, r, name, s->mask);
  return 1;
}

#define SERIES_BINARY(NAME, OP)                                                                    \
  static int s_##NAME(lua_State *L) {                                                              \
    return binary(L, OP);                                                                          \
  }
SERIES_BINARY(add, OP_ADD)
SERIES_BINARY(sub, OP_SUB)
SERIES_BINARY(mul, OP_MUL)
SERIES_BINARY(div, OP_DIV)
SERIES_BINARY(pow, OP_POW)
SERIES_BINARY(mod, OP_MOD)
SERIES_BINARY(floordiv, OP_FLOORDIV)
SERIES_BINARY(eq, OP_EQ)
SERIES_BINARY(ne, OP_NE)
SERIES_BINARY(lt, OP_LT)
SERIES_BINARY(le, OP_LE)
SERIES_BINARY(gt, OP_GT)
SERIES_BINARY(ge, OP_GE)
SERIES_BINARY(band, OP_AND)
SERIES_BINARY(bor, OP_OR)
SERIES_BINARY(bxor, OP_XOR)

/* a .. b: Lua's concatenation, of strings only (pandas' + of strings) */
static int s_concat(lua_State *L) {
  for (int i = 1; i <= 2; i++) {
    LSeries *s = luaL_testudata(L, i, SERIES_MT);
    bool str = s ? s->expr >= 0 && fe_df_tables(L)->x[s->expr].type == CDRT_COL_STR
                 : lua_type(L, i) == LUA_TSTRING;
    if (!str)
      fe_error(L, ".. joins Series of strings and strings (pandas' +), not %s",
               s ? (s->expr < 0 ? "a computed Series" : fe_df_expr_label(L, s->expr))
                 : luaL_typename(L, i));
  }
  return binary(L, OP_ADD);
}

static int unary(lua_State *L, Op op) {
  LSeries *c = luaL_testudata(L, 1, SERIES_MT);
  if (c && c->expr < 0 && op == OP_NOT) return fe_df_computed_not(L);
  LSeries *s = fe_df_check_values(L, 1, op_word(op));
  int t = fe_df_tables(L)->x[s->expr].type;
  if (!(t == CDRT_COL_TIMEDELTA && op == OP_NEG)) fe_df_datetime_refuse(L, t, op_word(op));
  if (op == OP_NOT && t != CDRT_COL_BOOL)
    fe_error(L, "~ needs a Series of bools, got %s", fe_df_type_label(t));
  if (op == OP_NEG && (t == CDRT_COL_STR || t == CDRT_COL_BOOL))
    fe_error(L, "cannot negate a Series of %s", fe_df_type_label(t));
  int r = fe_df_add_expr(L, (TExpr){.kind = TX_OP, .type = t, .op = op, .a = s->expr, .b = -1});
  fe_df_push_series(L, s->src, r, s->name, s->mask);
  return 1;
}
static int s_unm(lua_State *L) {
  return unary(L, OP_NEG);
}
static int s_bnot(lua_State *L) {
  return unary(L, OP_NOT);
}

static int s_isna(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "isna");
  int r = fe_df_add_expr(L, (TExpr){.kind = TX_ISNA, .type = CDRT_COL_BOOL, .a = s->expr, .b = -1});
  fe_df_push_series(L, s->src, r, s->name, s->mask);
  return 1;
}
static int s_notna(lua_State *L) {
  s_isna(L);
  LSeries *s = fe_df_check_values(L, -1, "notna");
  int r = fe_df_add_expr(
      L, (TExpr){.kind = TX_OP, .type = CDRT_COL_BOOL, .op = OP_NOT, .a = s->expr, .b = -1});
  fe_df_push_series(L, s->src, r, s->name, s->mask);
  return 1;
}
static int s_fillna(lua_State *L) {
  if (lua_isnoneornil(L, 2)) return fe_df_fillna_method(L);
  LSeries *s = fe_df_check_values(L, 1, "fillna");
  if (fe_df_tables(L)->x[s->expr].cats)
    fe_error(L, "fillna of a category is not supported yet (astype(\"str\") first)");
  int t = fe_df_tables(L)->x[s->expr].type, v = operand(L, 2, s), tv = fe_df_tables(L)->x[v].type;
  if (cdrt_col_nat(t) && tv != t) /* a Timedelta (dd.Timedelta, d:mean()) for timedeltas */
    fe_error(L,
             "fillna: a %s value for a Series of %s would change its dtype (give %s: a Series "
             "or a Scalar of them%s)",
             fe_df_type_label(tv), fe_df_type_label(t),
             t == CDRT_COL_TIMEDELTA ? "timedeltas" : "datetimes",
             t == CDRT_COL_TIMEDELTA ? ", or dd.Timedelta(\"1h\")" : ", such as df.a:min()");
  bool optional = table_optional_bool(fe_df_tables(L), s->expr) >= 0; /* a JSON bool field */
  if (t == CDRT_COL_BOOL && tv == CDRT_COL_BOOL && !optional) {
    lua_settop(L, 1); /* bools never miss a value: pandas' fillna(False) is the Series itself */
    return 1;
  }
  if (optional
          ? tv != CDRT_COL_BOOL
          : (t == CDRT_COL_STR) != (tv == CDRT_COL_STR) || cdrt_col_nat(t) != cdrt_col_nat(tv) ||
                (t != CDRT_COL_STR && tv == CDRT_COL_BOOL))
    fe_error(L, "fillna: a %s value for a Series of %s would change its dtype (not supported)",
             fe_df_type_label(tv), fe_df_type_label(t));
  int r = fe_df_add_expr(L, (TExpr){.kind = TX_FILLNA, .type = t, .a = s->expr, .b = v});
  fe_df_push_series(L, s->src, r, s->name, s->mask);
  return 1;
}
/* The casts of datetimes and timedeltas pandas 1.5 makes: to int64 (their nanoseconds, NaT
 * the smallest int64), timedeltas to str; to float64 it raises */
static void astype_check(lua_State *L, int from, int t) {
  if (!cdrt_col_nat(from) || t == from) {
    bool parsed = t == CDRT_COL_DATETIME && (from == CDRT_COL_STR || from == CDRT_COL_INT64);
    if (t != from && cdrt_col_nat(t) && !parsed) fe_df_datetime_refuse(L, t, "astype");
    return;
  }
  const char *array = from == CDRT_COL_DATETIME ? "DatetimeArray" : "TimedeltaArray";
  if (t == CDRT_COL_FLOAT64 || t == CDRT_COL_BOOL)
    fe_error(L, "astype: TypeError: Cannot cast %s to dtype %s (astype(\"int64\") gives %s)", array,
             t == CDRT_COL_BOOL ? "bool" : "float64",
             from == CDRT_COL_DATETIME ? "the nanoseconds since 1970" : "the nanoseconds");
  if (t == CDRT_COL_STR && from == CDRT_COL_DATETIME)
    fe_error(L, "astype(\"str\") of datetimes is not supported yet (pandas writes the column "
                "at one precision; dd.to_csv writes them as pandas does)");
  if (t != CDRT_COL_INT64 && t != CDRT_COL_STR) fe_df_datetime_refuse(L, from, "astype");
}

static int cast_push(lua_State *L, const LSeries *s, int t, const char *what);
static int s_astype(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "astype");
  const char *name = luaL_checkstring(L, 2);
  int t = type_by_name(L, s->name ? s->name : "?", name), from = fe_df_tables(L)->x[s->expr].type;
  if (t == TYPE_CATEGORY) {
    if (from != CDRT_COL_STR)
      fe_error(L, "astype(\"category\") of a Series of %s is not supported yet (of strings only)",
               fe_df_type_label(from));
    int r =
        fe_df_tables(L)->x[s->expr].cats ? s->expr : fe_df_categorize(L, s->src, s->expr, s->name);
    fe_df_push_series(L, s->src, r, s->name, s->mask);
    return 1;
  }
  astype_check(L, from, t);
  return cast_push(L, s, t, "astype");
}

/* s cast to type t (TX_CAST) pushed; what names the call in the run time's message of a
 * value that cannot convert */
static int cast_push(lua_State *L, const LSeries *s, int t, const char *what) {
  const char *file;
  int line;
  fe_df_locate(L, &file, &line);
  int r = t == fe_df_tables(L)->x[s->expr].type && t != CDRT_COL_STR
              ? s->expr /* strings: a missing one is "nan" */
              : fe_df_add_expr(L, (TExpr){.kind = TX_CAST,
                                          .type = t,
                                          .a = s->expr,
                                          .b = -1,
                                          .s = arena_printf(fe_arena(L), "%s at %s:%d", what,
                                                            file ? file : "?", line)});
  fe_df_push_series(L, s->src, r, s->name, s->mask);
  return 1;
}

/* dd.to_datetime(s): strings parsed as read_csv's parse_dates reads them (a missing one is
 * NaT, one that does not read stops the run), int64 as nanoseconds since 1970 */
static int l_to_datetime(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "to_datetime");
  int from = fe_df_tables(L)->x[s->expr].type;
  if (!lua_isnoneornil(L, 2))
    fe_error(L, "to_datetime: options are not supported yet (strings as read_csv's parse_dates "
                "reads them, int64 as nanoseconds)");
  if (from != CDRT_COL_STR && from != CDRT_COL_INT64 && from != CDRT_COL_DATETIME)
    fe_error(L, "to_datetime of a Series of %s is not supported yet (of strings or int64)",
             fe_df_type_label(from));
  if (fe_df_tables(L)->x[s->expr].cats)
    fe_error(L, "to_datetime of a category is not supported yet (astype(\"str\") first)");
  return cast_push(L, s, CDRT_COL_DATETIME, "to_datetime");
}

/* s:loc(from, to) by index labels */
static int s_loc(lua_State *L) {
  fe_df_refuse_traced(L, "loc (a selection of rows)", true);
  LSeries *s = fe_df_check_values(L, 1, "loc");
  if (s->limit >= 0) fe_error(L, "loc after head is not supported yet");
  int m;
  if (loc_labels(L)) {
    m = fe_df_label_mask(L, s->src, 2, lua_gettop(L) >= 3 ? 3 : 4);
  } else {
    m = loc_mask(L, s->src, s->mask, 2);
  }
  LSeries *r = fe_df_push_series(L, s->src, s->expr, s->name, and_masks(L, s->mask, m));
  r->limit = -1;
  return 1;
}

static int s_head(lua_State *L) {
  fe_df_refuse_traced(L, "head", false);
  LSeries *s = fe_df_check_values(L, 1, "head");
  int64_t n = check_head_n(L, 2);
  LSeries *t = fe_df_push_series(L, s->src, s->expr, s->name, s->mask);
  t->limit = s->limit >= 0 && s->limit < n ? s->limit : n;
  return 1;
}

/* value_counts of a computed Series of a category (a merge's indicator): every category */
static int computed_cat_counts(lua_State *L, const LSeries *s) {
  TShape sh = table_result_shape(fe_df_graph(L), s->result);
  if (!sh.series || !sh.cats || !sh.cats[0]) return 0;
  if (!lua_isnoneornil(L, 2))
    fe_error(L, "value_counts of a computed Series of categories takes no options yet");
  int *cols = arena_alloc(fe_arena(L), sizeof *cols);
  cols[0] = sh.cats[0] - 1;
  int r = fe_df_result_add(L, (TResult){.kind = TR_POST,
                                        .src = -1,
                                        .mask = -1,
                                        .rop = -1,
                                        .expr = -1,
                                        .in = s->result,
                                        .fop = FOP_CAT_COUNTS,
                                        .ncols = 1,
                                        .cols = cols,
                                        .limit = -1,
                                        .series = true});
  return fe_df_push_computed(L, r, "value_counts");
}

static int s_value_counts(lua_State *L) {
  LSeries *s0 = fe_df_check_series(L, 1);
  if (s0->expr < 0 && s0->result >= 0 && computed_cat_counts(L, s0)) return 1;
  LSeries *s = fe_df_check_values(L, 1, "value_counts");
  if (s->limit >= 0) fe_error(L, "value_counts after head is not supported yet");
  int opts = fe_named_options(L, 2, "value_counts", "sort normalize");
  bool sort = true, normalize = false;
  if (opts) {
    lua_getfield(L, opts, "sort");
    if (!lua_isnil(L, -1)) sort = lua_toboolean(L, -1);
    lua_getfield(L, opts, "normalize");
    normalize = lua_toboolean(L, -1);
    lua_pop(L, 2);
  }
  int r = fe_df_result_add(L, (TResult){.kind = TR_VCOUNT,
                                        .src = s->src,
                                        .mask = s->mask,
                                        .rop = -1,
                                        .expr = s->expr,
                                        .name = s->name,
                                        .limit = -1,
                                        .unsorted = !sort});
  if (normalize) return fe_df_normalized(L, r); /* pandas 2's "proportion" */
  LSeries *v = fe_df_push_series(L, s->src, -1, "count", -1);
  v->result = r;
  return 1;
}

#define SERIES_REDUCTION(NAME, ROP)                                                                \
  static int s_##NAME(lua_State *L) {                                                              \
    return reduce_series(L, fe_df_check_values(L, 1, #NAME), ROP, #NAME);                          \
  }
SERIES_REDUCTION(sum, CDRT_AGG_SUM)
SERIES_REDUCTION(mean, CDRT_AGG_MEAN)
SERIES_REDUCTION(min, CDRT_AGG_MIN)
SERIES_REDUCTION(max, CDRT_AGG_MAX)
SERIES_REDUCTION(count, CDRT_AGG_COUNT)
SERIES_REDUCTION(nunique, CDRT_AGG_NUNIQUE)
SERIES_REDUCTION(any, CDRT_AGG_ANY)
SERIES_REDUCTION(all, CDRT_AGG_ALL)

/* s:std() and s:var(), {ddof = 1} (pandas') or 0 (NumPy's, Dask bag's) */
static int series_spread(lua_State *L, bool is_std) {
  const char *what = is_std ? "std" : "var";
  LSeries *s = fe_df_check_values(L, 1, what);
  int opts = fe_named_options(L, 2, what, "ddof");
  lua_Integer ddof = 1;
  if (opts) {
    lua_getfield(L, opts, "ddof");
    if (!lua_isnil(L, -1)) {
      if (!lua_isinteger(L, -1) || (lua_tointeger(L, -1) != 0 && lua_tointeger(L, -1) != 1))
        fe_error(L, "%s: ddof must be 0 or 1 (others are not supported yet)", what);
      ddof = lua_tointeger(L, -1);
    }
    lua_pop(L, 1);
  }
  if (ddof == 0 && s->limit >= 0) fe_error(L, "%s{ddof = 0} after head is not supported yet", what);
  int rop =
      is_std ? (ddof ? CDRT_AGG_STD : CDRT_AGG_STD_POP) : (ddof ? CDRT_AGG_VAR : CDRT_AGG_VAR_POP);
  return reduce_series(L, s, rop, what);
}
static int s_std(lua_State *L) {
  return series_spread(L, true);
}
static int s_var(lua_State *L) {
  return series_spread(L, false);
}

/* s.str: pandas' string methods */
/* s.str.contains("a") and s.str:contains("a") both work: the method is a closure over its
 * accessor (upvalue 1), which a colon call also passes first */
static int str_method(lua_State *L, int fn, const char *what) {
  LSeries *s = luaL_checkudata(L, lua_upvalueindex(1), STRACC_MT);
  int arg = luaL_testudata(L, 1, STRACC_MT) ? 2 : 1;
  int pat = -1;
  bool to_str =
      fn == TS_LOWER || fn == TS_UPPER || fn == TS_STRIP || fn == TS_LSTRIP || fn == TS_RSTRIP;
  if (to_str && fn != TS_LOWER && fn != TS_UPPER && !lua_isnoneornil(L, arg)) {
    if (lua_type(L, arg) != LUA_TSTRING) /* Python: the code points of chars */
      fe_error(L, "str.%s: chars must be a string, got %s", what, luaL_typename(L, arg));
    fe_check_string(L, arg, arena_printf(fe_arena(L), "str.%s: chars", what), true);
    pat = fe_df_constant(L, arg);
  }
  if (!to_str && fn != TS_LEN) {
    if (lua_type(L, arg) != LUA_TSTRING) fe_error(L, "str.%s: the pattern must be a string", what);
    pat = operand(L, arg, s);
  }
  int type = to_str ? CDRT_COL_STR : CDRT_COL_BOOL;
  if (fn == TS_LEN) /* pandas: int64, or float64 (NaN) where a value is missing */
    type = fe_df_may_be_missing(L, s->expr) ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
  int r =
      fe_df_add_expr(L, (TExpr){.kind = TX_STR, .type = type, .strfn = fn, .a = s->expr, .b = pat});
  fe_df_push_series(L, s->src, r, s->name, s->mask);
  return 1;
}
/* The string opts[key] as a constant expression, or -1 when it is absent */
static int string_option(lua_State *L, int opts, const char *key) {
  if (!opts) return -1;
  lua_getfield(L, opts, key);
  int x = -1;
  if (!lua_isnil(L, -1)) {
    if (lua_type(L, -1) != LUA_TSTRING) fe_error(L, "str.cat: %s must be a string", key);
    x = fe_df_constant(L, lua_gettop(L));
  }
  lua_pop(L, 1);
  return x;
}

/* s.str:cat(others, {sep = "", na_rep}): pandas' str.cat of two Series of one frame, row by
 * row: missing where either is (na_rep: that string in its place) */
static int str_cat(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  LSeries *o = luaL_testudata(L, arg, SERIES_MT);
  if (!o)
    fe_error(L, "str.cat: others must be a Series of strings (joining a Series' own values into "
                "one string is not supported yet)");
  int opts = fe_options(L, arg + 1);
  int a = s->expr, b = operand(L, arg, s);
  if (fe_df_tables(L)->x[b].type != CDRT_COL_STR)
    fe_error(L, "str.cat: others must be a Series of strings, got %s", fe_df_expr_label(L, b));
  int sep = string_option(L, opts, "sep"), na = string_option(L, opts, "na_rep");
  if (na >= 0) {
    a = fe_df_add_expr(L, (TExpr){.kind = TX_FILLNA, .type = CDRT_COL_STR, .a = a, .b = na});
    b = fe_df_add_expr(L, (TExpr){.kind = TX_FILLNA, .type = CDRT_COL_STR, .a = b, .b = na});
  }
  int x = concat_expr(L, sep >= 0 ? concat_expr(L, a, sep) : a, b);
  fe_df_push_series(L, s->src, x, s->name, s->mask);
  return 1;
}

/* s.str:replace(pat, repl, {n, regex}): the literal pat replaced (pandas 2's regex = false);
 * at most n times (default -1: all) */
static int str_replace(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  if (lua_type(L, arg) != LUA_TSTRING || lua_type(L, arg + 1) != LUA_TSTRING)
    fe_error(L, "str.replace: the pattern and the replacement must be strings");
  int opts = fe_options(L, arg + 2);
  int64_t n = -1;
  if (opts) {
    lua_getfield(L, opts, "n");
    if (!lua_isnil(L, -1)) n = fe_check_int(L, -1, "str.replace: n");
    lua_pop(L, 1);
    bool regex = fe_bool_option(L, opts, "regex", "str.replace", false);
    int r = regex ? fe_df_str_sub(L, s, arg, n, opts) : -1;
    if (r >= 0) return r; /* else literal (pandas 1.5: a pattern of one character) */
    if (!regex && !fe_bool_option(L, opts, "case", "str.replace", true))
      fe_error(L, "str.replace: ValueError: case cannot be set if regex=False (pandas 2)");
  }
  int pat = operand(L, arg, s);
  size_t len;
  const char *r = fe_check_string(L, arg + 1, "str.replace: the replacement", true);
  lua_tolstring(L, arg + 1, &len);
  char *copy = arena_alloc(fe_arena(L), len + 1);
  memcpy(copy, r, len + 1);
  int x = fe_df_add_expr(L, (TExpr){.kind = TX_STR,
                                    .type = CDRT_COL_STR,
                                    .strfn = TS_REPLACE,
                                    .a = s->expr,
                                    .b = pat,
                                    .s = copy,
                                    .slen = (int64_t)len,
                                    .i = n < 0 ? -1 : n});
  fe_df_push_series(L, s->src, x, s->name, s->mask);
  return 1;
}

/* s.str:slice(start, stop, step): Python's s[start:stop:step] by code points (nil: open) */
static int str_slice(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  int64_t ends[2] = {INT64_MIN, INT64_MIN};
  for (int k = 0; k < 2; k++)
    if (!lua_isnoneornil(L, arg + k)) {
      ends[k] = fe_check_int(L, arg + k, k ? "str.slice: stop" : "str.slice: start");
      if (ends[k] == INT64_MIN) fe_error(L, "str.slice: an index out of range");
    }
  int64_t step = lua_isnoneornil(L, arg + 2) ? 1 : fe_check_int(L, arg + 2, "str.slice: step");
  if (step == 0) fe_error(L, "str.slice: ValueError: slice step cannot be zero");
  if (step == INT64_MIN) fe_error(L, "str.slice: a step out of range");
  int x = fe_df_add_expr(L, (TExpr){.kind = TX_STR,
                                    .type = CDRT_COL_STR,
                                    .strfn = TS_SLICE,
                                    .a = s->expr,
                                    .b = -1,
                                    .i = ends[0],
                                    .slen = ends[1],
                                    .step = step});
  fe_df_push_series(L, s->src, x, s->name, s->mask);
  return 1;
}

/* s.str:contains(pat, {case, regex}): pandas' default is a regular expression */
static int str_contains(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  int r = fe_df_str_search(L, s, arg, 0, "contains");
  return r < 0 ? str_method(L, TS_CONTAINS, "contains") : r;
}
static int str_match(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  return fe_df_str_search(L, s, arg, CDRT_RX_START, "match");
}
static int str_count(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  return fe_df_str_count(L, s, arg);
}
static int str_extract(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  return fe_df_str_extract(L, s, arg);
}
static int str_fullmatch(lua_State *L) {
  int arg;
  LSeries *s = fe_df_str_series(L, &arg);
  return fe_df_str_search(L, s, arg, CDRT_RX_FULL, "fullmatch");
}
static int str_startswith(lua_State *L) {
  return str_method(L, TS_STARTSWITH, "startswith");
}
static int str_endswith(lua_State *L) {
  return str_method(L, TS_ENDSWITH, "endswith");
}
static int str_lower(lua_State *L) {
  return str_method(L, TS_LOWER, "lower");
}
static int str_upper(lua_State *L) {
  return str_method(L, TS_UPPER, "upper");
}
static int str_len(lua_State *L) {
  return str_method(L, TS_LEN, "len");
}
static int str_strip(lua_State *L) {
  return str_method(L, TS_STRIP, "strip");
}
static int str_lstrip(lua_State *L) {
  return str_method(L, TS_LSTRIP, "lstrip");
}
static int str_rstrip(lua_State *L) {
  return str_method(L, TS_RSTRIP, "rstrip");
}

static const luaL_Reg series_methods[] = {{"add", s_add},
                                          {"sub", s_sub},
                                          {"mul", s_mul},
                                          {"div", s_div},
                                          {"mod", s_mod},
                                          {"floordiv", s_floordiv},
                                          {"eq", s_eq},
                                          {"ne", s_ne},
                                          {"lt", s_lt},
                                          {"le", s_le},
                                          {"gt", s_gt},
                                          {"ge", s_ge},
                                          {"isna", s_isna},
                                          {"notna", s_notna},
                                          {"fillna", s_fillna},
                                          {"astype", s_astype},
                                          {"head", s_head},
                                          {"value_counts", s_value_counts},
                                          {"sum", s_sum},
                                          {"mean", s_mean},
                                          {"min", s_min},
                                          {"max", s_max},
                                          {"count", s_count},
                                          {"std", s_std},
                                          {"var", s_var},
                                          {"any", s_any},
                                          {"all", s_all},
                                          {"nunique", s_nunique},
                                          {"compute", f_compute},
                                          {"loc", s_loc},
                                          {NULL, NULL}};

/* x.index's own attributes: to_series(), and a DatetimeIndex's fields without .dt (pandas'
 * df.index.hour), themselves an index */
static bool index_attribute(lua_State *L, const LSeries *s, const char *key) {
  if (strcmp(key, "to_series") == 0) return lua_pushcfunction(L, fe_df_index_to_series), true;
  if (!fe_df_dt_field(key)) return false;
  if (s->expr < 0 && table_result_shape(fe_df_graph(L), s->result).types[0] != CDRT_COL_DATETIME)
    return false;
  if (s->expr < 0)
    fe_error(L,
             "the fields of a computed index are not supported yet; take them from the "
             "column before set_index (df.t.dt.%s)",
             key);
  if (fe_df_tables(L)->x[s->expr].type != CDRT_COL_DATETIME) return false;
  fe_df_dt_accessor(L, s);
  lua_getfield(L, -1, key);
  ((LSeries *)luaL_checkudata(L, -1, SERIES_MT))->index = 2;
  return true;
}

static int series_index(lua_State *L) {
  LSeries *s = fe_df_check_series(L, 1);
  if (s->expr < 0 && fe_df_computed_index(L, s->result)) return 1;
  if (s->expr >= 0 && luaL_testudata(L, 2, SERIES_MT)) return s_loc(L); /* s[mask] */
  const char *key = luaL_checkstring(L, 2);
  if (s->index && index_attribute(L, s, key)) return 1;
  if (strcmp(key, "index") == 0) return fe_df_push_index(L, 1);
  if (fe_df_frame_op(L, key) || fe_df_window_op(L, key)) return 1;
  if (s->expr < 0 && fe_df_computed_method(L, key)) return 1;
  if (s->expr >= 0 && (fe_df_series_op(L, key) || fe_df_apply_op(L, key, false))) return 1;
  if (s->expr < 0 && strcmp(key, "groupby") == 0) return lua_pushcfunction(L, fe_df_groupby), 1;
  if (s->expr < 0 && strcmp(key, "resample") == 0) return lua_pushcfunction(L, fe_df_resample), 1;
  for (const luaL_Reg *r = series_methods; r->name; r++)
    if (strcmp(r->name, key) == 0) {
      lua_pushcfunction(L, r->func);
      return 1;
    }
  if (strcmp(key, "str") == 0) {
    if (s->expr < 0 || fe_df_tables(L)->x[s->expr].type != CDRT_COL_STR)
      fe_error(L, "Can only use .str accessor with string values");
    LSeries *a = lua_newuserdatauv(L, sizeof *a, 0);
    *a = *s;
    luaL_setmetatable(L, STRACC_MT);
    return 1;
  }
  if (strcmp(key, "dt") == 0) return fe_df_dt_accessor(L, s);
  if (fe_df_shape_attribute(L, 1, key,
                            s->expr >= 0 || table_result_shape(fe_df_graph(L), s->result).series))
    return 1;
  if (strcmp(key, "name") == 0) return lua_pushstring(L, s->name), 1;
  if (strcmp(key, "dtype") == 0) {
    if (s->expr >= 0) return lua_pushstring(L, fe_df_expr_label(L, s->expr)), 1;
    TShape sh = table_result_shape(fe_df_graph(L), s->result);
    if (!sh.series || sh.ncols != 1) fe_error(L, "a frame has no dtype (its columns have dtypes)");
    lua_pushstring(L, shape_label(&sh, 0));
    return 1;
  }
  return fe_error(L, "Series has no attribute or method '%s'", key);
}

/* Dask's repr of a computed result (a groupby's, a merge's, a sort's): a frame's structure,
 * or a Series' */
static int computed_tostring(lua_State *L, const LSeries *s) {
  Graph *g = fe_df_graph(L);
  TShape sh = table_result_shape(g, s->result);
  const char *what = table_result_name(&g->tables, s->result);
  if (sh.series && sh.ncols == 1) {
    lua_pushfstring(L,
                    "Dask %s Structure:\nnpartitions=1\n    %s\n    ...\nName: %s, dtype: "
                    "%s\nDask Name: %s",
                    s->index ? "Index" : "Series", shape_label(&sh, 0), s->name ? s->name : "None",
                    shape_label(&sh, 0), what);
    return 1;
  }
  const char **labels = arena_alloc(fe_arena(L), (size_t)(sh.ncols + 1) * sizeof *labels);
  for (int k = 0; k < sh.ncols; k++) labels[k] = shape_label(&sh, k);
  StrBuf b;
  sb_init(&b);
  frame_structure(L, &b, sh.ncols, sh.names, sh.multi ? sh.subs : NULL, labels, "npartitions=1");
  sb_printf(&b, "\nDask Name: %s", what);
  lua_pushstring(L, b.data);
  sb_free(&b);
  return 1;
}

static int series_tostring(lua_State *L) {
  fe_df_check_tostring(L);
  LSeries *s = fe_df_check_series(L, 1);
  if (s->expr < 0) return computed_tostring(L, s);
  lua_pushfstring(L, "Dask %s Structure:\nnpartitions=1\n    %s\n    ...\nName: %s, dtype: %s",
                  s->index ? "Index" : "Series", structure_label(L, s->expr),
                  s->name ? s->name : "None", fe_df_expr_label(L, s->expr));
  return 1;
}

static int scalar_tostring(lua_State *L) {
  fe_df_check_tostring(L);
  LScalar *s = luaL_checkudata(L, 1, SCALAR_MT);
  lua_pushfstring(L, "dd.Scalar<%s, dtype=%s>", s->what, fe_df_type_label(s->type));
  return 1;
}
static int scalar_index(lua_State *L) {
  const char *key = luaL_checkstring(L, 2);
  if (strcmp(key, "compute") == 0) return lua_pushcfunction(L, f_compute), 1;
  if (strcmp(key, "to_array") == 0) return lua_pushcfunction(L, fe_df_to_array), 1;
  return fe_error(L, "Scalar has no attribute or method '%s'", key);
}

/* ---- outputs ---- */
/* The result an output of the value at idx shows (a new TR_ROWS for frames and Series). */
static int output_result(lua_State *L, int idx, const char *what, bool csv) {
  LScalar *sc = luaL_testudata(L, idx, SCALAR_MT);
  if (sc) {
    if (csv) fe_error(L, "%s: a scalar cannot be written as CSV (print it)", what);
    return sc->result;
  }
  if (!luaL_testudata(L, idx, SERIES_MT) && !luaL_testudata(L, idx, FRAME_MT))
    fe_error(L, "%s: expected a DataFrame, a Series or a Scalar, got %s", what,
             luaL_typename(L, idx));
  LSeries *ix = luaL_testudata(L, idx, SERIES_MT);
  if (ix && ix->index)
    fe_error(L,
             "%s: an index prints as pandas' Index, which cdask does not write; give its "
             "labels as a Series, x.index:to_series()",
             what);
  return fe_df_rows_of(L, idx);
}

static int l_print(lua_State *L) {
  const char *label =
      lua_isnoneornil(L, 2) ? "result" : fe_check_string(L, 2, "dd.print: the label", true);
  TOutput o = {
      .csv = false, .str = arena_strdup(fe_arena(L), label), .before = fe_df_graph(L)->noutputs};
  o.result = output_result(L, 1, "dd.print", false);
  fe_df_locate(L, &o.file, &o.line);
  table_add_output(fe_df_graph(L), &o);
  return 0;
}

/* An output file's name (what: "to_csv"): one the program may write, and not yet written */
void fe_df_check_out_path(lua_State *L, const char *path, const char *what) {
  if (!*path) fe_error(L, "%s: empty path", what);
  char why[256];
  if (cdrt_output_name_problem(path, why, sizeof why) != 0)
    fe_error(L, "%s: '%s' %s", what, path, why);
  Graph *g = fe_df_graph(L);
  for (int i = 0; i < g->tables.nout; i++)
    if ((g->tables.out[i].csv || g->tables.out[i].npy || g->tables.out[i].text) &&
        strcmp(g->tables.out[i].str, path) == 0)
      fe_error(L, "%s is already written by line %d", path, g->tables.out[i].line);
  for (int i = 0; i < g->noutputs; i++) {
    Node *o = &g->nodes[g->outputs[i]];
    if (o->op == OP_TO_NPY && strcmp(o->str, path) == 0)
      fe_error(L, "%s is already written by line %d", path, o->line);
  }
}

/* dd.to_npy(x, path): a Series of numbers as a 1-d array, a scalar as a 0-d one */
static int l_to_npy(lua_State *L) {
  const char *path = fe_check_string(L, 2, "to_npy: the path", true);
  size_t len = strlen(path);
  /* numpy.save appends .npy when the name lacks it */
  path = len >= 4 && strcmp(path + len - 4, ".npy") == 0 ? arena_strdup(fe_arena(L), path)
         : len                                           ? arena_printf(fe_arena(L), "%s.npy", path)
                                                         : "";
  fe_df_check_out_path(L, path, "to_npy");
  Graph *g = fe_df_graph(L);
  if (luaL_testudata(L, 1, FRAME_MT))
    fe_error(L, "dd.to_npy writes a Series or a scalar (an array of one dtype): pick a column, "
                "df.x or df[\"x\"]");
  TOutput o = {.npy = true, .str = path, .before = g->noutputs};
  o.result = output_result(L, 1, "dd.to_npy", false);
  TShape sh = table_result_shape(g, o.result);
  int type = sh.scalar ? sh.type : sh.types[0];
  if (!sh.scalar && sh.ncols != 1)
    fe_error(L, "dd.to_npy writes a Series or a scalar: this frame has %d columns", sh.ncols);
  if (type == CDRT_COL_STR || cdrt_col_nat(type))
    fe_error(L, "dd.to_npy writes numbers and bools; this is %s (write it with dd.to_csv)",
             fe_df_type_label(type));
  fe_df_locate(L, &o.file, &o.line);
  table_add_output(g, &o);
  return 0;
}

static int l_to_csv(lua_State *L) {
  const char *path = fe_check_string(L, 2, "to_csv: the path", true);
  fe_df_check_out_path(L, path, "to_csv");
  Graph *g = fe_df_graph(L);
  TOutput o = {.csv = true, .str = arena_strdup(fe_arena(L), path), .before = g->noutputs};
  o.result = output_result(L, 1, "dd.to_csv", true);
  fe_df_locate(L, &o.file, &o.line);
  table_add_output(g, &o);
  return 0;
}

static int stracc_index(lua_State *L) {
  static const luaL_Reg fns[] = {{"contains", str_contains},
                                 {"startswith", str_startswith},
                                 {"endswith", str_endswith},
                                 {"lower", str_lower},
                                 {"upper", str_upper},
                                 {"len", str_len},
                                 {"strip", str_strip},
                                 {"lstrip", str_lstrip},
                                 {"rstrip", str_rstrip},
                                 {"replace", str_replace},
                                 {"slice", str_slice},
                                 {"match", str_match},
                                 {"fullmatch", str_fullmatch},
                                 {"count", str_count},
                                 {"extract", str_extract},
                                 {"cat", str_cat},
                                 {NULL, NULL}};
  const char *key = luaL_checkstring(L, 2);
  for (const luaL_Reg *r = fns; r->name; r++)
    if (strcmp(r->name, key) == 0) {
      lua_pushvalue(L, 1);
      lua_pushcclosure(L, r->func, 1);
      return 1;
    }
  if (fe_df_str_more(L, key)) return 1;
  return fe_error(L,
                  "str has no method '%s' (contains, match, fullmatch, count, extract, "
                  "startswith, endswith, find, rfind, lower, upper, len, strip, lstrip, "
                  "rstrip, replace, slice, get, cat, zfill, pad, ljust, rjust, center, split)",
                  key);
}
static int stracc_tostring(lua_State *L) {
  return lua_pushstring(L, "StringMethods"), 1;
}

int fe_open_dataframe(lua_State *L) {
  fe_open_groupby(L);
  fe_open_datetime(L);
  fe_open_window(L);
  fe_open_frame_shape(L);
  fe_df_metatable(L, FRAME_MT, frame_index, frame_tostring);
  lua_pushcfunction(L, fe_df_len);
  lua_setfield(L, -2, "__len");
  lua_pop(L, 1);
  fe_df_metatable(L, SERIES_MT, series_index, series_tostring);
  static const luaL_Reg ops[] = {{"__add", s_add},   {"__concat", s_concat}, {"__sub", s_sub},
                                 {"__mul", s_mul},   {"__div", s_div},       {"__pow", s_pow},
                                 {"__unm", s_unm},   {"__mod", s_mod},       {"__idiv", s_floordiv},
                                 {"__band", s_band}, {"__bor", s_bor},       {"__bxor", s_bxor},
                                 {"__bnot", s_bnot}, {"__len", fe_df_len},   {NULL, NULL}};
  luaL_setfuncs(L, ops, 0);
  lua_pop(L, 1);
  fe_df_metatable(L, SCALAR_MT, scalar_index, scalar_tostring);
  fe_df_scalar_arithmetic(L, lua_gettop(L));
  lua_pop(L, 1);
  fe_df_metatable(L, STRACC_MT, stracc_index, stracc_tostring);
  lua_pop(L, 1);
  static const luaL_Reg fns[] = {{"read_csv", l_read_csv},
                                 {"print", l_print},
                                 {"to_csv", l_to_csv},
                                 {"to_npy", l_to_npy},
                                 {"merge", fe_df_merge},
                                 {"concat", fe_df_concat},
                                 {"Timedelta", fe_df_timedelta},
                                 {"to_datetime", l_to_datetime},
                                 {NULL, NULL}};
  lua_newtable(L);
  fe_add_functions(L, lua_gettop(L), fns);
  fe_open_from_arrays(L, lua_gettop(L));
  return 1;
}
