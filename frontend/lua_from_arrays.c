/* lua_from_arrays.c: frames made of cdask arrays (frontend.h, "lua_from_arrays.c"):
 * dd.from_arrays (its columns are 1-d arrays, its index a RangeIndex or dd.date_range's
 * DatetimeIndex), dd.date_range, and df:loc by index labels (inclusive, as pandas slices
 * a sorted index; a date written in part stands for its whole period). */
#include "frontend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INDEX_MT "cdask.dataframe.DatetimeIndex"

#define NS_SEC INT64_C(1000000000)
#define NS_DAY (86400 * NS_SEC)

/* dd.date_range's index: n labels start + i * step ns */
typedef struct {
  int64_t start, step, n;
  const char *name, *freq; /* freq: pandas' freqstr */
} LDateIndex;

/* The fixed frequencies pandas 1.5 names, coarsest first: aliases (the first is pandas'
 * freqstr) and the length in ns. Months, years and weeks are not fixed. */
static const struct {
  const char *alias[3];
  int64_t ns;
} units[] = {{{"D", NULL, NULL}, NS_DAY},
             {{"H", "h", NULL}, 3600 * NS_SEC},
             {{"T", "min", NULL}, 60 * NS_SEC},
             {{"S", "s", NULL}, NS_SEC},
             {{"L", "ms", NULL}, 1000000},
             {{"U", "us", NULL}, 1000},
             {{"N", "ns", NULL}, 1}};
enum { NUNITS = sizeof units / sizeof units[0] };

/* (frontend.h) */
int64_t fe_df_parse_freq(lua_State *L, const char *freq, const char **freqstr, const char *what) {
  char *end;
  double mult = 1;
  if ((*freq >= '0' && *freq <= '9') || *freq == '.')
    mult = strtod(freq, &end);
  else
    end = (char *)freq;
  int u = 0;
  while (u < NUNITS) {
    bool hit = false;
    for (int k = 0; k < 3 && units[u].alias[k]; k++) hit |= strcmp(end, units[u].alias[k]) == 0;
    if (hit) break;
    u++;
  }
  if (u == NUNITS)
    fe_error(L,
             "%s: freq '%s' is not a fixed frequency cdask knows (a number and D, h, min, s, ms, "
             "us or ns; months, years and weeks are not supported yet)",
             what, freq);
  if (!(mult > 0) || !isfinite(mult)) fe_error(L, "%s: freq '%s' must be positive", what, freq);
  /* the coarsest unit in which the length is whole (pandas: 1.5H is 90T) */
  for (int v = u; v < NUNITS; v++) {
    double k = mult * (double)(units[u].ns / units[v].ns);
    if (k == floor(k) && k < 9.2e18 / (double)units[v].ns) {
      *freqstr = k == 1 ? units[v].alias[0]
                        : arena_printf(fe_arena(L), "%lld%s", (long long)k, units[v].alias[0]);
      return (int64_t)k * units[v].ns;
    }
  }
  return fe_error(L, "%s: freq '%s' is not a whole number of nanoseconds", what, freq);
}

static int64_t parse_date(lua_State *L, const char *s, const char *what) {
  int64_t v;
  if (cdrt_parse_datetime(s, strlen(s), &v) != 0 || v == CDRT_NAT)
    fe_error(L, "date_range: %s '%s' is not a date (YYYY-MM-DD, with a time HH:MM[:SS[.f]])", what,
             s);
  return v;
}

static const char *opt_str(lua_State *L, int opts, const char *key) {
  if (!opts) return NULL;
  lua_getfield(L, opts, key);
  const char *s = NULL;
  if (lua_type(L, -1) == LUA_TSTRING)
    s = arena_strdup(fe_arena(L), lua_tostring(L, -1));
  else if (!lua_isnil(L, -1))
    fe_error(L, "date_range: %s must be a string", key);
  lua_pop(L, 1);
  return s;
}

/* dd.date_range(start, {periods, freq, end, name}) or dd.date_range{start = ..., ...} */
static int l_date_range(lua_State *L) {
  int opts = lua_istable(L, 1) ? 1 : fe_options(L, 2);
  const char *start = lua_isstring(L, 1) ? fe_check_string(L, 1, "date_range: start", true)
                                         : opt_str(L, opts, "start");
  const char *end = opt_str(L, opts, "end"), *freq = opt_str(L, opts, "freq");
  int64_t periods = -1;
  if (opts) {
    lua_getfield(L, opts, "periods");
    if (!lua_isnil(L, -1)) periods = fe_check_int(L, -1, "date_range: periods");
    lua_pop(L, 1);
  }
  if (periods < -1) fe_error(L, "date_range: periods must not be negative");
  int given = (start != NULL) + (end != NULL) + (periods >= 0);
  if (given != 2)
    fe_error(L, "date_range: of start, end and periods, exactly two must be given (with freq, "
                "\"D\" by default)");
  LDateIndex *x = lua_newuserdatauv(L, sizeof *x, 0);
  memset(x, 0, sizeof *x);
  x->name = opt_str(L, opts, "name");
  x->step = fe_df_parse_freq(L, freq ? freq : "D", &x->freq, "date_range");
  if (start && end) {
    int64_t a = parse_date(L, start, "start"), b = parse_date(L, end, "end");
    x->start = a, x->n = b < a ? 0 : (b - a) / x->step + 1;
  } else if (start) {
    x->start = parse_date(L, start, "start"), x->n = periods;
  } else {
    int64_t b = parse_date(L, end, "end");
    x->n = periods, x->start = periods ? b - (periods - 1) * x->step : b;
  }
  /* every label a datetime64[ns] */
  if (x->n > 1 && (double)x->start + (double)(x->n - 1) * (double)x->step > 9.2e18)
    fe_error(L, "date_range: the dates pass 2262-04-11, the last datetime64[ns]");
  luaL_setmetatable(L, INDEX_MT);
  return 1;
}

static int index_tostring(lua_State *L) {
  LDateIndex *x = luaL_checkudata(L, 1, INDEX_MT);
  char a[40] = "", b[40] = "";
  if (x->n) cdrt_timestamp_str(x->start, a), cdrt_timestamp_str(x->start + (x->n - 1) * x->step, b);
  lua_pushfstring(L,
                  "DatetimeIndex(['%s', ..., '%s'], dtype='datetime64[ns]', length=%I, freq='%s')",
                  a, b, (lua_Integer)x->n, x->freq);
  return 1;
}

static int index_index(lua_State *L) {
  LDateIndex *x = luaL_checkudata(L, 1, INDEX_MT);
  const char *key = luaL_checkstring(L, 2);
  if (strcmp(key, "freqstr") == 0) return lua_pushstring(L, x->freq), 1;
  if (strcmp(key, "name") == 0) return lua_pushstring(L, x->name), 1;
  if (strcmp(key, "size") == 0) return lua_pushinteger(L, (lua_Integer)x->n), 1;
  return fe_error(L, "DatetimeIndex has no attribute '%s' (freqstr, name, size)", key);
}

/* ---- dd.from_arrays ---- */
/* The column type of an array of dtype t (pandas keeps int32 and float32; cdask's columns
 * widen them) */
static int array_column_type(lua_State *L, const char *name, DType t) {
  switch (t) {
  case CDRT_BOOL: return CDRT_COL_BOOL;
  case CDRT_INT32:
  case CDRT_INT64: return CDRT_COL_INT64;
  case CDRT_FLOAT32:
  case CDRT_FLOAT64: return CDRT_COL_FLOAT64;
  default:
    return fe_error(L,
                    "from_arrays: column '%s' is complex; a dataframe column cannot be (pass "
                    "da.real and da.imag as two columns)",
                    name);
  }
}

/* Column k's name and array, from {a = x} (one column), {{"a", x}, {"b", y}}, or columns =
 * {"a", "b"} naming the arrays of {x, y} or the keys of {a = x, b = y} in order */
static int column_array(lua_State *L, int tbl, int names, int k, const char **name) {
  if (names) {
    lua_geti(L, names, k + 1);
    if (lua_type(L, -1) != LUA_TSTRING) fe_error(L, "from_arrays: columns must be strings");
    *name = arena_strdup(fe_arena(L), lua_tostring(L, -1));
    lua_pop(L, 1);
    if (luaL_len(L, tbl) > 0)
      lua_geti(L, tbl, k + 1);
    else
      lua_getfield(L, tbl, *name);
    if (lua_isnil(L, -1)) fe_error(L, "from_arrays: no array for column '%s'", *name);
  } else if (luaL_len(L, tbl) > 0) {
    lua_geti(L, tbl, k + 1);
    if (!lua_istable(L, -1))
      fe_error(L, "from_arrays: give the columns as {name = array}, {{\"name\", array}, ...}, or "
                  "arrays with columns = {names}");
    lua_geti(L, -1, 1), lua_geti(L, -2, 2);
    if (lua_type(L, -2) != LUA_TSTRING) fe_error(L, "from_arrays: each pair is {\"name\", array}");
    *name = arena_strdup(fe_arena(L), lua_tostring(L, -2));
    lua_replace(L, -3), lua_pop(L, 1);
  } else {
    lua_pushnil(L);
    lua_next(L, tbl);
    if (lua_type(L, -2) != LUA_TSTRING)
      fe_error(L, "from_arrays: a column's name must be a string");
    *name = arena_strdup(fe_arena(L), lua_tostring(L, -2));
    lua_replace(L, -2);
  }
  int id = fe_check_array(L, -1)->id;
  lua_pop(L, 1);
  return id;
}

/* dd.from_arrays(columns, {index, npartitions, columns}) */
static int l_from_arrays(lua_State *L) {
  Arena *a = fe_arena(L);
  Graph *g = fe_df_graph(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  int opts = fe_options(L, 2), names = 0;
  int n = (int)luaL_len(L, 1), keys = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) keys++, lua_pop(L, 1);
  if (opts) {
    lua_getfield(L, opts, "columns");
    if (lua_istable(L, -1))
      names = lua_gettop(L), n = (int)luaL_len(L, names);
    else if (!lua_isnil(L, -1))
      fe_error(L, "from_arrays: columns must be a table of names");
  }
  if (!names && n == 0) {
    if (keys > 1)
      fe_error(L, "from_arrays: the columns of {a = x, b = y} have no order in Lua; give them as "
                  "{{\"a\", x}, {\"b\", y}} or with columns = {\"a\", \"b\"}");
    n = keys;
  }
  if (n == 0) fe_error(L, "from_arrays: no columns given");
  TSource src = {.path = "dd.from_arrays", .ncols = n, .nrows = -1};
  fe_df_locate(L, &src.file, &src.line);
  src.names = arena_alloc(a, (size_t)n * sizeof *src.names);
  src.types = arena_alloc(a, (size_t)n);
  src.declared = arena_alloc(a, (size_t)n);
  src.missing = arena_alloc(a, (size_t)n);
  src.arrays = arena_alloc(a, (size_t)n * sizeof *src.arrays);
  int64_t chunk = 0;
  for (int k = 0; k < n; k++) {
    int id = column_array(L, 1, names, k, &src.names[k]);
    for (int j = 0; j < k; j++)
      if (strcmp(src.names[j], src.names[k]) == 0)
        fe_error(L, "from_arrays: column '%s' is given twice", src.names[k]);
    const Node *x = fe_node(L, id);
    if (x->ndim != 1)
      fe_error(L, "from_arrays: column '%s' has %d dimensions; a column is a 1-d array",
               src.names[k], x->ndim);
    if (src.nrows >= 0 && x->shape[0] != src.nrows)
      fe_error(L, "from_arrays: column '%s' has %lld rows, column '%s' %lld", src.names[k],
               (long long)x->shape[0], src.names[0], (long long)src.nrows);
    src.nrows = x->shape[0];
    if (!chunk) chunk = x->chunk[0];
    src.types[k] = (unsigned char)array_column_type(L, src.names[k], x->dtype);
    src.missing[k] = src.types[k] == CDRT_COL_FLOAT64; /* NaN is pandas' missing value */
    /* the column's buffer, kept to the end for the scan (an output node) */
    Node o = {.op = OP_TO_TABLE,
              .nin = 1,
              .in = {id},
              .name = "from_arrays",
              .dtype = x->dtype,
              .ndim = 1};
    o.shape[0] = x->shape[0], o.chunk[0] = x->chunk[0];
    o.str = src.names[k];
    fe_add_node(L, &o);
    src.arrays[k] = g->noutputs - 1;
  }
  /* the index */
  if (opts) {
    lua_getfield(L, opts, "index");
    if (!lua_isnil(L, -1)) {
      LDateIndex *ix = luaL_testudata(L, -1, INDEX_MT);
      if (!ix) fe_error(L, "from_arrays: index must be a dd.date_range");
      if (ix->n != src.nrows)
        fe_error(L, "from_arrays: the index has %lld labels, the columns %lld rows",
                 (long long)ix->n, (long long)src.nrows);
      src.index_start = ix->start, src.index_step = ix->step;
      src.index_name = ix->name, src.index_freq = ix->freq;
    }
    lua_pop(L, 1);
    lua_getfield(L, opts, "npartitions");
    if (!lua_isnil(L, -1)) {
      int64_t np = fe_check_int(L, -1, "from_arrays: npartitions");
      if (np < 1) fe_error(L, "from_arrays: npartitions must be at least 1");
      chunk = (src.nrows + np - 1) / np; /* Dask's from_pandas: ceil(rows / npartitions) */
    }
    lua_pop(L, 1);
  }
  src.chunk = chunk > 0 ? chunk : 1;
  int s = table_add_source(g, &src);
  LFrame *f = fe_df_push_frame(L);
  f->src = s, f->ncols = n, f->names = src.names;
  f->cols = arena_alloc(a, (size_t)n * sizeof *f->cols);
  for (int c = 0; c < n; c++)
    f->cols[c] = fe_df_add_expr(
        L, (TExpr){.kind = TX_COLUMN, .type = src.types[c], .src = s, .col = c, .a = -1, .b = -1});
  return 1;
}

/* ---- loc by labels ---- */
/* pandas' resolutions of a date string, finest first */
enum { R_NS, R_US, R_MS, R_SEC, R_MIN, R_HOUR, R_DAY, R_MONTH, R_YEAR };

/* The finest resolution of the labels start + i step (pandas' DatetimeIndex.resolution) */
static int index_resolution(int64_t start, int64_t step, int64_t n) {
  int64_t v =
      n > 1 ? (start % NS_DAY + NS_DAY) % NS_DAY | step : (start % NS_DAY + NS_DAY) % NS_DAY;
  if (v % 1000) return R_NS;
  if (v % 1000000) return R_US;
  if (v % NS_SEC) return R_MS;
  if (v % (60 * NS_SEC)) return R_SEC;
  if (v % (3600 * NS_SEC)) return R_MIN;
  if (v % NS_DAY) return R_HOUR;
  return R_DAY;
}

/* (frontend.h) */
int fe_df_parse_period(lua_State *L, const char *s, int64_t *lo, int64_t *hi) {
  size_t n = strlen(s);
  char buf[64];
  int y = 0, m = 0, reso;
  int64_t next;
  if (n == 4 && sscanf(s, "%4d", &y) == 1) { /* a year */
    snprintf(buf, sizeof buf, "%04d-01-01", y);
    reso = R_YEAR;
  } else if ((n == 7 || n == 6) && sscanf(s, "%4d-%2d", &y, &m) == 2 && s[4] == '-') {
    snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
    reso = R_MONTH;
  } else {
    if (cdrt_parse_datetime(s, n, lo) != 0 || *lo == CDRT_NAT)
      fe_error(L, "loc: '%s' is not a date (YYYY, YYYY-MM, YYYY-MM-DD, with a time HH:MM[:SS[.f]])",
               s);
    const char *t = strpbrk(s + 8, " T"), *frac = strchr(s, '.');
    int colons = 0;
    for (const char *p = t; p && *p; p++) colons += *p == ':';
    size_t nf = frac ? strlen(frac + 1) : 0;
    reso = !t            ? R_DAY
           : colons == 1 ? R_MIN
           : !frac       ? R_SEC
           : nf <= 3     ? R_MS
           : nf <= 6     ? R_US
                         : R_NS;
    static const int64_t len[] = {1, 1000, 1000000, NS_SEC, 60 * NS_SEC, 3600 * NS_SEC, NS_DAY};
    *hi = *lo + len[reso] - 1;
    return reso;
  }
  if (cdrt_parse_datetime(buf, strlen(buf), lo) != 0)
    fe_error(L, "loc: '%s' is not a date (YYYY, YYYY-MM, YYYY-MM-DD, with a time HH:MM[:SS[.f]])",
             s);
  if (reso == R_YEAR)
    snprintf(buf, sizeof buf, "%04d-01-01", y + 1);
  else
    snprintf(buf, sizeof buf, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
  *hi = cdrt_parse_datetime(buf, strlen(buf), &next) == 0 ? next - 1 : INT64_MAX;
  return reso;
}

static int compare(lua_State *L, Op op, int a, int64_t v, int type) {
  int k = fe_df_add_expr(L, (TExpr){.kind = TX_CONST, .type = type, .i = v, .a = -1, .b = -1});
  return fe_df_add_expr(L, (TExpr){.kind = TX_OP, .type = CDRT_COL_BOOL, .op = op, .a = a, .b = k});
}

int fe_df_label_mask(lua_State *L, int src, int lo, int hi) {
  const TSource *s = &fe_df_tables(L)->src[src];
  if (!s->arrays)
    fe_error(L, "loc by labels: a frame read from a CSV file has a RangeIndex of row numbers "
                "that only the scan knows; select rows with a mask");
  bool dates = s->index_step != 0, one = lua_isnone(L, hi);
  int type = dates ? CDRT_COL_DATETIME : CDRT_COL_INT64;
  int ix = fe_df_add_expr(L, (TExpr){.kind = TX_INDEX, .type = type, .src = src, .a = -1, .b = -1});
  int64_t b[2][2];
  for (int k = 0; k < 2 - one; k++) {
    int at = k ? hi : lo;
    if (lua_isnil(L, at)) {
      b[k][0] = b[k][1] = k ? INT64_MAX : INT64_MIN;
      continue;
    }
    if (!dates) {
      if (!lua_isinteger(L, at))
        fe_error(L, "loc: the frame's index is a RangeIndex; its labels are integers, got %s",
                 luaL_typename(L, at));
      b[k][0] = b[k][1] = lua_tointeger(L, at);
      continue;
    }
    if (lua_type(L, at) != LUA_TSTRING)
      fe_error(L,
               "loc: the frame's index is a DatetimeIndex; its labels are dates written as "
               "strings, got %s",
               luaL_typename(L, at));
    int reso = fe_df_parse_period(L, lua_tostring(L, at), &b[k][0], &b[k][1]);
    if (one && reso <= index_resolution(s->index_start, s->index_step, s->nrows))
      fe_error(L,
               "loc: '%s' names one label, not a period coarser than the index's; cdask selects "
               "rows by a slice: df:loc('%s', '%s')",
               lua_tostring(L, at), lua_tostring(L, at), lua_tostring(L, at));
  }
  if (one) b[1][1] = b[0][1];
  if (!dates && one)
    fe_error(L, "loc: a single label selects one row (a Series) in pandas; cdask selects rows by "
                "a slice: df:loc(k, k)");
  /* a missing bound (nil) is open */
  int m1 = b[0][0] == INT64_MIN ? -1 : compare(L, OP_GE, ix, b[0][0], type);
  int m2 = b[1][1] == INT64_MAX ? -1 : compare(L, OP_LE, ix, b[1][1], type);
  if (m1 < 0 || m2 < 0)
    return m1 >= 0 ? m1
           : m2 >= 0
               ? m2
               : fe_df_add_expr(
                     L, (TExpr){.kind = TX_CONST, .type = CDRT_COL_BOOL, .i = 1, .a = -1, .b = -1});
  return fe_df_add_expr(
      L, (TExpr){.kind = TX_OP, .type = CDRT_COL_BOOL, .op = OP_AND, .a = m1, .b = m2});
}

void fe_open_from_arrays(lua_State *L, int module) {
  fe_df_metatable(L, INDEX_MT, index_index, index_tostring);
  lua_pop(L, 1);
  static const luaL_Reg fns[] = {
      {"from_arrays", l_from_arrays}, {"date_range", l_date_range}, {NULL, NULL}};
  fe_add_functions(L, module, fns);
}
