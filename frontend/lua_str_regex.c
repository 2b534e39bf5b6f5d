/* lua_str_regex.c: the str accessor's regular expressions (frontend.h, "lua_str_regex.c"):
 * s.str:contains(pat, {case, regex}) (pandas' default regex = true), s.str:match(pat),
 * s.str:fullmatch(pat), s.str:count(pat) and s.str:replace(pat, repl, {n, case, regex = true}), as
 * Python's re.search, re.match, re.fullmatch and re.sub. The pattern is checked with PCRE2 here,
 * and the replacement template as Python reads it, so a bad one is an error at the
 * script's line; the program matches with runtime/regex.c. A pattern without any of
 * Python's special characters, matched case-sensitively, stays a plain substring search. */
#include "frontend.h"

#include <string.h>

/* pat has a character Python's re treats specially */
static bool special(const char *pat, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strchr(".^$*+?{}[]\\|()", pat[i])) return true;
  return false;
}

/* The pattern at idx, checked (flags: CDRT_RX_*), copied into the arena */
static const char *pattern(lua_State *L, int idx, int flags, const char *what, size_t *n) {
  if (lua_type(L, idx) != LUA_TSTRING) fe_error(L, "str.%s: the pattern must be a string", what);
  const char *pat =
      fe_check_string(L, idx, arena_printf(fe_arena(L), "str.%s: the pattern", what), true);
  *n = strlen(pat);
  char msg[300];
  if (!cdrt_rx_check(pat, (int64_t)*n, flags, msg, sizeof msg))
    fe_error(L, "str.%s: re.error: the regular expression '%s' is invalid: %s", what, pat, msg);
  return arena_strdup(fe_arena(L), pat);
}

/* opts.case (pandas' case = true: case-sensitive) as a flag */
static int case_flag(lua_State *L, int opts, const char *what) {
  return opts && !fe_bool_option(L, opts, "case", what, true) ? CDRT_RX_CASELESS : 0;
}

static int push_expr(lua_State *L, const LSeries *s, TExpr e) {
  int x = fe_df_add_expr(L, e);
  fe_df_push_series(L, s->src, x, s->name, s->mask);
  return 1;
}

int fe_df_str_search(lua_State *L, const LSeries *s, int arg, int anchor, const char *what) {
  int opts = fe_options(L, arg + 1);
  bool regex = !opts || fe_bool_option(L, opts, "regex", what, true);
  int flags = anchor | case_flag(L, opts, what);
  if (!regex && anchor) fe_error(L, "str.%s: regex = false is not supported", what);
  if (lua_type(L, arg) == LUA_TSTRING && !anchor && !(flags & CDRT_RX_CASELESS)) {
    size_t n;
    const char *pat = lua_tolstring(L, arg, &n);
    if (!regex || !special(pat, n)) return -1; /* a substring: the caller's plain search */
  }
  if (!regex) flags |= CDRT_RX_LITERAL; /* case = false of a substring */
  size_t n;
  const char *pat = pattern(L, arg, flags, what, &n);
  return push_expr(L, s,
                   (TExpr){.kind = TX_STR,
                           .type = CDRT_COL_BOOL,
                           .strfn = TS_RX_SEARCH,
                           .a = s->expr,
                           .b = -1,
                           .s = pat,
                           .slen = (int64_t)n,
                           .step = flags});
}

int fe_df_str_count(lua_State *L, const LSeries *s, int arg) {
  int opts = fe_options(L, arg + 1);
  size_t n;
  const char *pat = pattern(L, arg, 0, "count", &n);
  if (opts) fe_error(L, "str.count: flags are not supported (write (?i) in the pattern)");
  /* pandas: int64, or float64 (NaN) where a value is missing, as str.len */
  int type = fe_df_may_be_missing(L, s->expr) ? CDRT_COL_FLOAT64 : CDRT_COL_INT64;
  return push_expr(L, s,
                   (TExpr){.kind = TX_STR,
                           .type = type,
                           .strfn = TS_RX_COUNT,
                           .a = s->expr,
                           .b = -1,
                           .s = pat,
                           .slen = (int64_t)n});
}

int fe_df_str_sub(lua_State *L, const LSeries *s, int arg, int64_t count, int opts) {
  int flags = case_flag(L, opts, "replace");
  size_t n, rn;
  const char *pat = pattern(L, arg, flags, "replace", &n);
  const char *repl = fe_check_string(L, arg + 1, "str.replace: the replacement", true);
  rn = strlen(repl);
  cdrt_rx_piece *pieces;
  char msg[160];
  if (rx_template(fe_arena(L), pat, (int64_t)n, flags, repl, (int64_t)rn, &pieces, msg,
                  sizeof msg) < 0)
    fe_error(L, "str.replace: re.error: the replacement '%s': %s", repl, msg);
  char *both = arena_alloc(fe_arena(L), n + rn + 1); /* the pattern, then the template */
  memcpy(both, pat, n), memcpy(both + n, repl, rn + 1);
  return push_expr(L, s,
                   (TExpr){.kind = TX_STR,
                           .type = CDRT_COL_STR,
                           .strfn = TS_RX_REPLACE,
                           .a = s->expr,
                           .b = -1,
                           .col = (int)rn,
                           .s = both,
                           .slen = (int64_t)n,
                           .i = count > 0 ? count : -1, /* pandas: n <= 0 is every match */
                           .step = flags});
}
