/* lua_frame_query.c: df:query(expr [, {local_dict = {...}}]), pandas' (and Dask's) filter
 * written as a Python expression over the columns, read while compiling into the same
 * Series operations a mask written in Lua makes (df:loc(df.a:gt(1) & df.b:eq("x"))); and
 * df:eval(expr), the same grammar for a column or lines of assignments.
 *
 * The grammar is pandas' query, lowest precedence first:
 *   or      := and {("or" | "|") and}
 *   and     := not {("and" | "&") not}
 *   not     := "not" not | compare
 *   compare := sum {op sum}     op: == != < <= > >= in, not in (chained: a < b < c is
 *                               (a < b) & (b < c); == and != of a list are isin)
 *   sum     := product {("+" | "-") product}
 *   product := unary {("*" | "/" | "//" | "%") unary}
 *   unary   := ("-" | "+" | "~") unary | power
 *   power   := atom ["**" unary]
 *   atom    := number | string | name | `any name` | @local | True | False | ( or ) | [list]
 * As in pandas, & and | bind like "and" and "or" (below the comparisons), not as Python's
 * bitwise operators. A name is a column, or "index" (the rows' labels) when no column has
 * it; @x is local_dict's x (a Lua script has no Python locals to read). */
#include "frontend.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  lua_State *L;
  const char *text, *at;
  int frame;        /* the frame's stack index */
  int locals;       /* local_dict's stack index, 0: none */
  int depth;        /* of the parser's recursion: bounded, as the C stack is */
  const char *what; /* "query" or "eval", for messages */
  bool lines;       /* a line ends a statement (eval's assignments): not a space */
} Query;

/* The n bytes at p quoted for a message on one line: Lua's escapes of newlines, tabs,
 * backslashes and double quotes; pushed */
static const char *push_quoted(lua_State *L, const char *p, size_t n) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addchar(&b, '"');
  for (size_t i = 0; i < n; i++) {
    const char *e = p[i] == '\n'   ? "\\n"
                    : p[i] == '\r' ? "\\r"
                    : p[i] == '\t' ? "\\t"
                    : p[i] == '\\' ? "\\\\"
                    : p[i] == '"'  ? "\\\""
                                   : NULL;
    if (e)
      luaL_addstring(&b, e);
    else
      luaL_addchar(&b, p[i]);
  }
  luaL_addchar(&b, '"');
  luaL_pushresult(&b);
  return lua_tostring(L, -1);
}

static int query_error(Query *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int query_error(Query *q, const char *fmt, ...) {
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  int at = 0, n = (int)strlen(q->text); /* at: characters (UTF-8's) before the error */
  for (const char *c = q->text; c < q->at; c++) at += (*c & 0xC0) != 0x80;
  if (n <= 80)
    return fe_error(q->L, "%s: at character %d of %s: %s", q->what, at + 1,
                    push_quoted(q->L, q->text, (size_t)n), what);
  int from = (int)(q->at - q->text) > 30 ? (int)(q->at - q->text) - 30 : 0,
      len = 60; /* a long expression: the part around it, */
  while (from > 0 && (q->text[from] & 0xC0) == 0x80) from--; /* whole UTF-8 characters */
  if (len > n - from) len = n - from;
  while (len > 0 && (q->text[from + len] & 0xC0) == 0x80) len--;
  return fe_error(q->L, "%s: at character %d of the expression (%d characters), in %s: %s", q->what,
                  at + 1, n, push_quoted(q->L, q->text + from, (size_t)len), what);
}

static void skip_space(Query *q) {
  while (*q->at == ' ' || *q->at == '\t' || (!q->lines && (*q->at == '\n' || *q->at == '\r')))
    q->at++;
}

static bool name_byte(unsigned char c, bool first) {
  return c == '_' || isalpha(c) || c >= 0x80 || (!first && isdigit(c));
}

/* Whether the next token is s (a keyword: not followed by a name's byte); if so it is read */
static bool accept(Query *q, const char *s) {
  skip_space(q);
  size_t n = strlen(s);
  if (strncmp(q->at, s, n) != 0) return false;
  if (name_byte((unsigned char)s[0], true) && name_byte((unsigned char)q->at[n], false))
    return false;
  q->at += n;
  return true;
}

static void parse_or(Query *q);

/* One level deeper in the parse ("((((" or "- - -"), with room on Lua's stack for it */
static void deeper(Query *q) {
  if (++q->depth > 600) query_error(q, "nested too deeply (parentheses, not and unary operators)");
  luaL_checkstack(q->L, 8, "query");
}

static bool is_series(Query *q, int idx) {
  return luaL_testudata(q->L, idx, SERIES_MT) != NULL;
}

/* The column name (n bytes at p) of the frame, or its index, or an error, pushed */
static void push_name(Query *q, const char *p, size_t n) {
  lua_State *L = q->L;
  LFrame *f = fe_df_check_frame(L, q->frame);
  for (int k = 0; k < f->ncols; k++)
    if (strlen(f->names[k]) == n && memcmp(f->names[k], p, n) == 0) {
      fe_df_push_series(L, f->src, f->cols[k], f->names[k], f->mask);
      return;
    }
  if (n == 5 && memcmp(p, "index", 5) == 0) {
    fe_df_push_index(L, q->frame);
    if (((LSeries *)lua_touserdata(L, -1))->expr < 0)
      fe_error(L,
               "%s: the index of this frame is not supported in an expression (a file's row "
               "numbers are known after its scan; a from_arrays frame's index is)",
               q->what);
    return;
  }
  lua_pushlstring(L, p, n);
  fe_error(L, "%s: name '%s' is not defined (pandas' UndefinedVariableError; the columns: %s)",
           q->what, lua_tostring(L, -1),
           fe_df_name_list(L, (const char *const *)f->names, f->ncols));
}

static void push_number(Query *q) {
  const char *p = q->at;
  char buf[64];
  size_t n = 0;
  bool real = false;
  for (; isalnum((unsigned char)*p) || *p == '.' || *p == '_' ||
         ((*p == '+' || *p == '-') && (p[-1] == 'e' || p[-1] == 'E'));
       p++) {
    if (*p == '_') continue; /* Python's 1_000 */
    real |= *p == '.' || *p == 'e' || *p == 'E';
    if (n + 1 < sizeof buf) buf[n++] = *p;
  }
  buf[n] = 0;
  char *end;
  errno = 0;
  if (!real) {
    long long v = strtoll(buf, &end, 10);
    if (*end || errno) query_error(q, "not a number: %s", buf);
    lua_pushinteger(q->L, v);
  } else {
    double v = strtod(buf, &end);
    if (*end) query_error(q, "not a number: %s", buf);
    lua_pushnumber(q->L, v);
  }
  q->at = p;
}

static void push_string(Query *q) {
  char quote = *q->at++;
  luaL_Buffer b;
  luaL_buffinit(q->L, &b);
  for (;; q->at++) {
    char c = *q->at;
    if (!c) query_error(q, "the string is not closed");
    if (c == quote) break;
    if (c == '\\') {
      char e = *++q->at;
      c = e == 'n' ? '\n' : e == 't' ? '\t' : e == '\\' || e == '\'' || e == '"' ? e : 0;
      if (!c) query_error(q, "an escape other than \\n \\t \\\\ \\' \\\" in a string");
    }
    luaL_addchar(&b, c);
  }
  q->at++;
  luaL_pushresult(&b);
}

/* [a, b, ...]: a Lua sequence of constants (isin's list) */
static void push_list(Query *q) {
  lua_State *L = q->L;
  lua_newtable(L);
  int t = lua_gettop(L), n = 0;
  if (accept(q, "]")) return;
  do {
    parse_or(q);
    if (is_series(q, -1)) query_error(q, "a list holds constants only");
    lua_rawseti(L, t, ++n);
  } while (accept(q, ","));
  if (!accept(q, "]")) query_error(q, "expected ']' or ','");
}

/* The length of the token at p for a message: a word, or one (UTF-8) character */
static int token_length(const char *p) {
  const char *e = p;
  if (name_byte((unsigned char)*e, true))
    while (name_byte((unsigned char)*e, false)) e++;
  else if (*e)
    for (e++; (*e & 0xC0) == 0x80; e++) {
    }
  return (int)(e - p);
}

static bool keyword(const char *p) {
  static const char *const words[] = {"and", "or", "not", "in", "is", "if", "else", "lambda"};
  int n = token_length(p);
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if ((int)strlen(words[i]) == n && memcmp(words[i], p, (size_t)n) == 0) return true;
  return false;
}

static int unexpected(Query *q) {
  skip_space(q);
  if (!*q->at) return query_error(q, "unexpected end of the expression");
  int n = token_length(q->at);
  if (n > 40) /* (a long word: its start, whole characters) */
    for (n = 40; (q->at[n] & 0xC0) == 0x80; n--) {
    }
  return query_error(q, "unexpected '%.*s'", n, q->at);
}

static void parse_atom(Query *q) {
  lua_State *L = q->L;
  skip_space(q);
  char c = *q->at;
  if (accept(q, "(")) {
    parse_or(q);
    if (!accept(q, ")")) query_error(q, "expected ')'");
  } else if (accept(q, "[")) {
    push_list(q);
  } else if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)q->at[1]))) {
    push_number(q);
  } else if (c == '\'' || c == '"') {
    push_string(q);
  } else if (c == '`') {
    const char *p = ++q->at, *e = strchr(p, '`');
    if (!e) query_error(q, "the `name` is not closed");
    q->at = e + 1;
    push_name(q, p, (size_t)(e - p));
  } else if (c == '@') {
    const char *p = ++q->at;
    while (name_byte((unsigned char)*q->at, q->at == p)) q->at++;
    if (q->at == p) query_error(q, "expected a name after '@'");
    const char *name = lua_pushlstring(L, p, (size_t)(q->at - p));
    if (!q->locals || lua_getfield(L, q->locals, name) == LUA_TNIL)
      fe_error(L, "%s: local variable '%s' is not defined (give it in {local_dict = {%s = ...}})",
               q->what, name, name);
    lua_remove(L, -2);
  } else if (accept(q, "True") || accept(q, "False")) {
    lua_pushboolean(L, q->at[-1] == 'e' && q->at[-2] == 'u');
  } else if (name_byte((unsigned char)c, true) && !keyword(q->at)) {
    const char *p = q->at;
    while (name_byte((unsigned char)*q->at, false)) q->at++;
    push_name(q, p, (size_t)(q->at - p));
  } else {
    unexpected(q);
  }
}

/* The two values on the top combined by Lua's operator op (a Series' metamethods, NumPy's
 * rules; of two numbers, Lua's arithmetic, which is Python's for these operators) */
static void arith(Query *q, int op) {
  lua_State *L = q->L;
  bool unary = op == LUA_OPUNM || op == LUA_OPBNOT;
  if (lua_istable(L, -1) || (!unary && lua_istable(L, -2)))
    query_error(q, "a list is only compared with == != in, not in");
  if (is_series(q, -1) || (!unary && is_series(q, -2))) {
    lua_arith(L, op);
    return;
  }
  /* constants: Lua's arithmetic, whose errors would not say where, checked first */
  if (lua_type(L, -1) != LUA_TNUMBER || (!unary && lua_type(L, -2) != LUA_TNUMBER))
    query_error(q, "arithmetic of %s%s%s (Python's TypeError)", unary ? "" : luaL_typename(L, -2),
                unary ? "" : " and ", luaL_typename(L, -1));
  if ((op == LUA_OPDIV || op == LUA_OPIDIV || op == LUA_OPMOD) && lua_tonumber(L, -1) == 0)
    query_error(q, "a division by zero (Python's ZeroDivisionError)");
  if (op == LUA_OPPOW && lua_isinteger(L, -2) && lua_isinteger(L, -1) &&
      lua_tointeger(L, -1) >= 0) {
    /* Python's int ** int is an int (Lua's ^ a float) */
    lua_Integer b = lua_tointeger(L, -2), e = lua_tointeger(L, -1), r = 1;
    bool over = false;
    for (; e > 0 && !over; e--) over = __builtin_mul_overflow(r, b, &r);
    if (!over) {
      lua_pop(L, 2);
      lua_pushinteger(L, r);
      return;
    }
  }
  lua_arith(L, op);
}

static void parse_unary(Query *q);

static void parse_power(Query *q) {
  parse_atom(q);
  if (accept(q, "**")) {
    parse_unary(q);
    arith(q, LUA_OPPOW);
  }
}

static void parse_unary_at(Query *q) {
  if (accept(q, "-")) {
    parse_unary(q);
    arith(q, LUA_OPUNM);
  } else if (accept(q, "+")) {
    parse_unary(q);
  } else if (accept(q, "~")) {
    parse_unary(q);
    if (!is_series(q, -1)) query_error(q, "~ of a constant");
    arith(q, LUA_OPBNOT);
  } else {
    parse_power(q);
  }
}

static void parse_unary(Query *q) {
  deeper(q);
  parse_unary_at(q);
  q->depth--;
}

static void parse_product(Query *q) {
  parse_unary(q);
  for (;;) {
    int op = accept(q, "//")  ? LUA_OPIDIV
             : accept(q, "*") ? LUA_OPMUL
             : accept(q, "/") ? LUA_OPDIV
             : accept(q, "%") ? LUA_OPMOD
                              : -1;
    if (op < 0) return;
    parse_unary(q);
    arith(q, op);
  }
}

static void parse_sum(Query *q) {
  parse_product(q);
  for (;;) {
    int op = accept(q, "+") ? LUA_OPADD : accept(q, "-") ? LUA_OPSUB : -1;
    if (op < 0) return;
    parse_product(q);
    arith(q, op);
  }
}

enum { EQ, NE, LT, LE, GT, GE, IN, NOT_IN };

static int comparison(Query *q) {
  return accept(q, "==")    ? EQ
         : accept(q, "!=")  ? NE
         : accept(q, "<=")  ? LE
         : accept(q, ">=")  ? GE
         : accept(q, "<")   ? LT
         : accept(q, ">")   ? GT
         : accept(q, "in")  ? IN
         : accept(q, "not") ? (accept(q, "in") ? NOT_IN : query_error(q, "expected 'in'"))
                            : -1;
}

/* a op b of the values at a and b (a Series on one side at least), pushed */
static void compare(Query *q, int a, int b, int op) {
  lua_State *L = q->L;
  static const char *const method[] = {"eq", "ne", "lt", "le", "gt", "ge"};
  static const int swapped[] = {EQ, NE, GT, GE, LT, LE};
  if (op == IN || op == NOT_IN || ((op == EQ || op == NE) && lua_istable(L, b))) {
    if (!is_series(q, a) || !lua_istable(L, b))
      query_error(q, "'in' tests a column's values against a list ([1, 2])");
    lua_getfield(L, a, "isin");
    lua_pushvalue(L, a), lua_pushvalue(L, b);
    lua_call(L, 2, 1);
    if (op == NE || op == NOT_IN) lua_arith(L, LUA_OPBNOT);
    return;
  }
  if (lua_istable(L, a) || lua_istable(L, b))
    query_error(q, "a list is only compared with == != in, not in");
  if (!is_series(q, a)) { /* 3 < x is x > 3 */
    int t = a;
    a = b, b = t, op = swapped[op];
  }
  if (!is_series(q, a)) query_error(q, "a comparison of two constants");
  lua_getfield(L, a, method[op]);
  lua_pushvalue(L, a), lua_pushvalue(L, b);
  lua_call(L, 2, 1);
}

static void parse_compare(Query *q) {
  lua_State *L = q->L;
  parse_sum(q);
  int base = lua_gettop(L), op = comparison(q);
  if (op < 0) return;
  /* the stack from base: the left operand; then the result so far and the next left one */
  for (bool first = true; op >= 0; first = false, op = comparison(q)) {
    parse_sum(q);
    int right = lua_gettop(L);
    compare(q, right - 1, right, op); /* [.., left, right, c] */
    if (!first) {                     /* a < b < c: (a < b) & (b < c) */
      lua_pushvalue(L, base);
      lua_insert(L, -2);
      lua_arith(L, LUA_OPBAND); /* [result, left, right, result & c] */
    }
    lua_replace(L, base);                /* [result, (left,) right] */
    if (!first) lua_remove(L, base + 1); /* [result, right] */
  }
  lua_settop(L, base);
}

static void parse_not(Query *q);

static void parse_not_at(Query *q) {
  if (accept(q, "not")) {
    parse_not(q);
    if (!is_series(q, -1)) query_error(q, "not of a constant");
    lua_arith(q->L, LUA_OPBNOT);
    return;
  }
  parse_compare(q);
}

static void parse_not(Query *q) {
  deeper(q);
  parse_not_at(q);
  q->depth--;
}

static void parse_and(Query *q) {
  parse_not(q);
  while (accept(q, "and") || accept(q, "&")) {
    parse_not(q);
    arith(q, LUA_OPBAND);
  }
}

static void parse_or_at(Query *q) {
  parse_and(q);
  while (accept(q, "or") || accept(q, "|")) {
    parse_and(q);
    arith(q, LUA_OPBOR);
  }
}

static void parse_or(Query *q) {
  deeper(q);
  parse_or_at(q);
  q->depth--;
}

/* The query of the frame at 1 and the text at 2, with the options at 3 (local_dict) */
static Query query_begin(lua_State *L, const char *what) {
  fe_df_check_frame(L, 1);
  Query q = {.L = L, .text = luaL_checkstring(L, 2), .frame = 1, .what = what};
  q.at = q.text;
  if (fe_named_options(L, 3, what, "local_dict")) {
    lua_getfield(L, 3, "local_dict");
    if (!lua_isnil(L, -1)) luaL_checktype(L, -1, LUA_TTABLE), q.locals = lua_gettop(L);
  }
  return q;
}

/* df:query(expr [, {local_dict = {...}}]): the rows where expr holds */
int fe_df_query(lua_State *L) {
  Query q = query_begin(L, "query");
  parse_or(&q);
  skip_space(&q);
  if (*q.at) unexpected(&q);
  LSeries *m = luaL_testudata(L, -1, SERIES_MT);
  if (!m || m->expr < 0 || fe_df_tables(L)->x[m->expr].type != CDRT_COL_BOOL)
    fe_error(L, "query: %s is not a condition of the rows (a Series of bools)",
             push_quoted(L, q.text, strlen(q.text)));
  lua_getfield(L, 1, "loc");
  lua_pushvalue(L, 1);
  lua_pushvalue(L, -3);
  lua_call(L, 2, 1);
  return 1;
}

/* The name of an assignment at q's place ("c = ...", not "c == ..."), read; NULL if none */
static const char *assigned_name(Query *q) {
  skip_space(q);
  const char *p = q->at, *e = p;
  if (*e == '`') {
    e = strchr(p + 1, '`');
    if (!e) return NULL;
    e++;
  } else {
    while (name_byte((unsigned char)*e, e == p)) e++;
  }
  const char *t = e;
  while (*t == ' ' || *t == '\t') t++;
  if (e == p || *t != '=' || t[1] == '=' || keyword(p)) return NULL;
  q->at = t + 1;
  return *p == '`' ? lua_pushlstring(q->L, p + 1, (size_t)(e - p - 2))
                   : lua_pushlstring(q->L, p, (size_t)(e - p));
}

/* df:eval(expr [, {local_dict}]): pandas' eval of a frame: an expression's Series, or, for
 * lines of assignments ("c = a + b", one per line), the frame with those columns assigned
 * in order (each line may read the ones before it) */
int fe_df_eval(lua_State *L) {
  Query q = query_begin(L, "eval");
  const char *name = assigned_name(&q);
  if (!name) {
    parse_or(&q);
    skip_space(&q);
    if (*q.at) unexpected(&q);
    if (!is_series(&q, -1))
      fe_error(L, "eval: %s does not read a column (a constant)",
               push_quoted(L, q.text, strlen(q.text)));
    return 1;
  }
  q.lines = true;
  lua_pushvalue(L, 1);
  lua_insert(L, -2);
  q.frame = lua_gettop(L) - 1; /* the frame so far, then the name */
  for (;;) {
    int named = lua_gettop(L);
    parse_or(&q);
    if (lua_istable(L, -1)) query_error(&q, "a list is not a column");
    lua_getfield(L, q.frame, "assign"); /* frame:assign{{name, value}} */
    lua_pushvalue(L, q.frame);
    lua_createtable(L, 1, 0);
    lua_createtable(L, 2, 0);
    lua_pushvalue(L, named), lua_rawseti(L, -2, 1);
    lua_pushvalue(L, -5), lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, 1);
    lua_call(L, 2, 1);
    lua_replace(L, q.frame);
    lua_settop(L, q.frame);
    while (*q.at == ' ' || *q.at == '\t') q.at++;
    if (*q.at && *q.at != '\n' && *q.at != '\r') unexpected(&q);
    q.lines = false, skip_space(&q), q.lines = true;
    if (!*q.at) return 1;
    if (!assigned_name(&q)) query_error(&q, "expected an assignment (name = expression)");
  }
}
