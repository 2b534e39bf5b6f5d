/* lua_frame.c: the dataframe objects as Lua sees them (frontend.h, "lua_frame.c"): full
 * userdata with a metatable each, made and checked here for lua_groupby.c and
 * lua_dataframe.c. */
#include "frontend.h"

#include <string.h>

Graph *fe_df_graph(lua_State *L) {
  return fe_ctx(L)->graph;
}
Tables *fe_df_tables(lua_State *L) {
  return &fe_ctx(L)->graph->tables;
}

void fe_df_locate(lua_State *L, const char **file, int *line) {
  Node n = {0};
  fe_locate(L, &n);
  *file = n.file, *line = n.line;
}

LFrame *fe_df_push_frame(lua_State *L) {
  LFrame *f = lua_newuserdatauv(L, sizeof *f, 0);
  memset(f, 0, sizeof *f);
  f->mask = -1, f->limit = -1;
  luaL_setmetatable(L, FRAME_MT);
  return f;
}
LSeries *fe_df_push_series(lua_State *L, int src, int expr, const char *name, int mask) {
  LSeries *s = lua_newuserdatauv(L, sizeof *s, 0);
  *s = (LSeries){src, expr, name, mask, -1, -1, 0};
  luaL_setmetatable(L, SERIES_MT);
  return s;
}
int fe_df_push_scalar(lua_State *L, int result, int type, const char *what) {
  LScalar *s = lua_newuserdatauv(L, sizeof *s, 0);
  *s = (LScalar){result, type, what};
  luaL_setmetatable(L, SCALAR_MT);
  return 1;
}

LFrame *fe_df_check_frame(lua_State *L, int i) {
  return luaL_checkudata(L, i, FRAME_MT);
}
LSeries *fe_df_check_series(lua_State *L, int i) {
  LSeries *s = luaL_testudata(L, i, SERIES_MT);
  if (!s) fe_error(L, "expected a Series, got %s", luaL_typename(L, i));
  return s;
}
/* a Series of values (not a computed one such as value_counts) */
LSeries *fe_df_check_values(lua_State *L, int i, const char *what) {
  LSeries *s = fe_df_check_series(L, i);
  if (s->expr < 0)
    fe_error(L,
             "%s: the Series is computed after the scan (a value_counts', a groupby's, a sort's, "
             "or a CSV frame's x.index), not made of the frame's columns row by row",
             what);
  return s;
}

/* Whether expression kind may read operand x when x is a JSON list field (its length,
 * repr, items or isna; anything else would read its JSON text as a string) */
static bool reads_list(const TExpr *e, int x) {
  if (e->kind == TX_ISNA || (e->kind == TX_EACH && e->i < 0)) return x == e->a;
  return e->kind == TX_STR &&
         (e->strfn == TS_LIST_LEN || e->strfn == TS_LIST_REPR || e->strfn == TS_LIST_SUM) &&
         x == e->a;
}

void fe_df_check_list(lua_State *L, int x, const char *what) {
  const Tables *t = fe_df_tables(L);
  if (x < 0 || table_json_list(t, x) < 0) return;
  char name[256];
  fe_error(L,
           "%s%sfield '%s' holds lists (JSON arrays): of a list, cdask supports its length "
           "(#x.%s, Python's len), flatten (b:pluck(\"%s\"):flatten()), db.print and count; "
           "other uses are not supported yet",
           what ? what : "", what ? ": " : "",
           cdrt_json_dotted(t->src[t->x[x].src].names[t->x[x].col], name, sizeof name), name, name);
}

int fe_df_add_expr(lua_State *L, TExpr x) {
  bool ops = x.kind != TX_COLUMN && x.kind != TX_CONST && x.kind != TX_SCALAR &&
             x.kind != TX_INDEX && x.kind != TX_PART && x.kind != TX_JOINED;
  int operands[] = {x.a, x.b, x.kind == TX_WHERE ? (int)x.i : -1};
  for (int k = 0; ops && k < 3; k++)
    if (operands[k] >= 0 && !reads_list(&x, operands[k])) fe_df_check_list(L, operands[k], NULL);
  return table_add_expr(fe_df_graph(L), &x);
}

const char *fe_df_name_list(lua_State *L, const char *const *names, int n) {
  StrBuf b;
  sb_init(&b);
  for (int k = 0; k < n; k++) sb_printf(&b, "%s%s", k ? ", " : "", names[k] ? names[k] : "?");
  const char *text = arena_strdup(fe_arena(L), b.data ? b.data : "");
  sb_free(&b);
  return text;
}

/* The source whose rows result r is made of (the first part's, for a Series of Scalars) */
static int result_source(const Tables *t, int r) {
  while (t->r[r].kind == TR_POST) r = t->r[r].in;
  return t->r[r].kind == TR_STACK ? result_source(t, t->r[r].cols[0]) : t->r[r].src;
}

/* The expression of the Scalar r (of type type) in a row expression: a reduction's value
 * (TX_SCALAR: the Series' rows are read again after the Scalar's scan, compiler/
 * table_phases.c; a reduction of a computed frame, df.x:median() or r.v:max(), once it is
 * made; nunique's count), or the arithmetic of such values and numbers (df.x:mean() * 2) as the
 * same arithmetic of their expressions, NumPy's either way */
static int scalar_expr(lua_State *L, int r, int type) {
  const Tables *t = fe_df_tables(L);
  const TResult *q = &t->r[r];
  /* (a Timedelta's or Timestamp's arithmetic, d:mean() * 1.5, is read as its value too: a
   * row expression has no Timedelta times a float, nor dd.Timedelta operands) */
  Graph *g = fe_df_graph(L);
  bool nat_arith =
      q->kind == TR_POST && q->fop == FOP_SCALAR &&
      (cdrt_col_nat(q->rop) || q->td_num || cdrt_col_nat(table_result_shape(g, q->in).type) ||
       (q->cols[0] >= 0 && cdrt_col_nat(table_result_shape(g, q->cols[0]).type)));
  bool reduction = q->kind == TR_AGG || nat_arith ||
                   (q->kind == TR_POST && (q->fop == FOP_MEDIAN || q->fop == FOP_AGG));
  if (type != CDRT_COL_INT64 && type != CDRT_COL_FLOAT64 && type != CDRT_COL_BOOL &&
      !(cdrt_col_nat(type) && reduction))
    fe_error(L,
             "a Series combined with a Scalar of %s is not supported yet (of numbers, or a "
             "datetime's or timedelta's reduction: min, max, sum, mean, median, std, quantile, "
             "and their arithmetic)",
             fe_df_type_label(type));
  if (q->kind == TR_AGG || (q->kind == TR_VCOUNT && q->rop == CDRT_AGG_NUNIQUE) || nat_arith ||
      (q->kind == TR_POST && (q->fop == FOP_MEDIAN || q->fop == FOP_AGG)))
    return fe_df_add_expr(
        L,
        (TExpr){
            .kind = TX_SCALAR, .type = type, .src = result_source(t, r), .i = r, .a = -1, .b = -1});
  if (q->kind != TR_POST || q->fop != FOP_SCALAR)
    fe_error(L, "a Series combined with a Scalar: the Scalar must be a reduction (df.x:mean(), "
                "df.x:median(), r.v:max() of a computed frame r) or arithmetic of them");
  static const Op ops[] = {[CDRT_ARITH_ADD] = OP_ADD,
                           [CDRT_ARITH_SUB] = OP_SUB,
                           [CDRT_ARITH_MUL] = OP_MUL,
                           [CDRT_ARITH_DIV] = OP_DIV,
                           [CDRT_ARITH_POW] = OP_POW};
  int code = q->arith & ~CDRT_ARITH_SWAP, in = q->in, other = q->cols[0], rop = q->rop;
  bool swap = q->arith & CDRT_ARITH_SWAP, integer = q->seeded;
  double num = q->num;
  int a = scalar_expr(L, in, table_result_shape(fe_df_graph(L), in).type);
  int b =
      other >= 0 ? scalar_expr(L, other, table_result_shape(fe_df_graph(L), other).type)
      : integer
          ? fe_df_add_expr(
                L,
                (TExpr){
                    .kind = TX_CONST, .type = CDRT_COL_INT64, .i = (int64_t)num, .a = -1, .b = -1})
          : fe_df_add_expr(
                L, (TExpr){.kind = TX_CONST, .type = CDRT_COL_FLOAT64, .f = num, .a = -1, .b = -1});
  return fe_df_add_expr(
      L,
      (TExpr){.kind = TX_OP, .type = rop, .op = ops[code], .a = swap ? b : a, .b = swap ? a : b});
}

LSeries *fe_df_str_series(lua_State *L, int *arg) {
  *arg = luaL_testudata(L, 1, STRACC_MT) ? 2 : 1;
  return luaL_checkudata(L, lua_upvalueindex(1), STRACC_MT);
}

int fe_df_timedelta_constant(lua_State *L, int i) {
  int64_t *u = luaL_testudata(L, i, TIMEDELTA_MT);
  if (!u) return -1;
  return fe_df_add_expr(
      L, (TExpr){.kind = TX_CONST, .type = CDRT_COL_TIMEDELTA, .i = *u, .a = -1, .b = -1});
}

int fe_df_constant(lua_State *L, int i) {
  switch (lua_type(L, i)) {
  case LUA_TNUMBER:
    if (lua_isinteger(L, i))
      return fe_df_add_expr(L, (TExpr){.kind = TX_CONST,
                                       .type = CDRT_COL_INT64,
                                       .i = lua_tointeger(L, i),
                                       .a = -1,
                                       .b = -1});
    return fe_df_add_expr(
        L,
        (TExpr){
            .kind = TX_CONST, .type = CDRT_COL_FLOAT64, .f = lua_tonumber(L, i), .a = -1, .b = -1});
  case LUA_TBOOLEAN:
    return fe_df_add_expr(
        L,
        (TExpr){
            .kind = TX_CONST, .type = CDRT_COL_BOOL, .i = lua_toboolean(L, i), .a = -1, .b = -1});
  case LUA_TSTRING: {
    size_t n;
    const char *p = lua_tolstring(L, i, &n);
    char *c = arena_alloc(fe_arena(L), n + 1);
    memcpy(c, p, n);
    return fe_df_add_expr(
        L,
        (TExpr){
            .kind = TX_CONST, .type = CDRT_COL_STR, .s = c, .slen = (int64_t)n, .a = -1, .b = -1});
  }
  default: {
    int td = fe_df_timedelta_constant(L, i);
    if (td >= 0) return td;
    LScalar *sc = luaL_testudata(L, i, SCALAR_MT);
    if (!sc) return fe_error(L, "cannot combine a Series with %s", luaL_typename(L, i));
    return scalar_expr(L, sc->result, sc->type);
  }
  }
}

bool fe_df_may_be_missing(lua_State *L, int x) {
  const TExpr *e = &fe_df_tables(L)->x[x];
  switch (e->kind) {
  case TX_COLUMN: {
    const TSource *src = &fe_df_graph(L)->tables.src[e->src];
    return src->missing ? src->missing[e->col] : false;
  }
  case TX_CONST: return e->type == CDRT_COL_STR ? !e->s : e->type == CDRT_COL_FLOAT64;
  case TX_STR:
    if (e->strfn == TS_JSON_FIELD) return e->i != 0; /* a list's object's field */
    return e->type == CDRT_COL_STR && (e->strfn == TS_RX_EXTRACT || e->strfn == TS_GET ||
                                       e->strfn == TS_SPLIT_GET || fe_df_may_be_missing(L, e->a) ||
                                       (e->strfn == TS_CONCAT && fe_df_may_be_missing(L, e->b)));
  case TX_FILLNA: return fe_df_may_be_missing(L, e->a) && fe_df_may_be_missing(L, e->b);
  case TX_MATH: return fe_df_may_be_missing(L, e->a);
  case TX_WHERE: return fe_df_may_be_missing(L, e->b) || fe_df_may_be_missing(L, (int)e->i);
  case TX_EACH: /* a split's pieces never; a tuple's items if one of them may; a JSON
                 * list's str and float64 items (null) */
    if (e->i < 0) return e->i == -1 && (e->type == CDRT_COL_STR || e->type == CDRT_COL_FLOAT64);
    for (int k = e->i ? e->a : -1; k >= 0; k = fe_df_tables(L)->x[k].b)
      if (fe_df_may_be_missing(L, fe_df_tables(L)->x[k].a)) return true;
    return false;
  case TX_INDEX:
  case TX_PART: return false;
  case TX_CAST: /* a string's "nan" reads as NaN, a missing one as NaT; a cast to int64 or
                 * bool has no missing */
    if (e->type == CDRT_COL_DATETIME) return fe_df_may_be_missing(L, e->a);
    return e->type == CDRT_COL_FLOAT64 &&
           (fe_df_tables(L)->x[e->a].type == CDRT_COL_STR || fe_df_may_be_missing(L, e->a));
  case TX_OP: /* datetime arithmetic: NaT where an operand is (other ops: as before) */
    if (!cdrt_col_nat(e->type)) return true;
    return fe_df_may_be_missing(L, e->a) || (e->b >= 0 && fe_df_may_be_missing(L, e->b));
  default: return true;
  }
}

int fe_df_assign_count(lua_State *L, int idx, bool *ordered) {
  luaL_checktype(L, idx, LUA_TTABLE);
  int len = (int)luaL_len(L, idx), n = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) n++, lua_pop(L, 1);
  if (len == 0 && n > 1)
    fe_error(L, "assign: several columns in {c = ...} have no order in Lua; give them as "
                "{{\"c\", value}, {\"d\", value}}");
  if (n == 0) fe_error(L, "assign: no column given");
  *ordered = len > 0;
  return len ? len : n;
}

const char *fe_df_assign_pair(lua_State *L, int idx, int i, bool ordered, int *npop) {
  if (ordered) {
    lua_geti(L, idx, i + 1);
    if (!lua_istable(L, -1)) fe_error(L, "assign: each pair is {\"column\", value}");
    lua_geti(L, -1, 1), lua_geti(L, -2, 2);
    *npop = 3;
  } else {
    lua_pushnil(L), lua_next(L, idx);
    *npop = 2;
  }
  if (lua_type(L, -2) != LUA_TSTRING) fe_error(L, "assign: a column's name must be a string");
  return arena_strdup(fe_arena(L), lua_tostring(L, -2));
}

static const char TRACING_KEY = 't', PARTITION_KEY = 'p';

/* The counter in the registry at key, plus delta */
static int registry_count(lua_State *L, const char *key, int delta) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, key);
  int depth = (int)lua_tointeger(L, -1) + delta;
  lua_pop(L, 1);
  lua_pushinteger(L, depth);
  lua_rawsetp(L, LUA_REGISTRYINDEX, key);
  return depth;
}

int fe_df_tracing(lua_State *L, int delta) {
  return registry_count(L, &TRACING_KEY, delta);
}

int fe_df_partition_tracing(lua_State *L, int delta) {
  return registry_count(L, &PARTITION_KEY, delta);
}

/* tostring(x) in a bag's traced function would be the repr of the symbolic element, the
 * same string for every element: refused (print(df) outside a bag's function is Dask's repr) */
void fe_df_check_tostring(lua_State *L) {
  if (fe_df_tracing(L, 0) <= 0) return;
  fe_error(L, "tostring of a traced value (a bag's element, a Series' value in map or apply) is "
              "not supported yet: the function runs once, while compiling, on a symbolic value, "
              "so tostring (and print) would give its repr for every value, not Python's "
              "str(x); return the value itself (astype(\"str\") makes a string) and print the "
              "result");
}

/* A function traced on one value (a bag's map, filter or key; a Series' map or apply; a
 * frame's apply by rows) sees a symbolic value that stands for each one: x:mean(), x:head()
 * or x:loc(mask) there would silently be over all of them (every result, row selection and
 * index is over a scan's rows), where Python has no such method of an int. A function
 * traced on a partition (map_partitions) may select rows (row_local), but a reduction or
 * head would be of the whole input, not of a block. */
void fe_df_refuse_traced(lua_State *L, const char *what, bool row_local) {
  if (fe_df_tracing(L, 0) > 0)
    fe_error(L,
             "%s inside a function of each value (a bag's map, filter or key, a Series' map or "
             "apply, a frame's apply by rows): it runs once, while compiling, on a symbolic "
             "value that stands for each one (in Dask, x.mean() of a number is an "
             "AttributeError); compute it outside the function (m = b:mean(), b:filter(f)) "
             "and use that Scalar inside it",
             what);
  if (!row_local && fe_df_partition_tracing(L, 0) > 0)
    fe_error(L,
             "%s inside map_partitions' function: it runs once, while compiling, on the whole "
             "input, and a partition's own would depend on how cdask cuts it into blocks; "
             "compute it outside the function (m = df.x:mean()) and use that Scalar inside it",
             what);
}

void fe_df_metatable(lua_State *L, const char *name, lua_CFunction index, lua_CFunction tostring) {
  luaL_newmetatable(L, name);
  lua_pushcfunction(L, index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, tostring);
  lua_setfield(L, -2, "__tostring");
}

const char *fe_df_type_label(int t) {
  return t == CDRT_COL_STR ? "object" : cdrt_coltype_name(t);
}

const char *fe_df_expr_label(lua_State *L, int x) {
  const TExpr *e = &fe_df_tables(L)->x[x];
  return e->cats ? "category" : fe_df_type_label(e->type);
}

int fe_df_categorize(lua_State *L, int src, int x, const char *name) {
  TExpr e = fe_df_tables(L)->x[x];
  e.cats = fe_df_tables(L)->nr + 1; /* the value counts added next (a new expression, so a
                                     * new result): expressions are not changed once added */
  int y = fe_df_add_expr(L, e);
  int c = fe_df_result_add(L, (TResult){.kind = TR_VCOUNT,
                                        .src = src,
                                        .mask = -1,
                                        .rop = -1,
                                        .expr = y,
                                        .name = name,
                                        .limit = -1});
  if (c + 1 != e.cats) fe_error(L, "internal error: the categories' value counts moved");
  return y;
}

/* The rows of the frame or Series at idx as a result: a new TR_ROWS (merged: made for a
 * merge), or the computed one */
int fe_df_rows_for(lua_State *L, int idx, bool merged) {
  LSeries *s = luaL_testudata(L, idx, SERIES_MT);
  if (s && s->expr < 0) return s->result;
  Arena *a = fe_arena(L);
  TResult r = {.kind = TR_ROWS, .rop = -1, .expr = -1, .merged = merged};
  if (s) {
    r.src = s->src, r.mask = s->mask, r.limit = s->limit, r.ncols = 1, r.series = true;
    r.cols = arena_alloc(a, sizeof *r.cols);
    r.names = arena_alloc(a, sizeof *r.names);
    r.cols[0] = s->expr, r.names[0] = s->name;
    return fe_df_result_add(L, r);
  }
  LFrame *f = fe_df_check_frame(L, idx);
  r.src = f->src, r.mask = f->mask, r.limit = f->limit, r.ncols = f->ncols;
  r.cols = f->cols, r.names = f->names;
  return fe_df_result_add(L, r);
}
int fe_df_rows_of(lua_State *L, int idx) {
  return fe_df_rows_for(L, idx, false);
}

static bool same_name(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}
static bool same_ints(const int *a, const int *b, int n) {
  return n == 0 || memcmp(a, b, (size_t)n * sizeof *a) == 0;
}
static bool same_names(const char **a, const char **b, int n) {
  for (int k = 0; k < n; k++)
    if (!same_name(a[k], b[k])) return false;
  return true;
}

/* The operations of a frame whose result nothing changes once it is added (the others'
 * fields are set after fe_df_result_add returns, so they are never shared) */
static bool shareable_post(int fop) {
  return fop == FOP_SELECT || fop == FOP_MEDIAN;
}

/* The same thing asked for again is the result made before, so the program makes it once:
 * the same reduction or value counts of the same rows of the same expression
 * (df.Age:value_counts() in three outputs, df:mean() beside df.Age:mean()); the same rows
 * of the same columns (two df.Age:median() collect the ages once); and the same column
 * selection or median of one result. The top-n rule (emit_rows.c) gives a sort read by a
 * head its own copy of shared rows, so sharing never costs it its cut. */
static int same_result(const Tables *t, const TResult *r) {
  bool post = r->kind == TR_POST && shareable_post(r->fop);
  if (r->kind != TR_AGG && r->kind != TR_VCOUNT && r->kind != TR_ROWS && !post) return -1;
  for (int k = 0; k < t->nr; k++) {
    const TResult *q = &t->r[k];
    if (q->kind != r->kind || q->src != r->src || q->mask != r->mask || q->rop != r->rop ||
        q->expr != r->expr || q->join != r->join || q->limit != r->limit ||
        q->unsorted != r->unsorted || !same_name(q->name, r->name))
      continue;
    if (r->kind == TR_ROWS &&
        (q->series != r->series || q->merged != r->merged || q->ncols != r->ncols ||
         !same_ints(q->cols, r->cols, r->ncols) || !same_names(q->names, r->names, r->ncols)))
      continue;
    if (post && (q->in != r->in || q->fop != r->fop || q->series != r->series ||
                 q->ncols != r->ncols || !same_ints(q->cols, r->cols, r->ncols) ||
                 q->seeded != r->seeded || (r->seeded && q->num != r->num)))
      continue;
    return k;
  }
  return -1;
}

int fe_df_result_add(lua_State *L, TResult r) {
  /* (arithmetic of Scalars, made outside the function, is no operation over its rows) */
  if (r.kind != TR_POST || r.fop != FOP_SCALAR)
    fe_df_refuse_traced(L, "a reduction, running or window operation, sort or grouping", false);
  int same = same_result(fe_df_tables(L), &r);
  if (same >= 0) return same;
  fe_df_locate(L, &r.file, &r.line);
  return table_add_result(fe_df_graph(L), &r);
}
