/* lua_datetime.c: datetime64[ns] Series (read_csv's parse_dates or dtype = "datetime64"):
 * the s.dt accessor's fields, comparisons with dates written as strings (parsed here, at
 * compile time, as pandas parses them), and what a datetime Series cannot do yet. */
#include "frontend.h"

#include <math.h>
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
 * day's midnight): datetimes (or timedeltas) moved to a multiple of a fixed frequency, NaT
 * kept */
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
                                    .type = fe_df_tables(L)->x[s->expr].type,
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

static const struct {
  const char *name;
  int field;
} td_fields[] = {{"days", CDRT_TD_DAYS},
                 {"seconds", CDRT_TD_SECONDS},
                 {"microseconds", CDRT_TD_MICROSECONDS},
                 {"nanoseconds", CDRT_TD_NANOSECONDS},
                 {NULL, 0}};

/* s.dt:total_seconds() of a timedelta: float64, NaN for NaT */
static int td_total_seconds(lua_State *L) {
  LSeries *s = luaL_checkudata(L, 1, DTACC_MT);
  int r = fe_df_add_expr(L, (TExpr){.kind = TX_DT,
                                    .type = CDRT_COL_FLOAT64,
                                    .strfn = CDRT_TD_TOTAL_SECONDS,
                                    .a = s->expr,
                                    .b = -1});
  fe_df_push_series(L, s->src, r, s->name, s->mask);
  return 1;
}

/* A field of the datetime or timedelta s: int64 as in pandas when no value is NaT, float64
 * (NaN for NaT) otherwise */
static int dt_field(lua_State *L, const LSeries *s, int field) {
  int type = fe_df_may_be_missing(L, s->expr) ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
  int r = fe_df_add_expr(
      L, (TExpr){.kind = TX_DT, .type = type, .strfn = field, .a = s->expr, .b = -1});
  fe_df_push_series(L, s->src, r, s->name, s->mask);
  return 1;
}

/* a timedelta's .dt: its components and total_seconds() */
static int tdacc_index(lua_State *L, const LSeries *s, const char *key) {
  for (int i = 0; td_fields[i].name; i++)
    if (strcmp(td_fields[i].name, key) == 0) return dt_field(L, s, td_fields[i].field);
  if (strcmp(key, "total_seconds") == 0) return lua_pushcfunction(L, td_total_seconds), 1;
  static const luaL_Reg moves[] = {
      {"floor", dt_floor}, {"ceil", dt_ceil}, {"round", dt_round}, {NULL, NULL}};
  for (const luaL_Reg *m = moves; m->name; m++)
    if (strcmp(m->name, key) == 0) return lua_pushcfunction(L, m->func), 1;
  return fe_error(L,
                  "dt of a timedelta64 Series has no attribute '%s' (days, seconds, "
                  "microseconds, nanoseconds; total_seconds, floor, ceil, round)",
                  key);
}

static int dtacc_index(lua_State *L) {
  LSeries *s = luaL_checkudata(L, 1, DTACC_MT);
  const char *key = luaL_checkstring(L, 2);
  if (fe_df_tables(L)->x[s->expr].type == CDRT_COL_TIMEDELTA) return tdacc_index(L, s, key);
  for (int i = 0; dt_fields[i].name; i++)
    if (strcmp(dt_fields[i].name, key) == 0) return dt_field(L, s, dt_fields[i].field);
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

bool fe_df_dt_field(const char *key) {
  for (int i = 0; dt_fields[i].name; i++)
    if (strcmp(dt_fields[i].name, key) == 0) return true;
  return false;
}

int fe_df_dt_accessor(lua_State *L, const LSeries *s) {
  if (s->expr < 0 || !cdrt_col_nat(fe_df_tables(L)->x[s->expr].type))
    fe_error(L, "Can only use .dt accessor with datetimelike values");
  LSeries *a = lua_newuserdatauv(L, sizeof *a, 0);
  *a = *s;
  luaL_setmetatable(L, DTACC_MT);
  return 1;
}

/* Operand x as a constant or Series of type want (datetime64 or timedelta64): a string
 * constant parsed as pandas parses it, a Series of that type kept, anything else an error */
static int as_nat(lua_State *L, int x, int want) {
  const TExpr *e = &fe_df_tables(L)->x[x];
  if (e->type == want) return x;
  bool td = want == CDRT_COL_TIMEDELTA;
  if (e->kind != TX_CONST || e->type != CDRT_COL_STR || !e->s)
    return fe_error(L, "TypeError: a %s Series compares with %s, got %s", fe_df_type_label(want),
                    td ? "timedeltas (a timedelta Series, dd.Timedelta(\"1h\") or a string "
                         "such as \"1h30min\")"
                       : "dates (a datetime Series or a string such as \"2021-10-01\")",
                    fe_df_type_label(e->type));
  int64_t ns;
  if (td ? cdrt_parse_timedelta(e->s, (size_t)e->slen, &ns) != 0
         : cdrt_parse_datetime(e->s, (size_t)e->slen, &ns) != 0)
    return fe_error(L, "cannot read '%s' as a %s", e->s,
                    td ? "timedelta (\"1h30min\", \"2 days\", \"1 days 02:00:00\")"
                       : "datetime (YYYY-MM-DD, then optionally HH:MM:SS)");
  return fe_df_add_expr(L, (TExpr){.kind = TX_CONST, .type = want, .i = ns, .a = -1, .b = -1});
}

/* pandas' arithmetic of datetimes and timedeltas: the result's type, or -1 */
static int nat_arith_type(Op op, int ta, int tb) {
  const int DT = CDRT_COL_DATETIME, TD = CDRT_COL_TIMEDELTA;
  switch (op) {
  case OP_SUB:
    return ta == DT && tb == DT ? TD : ta == DT && tb == TD ? DT : ta == TD && tb == TD ? TD : -1;
  case OP_ADD:
    return (ta == DT && tb == TD) || (ta == TD && tb == DT) ? DT : ta == TD && tb == TD ? TD : -1;
  case OP_MUL: /* by an integer (a float would round: not yet) */
    return (ta == TD && tb == CDRT_COL_INT64) || (ta == CDRT_COL_INT64 && tb == TD) ? TD : -1;
  case OP_DIV: return ta == TD && tb == TD ? CDRT_COL_FLOAT64 : -1;
  default: return -1;
  }
}

int fe_df_nat_operands(lua_State *L, Op op, int *a, int *b) {
  Tables *t = fe_df_tables(L);
  int ta = t->x[*a].type, tb = t->x[*b].type;
  if (!cdrt_col_nat(ta) && !cdrt_col_nat(tb)) return -1;
  if (op == OP_EQ || op == OP_NE || op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE) {
    int want = cdrt_col_nat(ta) ? ta : tb;
    *a = as_nat(L, *a, want), *b = as_nat(L, *b, want);
    return CDRT_COL_BOOL;
  }
  int type = nat_arith_type(op, ta, tb);
  if (type < 0)
    fe_error(L,
             "TypeError: unsupported operand types for %s: %s and %s (pandas' datetime "
             "arithmetic here: datetime - datetime, datetime +/- timedelta, timedelta +/- "
             "timedelta, timedelta * integer, timedelta / timedelta, and comparisons)",
             op_names[op], fe_df_type_label(ta), fe_df_type_label(tb));
  return type;
}

/* A Series' reductions of timedeltas (datetimes) besides min, max, count and nunique: a
 * Timedelta's sum, mean and std (a datetime's mean, a Timestamp, and std, a Timedelta) */
bool fe_df_nat_reduces(int type, int rop) {
  return (type == CDRT_COL_TIMEDELTA && (rop == CDRT_AGG_SUM || rop == CDRT_AGG_MEAN)) ||
         (cdrt_col_nat(type) && rop == CDRT_AGG_STD) ||
         (type == CDRT_COL_DATETIME && rop == CDRT_AGG_MEAN);
}

void fe_df_datetime_refuse(lua_State *L, int type, const char *what) {
  if (cdrt_col_nat(type) && strcmp(what, "var") == 0) /* pandas 1.5's own refusal */
    fe_error(L,
             "TypeError: '%s' with dtype %s does not support reduction 'var' (std does: a "
             "Timedelta)",
             type == CDRT_COL_DATETIME ? "DatetimeArray" : "TimedeltaArray",
             fe_df_type_label(type));
  if (type == CDRT_COL_DATETIME)
    fe_error(L,
             "%s of a datetime64 Series is not supported yet (min, max, mean, median, std, "
             "quantile, count, nunique, value_counts, comparisons, sort_values, groupby, .dt "
             "and - are)",
             what);
  if (type == CDRT_COL_TIMEDELTA)
    fe_error(L,
             "%s of a timedelta64 Series is not supported yet (sum, mean, median, std, "
             "quantile, min, max, count, nunique, value_counts, comparisons, sort_values, "
             "groupby, + - and .dt are)",
             what);
}

/* ---- dd.Timedelta ---- */
/* pandas' Timedelta keywords: weeks, then the units of its strings (cdrt_timedelta_unit) */
static const char *const td_keywords[] = {"weeks",   "days",         "hours",        "minutes",
                                          "seconds", "milliseconds", "microseconds", "nanoseconds"};

/* v (the number at idx) times unit ns, rounded to a nanosecond, or an error */
static int64_t td_times(lua_State *L, int idx, int64_t unit) {
  if (lua_isinteger(L, idx)) {
    lua_Integer v = lua_tointeger(L, idx);
    if (v > INT64_MAX / unit || v < -(INT64_MAX / unit))
      fe_error(L, "dd.Timedelta: %lld is out of timedelta64[ns]'s range", (long long)v);
    return v * unit;
  }
  double d = lua_tonumber(L, idx) * (double)unit;
  if (!(fabs(d) < 9.2e18)) fe_error(L, "dd.Timedelta: the value is out of timedelta64[ns]'s range");
  return (int64_t)llround(d);
}

/* dd.Timedelta("1h30min"), dd.Timedelta(90, "min") (no unit: ns) or dd.Timedelta{hours = 1,
 * minutes = 30}: pandas' Timedelta, a constant for a Series' arithmetic and comparisons */
int fe_df_timedelta(lua_State *L) {
  int64_t ns = 0;
  if (lua_type(L, 1) == LUA_TSTRING) {
    size_t n;
    const char *s = lua_tolstring(L, 1, &n);
    if (cdrt_parse_timedelta(s, n, &ns) != 0)
      fe_error(L,
               "dd.Timedelta: cannot read '%s' as a timedelta (\"1h30min\", \"2 days\", "
               "\"1 days 02:00:00\")",
               s);
  } else if (lua_type(L, 1) == LUA_TNUMBER) {
    const char *u = luaL_optstring(L, 2, "ns");
    int64_t unit = cdrt_timedelta_unit(u, strlen(u));
    if (!unit) fe_error(L, "dd.Timedelta: unknown unit '%s' (W, D, h, min, s, ms, us, ns)", u);
    ns = td_times(L, 1, unit);
  } else if (lua_istable(L, 1)) {
    lua_pushnil(L);
    while (lua_next(L, 1)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
      int i = 0;
      while (i < 8 && strcmp(td_keywords[i], k) != 0) i++;
      if (i == 8 || lua_type(L, -1) != LUA_TNUMBER)
        fe_error(L,
                 "dd.Timedelta{...}: '%s' is not one of weeks, days, hours, minutes, seconds, "
                 "milliseconds, microseconds, nanoseconds with a number",
                 k);
      int64_t v = td_times(L, lua_gettop(L),
                           i ? cdrt_timedelta_unit(k, strlen(k)) : cdrt_timedelta_unit("w", 1));
      if ((v > 0 && ns > INT64_MAX - v) || (v < 0 && ns < -INT64_MAX - v))
        fe_error(L, "dd.Timedelta: the value is out of timedelta64[ns]'s range");
      ns += v;
      lua_pop(L, 1);
    }
  } else {
    fe_error(L, "dd.Timedelta takes a string (\"1h30min\"), a number and a unit, or a table "
                "{hours = 1, minutes = 30}");
  }
  int64_t *u = lua_newuserdatauv(L, sizeof *u, 0);
  *u = ns;
  luaL_setmetatable(L, TIMEDELTA_MT);
  return 1;
}

static int td_tostring(lua_State *L) {
  char t[48];
  cdrt_format_timedelta(*(int64_t *)luaL_checkudata(L, 1, TIMEDELTA_MT), 0, t);
  lua_pushstring(L, t);
  return 1;
}

void fe_open_datetime(lua_State *L) {
  fe_df_metatable(L, DTACC_MT, dtacc_index, dtacc_tostring);
  lua_pop(L, 1);
  luaL_newmetatable(L, TIMEDELTA_MT);
  lua_pushcfunction(L, td_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
}
