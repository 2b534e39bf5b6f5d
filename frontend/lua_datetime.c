/* lua_datetime.c: datetime64[ns] Series (read_csv's parse_dates or dtype = "datetime64"):
 * the s.dt accessor's fields, comparisons with dates written as strings (parsed here, at
 * compile time, as pandas parses them), and what a datetime Series cannot do yet. */
#include "frontend.h"

#include <string.h>

#define DTACC_MT "cdask.dataframe.DatetimeProperties"

static const struct {
  const char *name;
  int field;
} dt_fields[] = {{"year", CDRT_DT_YEAR},
                 {"month", CDRT_DT_MONTH},
                 {"day", CDRT_DT_DAY},
                 {"hour", CDRT_DT_HOUR},
                 {"minute", CDRT_DT_MINUTE},
                 {"second", CDRT_DT_SECOND},
                 {"dayofweek", CDRT_DT_DAYOFWEEK},
                 {"weekday", CDRT_DT_DAYOFWEEK},
                 {"dayofyear", CDRT_DT_DAYOFYEAR},
                 {NULL, 0}};

/* s.dt:floor(freq), ceil and round (halves to even, as pandas), and s.dt:normalize() (the
 * day's midnight): datetimes moved to a multiple of a fixed frequency, NaT kept */
static int dt_move(lua_State *L, int mode, const char *what) {
  LSeries *s = luaL_checkudata(L, 1, DTACC_MT);
  int64_t step = 86400 * INT64_C(1000000000);
  if (what) {
    const char *freqstr;
    step = fe_df_parse_freq(
        L, fe_check_string(L, 2, arena_printf(fe_arena(L), "%s: freq", what), true), &freqstr,
        what);
  }
  int r = fe_df_add_expr(L, (TExpr){.kind = TX_MATH,
                                    .type = CDRT_COL_DATETIME,
                                    .strfn = TM_DT_FLOOR + mode,
                                    .a = s->expr,
                                    .b = -1,
                                    .i = step});
  fe_df_push_series(L, s->src, r, s->name, s->mask);
  return 1;
}
static int dt_floor(lua_State *L) {
  return dt_move(L, 0, "floor");
}
static int dt_ceil(lua_State *L) {
  return dt_move(L, 1, "ceil");
}
static int dt_round(lua_State *L) {
  return dt_move(L, 2, "round");
}
static int dt_normalize(lua_State *L) {
  return dt_move(L, 0, NULL);
}

static int dtacc_index(lua_State *L) {
  LSeries *s = luaL_checkudata(L, 1, DTACC_MT);
  const char *key = luaL_checkstring(L, 2);
  for (int i = 0; dt_fields[i].name; i++)
    if (strcmp(dt_fields[i].name, key) == 0) {
      /* int64 as in pandas when no value is NaT, float64 (NaN for NaT) otherwise */
      int type = fe_df_may_be_missing(L, s->expr) ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
      int r = fe_df_add_expr(
          L,
          (TExpr){.kind = TX_DT, .type = type, .strfn = dt_fields[i].field, .a = s->expr, .b = -1});
      fe_df_push_series(L, s->src, r, s->name, s->mask);
      return 1;
    }
  static const luaL_Reg moves[] = {{"floor", dt_floor},
                                   {"ceil", dt_ceil},
                                   {"round", dt_round},
                                   {"normalize", dt_normalize},
                                   {NULL, NULL}};
  for (const luaL_Reg *m = moves; m->name; m++)
    if (strcmp(m->name, key) == 0) return lua_pushcfunction(L, m->func), 1;
  return fe_error(L,
                  "dt has no attribute '%s' (year, month, day, hour, minute, second, dayofweek, "
                  "weekday, dayofyear; floor, ceil, round, normalize)",
                  key);
}

static int dtacc_tostring(lua_State *L) {
  return lua_pushstring(L, "DatetimeProperties"), 1;
}

int fe_df_dt_accessor(lua_State *L, const LSeries *s) {
  if (s->expr < 0 || fe_df_tables(L)->x[s->expr].type != CDRT_COL_DATETIME)
    fe_error(L, "Can only use .dt accessor with datetimelike values");
  LSeries *a = lua_newuserdatauv(L, sizeof *a, 0);
  *a = *s;
  luaL_setmetatable(L, DTACC_MT);
  return 1;
}

/* A string constant as a datetime constant, or an error naming it */
static int as_datetime(lua_State *L, int x) {
  const TExpr *e = &fe_df_tables(L)->x[x];
  if (e->type == CDRT_COL_DATETIME) return x;
  if (e->kind != TX_CONST || e->type != CDRT_COL_STR || !e->s)
    return fe_error(L,
                    "TypeError: a datetime64 Series compares with dates (a datetime Series or a "
                    "string such as \"2021-10-01\"), got %s",
                    fe_df_type_label(e->type));
  int64_t ns;
  if (cdrt_parse_datetime(e->s, (size_t)e->slen, &ns) != 0)
    return fe_error(L, "cannot read '%s' as a datetime (YYYY-MM-DD, then optionally HH:MM:SS)",
                    e->s);
  return fe_df_add_expr(
      L, (TExpr){.kind = TX_CONST, .type = CDRT_COL_DATETIME, .i = ns, .a = -1, .b = -1});
}

bool fe_df_datetime_operands(lua_State *L, Op op, int *a, int *b) {
  Tables *t = fe_df_tables(L);
  if (t->x[*a].type != CDRT_COL_DATETIME && t->x[*b].type != CDRT_COL_DATETIME) return false;
  if (op != OP_EQ && op != OP_NE && op != OP_LT && op != OP_LE && op != OP_GT && op != OP_GE)
    fe_error(L,
             "arithmetic and logic on datetime64 Series are not supported yet (comparisons are)");
  *a = as_datetime(L, *a), *b = as_datetime(L, *b);
  return true;
}

void fe_df_datetime_refuse(lua_State *L, int type, const char *what) {
  if (type == CDRT_COL_DATETIME)
    fe_error(L,
             "%s of a datetime64 Series is not supported yet (min, max, count, nunique, "
             "value_counts, comparisons, sort_values, groupby and .dt are)",
             what);
}

void fe_open_datetime(lua_State *L) {
  fe_df_metatable(L, DTACC_MT, dtacc_index, dtacc_tostring);
  lua_pop(L, 1);
}
