/* lua_bag.c: the cdask.bag module (db). A bag is a Series of the dataframe layer whose
 * elements are its values (frontend/bag.lua, embedded as cdask_bag_lua, is the Bag object:
 * map and filter trace the user's Lua functions on that Series); this file gives it what
 * the dataframe layer has not: db.from_sequence's values as a source written into the
 * program, db.print as Python's list, and errors at the user's line. */
#include "frontend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char cdask_bag_lua[];

static const char *kind_name(int type) {
  return type == CDRT_COL_STR ? "string" : type == CDRT_COL_BOOL ? "boolean" : "number";
}

/* The values of the Lua sequence at idx (n of them) for a column: int64 if every value is
 * an integer, float64 if they are numbers, bool or str if they all are; its type in *type */
static void *lit_column(lua_State *L, int idx, int64_t n, int *type) {
  Arena *a = fe_arena(L);
  *type = -1;
  for (int64_t i = 1; i <= n; i++) {
    lua_geti(L, idx, i);
    int t = lua_type(L, -1) == LUA_TNUMBER
                ? (lua_isinteger(L, -1) ? CDRT_COL_INT64 : CDRT_COL_FLOAT64)
            : lua_type(L, -1) == LUA_TBOOLEAN ? CDRT_COL_BOOL
            : lua_type(L, -1) == LUA_TSTRING  ? CDRT_COL_STR
                                              : -1;
    if (t < 0)
      fe_error(L, "from_sequence: element %lld is %s; a bag holds numbers, booleans or strings",
               (long long)i, luaL_typename(L, -1));
    if (t == CDRT_COL_STR) fe_check_string(L, -1, "from_sequence: a string", true);
    bool numbers = (t == CDRT_COL_INT64 || t == CDRT_COL_FLOAT64) &&
                   (*type == CDRT_COL_INT64 || *type == CDRT_COL_FLOAT64);
    if (*type >= 0 && t != *type && !numbers)
      fe_error(L,
               "from_sequence: element %lld is a %s, element 1 a %s; a bag's elements share one "
               "type",
               (long long)i, kind_name(t), kind_name(*type));
    if (*type < 0 || t == CDRT_COL_FLOAT64) *type = t;
    lua_pop(L, 1);
  }
  if (*type < 0) *type = CDRT_COL_INT64; /* empty */
  size_t size = *type == CDRT_COL_STR ? sizeof(TLitStr) : *type == CDRT_COL_BOOL ? 1 : 8;
  char *v = arena_alloc(a, (size_t)(n ? n : 1) * size);
  for (int64_t i = 0; i < n; i++) {
    lua_geti(L, idx, i + 1);
    if (*type == CDRT_COL_STR) {
      size_t len;
      const char *p = lua_tolstring(L, -1, &len);
      char *c = arena_alloc(a, len + 1);
      memcpy(c, p, len);
      ((TLitStr *)v)[i] = (TLitStr){c, (int64_t)len};
    } else if (*type == CDRT_COL_BOOL)
      v[i] = (char)lua_toboolean(L, -1);
    else if (*type == CDRT_COL_FLOAT64)
      ((double *)v)[i] = lua_tonumber(L, -1);
    else
      ((int64_t *)v)[i] = lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  return v;
}

/* A frame source of ncols columns, the Lua sequences at 1 .. ncols (of one length), named
 * names, in blocks of chunk rows: its index */
static int lit_source(lua_State *L, int ncols, const char **names, int64_t chunk) {
  Arena *a = fe_arena(L);
  int64_t n = (int64_t)luaL_len(L, 1);
  TSource src = {.path = "db.from_sequence",
                 .ncols = ncols,
                 .nrows = n,
                 .chunk = chunk > 0 ? chunk : 4096,
                 .lit_parts = chunk > 0};
  fe_df_locate(L, &src.file, &src.line);
  src.names = names;
  src.types = arena_alloc(a, (size_t)ncols);
  src.declared = arena_alloc(a, (size_t)ncols);
  src.missing = arena_alloc(a, (size_t)ncols);
  src.arrays = arena_alloc(a, (size_t)ncols * sizeof *src.arrays);
  src.lit = arena_alloc(a, (size_t)ncols * sizeof *src.lit);
  for (int k = 0; k < ncols; k++) {
    luaL_checktype(L, k + 1, LUA_TTABLE);
    int type;
    src.lit[k] = lit_column(L, k + 1, n, &type);
    src.types[k] = (unsigned char)type;
    src.arrays[k] = -1;
  }
  return table_add_source(fe_df_graph(L), &src);
}

/* db._values(list, partition_size): a frame source of the Lua sequence's values (one
 * column "x", lit_column's type), in blocks of partition_size rows; pushes the Series */
static int l_values(lua_State *L) {
  int64_t chunk = fe_check_int(L, 2, "partition_size");
  lua_settop(L, 1);
  const char **names = arena_alloc(fe_arena(L), sizeof *names);
  names[0] = "x";
  int s = lit_source(L, 1, names, chunk);
  int type = fe_df_graph(L)->tables.src[s].types[0];
  int x = fe_df_add_expr(
      L, (TExpr){.kind = TX_COLUMN, .type = type, .src = s, .col = 0, .a = -1, .b = -1});
  fe_df_push_series(L, s, x, NULL, -1);
  return 1;
}

/* db._pairs(chunk, col1, col2, ...): a frame source of Lua sequences of one length as the
 * columns "0", "1", ... in blocks of chunk rows, Dask's partitions (0: partitions of several
 * sizes, not known to the program), a bag of tuples (Bag.product's, db.zip's of
 * from_sequence bags); pushes the frame */
static int l_pairs(lua_State *L) {
  Arena *a = fe_arena(L);
  int64_t chunk = fe_check_int(L, 1, "db._pairs' chunk");
  lua_remove(L, 1);
  int n = lua_gettop(L);
  if (n < 1 || n > 250) fe_error(L, "db._pairs: from 1 to 250 columns, got %d", n);
  const char **names = arena_alloc(a, (size_t)n * sizeof *names);
  for (int c = 0; c < n; c++) {
    if (luaL_len(L, c + 1) != luaL_len(L, 1)) fe_error(L, "db._pairs: the columns' lengths differ");
    names[c] = arena_printf(a, "%d", c);
  }
  int s = lit_source(L, n, names, chunk);
  LFrame *f = fe_df_push_frame(L);
  *f = (LFrame){.src = s, .ncols = n, .names = names, .mask = -1, .limit = -1};
  f->cols = arena_alloc(a, (size_t)n * sizeof *f->cols);
  for (int c = 0; c < n; c++)
    f->cols[c] = fe_df_add_expr(L, (TExpr){.kind = TX_COLUMN,
                                           .type = fe_df_graph(L)->tables.src[s].types[c],
                                           .src = s,
                                           .col = c,
                                           .a = -1,
                                           .b = -1});
  return 1;
}

/* The flatten (TX_EACH) whose pieces expression x reads, or -1 */
static int each_in(const Tables *t, int x) {
  if (x < 0) return -1;
  if (t->x[x].kind == TX_EACH) return x;
  int e = each_in(t, t->x[x].a);
  return e >= 0 ? e : each_in(t, t->x[x].b);
}

/* Whether expression x reads a flatten's pieces */
static bool has_each(const Tables *t, int x) {
  return each_in(t, x) >= 0;
}

/* db._flatten(series, sep): the pieces of the str Series split at sep (nil: runs of
 * whitespace), each a row of the Series pushed (a TX_EACH expression) */
static int l_flatten(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "flatten");
  if (fe_df_tables(L)->x[s->expr].type != CDRT_COL_STR)
    fe_error(L, "str.split: the bag's elements are %s, not strings",
             fe_df_type_label(fe_df_tables(L)->x[s->expr].type));
  if (has_each(fe_df_tables(L), s->expr))
    fe_error(L, "flatten of pieces already flattened is not supported yet");
  TExpr e = {.kind = TX_EACH, .type = CDRT_COL_STR, .a = s->expr, .b = -1};
  if (!lua_isnoneornil(L, 2)) {
    size_t n;
    const char *p = luaL_checklstring(L, 2, &n);
    if (!n) fe_error(L, "str.split: ValueError: empty separator");
    char *c = arena_alloc(fe_arena(L), n + 1);
    memcpy(c, p, n);
    e.s = c, e.slen = (int64_t)n;
  }
  /* (the pieces of one string split at one separator are one expression, so one loop,
   * however many bags use them: table_add_expr numbers expressions by value) */
  fe_df_push_series(L, s->src, fe_df_add_expr(L, e), NULL, s->mask);
  return 1;
}

/* db._list_items(x): the items' type label of x, a Series of a JSON list field as it is
 * (table_json_list), or nil */
static int l_list_items(lua_State *L) {
  LSeries *s = luaL_testudata(L, 1, SERIES_MT);
  int t = s && s->expr >= 0 ? table_json_list(fe_df_tables(L), s->expr) : -1;
  if (t < 0) return lua_pushnil(L), 1;
  lua_pushstring(L, t == CDRT_JSON_ITEM_OBJECT ? "dict" : fe_df_type_label(t));
  return 1;
}

/* db._list_repr(series): each of the JSON lists as Python's repr (db.print's "dicts") */
static int l_list_repr(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "db.print");
  int x = fe_df_add_expr(
      L,
      (TExpr){.kind = TX_STR, .type = CDRT_COL_STR, .strfn = TS_LIST_REPR, .a = s->expr, .b = -1});
  fe_df_push_series(L, s->src, x, NULL, s->mask);
  return 1;
}

/* flatten of s, a list field of objects: a frame of their fields (a bag of records), each
 * object a row (a TX_EACH of the objects' JSON text) */
static int flatten_objects(lua_State *L, const LSeries *s) {
  const Tables *t = fe_df_tables(L);
  const TExpr *c = &t->x[s->expr];
  int e = fe_df_add_expr(
      L, (TExpr){.kind = TX_EACH, .type = CDRT_COL_STR, .a = s->expr, .b = -1, .i = -2});
  LFrame *g = fe_df_push_frame(L);
  *g = (LFrame){.src = s->src, .mask = s->mask, .limit = -1, .items = e + 1};
  g->path = arena_printf(fe_arena(L), "%s%c%s", fe_df_tables(L)->src[c->src].names[c->col],
                         CDRT_JSON_SEP, CDRT_JSON_ITEMS);
  fe_df_json_item_columns(L, g);
  return 1;
}

/* db._flatten_list(series): the items of the JSON lists, in order, as the elements (a
 * TX_EACH of them) */
static int l_flatten_list(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "flatten");
  int t = table_json_list(fe_df_tables(L), s->expr);
  if (t < 0) fe_error(L, "flatten: not a bag of JSON lists");
  if (t == CDRT_JSON_ITEM_OBJECT) return flatten_objects(L, s);
  int e = fe_df_add_expr(L, (TExpr){.kind = TX_EACH, .type = t, .a = s->expr, .b = -1, .i = -1});
  fe_df_push_series(L, s->src, e, NULL, s->mask);
  return 1;
}

/* db._const_of(x, value): the Series of the constant value (a number or string) for each
 * element of x (a Series or a frame of records): what a map's function that ignores its
 * element makes */
static int l_const_of(lua_State *L) {
  LSeries *s = luaL_testudata(L, 1, SERIES_MT);
  LFrame *f = s ? NULL : fe_df_check_frame(L, 1);
  if (lua_type(L, 2) != LUA_TNUMBER && lua_type(L, 2) != LUA_TSTRING)
    fe_error(L, "db._const_of: a number or string, got %s", luaL_typename(L, 2));
  if (f && f->items)
    fe_error(L, "map of flattened records (a list's objects) to a constant is not supported "
                "yet: map each to one of its fields (function(x) return x.amount end)");
  int x = fe_df_constant(L, 2);
  fe_df_push_series(L, s ? s->src : f->src, x, NULL, s ? s->mask : f->mask);
  return 1;
}

/* db._flatten_items(what, item1, item2, ...): each row's items in order, as the elements (a
 * bag of tuples or lists flattened): Series of one source and mask, or constants, all of one
 * type (a TX_EACH over a list of TX_ITEMs) */
static int l_flatten_items(lua_State *L) {
  const char *what = luaL_checkstring(L, 1);
  int n = lua_gettop(L) - 1, src = -1, mask = -1, type = -1, list = -1;
  if (n < 1) fe_error(L, "%s: no items to flatten", what);
  int *x = arena_alloc(fe_arena(L), (size_t)n * sizeof *x);
  for (int k = 0; k < n; k++) {
    LSeries *s = luaL_testudata(L, k + 2, SERIES_MT);
    if (s) {
      fe_df_check_values(L, k + 2, what);
      if (src >= 0 && (s->src != src || s->mask != mask))
        fe_error(L, "%s: the items come from different bags", what);
      src = s->src, mask = s->mask, x[k] = s->expr;
    } else {
      x[k] = fe_df_constant(L, k + 2);
    }
    const Tables *t = fe_df_tables(L);
    int tk = t->x[x[k]].type;
    if (has_each(t, x[k])) fe_error(L, "%s: flatten of pieces already flattened", what);
    if (tk == CDRT_COL_BOOL && table_optional_bool(t, x[k]) >= 0)
      fe_error(L, "%s: item %d is a bool that may be missing (not supported yet)", what, k + 1);
    if (type >= 0 && tk != type)
      fe_error(L,
               "%s: item 1 is %s and item %d is %s; a flattened bag holds one type (cast "
               "them: x * 1.0 is a float)",
               what, fe_df_type_label(type), k + 1, fe_df_type_label(tk));
    type = tk;
  }
  if (src < 0) fe_error(L, "%s: no item is computed from the element", what);
  for (int k = n - 1; k >= 0; k--)
    list = fe_df_add_expr(L, (TExpr){.kind = TX_ITEM, .type = type, .a = x[k], .b = list});
  int e = fe_df_add_expr(L, (TExpr){.kind = TX_EACH, .type = type, .a = list, .b = -1, .i = n});
  fe_df_push_series(L, src, e, NULL, mask);
  return 1;
}

/* db._print(x, label, pairs, shape): the Series, frame or Scalar x printed as Python's list
 * (or scalar); pairs: true, of (index, value) tuples; "groups", of (key, [values]) of the
 * frame's two columns, in the keys' first appearance; "record groups", the same of records
 * (db._records: each value its repr); "dicts", of records (db._records);
 * shape: each row as it says (cdrt_pylist_print) */
static int l_print(lua_State *L) {
  const char *label =
      lua_isnoneornil(L, 2) ? "result" : fe_check_string(L, 2, "db.print: the label", true);
  const char *kind = lua_type(L, 3) == LUA_TSTRING ? lua_tostring(L, 3) : NULL;
  TOutput o = {.pylist = kind && strcmp(kind, "dicts") == 0           ? 4
                         : kind && strcmp(kind, "record groups") == 0 ? 5
                         : kind                                       ? 3
                         : lua_toboolean(L, 3)                        ? 2
                                                                      : 1,
               .str = arena_strdup(fe_arena(L), label),
               .shape = lua_isstring(L, 4) ? arena_strdup(fe_arena(L), lua_tostring(L, 4)) : NULL,
               .before = fe_df_graph(L)->noutputs};
  LScalar *sc = luaL_testudata(L, 1, SCALAR_MT);
  o.result = sc ? sc->result : fe_df_rows_of(L, 1);
  fe_df_locate(L, &o.file, &o.line);
  table_add_output(fe_df_graph(L), &o);
  return 0;
}

/* db._records(frame): the Series of the JSON records of frame (its source's, under its
 * mask), each as Python's repr of its dict: the source's field CDRT_JSON_RECORD, added
 * once (runtime/jsonl.c makes it from the line) */
static int l_records(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1);
  TSource *src = &fe_df_graph(L)->tables.src[f->src];
  if (!src->json || f->limit >= 0)
    fe_error(L, "db.print of these records is not supported yet (of db.read_json_lines' "
                "records, filtered)");
  if (f->items) { /* a list's objects (or objects in them): Python's repr of each */
    const char *rel = fe_df_json_item_path(fe_df_tables(L), f->items - 1, f->path);
    int x = fe_df_add_expr(L, (TExpr){.kind = TX_STR,
                                      .type = CDRT_COL_STR,
                                      .strfn = TS_JSON_REPR,
                                      .a = f->items - 1,
                                      .b = -1,
                                      .s = rel,
                                      .slen = (int64_t)strlen(rel)});
    fe_df_push_series(L, f->src, x, NULL, f->mask);
    return 1;
  }
  /* a nested object's: its path's CDRT_JSON_RECORD (runtime/jsonl.c) */
  const char *name =
      f->path ? arena_printf(fe_arena(L), "%s%c%s", f->path, CDRT_JSON_SEP, CDRT_JSON_RECORD)
              : CDRT_JSON_RECORD;
  int c = src->ncols - 1;
  while (c >= 0 && strcmp(src->names[c], name) != 0) c--;
  if (c < 0) {
    Arena *a = fe_arena(L);
    c = src->ncols;
    const char **names = arena_alloc(a, (size_t)(c + 1) * sizeof *names);
    unsigned char *types = arena_alloc(a, (size_t)c + 1), *declared = arena_alloc(a, (size_t)c + 1),
                  *missing = arena_alloc(a, (size_t)c + 1);
    for (int k = 0; k < c; k++)
      names[k] = src->names[k], types[k] = src->types[k], declared[k] = src->declared[k],
      missing[k] = src->missing[k];
    names[c] = name, types[c] = CDRT_COL_STR, declared[c] = 0, missing[c] = 0;
    src->names = names, src->types = types, src->declared = declared, src->missing = missing;
    src->ncols = c + 1;
  }
  int x = fe_df_add_expr(
      L,
      (TExpr){.kind = TX_COLUMN, .type = CDRT_COL_STR, .src = f->src, .col = c, .a = -1, .b = -1});
  fe_df_push_series(L, f->src, x, NULL, f->mask);
  return 1;
}

/* db._repr(s): Python's repr of the str s (a dict's key in what db.print writes) */
static int l_repr(lua_State *L) {
  size_t n;
  fe_check_string(L, 1, "a dict's key", true);
  const char *p = lua_tolstring(L, 1, &n);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (!out) return fe_error(L, "out of memory");
  cdrt_py_str_print(out, (cdrt_str){p, (int64_t)n});
  fclose(out);
  lua_pushlstring(L, text, len);
  free(text);
  return 1;
}

/* db._error(message): the message at the user's line (bag.lua's own lines are not theirs) */
static int l_error(lua_State *L) {
  return fe_error(L, "%s", luaL_checkstring(L, 1));
}

/* db._is_series(x): whether x is a Series of values (what a traced function must return) */
static int l_is_series(lua_State *L) {
  LSeries *s = luaL_testudata(L, 1, SERIES_MT);
  lua_pushboolean(L, s && s->expr >= 0);
  return 1;
}

/* db._has_column(frame, name): whether the records have the field name */
static int l_has_column(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1);
  const char *name = luaL_checkstring(L, 2);
  bool has = false;
  for (int c = 0; c < f->ncols && !has; c++) has = strcmp(f->names[c], name) == 0;
  lua_pushboolean(L, has);
  return 1;
}

/* db._field(frame, name): the records' field name, a Series, or a frame of a nested
 * object's fields (an array's or an object's too deep: an error); nil: none */
static int l_field(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1);
  const char *name = luaL_checkstring(L, 2);
  for (int c = 0; c < f->ncols; c++)
    if (strcmp(f->names[c], name) == 0) {
      LSeries *s = fe_df_push_series(L, f->src, f->cols[c], f->names[c], f->mask);
      s->limit = f->limit;
      return 1;
    }
  if (fe_df_json_object(L, f, name)) return 1;
  lua_pushnil(L);
  return 1;
}

/* db._nested_fields(frame): the first of the records' fields that is a nested object (or an
 * array, ...), dotted; nil: none */
static int l_nested_fields(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1);
  const TSource *src = &fe_df_graph(L)->tables.src[f->src];
  size_t n = f->path ? strlen(f->path) : 0;
  for (int k = 0; src->json && k < src->njson_objects + src->njson_refused; k++) {
    const char *p =
        k < src->njson_objects ? src->json_objects[k] : src->json_refused[k - src->njson_objects];
    const char *key =
        f->path ? (strncmp(p, f->path, n) == 0 && p[n] == CDRT_JSON_SEP ? p + n + 1 : NULL) : p;
    if (key && !strchr(key, CDRT_JSON_SEP)) {
      char name[256];
      lua_pushstring(L, cdrt_json_dotted(p, name, sizeof name));
      return 1;
    }
  }
  for (int k = 0; k < f->ncols; k++) /* the fields that hold lists */
    if (table_json_list(fe_df_tables(L), f->cols[k]) >= 0) {
      lua_pushstring(L, f->names[k]);
      return 1;
    }
  lua_pushnil(L);
  return 1;
}

/* The expression under x that reads a JSON bool field some sampled records lack or hold
 * as null (table_optional_bool) as it is, not under fillna or isna; or -1 */
static int raw_optional_bool(const Tables *t, int x) {
  if (x < 0) return -1;
  if (table_optional_bool(t, x) >= 0) return x;
  const TExpr *e = &t->x[x];
  bool guarded = (e->kind == TX_FILLNA || e->kind == TX_ISNA) && table_optional_bool(t, e->a) >= 0;
  int r = guarded ? -1 : raw_optional_bool(t, e->a);
  return r >= 0 ? r : raw_optional_bool(t, e->b);
}

/* db._check_fields(series | frame, what): an error at the user's line when the values read
 * such a bool field without a default (Dask raises KeyError where a record lacks it, and
 * its None is no bool) */
static int l_check_fields(lua_State *L) {
  const char *what = luaL_checkstring(L, 2);
  LSeries *s = luaL_testudata(L, 1, SERIES_MT);
  LFrame *f = s ? NULL : fe_df_check_frame(L, 1);
  const Tables *t = fe_df_tables(L);
  if (s) fe_df_check_list(L, s->expr, what);
  if (f && f->items)
    fe_error(L,
             "%s of flattened records (a list's objects) is not supported yet: pluck, map, "
             "filter or foldby them",
             what);
  for (int k = 0; k < (s ? 1 : f->ncols); k++) {
    int x = raw_optional_bool(t, s ? s->expr : f->cols[k]);
    if (x < 0) continue;
    char buf[256];
    const char *name = cdrt_json_dotted(t->src[t->x[x].src].names[t->x[x].col], buf, sizeof buf);
    fe_error(L,
             "%s: field '%s' is a bool that some records cdaskc sampled lack or hold as null "
             "(Dask gives KeyError or None there, which a bool cannot hold): give it a default, "
             "pluck(\"%s\", false), or x.%s:fillna(false) in a function",
             what, name, name, name);
  }
  return 0;
}

/* The Lua value at i as a constant of the bag's elements' type (Python's max and min of a
 * total and the elements would give either type, so they must agree) */
static int initial_of(lua_State *L, int i, int type, const char *what, const char *name) {
  int t = lua_type(L, i) == LUA_TNUMBER ? (lua_isinteger(L, i) ? CDRT_COL_INT64 : CDRT_COL_FLOAT64)
          : lua_type(L, i) == LUA_TBOOLEAN ? CDRT_COL_BOOL
          : lua_type(L, i) == LUA_TSTRING  ? CDRT_COL_STR
                                           : -1;
  static const char *const as[] = {"an integer (0, not 0.0)", "a float (0.0, not 0)", "a boolean",
                                   "a string"};
  if (t != type)
    fe_error(L,
             "%s: %s %s is %s and the elements %s: Python's max and min would give either "
             "type; write %s",
             what, name, luaL_tolstring(L, i, NULL), t < 0 ? luaL_typename(L, i) : as[t],
             fe_df_type_label(type), as[type]);
  return fe_df_constant(L, i);
}

/* db._fold_initial(series, "max" | "min", what, initial, combine_initial): each element as
 * Python's max(initial, x) (min), then max(combine_initial, that), for those given: a
 * total from them and the elements, as Dask's fold and foldby make it, is the max (min) of
 * these (equal values keep the initial, as Python's max keeps its first argument) */
static int l_fold_initial(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "fold");
  Op op = strcmp(luaL_checkstring(L, 2), "max") == 0 ? OP_MAXIMUM : OP_MINIMUM;
  const char *what = luaL_checkstring(L, 3);
  int type = fe_df_tables(L)->x[s->expr].type, x = s->expr;
  for (int i = 4; i <= 5; i++) {
    if (lua_isnoneornil(L, i)) continue;
    int k = initial_of(L, i, type, what, i == 4 ? "initial" : "combine_initial");
    x = fe_df_add_expr(L, (TExpr){.kind = TX_OP, .type = type, .op = op, .a = k, .b = x});
  }
  fe_df_push_series(L, s->src, x, s->name, s->mask);
  return 1;
}

/* db._seed(scalar, initial): the max or min scalar is initial when no element is (Python's
 * reduce from an initial value) */
static int l_seed(lua_State *L) {
  LScalar *sc = luaL_checkudata(L, 1, SCALAR_MT);
  TResult *q = &fe_df_graph(L)->tables.r[sc->result];
  q->seed = 1 + initial_of(L, 2, fe_df_tables(L)->x[q->expr].type, "fold", "initial");
  return 0;
}

/* db._rows(frame): the number of its rows (a Scalar): the count of a value every row has.
 * A frame of a flatten's pieces (db.zip of words and their maps) has a row per piece: the
 * pieces themselves are counted (never missing), not a constant, which is one per line. */
static int l_rows(lua_State *L) {
  LFrame *f = fe_df_check_frame(L, 1);
  int each = -1;
  for (int k = 0; k < f->ncols && each < 0; k++) each = each_in(fe_df_tables(L), f->cols[k]);
  int one =
      f->items ? f->items - 1 /* a list's objects: each one's text, never missing */
      : each >= 0
          ? each
          : fe_df_add_expr(
                L, (TExpr){.kind = TX_CONST, .type = CDRT_COL_BOOL, .i = 1, .a = -1, .b = -1});
  int r = fe_df_result_add(L, (TResult){.kind = TR_AGG,
                                        .src = f->src,
                                        .mask = f->mask,
                                        .rop = CDRT_AGG_COUNT,
                                        .expr = one,
                                        .limit = -1});
  return fe_df_push_scalar(L, r, CDRT_COL_INT64, "count");
}

/* db._type(series): its values' type as pandas names it ("int64", "object", ...) */
static int l_type(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "a bag");
  lua_pushstring(L, fe_df_expr_label(L, s->expr));
  return 1;
}

/* db._is_call(s): whether the Series s is a C kernel's result (lua_call.c) */
static int l_is_call(lua_State *L) {
  LSeries *s = luaL_testudata(L, 1, SERIES_MT);
  lua_pushboolean(L, s && s->expr >= 0 && fe_df_tables(L)->x[s->expr].kind == TX_CALL);
  return 1;
}

/* db._zip(s1, s2, ...): the Series, rows of one source under one mask, as the columns "0",
 * "1", ... of a frame (Dask's tuples; to_dataframe's columns); a Lua number or string among
 * them is a column of that constant (what map returns) */
static int l_zip(lua_State *L) {
  int n = lua_gettop(L), at = 1;
  Arena *a = fe_arena(L);
  while (at < n && !luaL_testudata(L, at, SERIES_MT)) at++;
  LSeries *first = fe_df_check_values(L, at, "db.zip");
  int *cols = arena_alloc(a, (size_t)n * sizeof *cols);
  const char **names = arena_alloc(a, (size_t)n * sizeof *names);
  for (int k = 0; k < n; k++) {
    names[k] = arena_printf(a, "%d", k);
    if (!luaL_testudata(L, k + 1, SERIES_MT)) {
      cols[k] = fe_df_constant(L, k + 1);
      continue;
    }
    LSeries *s = fe_df_check_values(L, k + 1, "db.zip");
    if (s->src != first->src || s->mask != first->mask || s->limit >= 0 || first->limit >= 0)
      fe_error(L, "db.zip: the bags must be made from one bag by element-wise steps (map, pluck, "
                  "str methods) with the same filters; others are not supported yet");
    cols[k] = s->expr;
  }
  LFrame *f = fe_df_push_frame(L);
  *f = (LFrame){.src = first->src,
                .ncols = n,
                .cols = cols,
                .names = names,
                .mask = first->mask,
                .limit = -1};
  return 1;
}

/* db._zip_rows(b1, b2, ...): db.zip's bags, refused unless they are the same rows: a line's
 * expression beside a flatten's pieces would be repeated for each piece (db._zip does that
 * on purpose for a partition's number), and Dask's zip of the two depends on the partitions */
static int l_zip_rows(lua_State *L) {
  const Tables *t = fe_df_tables(L);
  int n = lua_gettop(L), first = 0, each = -1;
  for (int k = 1; k <= n; k++) {
    LSeries *s = luaL_testudata(L, k, SERIES_MT);
    if (!s) continue;
    int e = each_in(t, s->expr);
    if (!first)
      first = k, each = e;
    else if (e != each)
      fe_error(L,
               "db.zip: bag %d has %s and bag %d %s: Dask zips them partition by partition "
               "and drops what the shorter one lacks, which depends on the partitions; zip "
               "bags of the same elements (the lines, or the same words)",
               first, each >= 0 ? "a flatten's pieces" : "whole elements", k,
               e >= 0 ? "a flatten's pieces" : "whole elements");
  }
  return l_zip(L);
}

/* db._partition(series): the Series of each row's partition, as Dask numbers them */
static int l_partition(lua_State *L) {
  LSeries *s = fe_df_check_values(L, 1, "to_textfiles");
  TSource *src = &fe_df_graph(L)->tables.src[s->src];
  if (!src->text && !src->lit)
    fe_error(L, "to_textfiles of this bag is not supported yet (of db.from_sequence's, "
                "db.read_text's or a computed bag's strings)");
  if (src->lit && !src->lit_parts)
    fe_error(L, "to_textfiles of a product's elements is not supported yet: its partitions "
                "are of several sizes");
  if (src->text && src->blocksize > 0 && !src->dask_start) fe_bag_dask_blocks(L, src);
  int x = fe_df_add_expr(
      L, (TExpr){.kind = TX_PART, .type = CDRT_COL_INT64, .src = s->src, .a = -1, .b = -1});
  fe_df_push_series(L, s->src, x, NULL, s->mask);
  if (!src->dask_start) return 1;
  lua_pushinteger(L, src->dask_first[src->paths ? src->npaths : 1]);
  return 2;
}

/* db._to_textfiles(x, {names}, last_endline): x's rows (a frame of (partition, str), or a
 * computed Series of str: one partition) written one file per partition, names[i] the
 * i-th's (relative to the output directory) */
static int l_to_textfiles(lua_State *L) {
  Graph *g = fe_df_graph(L);
  int result = fe_df_rows_of(L, 1);
  TShape sh = table_result_shape(g, result);
  if (sh.types[sh.ncols - 1] != CDRT_COL_STR)
    fe_error(L, "to_textfiles writes strings; these elements are %s (Dask's TypeError)",
             fe_df_type_label(sh.types[sh.ncols - 1]));
  luaL_checktype(L, 2, LUA_TTABLE);
  int n = (int)luaL_len(L, 2);
  for (int i = 0; i < n; i++) {
    lua_geti(L, 2, i + 1);
    const char *path = arena_strdup(fe_arena(L), lua_tostring(L, -1));
    lua_pop(L, 1);
    fe_df_check_out_path(L, path, "to_textfiles");
    TOutput o = {.text = true,
                 .part = i,
                 .last_endline = lua_toboolean(L, 3),
                 .str = path,
                 .result = result,
                 .before = g->noutputs};
    fe_df_locate(L, &o.file, &o.line);
    table_add_output(g, &o);
  }
  return 0;
}

/* db._accumulate(series, "sum" | "max" | "min", initial): Python's accumulate, computed */
static int l_accumulate(lua_State *L) {
  const char *rule = luaL_checkstring(L, 2);
  int rop = strcmp(rule, "sum") == 0   ? CDRT_AGG_SUM
            : strcmp(rule, "max") == 0 ? CDRT_AGG_MAX
                                       : CDRT_AGG_MIN;
  lua_remove(L, 2);
  return fe_df_accumulate(L, rop);
}

/* db._tracing(delta): the depth of the bag's traced calls (fe_df_tracing) */
static int l_tracing(lua_State *L) {
  lua_pushinteger(L, fe_df_tracing(L, (int)luaL_checkinteger(L, 1)));
  return 1;
}

static int open_bag(lua_State *L) {
  if (luaL_loadbuffer(L, cdask_bag_lua, strlen(cdask_bag_lua), "=cdask.bag") != LUA_OK)
    return lua_error(L);
  lua_newtable(L);
  static const luaL_Reg fns[] = {{"_values", l_values},
                                 {"_read_text", fe_bag_read_text},
                                 {"_read_json", fe_bag_read_json},
                                 {"_flatten", l_flatten},
                                 {"_flatten_items", l_flatten_items},
                                 {"_const_of", l_const_of},
                                 {"_print", l_print},
                                 {"_pairs", l_pairs},
                                 {"_records", l_records},
                                 {"_error", l_error},
                                 {"_repr", l_repr},
                                 {"_type", l_type},
                                 {"_is_series", l_is_series},
                                 {"_is_call", l_is_call},
                                 {"_has_column", l_has_column},
                                 {"_field", l_field},
                                 {"_list_items", l_list_items},
                                 {"_list_repr", l_list_repr},
                                 {"_flatten_list", l_flatten_list},
                                 {"_nested_fields", l_nested_fields},
                                 {"_check_fields", l_check_fields},
                                 {"_fold_initial", l_fold_initial},
                                 {"_seed", l_seed},
                                 {"_rows", l_rows},
                                 {"_accumulate", l_accumulate},
                                 {"_zip", l_zip},
                                 {"_zip_rows", l_zip_rows},
                                 {"_partition", l_partition},
                                 {"_to_textfiles", l_to_textfiles},
                                 {"_tracing", l_tracing},
                                 {NULL, NULL}};
  luaL_setfuncs(L, fns, 0);
  lua_call(L, 1, 1); /* bag.lua fills the table it is given and returns it */
  return 1;
}

void fe_preload_bag(lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, open_bag);
  lua_setfield(L, -2, "cdask.bag");
  lua_pop(L, 1);
}
