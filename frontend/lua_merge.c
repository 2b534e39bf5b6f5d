/* lua_merge.c: dd.merge(left, right, opts) and left:merge(right, opts) (frontend.h,
 * "lua_merge.c"): pandas' merge of two frames on columns, a TR_POST result (FOP_MERGE)
 * over the two frames' rows (a lazy frame's collected rows, or a computed frame), joined
 * after the scans by runtime/frame_ops.c. Everything a merge can get wrong by name or
 * type (a key missing from a side, keys of different types, no common column, an unknown
 * how) is an error at the script's line. */
#include "frontend.h"

#include <string.h>

/* The frame at idx as a result and its shape: a DataFrame, lazy or computed */
static int merge_side(lua_State *L, int idx, const char *which, TShape *s) {
  LFrame *f = luaL_testudata(L, idx, FRAME_MT);
  if (!f && !luaL_testudata(L, idx, SERIES_MT))
    fe_error(L, "merge: the %s must be a DataFrame, got %s", which, luaL_typename(L, idx));
  int r = fe_df_rows_for(L, idx, f != NULL); /* several merges of x collect its rows once */
  *s = table_result_shape(fe_df_graph(L), r);
  if (s->scalar || s->series)
    fe_error(L,
             "merge: the %s is a Series; merge needs a DataFrame (select columns with "
             "df[{...}])",
             which);
  return r;
}

static int column_of(const TShape *s, const char *name) {
  for (int k = 0; k < s->ncols; k++)
    if (s->names[k] && strcmp(s->names[k], name) == 0) return k;
  return -1;
}

/* Key name on one side: its column, or an error naming the side and its columns */
static int key_column(lua_State *L, const TShape *s, const char *name, const char *which) {
  int k = column_of(s, name);
  if (k >= 0) return k;
  for (int j = 0; j < s->nlev; j++)
    if (s->lnames[j] && strcmp(s->lnames[j], name) == 0)
      fe_error(L,
               "merge: '%s' is the %s frame's index, not a column (merge on it with %s_index = "
               "true)",
               name, which, which);
  return fe_error(L, "merge: KeyError: '%s' is not a column of the %s frame (its columns: %s)",
                  name, which, fe_df_name_list(L, (const char *const *)s->names, s->ncols));
}

/* opts[key] (a name or a list of names) into *names: their number, 0 when absent */
static int key_names(lua_State *L, int opts, const char *key, const char ***names) {
  if (!opts) return 0;
  lua_getfield(L, opts, key);
  int n = 0;
  if (lua_type(L, -1) == LUA_TSTRING) {
    *names = arena_alloc(fe_arena(L), sizeof **names);
    (*names)[0] = arena_strdup(fe_arena(L), lua_tostring(L, -1));
    n = 1;
  } else if (lua_istable(L, -1)) {
    n = (int)luaL_len(L, -1);
    if (n == 0) fe_error(L, "merge: %s is an empty list", key);
    *names = arena_alloc(fe_arena(L), (size_t)n * sizeof **names);
    for (int i = 1; i <= n; i++) {
      lua_geti(L, -1, i);
      if (lua_type(L, -1) != LUA_TSTRING) fe_error(L, "merge: %s: item %d is not a name", key, i);
      (*names)[i - 1] = arena_strdup(fe_arena(L), lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  } else if (!lua_isnil(L, -1)) {
    fe_error(L, "merge: %s must be a column name or a list of names", key);
  }
  lua_pop(L, 1);
  return n;
}

static int how_of(lua_State *L, int opts) {
  static const char *const hows[] = {"inner", "left", "right", "outer", "cross"};
  if (!opts) return CDRT_HOW_INNER;
  lua_getfield(L, opts, "how");
  int how = CDRT_HOW_INNER;
  if (!lua_isnil(L, -1)) {
    const char *h = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    for (how = 0; h && how < 5 && strcmp(h, hows[how]) != 0; how++) continue;
    if (!h || how == 5)
      fe_error(L,
               "merge: how must be \"inner\", \"left\", \"right\", \"outer\" or \"cross\", not "
               "%s%s%s",
               h ? "'" : "", h ? h : luaL_typename(L, -1), h ? "'" : "");
  }
  lua_pop(L, 1);
  return how;
}

/* validate = "1:1" | "one_to_one" | "1:m" | ... (CDRT_VALIDATE_*; "m:m" checks nothing) */
static int validate_of(lua_State *L, int opts) {
  static const char *const names[] = {"1:1", "one_to_one",  "1:m", "one_to_many",
                                      "m:1", "many_to_one", "m:m", "many_to_many"};
  static const int kinds[] = {CDRT_VALIDATE_1_1,  CDRT_VALIDATE_1_1, CDRT_VALIDATE_1_M,
                              CDRT_VALIDATE_1_M,  CDRT_VALIDATE_M_1, CDRT_VALIDATE_M_1,
                              CDRT_VALIDATE_NONE, CDRT_VALIDATE_NONE};
  if (!opts) return CDRT_VALIDATE_NONE;
  lua_getfield(L, opts, "validate");
  int kind = CDRT_VALIDATE_NONE;
  if (!lua_isnil(L, -1)) {
    const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    int i = 0;
    while (v && i < 8 && strcmp(v, names[i]) != 0) i++;
    if (!v || i == 8)
      fe_error(L,
               "merge: validate must be \"1:1\", \"1:m\", \"m:1\", \"m:m\", \"one_to_one\", "
               "\"one_to_many\", \"many_to_one\" or \"many_to_many\", not %s%s%s",
               v ? "\"" : "a ", v ? v : luaL_typename(L, -1), v ? "\"" : "");
    kind = kinds[i];
  }
  lua_pop(L, 1);
  return kind;
}

/* suffixes = {"_x", "_y"} (pandas' default) */
static void suffixes_of(lua_State *L, int opts, const char **suffix) {
  suffix[0] = "_x", suffix[1] = "_y";
  if (!opts) return;
  lua_getfield(L, opts, "suffixes");
  if (!lua_isnil(L, -1)) {
    if (!lua_istable(L, -1) || luaL_len(L, -1) != 2)
      fe_error(L, "merge: suffixes must be a list of two strings, as {\"_x\", \"_y\"}");
    for (int i = 0; i < 2; i++) {
      lua_geti(L, -1, i + 1);
      if (lua_type(L, -1) != LUA_TSTRING)
        fe_error(L, "merge: suffixes must be a list of two strings, as {\"_x\", \"_y\"}");
      suffix[i] = arena_strdup(fe_arena(L), lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}

static bool merge_flag(lua_State *L, int opts, const char *key) {
  if (!opts) return false;
  lua_getfield(L, opts, key);
  bool on = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return on;
}

/* indicator = true ("_merge") or a name: pandas' ValueError when a side has that column */
static const char *indicator_of(lua_State *L, int opts, const TShape *ls, const TShape *rs) {
  if (!opts) return NULL;
  lua_getfield(L, opts, "indicator");
  const char *name = lua_type(L, -1) == LUA_TSTRING ? arena_strdup(fe_arena(L), lua_tostring(L, -1))
                     : lua_toboolean(L, -1)         ? "_merge"
                                                    : NULL;
  lua_pop(L, 1);
  if (name && (column_of(ls, name) >= 0 || column_of(rs, name) >= 0))
    fe_error(L,
             "merge: ValueError: Cannot use name of an existing column for indicator column "
             "('%s')",
             name);
  return name;
}

/* left_index / right_index: the keys are index levels (rkeys -1 - level); left_on with
 * right_index (the left's labels index the result), or both indexes of one level (the
 * keys' values index it) */
static int index_keys(lua_State *L, const TShape *ls, const TShape *rs, bool li, bool ri, int non,
                      int nl, int nr, int how) {
  if (how == CDRT_HOW_CROSS)
    fe_error(L, "merge: how = \"cross\" takes no keys (pandas' MergeError: 'Can not pass on, "
                "right_on, left_on or set right_index=True or left_index=True')");
  if (non)
    fe_error(L, "merge: MergeError: Can only pass argument \"on\" OR \"left_index\" and "
                "\"right_index\", not a combination of both.");
  if (li && nl)
    fe_error(L, "merge: MergeError: Can only pass argument \"left_on\" OR \"left_index\" not "
                "both.");
  if (ri && nr)
    fe_error(L, "merge: MergeError: Can only pass argument \"right_on\" OR \"right_index\" not "
                "both.");
  if (li && !ri) {
    if (!nr) fe_error(L, "merge: MergeError: Must pass \"right_on\" OR \"right_index\".");
    fe_error(L, "merge: left_index with right_on is not supported (pandas 1.5 makes the left's "
                "index a column and the result's index the right's keys); use left_on with "
                "right_index, or both indexes");
  }
  if (!li && !nl) fe_error(L, "merge: MergeError: Must pass \"left_on\" OR \"left_index\".");
  if (rs->nlev < 1 || (li && ls->nlev < 1))
    fe_error(L, "merge: the %s frame has no index", rs->nlev < 1 ? "right" : "left");
  if (li && (ls->nlev != 1 || rs->nlev != 1))
    fe_error(L, "merge: left_index with right_index on a MultiIndex is not supported (one "
                "level each)");
  if (!li && nl != rs->nlev)
    fe_error(L,
             "merge: ValueError: len(left_on) must equal the number of levels in the index "
             "of \"right\" (%d and %d)",
             nl, rs->nlev);
  if (!li && ls->nlev != 1)
    fe_error(L, "merge: left_on with right_index of a left frame with a MultiIndex is not "
                "supported");
  return li ? 1 : nl;
}

/* The options merge knows; any other is refused rather than ignored */
static void check_options(lua_State *L, int opts) {
  static const char *const known[] = {"on",         "left_on",     "right_on", "how",
                                      "suffixes",   "sort",        "validate", "indicator",
                                      "left_index", "right_index", NULL};
  lua_pushnil(L);
  while (lua_next(L, opts)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    int i = 0;
    while (k && known[i] && strcmp(known[i], k) != 0) i++;
    if (!k || !known[i])
      fe_error(L,
               "merge: option %s is not supported (on, left_on, right_on, left_index, right_index, "
               "how, suffixes, validate, sort, indicator)",
               k ? arena_printf(fe_arena(L), "'%s'", k) : "without a name");
    if ((strcmp(k, "sort") == 0 || strcmp(k, "left_index") == 0 || strcmp(k, "right_index") == 0) &&
        !lua_isboolean(L, -1))
      fe_error(L, "merge: %s must be true or false, not %s", k, luaL_typename(L, -1));
    if (strcmp(k, "indicator") == 0 && !lua_isboolean(L, -1) && lua_type(L, -1) != LUA_TSTRING)
      fe_error(L, "merge: indicator must be true, false or a column name, not %s",
               luaL_typename(L, -1));
    lua_pop(L, 1);
  }
}

int fe_df_merge(lua_State *L) {
  TShape ls, rs;
  int in = merge_side(L, 1, "left", &ls), right = merge_side(L, 2, "right", &rs);
  int opts = 0;
  if (!lua_isnoneornil(L, 3)) {
    if (!lua_istable(L, 3))
      fe_error(L, "merge: the options must be a table {on = ..., how = ...}, got %s",
               luaL_typename(L, 3));
    opts = 3;
    check_options(L, opts);
  }
  const char **on = NULL, **lon = NULL, **ron = NULL;
  int non = key_names(L, opts, "on", &on), nl = key_names(L, opts, "left_on", &lon),
      nr = key_names(L, opts, "right_on", &ron);
  Arena *a = fe_arena(L);
  int how = how_of(L, opts);
  if (how == CDRT_HOW_CROSS && (non || nl || nr)) /* every pair of rows: no keys */
    fe_error(L, "merge: how = \"cross\" takes no keys (pandas' MergeError: 'Can not pass on, "
                "right_on, left_on or set right_index=True or left_index=True')");
  bool li = merge_flag(L, opts, "left_index"), ri = merge_flag(L, opts, "right_index");
  int nidx = li || ri ? index_keys(L, &ls, &rs, li, ri, non, nl, nr, how) : 0;
  if (non && (nl || nr))
    fe_error(L, "merge: give on, or left_on and right_on, not both (pandas: 'Can only pass "
                "argument \"on\" OR \"left_on\" and \"right_on\"')");
  if (nl != nr && !nidx) {
    if (!nl || !nr)
      fe_error(L, "merge: %s needs %s too", nl ? "left_on" : "right_on",
               nl ? "right_on" : "left_on");
    fe_error(L, "merge: len(right_on) must equal len(left_on) (%d and %d)", nr, nl);
  }
  if (!non && !nl && !nidx &&
      how != CDRT_HOW_CROSS) { /* pandas: the columns both have, left's order */
    on = arena_alloc(a, (size_t)(ls.ncols + 1) * sizeof *on);
    for (int k = 0; k < ls.ncols; k++)
      if (ls.names[k] && column_of(&rs, ls.names[k]) >= 0) on[non++] = ls.names[k];
    if (!non)
      fe_error(L,
               "merge: No common columns to perform merge on (left: %s; right: %s); give on, "
               "or left_on and right_on",
               fe_df_name_list(L, (const char *const *)ls.names, ls.ncols),
               fe_df_name_list(L, (const char *const *)rs.names, rs.ncols));
  }
  if (non) lon = ron = on, nl = nr = non;
  TResult q = {.kind = TR_POST,
               .src = -1,
               .mask = -1,
               .rop = -1,
               .expr = -1,
               .in = in,
               .fop = FOP_MERGE,
               .limit = -1,
               .right = right,
               .how = how,
               .validate = validate_of(L, opts),
               .sort = merge_flag(L, opts, "sort"),
               .nkeys = nidx ? nidx : nl,
               .indicator = indicator_of(L, opts, &ls, &rs),
               .lindex = li,
               .rindex = ri};
  q.keys = arena_alloc(a, (size_t)q.nkeys * sizeof *q.keys);
  q.rkeys = arena_alloc(a, (size_t)q.nkeys * sizeof *q.rkeys);
  for (int k = 0; k < q.nkeys; k++) {
    q.keys[k] = li ? -1 : key_column(L, &ls, lon[k], "left");
    q.rkeys[k] = ri ? -1 - k : key_column(L, &rs, ron[k], "right");
    int lt = li ? ls.ltypes[0] : ls.types[q.keys[k]];
    int rt = ri ? rs.ltypes[k] : rs.types[q.rkeys[k]];
    const char *ln = li ? "" : arena_printf(a, "'%s'", lon[k]);
    const char *rn = ri ? arena_printf(a, "the right's index%s", rs.nlev > 1 ? " level" : "")
                        : arena_printf(a, "'%s'", ron[k]);
    if (ri && rs.nlev > 1) rn = arena_printf(a, "%s %d", rn, k);
    if (lt != rt && li)
      fe_error(L,
               "merge: the left's index is %s and the right's index %s: keys must have one type "
               "(astype one of them)",
               fe_df_type_label(lt), fe_df_type_label(rt));
    if (lt != rt)
      fe_error(L,
               "merge: the key %s is %s on the left and %s %s on the right: keys must have one "
               "type (astype one of them)",
               ln, fe_df_type_label(lt), rn, fe_df_type_label(rt));
  }
  suffixes_of(L, opts, q.suffix);
  int r = fe_df_result_add(L, q);
  LSeries *s = fe_df_push_series(L, -1, -1, NULL, -1);
  s->result = r;
  return 1;
}
