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

static bool hex_digits(const char *p, int k) {
  for (int i = 0; i < k; i++)
    if (!p[i] || !strchr("0123456789abcdefABCDEF", p[i])) return false;
  return true;
}

/* Python's pattern pat as PCRE2 reads it the same: where the two differ, Python's meaning
 * spelled for PCRE2 (\Z: \z; \s also the separators \x1c-\x1f, as str.isspace; a{,3}:
 * a{0,3}; \uXXXX, \UXXXXXXXX: \x{...}; [ inside a set: a literal [, where PCRE2 would read
 * a POSIX class); what has no PCRE2 spelling is an error */
static const char *python_pattern(lua_State *L, const char *pat, const char *what) {
  StrBuf b;
  sb_init(&b);
  bool set = false; /* inside [...] */
  for (const char *p = pat; *p; p++) {
    if (*p == '\\' && p[1]) {
      char c = *++p;
      if ((c == 'u' && hex_digits(p + 1, 4)) || (c == 'U' && hex_digits(p + 1, 8))) {
        int k = c == 'u' ? 4 : 8;
        sb_printf(&b, "\\x{%.*s}", k, p + 1), p += k;
      } else if (c == 'N' || (c == 'Z' && set)) {
        sb_free(&b);
        fe_error(L, "str.%s: the escape \\%c of Python's re is not supported", what, c);
      } else if (c == 'Z') {
        sb_puts(&b, "\\z");
      } else if (c == 's') {
        sb_puts(&b, set ? "\\s\\x1c-\\x1f" : "[\\s\\x1c-\\x1f]");
      } else if (c == 'S' && !set) {
        sb_puts(&b, "[^\\s\\x1c-\\x1f]");
      } else {
        sb_printf(&b, "\\%c", c);
      }
      continue;
    }
    char one[2] = {*p, 0};
    if (set) {
      if (*p == ']') set = false;
      sb_puts(&b, *p == '[' ? "\\[" : one);
      continue;
    }
    if (*p == '[') { /* a set: a first ] (after ^) is one of its characters */
      set = true;
      sb_puts(&b, "[");
      if (p[1] == '^') sb_puts(&b, "^"), p++;
      if (p[1] == ']') sb_puts(&b, "\\]"), p++;
      continue;
    }
    if (*p == '(' && p[1] == '?' && p[2] && strchr("aLu", p[2])) {
      sb_free(&b);
      fe_error(L, "str.%s: the flag (?%c) of Python's re is not supported", what, p[2]);
    }
    if (*p == '{' && p[1] == ',') { /* {,n}: Python's {0,n} */
      const char *q = p + 2;
      while (*q >= '0' && *q <= '9') q++;
      if (*q == '}' && q > p + 2) {
        sb_puts(&b, "{0");
        continue;
      }
    }
    sb_puts(&b, one);
  }
  const char *out = arena_strdup(fe_arena(L), b.data ? b.data : "");
  sb_free(&b);
  return out;
}

/* The pattern at idx as PCRE2's, checked (flags: CDRT_RX_*), in the arena */
static const char *pattern(lua_State *L, int idx, int flags, const char *what, size_t *n) {
  if (lua_type(L, idx) != LUA_TSTRING) fe_error(L, "str.%s: the pattern must be a string", what);
  const char *given =
      fe_check_string(L, idx, arena_printf(fe_arena(L), "str.%s: the pattern", what), true);
  const char *pat =
      flags & CDRT_RX_LITERAL ? arena_strdup(fe_arena(L), given) : python_pattern(L, given, what);
  *n = strlen(pat);
  char msg[300];
  if (!cdrt_rx_check(pat, (int64_t)*n, flags, msg, sizeof msg))
    fe_error(L, "str.%s: re.error: the regular expression '%s' is invalid: %s", what, given, msg);
  return pat;
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
  int opts = fe_named_options(L, arg + 1, arena_printf(fe_arena(L), "str.%s", what), "regex case");
  bool regex = !opts || fe_bool_option(L, opts, "regex", what, true);
  int flags = anchor | case_flag(L, opts, what);
  if (!regex && anchor) fe_error(L, "str.%s: regex = false is not supported", what);
  if (lua_type(L, arg) == LUA_TSTRING && !anchor && !(flags & CDRT_RX_CASELESS)) {
    size_t n;
    const char *pat = lua_tolstring(L, arg, &n);
    if (!regex || !special(pat, n)) return -1; /* a substring: the caller's plain search */
  }
  if (!regex) { /* case = false of a substring: pandas' pat.upper() in x.upper() */
    size_t pn;
    const char *pat = lua_tolstring(L, arg, &pn);
    if (lua_type(L, arg) != LUA_TSTRING) fe_error(L, "str.%s: the pattern must be a string", what);
    cdrt_bytes arena = {0};
    cdrt_str up = cdrt_str_case((cdrt_str){pat, (int64_t)pn}, 1, &arena);
    char *copy = arena_alloc(fe_arena(L), (size_t)up.n + 1);
    memcpy(copy, up.p, (size_t)up.n);
    cdrt_bytes_free(&arena);
    int upper = fe_df_add_expr(
        L, (TExpr){.kind = TX_STR, .type = CDRT_COL_STR, .strfn = TS_UPPER, .a = s->expr, .b = -1});
    int c = fe_df_add_expr(
        L,
        (TExpr){.kind = TX_CONST, .type = CDRT_COL_STR, .a = -1, .b = -1, .s = copy, .slen = up.n});
    return push_expr(
        L, s,
        (TExpr){.kind = TX_STR, .type = CDRT_COL_BOOL, .strfn = TS_CONTAINS, .a = upper, .b = c});
  }
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
  if (lua_type(L, arg) == LUA_TSTRING) { /* pandas 1.5: one character is literal, even with
                                          * regex = true (case = false: escaped, a regex) */
    size_t pn, k = 1;
    const char *p = lua_tolstring(L, arg, &pn);
    while (k < pn && ((unsigned char)p[k] & 0xc0) == 0x80) k++;
    if (pn && k == pn) {
      if (!(flags & CDRT_RX_CASELESS)) return -1; /* the caller's literal replace */
      flags |= CDRT_RX_LITERAL;
    }
  }
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

/* s.str:extract(pat, {expand = true}): pandas' str.extract, each group of the first match (a
 * string, missing where nothing matches or the group took no part) as a column named by the
 * group's name, else its number from 0; with expand = false, one group is a Series */
int fe_df_str_extract(lua_State *L, const LSeries *s, int arg) {
  int opts = fe_options(L, arg + 1);
  bool expand = fe_bool_option(L, opts, "expand", "str.extract", true);
  size_t n;
  const char *pat = pattern(L, arg, 0, "extract", &n);
  int ng = cdrt_rx_groups(pat, (int64_t)n, 0, NULL);
  if (ng <= 0) fe_error(L, "str.extract: ValueError: pattern contains no capture groups");
  int *cols = arena_alloc(fe_arena(L), (size_t)ng * sizeof *cols);
  const char **names = arena_alloc(fe_arena(L), (size_t)ng * sizeof *names);
  bool named = false;
  for (int k = 0; k < ng; k++) {
    char name[256];
    bool has = cdrt_rx_group_name(pat, (int64_t)n, 0, k + 1, name, sizeof name);
    named |= has;
    names[k] = has ? arena_strdup(fe_arena(L), name) : arena_printf(fe_arena(L), "%d", k);
    cols[k] = fe_df_add_expr(L, (TExpr){.kind = TX_STR,
                                        .type = CDRT_COL_STR,
                                        .strfn = TS_RX_EXTRACT,
                                        .a = s->expr,
                                        .b = -1,
                                        .s = pat,
                                        .slen = (int64_t)n,
                                        .i = k + 1});
  }
  if (!expand && ng == 1) { /* named by the group's name, else (pandas) by s's */
    LSeries *r = fe_df_push_series(L, s->src, cols[0], named ? names[0] : s->name, s->mask);
    r->limit = s->limit;
    return 1;
  }
  LFrame *f = fe_df_push_frame(L);
  f->src = s->src, f->ncols = ng, f->cols = cols, f->names = names;
  f->mask = s->mask, f->limit = s->limit;
  return 1;
}
