/* emit_rows.c: one scan per CSV source with results (cdask.h, "table.c"). The scan cuts
 * the file into blocks of whole rows and runs them as an OpenMP loop; a block's loop reads
 * a row's fields, converts the columns its results use (each once: cK), computes the
 * expressions (xK, in creation order, which is topological) and feeds each result under
 * its mask: an aggregate (cdrt_agg), a value-count table (cdrt_vc), collected rows
 * (cdrt_rows). Partial results live per block and merge in block order after the loop,
 * so results do not depend on the thread count or the block size (float sums are exact:
 * runtime/xsum.c). Results land in cd_results, which the outputs print or write. Under
 * --mpi each rank scans its run of the blocks, packs each block's partials as it ends, and
 * every rank receives every block's (cd_scanS_xfer, runtime/mpi_tables.c) before the same
 * merge in block order. */
#include "emit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const df_col_ctype[] = {"int64_t",  "double",  "uint8_t",
                                    "cdrt_str", "int64_t", "int64_t"};

/* Marks the expressions result r reads (and what they read), and the columns. */
static void mark_expr(const Tables *t, int x, bool *used, bool *cols) {
  if (x < 0 || used[x]) return;
  used[x] = true;
  const TExpr *e = &t->x[x];
  if (e->kind == TX_COLUMN) cols[e->col] = true;
  mark_expr(t, e->a, used, cols);
  mark_expr(t, e->b, used, cols);
  if (e->kind == TX_WHERE) mark_expr(t, (int)e->i, used, cols);
}

static void mark_result(const Tables *t, int r, bool *used, bool *cols) {
  const TResult *q = &t->r[r];
  mark_expr(t, q->mask, used, cols);
  if (q->kind == TR_AGG || q->kind == TR_VCOUNT || q->kind == TR_GROUPBY)
    mark_expr(t, q->expr, used, cols); /* a groupby's: corr's other column */
  if (q->kind == TR_ROWS || q->kind == TR_GROUPBY)
    for (int k = 0; k < q->ncols; k++) mark_expr(t, q->cols[k], used, cols);
  if (q->kind == TR_GROUPBY)
    for (int k = 0; k < q->nkeys; k++) mark_expr(t, q->keys[k], used, cols);
  if (q->join) { /* the rows that probe, and their keys */
    const TJoin *j = &t->joins[q->join - 1];
    mark_expr(t, j->mask, used, cols);
    for (int k = 0; k < j->nkeys; k++) mark_expr(t, j->lkeys[k], used, cols);
  }
}

/* A string constant of the C: bytes escaped in octal (any byte, NUL too). */
static void c_bytes(StrBuf *b, const char *s, int64_t n) {
  sb_puts(b, "\"");
  for (int64_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      sb_printf(b, "\\%c", c);
    else if (c >= 32 && c < 127 && c != '?')
      sb_printf(b, "%c", c);
    else
      sb_printf(b, "\\%03o", c);
  }
  sb_puts(b, "\"");
}

static const char *num(Arena *a, const TExpr *e, int x) {
  (void)e;
  return arena_printf(a, "x%d", x);
}

/* An operand as a double (ints and bools convert) */
static const char *as_f64(Arena *a, const Tables *t, int x) {
  return t->x[x].type == CDRT_COL_FLOAT64 ? num(a, &t->x[x], x) : arena_printf(a, "(double)x%d", x);
}

/* Arithmetic on datetimes and timedeltas (pandas): NaT in, NaT out (NaN for a float64
 * result); a difference of datetimes, a datetime moved by a timedelta, sums and differences
 * of timedeltas, a timedelta times an int64, a timedelta's negation, and the float64 ratio
 * of two timedeltas (the frontend allows only these). NULL for comparisons. */
static const char *nat_arith_c(Arena *a, const Tables *t, const TExpr *e, const char *A,
                               const char *B) {
  int ta = t->x[e->a].type, tb = e->b >= 0 ? t->x[e->b].type : -1;
  const char *na = cdrt_col_nat(ta) ? arena_printf(a, "%s == CDRT_NAT", A) : NULL;
  const char *nb = cdrt_col_nat(tb) ? arena_printf(a, "%s == CDRT_NAT", B) : NULL;
  const char *nat = na && nb ? arena_printf(a, "(%s || %s)", na, nb) : na ? na : nb;
  switch (e->op) {
  case OP_NEG: return arena_printf(a, "(%s ? CDRT_NAT : cdrt_neg_i64(%s))", nat, A);
  case OP_ADD: /* NumPy's wrapping int64 arithmetic */
  case OP_SUB:
  case OP_MUL:
    return arena_printf(a, "(%s ? CDRT_NAT : cdrt_%s_i64(%s, %s))", nat,
                        e->op == OP_ADD   ? "add"
                        : e->op == OP_SUB ? "sub"
                                          : "mul",
                        A, B);
  case OP_DIV: return arena_printf(a, "(%s ? NAN : (double)%s / (double)%s)", nat, A, B);
  default: return NULL;
  }
}

/* The C of binary or unary op on expressions a and b into a value of type `type`. */
static const char *op_c(Arena *a, const Tables *t, const TExpr *e) {
  int ta = t->x[e->a].type, tb = e->b >= 0 ? t->x[e->b].type : -1;
  const char *A = arena_printf(a, "x%d", e->a), *B = e->b >= 0 ? arena_printf(a, "x%d", e->b) : "";
  if (ta == CDRT_COL_STR || tb == CDRT_COL_STR) { /* comparisons of strings: missing is false */
    const char *both = arena_printf(a, "%s.p && %s.p", A, B);
    const char *cmp = arena_printf(a, "cdrt_str_cmp(%s, %s)", A, B);
    switch (e->op) {
    case OP_EQ: return arena_printf(a, "(%s && cdrt_str_eq(%s, %s))", both, A, B);
    case OP_NE: return arena_printf(a, "!(%s && cdrt_str_eq(%s, %s))", both, A, B);
    case OP_LT: return arena_printf(a, "(%s && %s < 0)", both, cmp);
    case OP_LE: return arena_printf(a, "(%s && %s <= 0)", both, cmp);
    case OP_GT: return arena_printf(a, "(%s && %s > 0)", both, cmp);
    case OP_GE: return arena_printf(a, "(%s && %s >= 0)", both, cmp);
    case OP_MAXIMUM: return arena_printf(a, "(%s.p && %s < 0 ? %s : %s)", B, cmp, B, A);
    case OP_MINIMUM: return arena_printf(a, "(%s.p && %s > 0 ? %s : %s)", B, cmp, B, A);
    case OP_ADD: return NULL; /* concatenation: not yet */
    default: return NULL;
    }
  }
  if (cdrt_col_nat(ta) || cdrt_col_nat(tb)) {
    const char *td = nat_arith_c(a, t, e, A, B);
    if (td) return td;
  }
  if (cdrt_col_nat(ta)) { /* comparisons with NaT are false, != true (pandas) */
    const char *both = arena_printf(a, "%s != CDRT_NAT && %s != CDRT_NAT", A, B);
    static const char *const sym[] = {[OP_EQ] = "==", [OP_NE] = "==", [OP_LT] = "<",
                                      [OP_LE] = "<=", [OP_GT] = ">",  [OP_GE] = ">="};
    if (e->op != OP_EQ && e->op != OP_NE && e->op != OP_LT && e->op != OP_LE && e->op != OP_GT &&
        e->op != OP_GE)
      return NULL;
    return arena_printf(a, "%s(%s && %s %s %s)", e->op == OP_NE ? "!" : "", both, A, sym[e->op], B);
  }
  bool flt = e->type == CDRT_COL_FLOAT64 || ta == CDRT_COL_FLOAT64 || tb == CDRT_COL_FLOAT64;
  if (flt) A = as_f64(a, t, e->a), B = e->b >= 0 ? as_f64(a, t, e->b) : "";
  const char *sym = NULL;
  switch (e->op) {
  case OP_EQ: sym = "=="; break;
  case OP_NE: sym = "!="; break;
  case OP_LT: sym = "<"; break;
  case OP_LE: sym = "<="; break;
  case OP_GT: sym = ">"; break;
  case OP_GE: sym = ">="; break;
  case OP_AND: sym = "&&"; break;
  case OP_OR: sym = "||"; break;
  case OP_XOR: return arena_printf(a, "(%s != %s)", A, B);
  case OP_MAXIMUM: /* Python's max(a, b) of a total a and an element b: b only if larger */
    return arena_printf(a, "(%s > %s ? %s : %s)", B, A, B, A);
  case OP_MINIMUM: return arena_printf(a, "(%s < %s ? %s : %s)", B, A, B, A);
  case OP_NOT: return arena_printf(a, "!%s", A);
  case OP_NEG:
    return flt ? arena_printf(a, "-%s", A) : arena_printf(a, "(int64_t)(0u - (uint64_t)%s)", A);
  case OP_DIV: return arena_printf(a, "(%s / %s)", as_f64(a, t, e->a), as_f64(a, t, e->b));
  case OP_POW:
    if (!flt) /* an int64 to a power >= 0 (checked while compiling): pandas' int64 */
      return arena_printf(a, "cdrt_pow_i64(%s, %s)", A, B);
    return arena_printf(a, "pow(%s, %s)", as_f64(a, t, e->a), as_f64(a, t, e->b));
  case OP_MOD:
  case OP_FLOORDIV: /* Python's and NumPy's: the remainder has the divisor's sign */
    return arena_printf(a, "cdrt_%s_%s(%s, %s)", e->op == OP_MOD ? "mod" : "floordiv",
                        flt ? "f64" : "i64", A, B);
  case OP_ADD: sym = "+"; break;
  case OP_SUB: sym = "-"; break;
  case OP_MUL: sym = "*"; break;
  default: return NULL;
  }
  if (!flt && (e->op == OP_ADD || e->op == OP_SUB || e->op == OP_MUL)) /* NumPy wraps */
    return arena_printf(a, "(int64_t)((uint64_t)%s %s (uint64_t)%s)", A, sym, B);
  return arena_printf(a, "(%s %s %s)", A, sym, B);
}

/* re.sub: the template's pieces (checked by the frontend) as a compound literal */
static const char *rx_replace_c(Arena *a, const TExpr *e, const char *A) {
  cdrt_rx_piece *p;
  char msg[160];
  int n = rx_template(a, e->s, e->slen, (int)e->step, e->s + e->slen, e->col, &p, msg, sizeof msg);
  StrBuf b;
  sb_init(&b);
  c_bytes(&b, e->s, e->slen);
  sb_printf(&b, ", %lld, %d, ", (long long)e->slen, (int)e->step);
  if (n > 0) sb_puts(&b, "(const cdrt_rx_piece[]){");
  for (int k = 0; k < n; k++) {
    sb_puts(&b, k ? ", {" : "{");
    if (p[k].group < 0)
      c_bytes(&b, p[k].lit, p[k].n), sb_printf(&b, ", %lld, -1}", (long long)p[k].n);
    else
      sb_printf(&b, "NULL, 0, %d}", p[k].group);
  }
  sb_printf(&b, n > 0 ? "}, %d" : "NULL, 0", n);
  const char *v =
      arena_printf(a, "cdrt_rx_replace(%s, %s, %lld, c.arena)", A, b.data, (long long)e->i);
  sb_free(&b);
  return v;
}

/* astype: Python's bool(), int(), float() and str() of each value, as pandas 1.5 (a
 * missing string is NaN: True as a bool, "nan" as a str) */
static const char *cast_c(Arena *a, const Tables *t, const TExpr *e, const char *ct) {
  int ta = t->x[e->a].type, x = e->a;
  StrBuf w; /* the astype's place for the message: "astype at prog.lua:5" */
  sb_init(&w);
  c_string_or_null(&w, e->s);
  const char *at = arena_strdup(a, w.data), *v;
  sb_free(&w);
  if (e->type == CDRT_COL_BOOL)
    v = ta == CDRT_COL_STR ? arena_printf(a, "(!x%d.p || x%d.n > 0)", x, x)
                           : arena_printf(a, "(x%d != 0)", x);
  else if (e->type == CDRT_COL_INT64 && ta == CDRT_COL_FLOAT64)
    v = arena_printf(a, "cdrt_f64_to_i64(x%d, &c, %s)", x, at);
  else if (e->type == CDRT_COL_INT64 && ta == CDRT_COL_STR)
    v = arena_printf(a, "cdrt_str_to_i64(x%d, &c, %s)", x, at);
  else if (e->type == CDRT_COL_FLOAT64 && ta == CDRT_COL_STR)
    v = arena_printf(a, "cdrt_str_to_f64(x%d, &c, %s)", x, at);
  else if (e->type == CDRT_COL_DATETIME && ta == CDRT_COL_STR)
    v = arena_printf(a, "cdrt_str_to_datetime(x%d, &c, %s)", x, at);
  else if (e->type == CDRT_COL_STR && ta == CDRT_COL_STR)
    v = arena_printf(a, "(x%d.p ? x%d : (cdrt_str){\"nan\", 3})", x, x);
  else if (e->type == CDRT_COL_STR && ta == CDRT_COL_BOOL)
    v = arena_printf(a, "(x%d ? (cdrt_str){\"True\", 4} : (cdrt_str){\"False\", 5})", x);
  else if (e->type == CDRT_COL_STR)
    v = arena_printf(a, "cdrt_str_of_%s(x%d, c.arena)",
                     ta == CDRT_COL_FLOAT64     ? "f64"
                     : ta == CDRT_COL_TIMEDELTA ? "timedelta"
                                                : "i64",
                     x);
  else
    v = arena_printf(a, "(%s)x%d", ct, x);
  return v;
}

/* The field of a list's object (TS_JSON_FIELD, TS_JSON_REPR) A as C: its path, and its
 * name as the script's errors show it ("transactions[].amount") */
static const char *json_field_c(Arena *a, const Tables *t, const TExpr *e, const char *A) {
  static const char *const fn[] = {"i64", "f64", "bool", "str"};
  const TExpr *list = &t->x[t->x[e->a].a]; /* the TX_EACH's list column */
  const char *col = t->src[list->src].names[list->col];
  char name[512];
  snprintf(name, sizeof name, "%s%c%s%s%.*s", col, CDRT_JSON_SEP, CDRT_JSON_ITEMS,
           e->slen ? "\x1f" : "", (int)e->slen, e->s);
  cdrt_json_dotted(name, name, sizeof name);
  StrBuf b;
  sb_init(&b);
  sb_printf(&b, "cdrt_json_field_%s(%s, ", e->strfn == TS_JSON_REPR ? "repr" : fn[e->type], A);
  c_bytes(&b, e->s, e->slen);
  sb_puts(&b, ", &c, ");
  c_bytes(&b, name, (int64_t)strlen(name));
  sb_puts(&b, ")");
  const char *v = arena_strdup(a, b.data);
  sb_free(&b);
  return v;
}

static const char *str_c(Arena *a, const Tables *t, const TExpr *e) {
  const char *A = arena_printf(a, "x%d", e->a), *B = e->b >= 0 ? arena_printf(a, "x%d", e->b) : "";
  (void)t;
  switch (e->strfn) {
  case TS_CONTAINS: return arena_printf(a, "cdrt_str_contains(%s, %s)", A, B);
  case TS_STARTSWITH: return arena_printf(a, "cdrt_str_startswith(%s, %s)", A, B);
  case TS_ENDSWITH: return arena_printf(a, "cdrt_str_endswith(%s, %s)", A, B);
  case TS_LEN:
    return e->type == CDRT_COL_INT64 ? arena_printf(a, "cdrt_str_len_i64(%s, &c)", A)
                                     : arena_printf(a, "cdrt_str_len(%s)", A);
  case TS_LOWER: return arena_printf(a, "cdrt_str_case(%s, 0, c.arena)", A);
  case TS_UPPER: return arena_printf(a, "cdrt_str_case(%s, 1, c.arena)", A);
  case TS_STRIP:
  case TS_LSTRIP:
  case TS_RSTRIP: {
    int l = e->strfn != TS_RSTRIP, r = e->strfn != TS_LSTRIP;
    return e->b >= 0 ? arena_printf(a, "cdrt_str_strip_chars(%s, %s, %d, %d)", A, B, l, r)
                     : arena_printf(a, "cdrt_str_strip(%s, %d, %d)", A, l, r);
  }
  case TS_ZFILL:
    return arena_printf(a, "cdrt_str_zfill(%s, INT64_C(%lld), c.arena)", A, (long long)e->i);
  case TS_GET: return arena_printf(a, "cdrt_str_get(%s, INT64_C(%lld))", A, (long long)e->i);
  case TS_SPLIT_GET:
    return arena_printf(a, "cdrt_str_split_get(%s, %s, INT64_C(%lld))", A,
                        e->b >= 0 ? B : "(cdrt_str){NULL, 0}", (long long)e->i);
  case TS_SPLIT_LEN: {
    const char *v =
        arena_printf(a, "cdrt_str_split_len(%s, %s)", A, e->b >= 0 ? B : "(cdrt_str){NULL, 0}");
    return e->type == CDRT_COL_INT64 /* a missing string the sample had none of: an error */
               ? arena_printf(a, "(%s.p ? (int64_t)%s : cdrt_str_len_i64(%s, &c))", A, v, A)
               : v;
  }
  case TS_FIND:
    return e->type == CDRT_COL_INT64
               ? arena_printf(a, "cdrt_str_find_i64(%s, %s, %d, &c)", A, B, (int)e->step)
               : arena_printf(a, "cdrt_str_find(%s, %s, %d)", A, B, (int)e->step);
  case TS_PAD:
    return arena_printf(a, "cdrt_str_pad(%s, INT64_C(%lld), %d, %s, c.arena)", A, (long long)e->i,
                        (int)e->step, B);
  case TS_REPLACE: {
    StrBuf r;
    sb_init(&r);
    c_bytes(&r, e->s, e->slen);
    const char *v = arena_printf(a, "cdrt_str_replace(%s, %s, (cdrt_str){%s, %lld}, %lld, c.arena)",
                                 A, B, r.data, (long long)e->slen, (long long)e->i);
    sb_free(&r);
    return v;
  }
  case TS_RX_SEARCH:
  case TS_RX_COUNT: {
    StrBuf r;
    sb_init(&r);
    c_bytes(&r, e->s, e->slen);
    const char *fn = e->strfn == TS_RX_SEARCH    ? "cdrt_rx_search"
                     : e->type == CDRT_COL_INT64 ? "cdrt_rx_count_i64"
                                                 : "cdrt_rx_count";
    const char *v = arena_printf(a, "%s(%s, %s, %lld, %d%s)", fn, A, r.data, (long long)e->slen,
                                 (int)e->step, e->type == CDRT_COL_INT64 ? ", &c" : "");
    sb_free(&r);
    return v;
  }
  case TS_RX_REPLACE: return rx_replace_c(a, e, A);
  case TS_CONCAT: return arena_printf(a, "cdrt_str_concat(%s, %s, c.arena)", A, B);
  case TS_LIST_LEN:
    return e->type == CDRT_COL_INT64 ? arena_printf(a, "cdrt_json_list_len_i64(%s, &c)", A)
                                     : arena_printf(a, "cdrt_json_list_len(%s)", A);
  case TS_LIST_REPR: return arena_printf(a, "cdrt_json_list_repr(%s, &c)", A);
  case TS_LIST_SUM:
    return e->type == CDRT_COL_INT64 ? arena_printf(a, "cdrt_json_list_sum_i64(%s, &c)", A)
                                     : arena_printf(a, "cdrt_json_list_sum(%s)", A);
  case TS_JSON_FIELD:
  case TS_JSON_REPR: return json_field_c(a, t, e, A);
  case TS_RX_EXTRACT: {
    StrBuf r;
    sb_init(&r);
    c_bytes(&r, e->s, e->slen);
    const char *v = arena_printf(a, "cdrt_rx_extract(%s, %s, %lld, %d, %d)", A, r.data,
                                 (long long)e->slen, (int)e->step, (int)e->i);
    sb_free(&r);
    return v;
  }
  case TS_SLICE: {
    const char *from =
        e->i == INT64_MIN ? "CDRT_SLICE_NONE" : arena_printf(a, "%lld", (long long)e->i);
    const char *to =
        e->slen == INT64_MIN ? "CDRT_SLICE_NONE" : arena_printf(a, "%lld", (long long)e->slen);
    if (e->step == 0 || e->step == 1)
      return arena_printf(a, "cdrt_str_slice(%s, %s, %s)", A, from, to);
    return arena_printf(a, "cdrt_str_slice_step(%s, %s, %s, INT64_C(%lld), c.arena)", A, from, to,
                        (long long)e->step);
  }
  default: return NULL;
  }
}

/* A constant expression's value as C */
static const char *const_c(Arena *a, const TExpr *e) {
  if (e->type == CDRT_COL_STR) {
    StrBuf s;
    sb_init(&s);
    if (e->s) {
      sb_puts(&s, "(cdrt_str){");
      c_bytes(&s, e->s, e->slen);
      sb_printf(&s, ", %lld}", (long long)e->slen);
    } else
      sb_puts(&s, "(cdrt_str){NULL, 0}");
    const char *v = arena_strdup(a, s.data);
    sb_free(&s);
    return v;
  }
  if (e->type == CDRT_COL_FLOAT64) return c_double(a, e->f); /* (-0.0 keeps its sign) */
  return e->i == INT64_MIN ? "INT64_MIN" : arena_printf(a, "INT64_C(%lld)", (long long)e->i);
}

/* A scalar kernel's call: each argument cast to its parameter's type (NumPy's safe casts,
 * checked while compiling: lua_call.c), the result to the expression's */
static const char *call_c(Arena *a, const Graph *g, const TExpr *e) {
  const Kernel *k = &g->kernels[e->i];
  const char *args[MAXIN];
  int n = 0;
  for (int x = e->a; x >= 0 && n < MAXIN; x = g->tables.x[x].b, n++)
    args[n] = arena_printf(a, "(%s)x%d", dtype_ctype((DType)k->params[n].dtype), g->tables.x[x].a);
  return arena_printf(a, "(%s)%s", df_col_ctype[e->type], c_call_expr(a, k, args, n));
}

/* One expression's line: "T xK = ...;" */
static void emit_expr(StrBuf *b, Arena *a, const Graph *g, int x) {
  const Tables *t = &g->tables;
  const TExpr *e = &t->x[x];
  const char *ct = df_col_ctype[e->type], *v = NULL;
  switch (e->kind) {
  case TX_COLUMN: v = arena_printf(a, "c%d", e->col); break;
  case TX_CONST: v = const_c(a, e); break;
  case TX_OP: v = op_c(a, t, e); break;
  case TX_ISNA: {
    int ta = t->x[e->a].type, ob = table_optional_bool(t, e->a);
    v = ta == CDRT_COL_FLOAT64 ? arena_printf(a, "isnan(x%d)", e->a)
        : ta == CDRT_COL_STR   ? arena_printf(a, "!x%d.p", e->a)
        : cdrt_col_nat(ta)     ? arena_printf(a, "(x%d == CDRT_NAT)", e->a)
        : ob >= 0              ? arena_printf(a, "((void)x%d, c%d_na)", e->a, ob)
                               : "0";
    break;
  }
  case TX_FILLNA: {
    int ta = t->x[e->a].type, ob = table_optional_bool(t, e->a);
    v = ta == CDRT_COL_FLOAT64
            ? arena_printf(a, "isnan(x%d) ? %s : x%d", e->a, as_f64(a, t, e->b), e->a)
        : ta == CDRT_COL_STR ? arena_printf(a, "x%d.p ? x%d : x%d", e->a, e->a, e->b)
        : cdrt_col_nat(ta)   ? arena_printf(a, "x%d == CDRT_NAT ? x%d : x%d", e->a, e->b, e->a)
        : ob >= 0            ? arena_printf(a, "c%d_na ? x%d : x%d", ob, e->b, e->a)
                             : arena_printf(a, "x%d", e->a);
    break;
  }
  case TX_CAST: v = cast_c(a, t, e, ct); break;
  case TX_STR: v = str_c(a, t, e); break;
  case TX_JOINED: break; /* read per match in the join's probe (emit_join_flush) */
  case TX_ARG: return;   /* written into its call */
  case TX_ITEM: return;  /* read by its flatten's loop (emit_scan) */
  case TX_CALL: v = call_c(a, g, e); break;
  case TX_EACH: return; /* set by its loop over the pieces (emit_scan) */
  case TX_PART:
    v = t->src[e->src].dask_start ? arena_printf(a,
                                                 "cd_src%d_dask_part(c.base + c.row_start, "
                                                 "cd_src%d.block_file[blk])",
                                                 e->src, e->src)
        : t->src[e->src].text     ? arena_printf(a, "(int64_t)cd_src%d.block_file[blk]", e->src)
                                  : "blk";
    break;
  case TX_INDEX: {
    const TSource *src = &t->src[e->src];
    v = src->index_step ? arena_printf(a, "INT64_C(%lld) + i * INT64_C(%lld)",
                                       (long long)src->index_start, (long long)src->index_step)
                        : "i";
    break;
  }
  case TX_MATH:
    if (e->strfn >= TM_DT_FLOOR)
      v = arena_printf(a, "cdrt_dt_round(x%d, INT64_C(%lld), %d)", e->a, (long long)e->i,
                       e->strfn - TM_DT_FLOOR);
    else if (e->strfn == TM_DT_BIN)
      v = arena_printf(a, "cdrt_dt_bin(x%d, x%d, INT64_C(%lld))", e->a, e->b, (long long)e->i);
    else if (e->strfn == TM_ROUND)
      v = arena_printf(a, "cdrt_round_f64(x%d, %d)", e->a, (int)e->i);
    else if (e->type == CDRT_COL_FLOAT64)
      v = arena_printf(a, "fabs(x%d)", e->a);
    else /* NumPy's: the most negative int64 is its own absolute value */
      v = arena_printf(a, "cdrt_abs_i64(x%d)", e->a);
    break;
  case TX_WHERE: {
    bool f = e->type == CDRT_COL_FLOAT64;
    v = arena_printf(a, "x%d ? %s : %s", e->a, f ? as_f64(a, t, e->b) : num(a, e, e->b),
                     f ? as_f64(a, t, (int)e->i) : num(a, e, (int)e->i));
    break;
  }
  case TX_SCALAR: { /* an earlier scan's reduction (table_phases.c) */
    const TResult *q = &t->r[e->i];
    StrBuf w;
    sb_init(&w);
    c_string(&w, arena_printf(a, "the %s at %s:%d", table_result_name(t, (int)e->i),
                              q->file ? q->file : "?", q->line));
    v = e->type == CDRT_COL_FLOAT64 ? arena_printf(a, "cd_results[%d].v.f", (int)e->i)
        : cdrt_col_nat(e->type)
            ? arena_printf(a, "cdrt_scalar_dt(&cd_results[%d].v)", (int)e->i)
            : arena_printf(a, "(%s)cdrt_scalar_i64(&cd_results[%d].v, %s)", ct, (int)e->i, w.data);
    sb_free(&w);
    break;
  }
  case TX_DT:
    v = e->type == CDRT_COL_INT64
            ? arena_printf(a, "cdrt_dt_field_i64(x%d, %d, &c)", e->a, e->strfn)
            : arena_printf(a, "cdrt_dt_field(x%d, %d)", e->a, e->strfn);
    break;
  }
  if (!v) {
    fprintf(stderr, "cdaskc: internal error: no C for table expression %d\n", x);
    exit(70);
  }
  sb_line(b, "%s x%d = %s;", ct, x, v);
}

/* The per-block state of result r */
static const char *part_type(const TResult *q) {
  return q->kind == TR_AGG       ? "cdrt_agg"
         : q->kind == TR_VCOUNT  ? "cdrt_vc"
         : q->kind == TR_GROUPBY ? "cdrt_gb"
                                 : "cdrt_rows";
}

/* A groupby aggregation's state kind (CDRT_G_*), from what and the column's type (and for
 * corr, the other column's) */
static int gb_kind(int what, int type, int other) {
  switch (what) {
  case CDRT_AGG_COUNT:
  case CDRT_AGG_SIZE: return CDRT_G_COUNT;
  case CDRT_AGG_SUM: /* (no count: a smaller record; q5's fits a cache line) */
    return cdrt_col_nat(type) ? CDRT_G_SUMT : type == CDRT_COL_FLOAT64 ? CDRT_G_ADDF : CDRT_G_ADDI;
  case CDRT_AGG_MEAN:
    return cdrt_col_nat(type) ? CDRT_G_SUMT : type == CDRT_COL_FLOAT64 ? CDRT_G_SUMF : CDRT_G_SUMI;
  case CDRT_AGG_STD:
  case CDRT_AGG_VAR:
    return type == CDRT_COL_INT64 || type == CDRT_COL_BOOL ? CDRT_G_VARI : CDRT_G_VAR;
  case CDRT_AGG_MEDIAN:
  case CDRT_AGG_NUNIQUE: return type == CDRT_COL_FLOAT64 ? CDRT_G_VALF : CDRT_G_VALI;
  case CDRT_AGG_CORR:
    return (type == CDRT_COL_INT64 || type == CDRT_COL_BOOL) &&
                   (other == CDRT_COL_INT64 || other == CDRT_COL_BOOL)
               ? CDRT_G_CORRI
               : CDRT_G_CORR;
  default:
    return type == CDRT_COL_FLOAT64 ? CDRT_G_PICKF
           : type == CDRT_COL_STR   ? CDRT_G_PICKS
                                    : CDRT_G_PICKI;
  }
}

static const char *const gstate_ctype[] = {"int64_t",    "cdrt_gsumi", "cdrt_gsumf",  "cdrt_gvar",
                                           "cdrt_gpick", "cdrt_gpick", "cdrt_gpicks", "cdrt_gvals",
                                           "cdrt_gvals", "cdrt_gcorr", "cdrt_gcorri", "cdrt_gvari",
                                           "cdrt_gsumt", "uint64_t",   "cdrt_gx"};

/* The tables of groupby result r's spec (cd_rR_spec) */
static void emit_gb_spec(StrBuf *b, const Tables *t, int r) {
  const TResult *q = &t->r[r];
  sb_printf(b, "static const unsigned char cd_r%d_ktypes[] = {", r);
  for (int k = 0; k < q->nkeys; k++) sb_printf(b, "%s%d", k ? ", " : "", t->x[q->keys[k]].type);
  sb_printf(b, "};\nstatic const char *const cd_r%d_knames[] = {", r);
  for (int k = 0; k < q->nkeys; k++) sb_puts(b, k ? ", " : ""), c_string_or_null(b, q->knames[k]);
  const char *row[] = {"kinds", "what", "rtypes"};
  for (int w = 0; w < 3; w++) {
    sb_printf(b, "};\nstatic const unsigned char cd_r%d_%s[] = {", r, row[w]);
    for (int k = 0; k < q->ncols; k++) {
      int type = q->cols[k] >= 0 ? t->x[q->cols[k]].type : CDRT_COL_INT64;
      int v = w == 0   ? gb_kind(q->what[k], type, q->expr >= 0 ? t->x[q->expr].type : -1)
              : w == 1 ? q->what[k]
                       : table_gb_type(q->what[k], type);
      sb_printf(b, "%s%d", k ? ", " : "", v);
    }
    if (!q->ncols) sb_puts(b, "0");
  }
  sb_printf(b, "};\nstatic const char *const cd_r%d_anames[] = {", r);
  for (int k = 0; k < q->ncols; k++) sb_puts(b, k ? ", " : ""), c_string_or_null(b, q->names[k]);
  if (!q->ncols) sb_puts(b, "NULL");
  sb_printf(b,
            "};\nstatic int64_t cd_r%d_hint[2];\n"
            "static const cdrt_gb_spec cd_r%d_spec = {%d, cd_r%d_ktypes, cd_r%d_knames, %d, "
            "cd_r%d_kinds, cd_r%d_what, cd_r%d_rtypes, cd_r%d_anames, cd_r%d_hint};\n",
            r, r, q->nkeys, r, r, q->ncols, r, r, r, r, r);
}

/* A value's "not missing" test, or NULL when it is never missing */
static const char *notna_c(Arena *a, int type, const char *v) {
  return type == CDRT_COL_FLOAT64 ? arena_printf(a, "!isnan(%s)", v)
         : type == CDRT_COL_STR   ? arena_printf(a, "%s.p", v)
         : cdrt_col_nat(type)     ? arena_printf(a, "%s != CDRT_NAT", v)
                                  : NULL;
}

/* q is computed by its source's scan: some output needs it (live), and it is no Series of
 * other results nor an operation on another's frame */
bool df_result_scans(const TResult *q) {
  return q->live && q->kind != TR_STACK && q->kind != TR_POST;
}

/* Culling: a result is live when an output prints or writes it, or a live Series of
 * results (df:mean()) holds it. A reduction the script made and never output costs
 * nothing; a source no live result reads is never opened. */
/* The categories (1 + their result, or 0) of key k of groupby q (TR_GROUPBY, FOP_GROUPBY) */
static int key_cats(Graph *g, const TResult *q, int k) {
  if (q->kind == TR_GROUPBY) return g->tables.x[q->keys[k]].cats;
  TShape in = table_result_shape(g, q->in);
  return in.cats ? in.cats[k] : 0;
}

/* Groupby q has a row for every combination of its keys' categories (lua_groupby.c allows
 * it when every key is a category, sorted, dropna) */
static bool observes_all(Graph *g, const TResult *q) {
  if (q->observed || !(q->kind == TR_GROUPBY || (q->kind == TR_POST && q->fop == FOP_GROUPBY)))
    return false;
  for (int k = 0; k < q->nkeys; k++)
    if (!key_cats(g, q, k)) return false;
  return q->nkeys > 0;
}

/* The categories result value_counts r counts every category of (1 + r, or 0): r itself
 * when r is the column's own counts (their ties then go in the categories' order too) */
static int vc_cats(const Tables *t, int r) {
  const TResult *q = &t->r[r];
  if (q->kind != TR_VCOUNT || q->rop == CDRT_AGG_NUNIQUE) return 0;
  return t->x[q->expr].cats;
}

/* The categories results live results need: their columns', value_counts', groupby keys' */
static void mark_live_categories(Graph *g) {
  Tables *t = &g->tables;
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (!q->live || table_result_after_arrays(t, r)) continue;
    TShape s = table_result_shape(g, r);
    for (int k = 0; s.cats && !s.scalar && k < s.ncols; k++)
      if (s.cats[k]) t->r[s.cats[k] - 1].live = true;
    if (vc_cats(t, r)) t->r[vc_cats(t, r) - 1].live = true;
    for (int k = 0; observes_all(g, q) && k < q->nkeys; k++)
      t->r[key_cats(g, q, k) - 1].live = true;
  }
}

static void mark_live(Graph *g) {
  Tables *t = &g->tables;
  for (int r = 0; r < t->nr; r++) t->r[r].live = false;
  for (int o = 0; o < t->nout; o++) t->r[t->out[o].result].live = true;
  for (int i = 0; i < g->nnodes; i++) /* to_array's arrays some output needs */
    if (g->nodes[i].op == OP_INPUT && g->nodes[i].from_result)
      t->r[g->nodes[i].from_result - 1].live = true;
  for (int r = t->nr - 1; r >= 0; r--) { /* a result comes after what it is made of */
    if (!t->r[r].live) continue;
    for (int u = 0; u < t->nr; u++)
      if (table_reads(&t->r[r], u)) t->r[u].live = true;
    if (t->r[r].join) t->r[t->joins[t->r[r].join - 1].right].live = true;
  }
  mark_live_categories(g);
}

/* How many live results read result r's frame or value, outputs and to_array's arrays
 * included */
static int readers(const Graph *g, int r) {
  const Tables *t = &g->tables;
  int n = 0;
  for (int o = 0; o < t->nout; o++) n += t->out[o].result == r;
  for (int u = 0; u < t->nr; u++)
    if (t->r[u].live) n += table_reads(&t->r[u], r);
  for (int i = 0; i < g->nnodes; i++)
    n += g->nodes[i].op == OP_INPUT && g->nodes[i].from_result == r + 1;
  return n;
}

/* Result r is read by one dd.to_csv and nothing else (its categories not observed): its
 * frame can be made as the file is written (cdrt_gb_frame_written) */
static bool only_written(Graph *g, int r) {
  const Tables *t = &g->tables;
  if (readers(g, r) != 1 || observes_all(g, &t->r[r])) return false;
  for (int o = 0; o < t->nout; o++)
    if (t->out[o].result == r) return t->out[o].csv;
  return false;
}

/* The most rows a group keeps in the scan (head(n): n at most). A kept row is inserted
 * into its group's sorted list: on input already in the sort's order (a sorted timestamp,
 * nlargest of it) every row goes first and moves the n - 1 others, so n stays small. */
enum { TOPN_MAX = 64 };

/* The top-n rule: rows of a CSV source (TR_ROWS, all of them) read only by a sort_values
 * by columns (FOP_SORT), read only by groupby(columns).head(n) (FOP_GB_HEAD, 1 <= n <=
 * TOPN_MAX), or read by the head alone (the rows' own order); or read only by a sort read
 * only by head(n) (FOP_HEAD, 1 <= n <= TOPN_MAX: nlargest, nsmallest), a groupby.head
 * of no keys, one group: the scan keeps of each group only its
 * first n rows in the sort's order (its columns, directions and missing placement, then the row's
 * position, as the stable sort keeps ties; a row with a missing key is dropped under dropna). The
 * sort and the head then run on those rows, which hold every row of the head's answer, with the
 * same index: the output is the same, but only about n rows per group are collected and sorted (the
 * db-benchmark's q8). */
static void topn_rule(Graph *g) {
  Tables *t = &g->tables;
  for (int h = 0; h < t->nr; h++) {
    const TResult *head = &t->r[h];
    if (!head->live || head->kind != TR_POST) continue;
    bool one = head->fop == FOP_HEAD && !head->keep; /* of a sort: one group (not a tail) */
    if ((head->fop != FOP_GB_HEAD && !one) || head->limit < 1 || head->limit > TOPN_MAX) continue;
    const TResult *sort = &t->r[head->in]; /* or no sort: the rows' order */
    bool sorted = sort->kind == TR_POST && sort->fop == FOP_SORT;
    if ((one && !sorted) || (sorted && readers(g, head->in) != 1)) continue;
    int in = sorted ? sort->in : head->in;
    const TResult *all = &t->r[in];
    if (all->kind != TR_ROWS || all->limit >= 0 || all->merged || all->topn ||
        t->src[all->src].arrays)
      continue;
    bool refs = true; /* columns, no index level */
    for (int k = 0; sorted && k < sort->ncols; k++) refs &= sort->cols[k] >= 0;
    for (int k = 0; k < head->ncols && !one; k++) refs &= head->cols[k] >= 0;
    if (!refs) continue;
    if (readers(g, in) != 1) { /* rows shared with another reader (lua_frame.c's
                                * same_result): this head's sort gets its own, which it cuts */
      TResult copy = *all;
      int c = table_add_result(g, &copy); /* t->r may move */
      t->r[sorted ? head->in : h].in = c;
      head = &t->r[h], sort = &t->r[head->in], in = c;
    }
    TResult *rows = &t->r[in];
    rows->topn = head->limit, rows->dropna = !one && head->dropna;
    rows->nkeys = one ? 0 : head->ncols, rows->keys = one ? NULL : head->cols;
    rows->nby = sorted ? sort->ncols : 0;
    rows->by = sorted ? sort->cols : NULL, rows->asc = sorted ? sort->asc : NULL;
  }
}

/* The tail rule: rows of a file (TR_ROWS, all of them) read by tail(n) keep, in each
 * block, only the block's last n rows, which hold every row of the tail's answer: the
 * collected frame is a few rows per block, not the file. Rows another result reads too
 * are copied for the tail, as the top-n rule copies them. */
static void tail_rule(Graph *g) {
  Tables *t = &g->tables;
  for (int h = 0; h < t->nr; h++) {
    const TResult *head = &t->r[h];
    if (!head->live || head->kind != TR_POST || head->fop != FOP_HEAD || head->keep != 1 ||
        head->limit < 0)
      continue;
    const TResult *all = &t->r[head->in];
    if (all->kind != TR_ROWS || all->limit >= 0 || all->merged || all->topn || all->tail ||
        t->src[all->src].arrays)
      continue;
    int in = head->in;
    if (readers(g, in) != 1) {
      TResult copy = *all;
      in = table_add_result(g, &copy); /* t->r may move */
      t->r[h].in = in;
    }
    t->r[in].tail = t->r[h].limit + 1;
  }
}

/* A groupby's updates wait in a batch of GB_BATCH rows: a row's keys are hashed and its
 * slot in the table's index prefetched as it is read; once the batch is full, the records
 * the slots name are prefetched together, then the batch updates the table in row order.
 * A table of 10^5 groups is megabytes: a row's cache misses overlap the reading of the next
 * rows and each other's instead of stalling its own update. */
static bool is_gb(const Tables *t, int r, int s) {
  return t->r[r].src == s && df_result_scans(&t->r[r]) && t->r[r].kind == TR_GROUPBY;
}

void c_ints(StrBuf *b, const char *decl, const int *v, int n) {
  sb_line(b, "%s[] = {", decl);
  b->len--;
  for (int k = 0; k < n; k++) sb_printf(b, "%s%d", k ? ", " : "", v[k]);
  sb_puts(b, n ? "};\n" : "0};\n");
}
static void c_doubles(StrBuf *b, Arena *a, const char *decl, const double *v, int n) {
  sb_line(b, "%s[] = {", decl);
  b->len--;
  for (int k = 0; k < n; k++) sb_puts(b, k ? ", " : ""), sb_puts(b, c_double(a, v[k]));
  sb_puts(b, n ? "};\n" : "0};\n");
}

static bool is_topn(const Tables *t, int r, int s) {
  return t->r[r].src == s && df_result_scans(&t->r[r]) && t->r[r].kind == TR_ROWS && t->r[r].topn;
}

/* The top-n rule's spec of rows r (cd_rR_topn): keys and sort columns are the rows' */
static void emit_topn_spec(StrBuf *b, Arena *a, const TResult *q, int r) {
  int *asc = arena_alloc(a, (size_t)(q->nby + 1) * sizeof *asc);
  for (int k = 0; k < q->nby; k++) asc[k] = q->asc[k];
  c_ints(b, arena_printf(a, "static const int cd_r%d_tkeys", r), q->keys, q->nkeys);
  c_ints(b, arena_printf(a, "static const int cd_r%d_tby", r), q->by, q->nby);
  c_ints(b, arena_printf(a, "static const unsigned char cd_r%d_tasc", r), asc, q->nby);
  sb_line(b, "static cdrt_topn_cut cd_r%d_tcut;", r);
  sb_line(b,
          "static const cdrt_topn_spec cd_r%d_topn = {%d, cd_r%d_tkeys, %d, cd_r%d_tby, "
          "cd_r%d_tasc, INT64_C(%lld), %d, &cd_r%d_tcut};",
          r, q->nkeys, r, q->nby, r, r, (long long)q->topn, q->dropna, r);
}

static bool gb_has_value(const TResult *q, int k) {
  return q->cols[k] >= 0 && q->what[k] != CDRT_AGG_SIZE;
}

/* Whether result r's table has a dense index (cdrt_gb_dense): one or two keys, integers
 * (runtime/groupby.c's cdrt_gb_spec_dense) */
static bool gb_dense(const Tables *t, const TResult *q) {
  if (q->nkeys < 1 || q->nkeys > 2) return false;
  for (int k = 0; k < q->nkeys; k++)
    if (t->x[q->keys[k]].type == CDRT_COL_STR || t->x[q->keys[k]].type == CDRT_COL_FLOAT64)
      return false;
  return true;
}

/* A batched row of groupby result r (cd_rR_row): hash (or group, found in the dense
 * index), keys, the aggregated values */
static void emit_gb_row_type(StrBuf *b, const Tables *t, int r) {
  const TResult *q = &t->r[r];
  sb_printf(b, "typedef struct {\n  uint64_t h;\n%s  cdrt_gkey k[%d];\n",
            gb_dense(t, q) ? "  int64_t g; /* -1: h; -2: the dense index's, not read yet */\n" : "",
            q->nkeys);
  for (int k = 0; k < q->ncols; k++)
    if (gb_has_value(q, k)) sb_printf(b, "  %s v%d;\n", df_col_ctype[t->x[q->cols[k]].type], k);
  if (q->expr >= 0) sb_printf(b, "  %s vo;\n", df_col_ctype[t->x[q->expr].type]);
  sb_printf(b, "} cd_r%d_row;\n", r);
}

/* The row's entry in result r's batch (under its mask): keys, hash, prefetch, values;
 * batch: "q." in the block function, "gq->" in a join's probe */
void emit_gb_push(StrBuf *b, Arena *a, const Tables *t, int r, const char *batch) {
  const TResult *q = &t->r[r];
  int depth = emit_depth(b);
  if (q->dropna) /* a row whose key is missing is in no group */
    for (int k = 0; k < q->nkeys; k++) {
      int x = q->keys[k];
      const char *c = notna_c(a, t->x[x].type, arena_printf(a, "x%d", x));
      if (c) emit_open(b, "if (%s)", c);
    }
  sb_line(b, "cd_r%d_row *w%d = &%sr%d[%sn%d++];", r, r, batch, r, batch, r);
  for (int k = 0; k < q->nkeys; k++) {
    int x = q->keys[k], type = t->x[x].type;
    if (type == CDRT_COL_STR)
      sb_line(b, "w%d->k[%d] = cdrt_gkey_str(x%d);", r, k, x);
    else if (type == CDRT_COL_FLOAT64)
      sb_line(b, "w%d->k[%d] = (cdrt_gkey){.i = cdrt_f64_key(x%d)};", r, k, x);
    else
      sb_line(b, "w%d->k[%d] = (cdrt_gkey){.i = x%d};", r, k, x);
  }
  if (gb_dense(t, q)) {
    sb_line(b, "w%d->g = cdrt_gb_dense_ahead(&p->r%d, cdrt_gb_dense_key(&cd_r%d_spec, w%d->k));", r,
            r, r, r);
    emit_open(b, "if (w%d->g == -1)", r);
  }
  sb_line(b, "w%d->h = cdrt_gb_hash(&cd_r%d_spec, w%d->k);", r, r, r);
  sb_line(b, "cdrt_gb_prefetch(&p->r%d, w%d->h);", r, r);
  if (gb_dense(t, q)) emit_close(b, NULL);
  for (int k = 0; k < q->ncols; k++)
    if (gb_has_value(q, k))
      sb_line(b, "w%d->v%d = x%d;", r, k, q->cols[k]);
    else if (q->cols[k] >= 0) /* size: the column is read (a bad value stops), not kept */
      sb_line(b, "(void)x%d;", q->cols[k]);
  if (q->expr >= 0) sb_line(b, "w%d->vo = x%d;", r, q->expr);
  while (emit_depth(b) > depth) emit_close(b, NULL);
}

/* A batched row's update of groupby result r: its group, then each state */
static void emit_gb_update(StrBuf *b, Arena *a, const Tables *t, int r) {
  const TResult *q = &t->r[r];
  if (gb_dense(t, q))
    sb_line(b,
            "char *g = w->g >= 0 ? cdrt_gb_rec(&p->r%d, w->g) : cdrt_gb_find_hashed(&p->r%d, "
            "w->k, w->h);",
            r, r);
  else
    sb_line(b, "char *g = cdrt_gb_find_hashed(&p->r%d, w->k, w->h);", r);
  for (int k = 0; k < q->ncols; k++) {
    int x = q->cols[k], type = x >= 0 ? t->x[x].type : CDRT_COL_INT64, w = q->what[k];
    int kind = gb_kind(w, type, q->expr >= 0 ? t->x[q->expr].type : -1), d = emit_depth(b);
    const char *v = arena_printf(a, "w->v%d", k);
    const char *na = gb_has_value(q, k) ? notna_c(a, type, v) : NULL;
    if (na) emit_open(b, "if (%s)", na);
    const char *ona = kind == CDRT_G_CORR || kind == CDRT_G_CORRI
                          ? notna_c(a, t->x[q->expr].type, "w->vo")
                          : NULL;
    if (ona) emit_open(b, "if (%s)", ona); /* corr: the pairs where neither is missing */
    const char *st =
        arena_printf(a, "((%s *)cdrt_gb_state(&p->r%d, g, %d))", gstate_ctype[kind], r, k);
    switch (kind) {
    case CDRT_G_COUNT: sb_line(b, "(*%s)++;", st); break;
    case CDRT_G_SUMI: sb_line(b, "(%s)->n++, (%s)->s += (uint64_t)%s;", st, st, v); break;
    case CDRT_G_SUMF: sb_line(b, "cdrt_gsumf_add(%s, %s, &p->r%d.spill);", st, v, r); break;
    case CDRT_G_ADDI: sb_line(b, "*%s += (uint64_t)%s;", st, v); break;
    case CDRT_G_ADDF: sb_line(b, "cdrt_gx_add(%s, %s, &p->r%d.spill);", st, v, r); break;
    case CDRT_G_VAR: sb_line(b, "cdrt_gvar_add(%s, (double)%s, &p->r%d.spill);", st, v, r); break;
    case CDRT_G_PICKI: sb_line(b, "cdrt_gpick_i64(%s, %d, %s);", st, w, v); break;
    case CDRT_G_PICKF: sb_line(b, "cdrt_gpick_f64(%s, %d, %s);", st, w, v); break;
    case CDRT_G_VALI:
      sb_line(b, "cdrt_gvals_add(%s, (int64_t)%s, &p->r%d, %d);", st, v, r, k);
      break;
    case CDRT_G_VALF: sb_line(b, "cdrt_gvals_f64(%s, %s, &p->r%d, %d);", st, v, r, k); break;
    case CDRT_G_CORR:
      sb_line(b, "cdrt_gcorr_add(%s, (double)%s, (double)w->vo, &p->r%d.spill);", st, v, r);
      break;
    case CDRT_G_CORRI:
      sb_line(b, "cdrt_gcorri_add(%s, (int64_t)%s, (int64_t)w->vo);", st, v);
      break;
    case CDRT_G_VARI: sb_line(b, "cdrt_gvari_add(%s, (int64_t)%s);", st, v); break;
    case CDRT_G_SUMT: sb_line(b, "cdrt_gsumt_add(%s, %s);", st, v); break;
    case CDRT_G_PICKS: sb_line(b, "cdrt_gpick_str(%s, %d, %s);", st, w, v); break;
    }
    while (emit_depth(b) > d) emit_close(b, NULL);
  }
}

/* Source s's batch of groupby rows (cd_batchS) and its flush (cd_scanS_flush): each
 * result's rows update its table in row order (cd_scanS_flushR: result R's, which a join's
 * probe calls when the matches fill R's batch). False if s has no groupby. */
static bool emit_gb_batch(StrBuf *b, Arena *a, const Tables *t, int s) {
  bool any = false;
  for (int r = 0; r < t->nr; r++)
    if (is_gb(t, r, s)) emit_gb_row_type(b, t, r), any = true;
  if (!any) return false;
  sb_puts(b, "typedef struct {\n  int rows;\n");
  for (int r = 0; r < t->nr; r++)
    if (is_gb(t, r, s)) sb_printf(b, "  int n%d;\n  cd_r%d_row r%d[%d];\n", r, r, r, GB_BATCH);
  sb_printf(b, "} cd_batch%d;\n\n", s);
  for (int r = 0; r < t->nr; r++) {
    if (!is_gb(t, r, s)) continue;
    emit_open(b, "static void cd_scan%d_flush%d(cd_spart%d *p, cd_batch%d *q)", s, r, s, s);
    /* the rows' slots came into cache as they were read: now their records (a table of a
     * few groups is in cache already; a dense index's hits were fetched as they were read) */
    if (gb_dense(t, &t->r[r])) {
      /* a dense index's entries came into cache as the rows were read: now the groups */
      emit_open(b, "for (int i = 0; i < q->n%d; i++)", r);
      sb_line(b, "cd_r%d_row *w = &q->r%d[i];", r, r);
      emit_open(b,
                "if (w->g == -2 && (w->g = cdrt_gb_dense(&p->r%d, cdrt_gb_dense_key(&cd_r%d_spec, "
                "w->k))) < 0)",
                r, r);
      sb_line(b, "w->h = cdrt_gb_hash(&cd_r%d_spec, w->k);", r);
      sb_line(b, "cdrt_gb_prefetch(&p->r%d, w->h);", r);
      emit_close(b, NULL);
      sb_line(b, "if (w->g >= 0) cdrt_gb_prefetch_group(&p->r%d, w->g);", r);
      emit_close(b, NULL);
    }
    sb_line(b, "if (p->r%d.n > 256)", r);
    if (gb_dense(t, &t->r[r]))
      sb_line(
          b,
          "  for (int i = 0; i < q->n%d; i++) if (q->r%d[i].g < 0) cdrt_gb_prefetch_rec(&p->r%d, "
          "q->r%d[i].h);",
          r, r, r, r);
    else
      sb_line(b, "  for (int i = 0; i < q->n%d; i++) cdrt_gb_prefetch_rec(&p->r%d, q->r%d[i].h);",
              r, r, r);
    emit_open(b, "for (int i = 0; i < q->n%d; i++)", r);
    sb_line(b, "const cd_r%d_row *w = &q->r%d[i];", r, r);
    emit_gb_update(b, a, t, r);
    emit_close(b, NULL);
    sb_line(b, "q->n%d = 0;", r);
    emit_close(b, NULL);
    sb_puts(b, "\n");
  }
  emit_open(b, "static void cd_scan%d_flush(cd_spart%d *p, cd_batch%d *q)", s, s, s);
  for (int r = 0; r < t->nr; r++)
    if (is_gb(t, r, s)) sb_line(b, "cd_scan%d_flush%d(p, q);", s, r);
  sb_line(b, "q->rows = 0;");
  emit_close(b, NULL);
  sb_puts(b, "\n");
  return true;
}

/* The merge of block k's groupby tables (and top-n rows) into all's (cd_scanS_merge, run by
 * cdrt_inorder in block order as the blocks end); false if source s has none */
static bool emit_gb_merge(StrBuf *b, const Tables *t, int s) {
  bool any = false;
  for (int r = 0; r < t->nr; r++) any |= is_gb(t, r, s) || is_topn(t, r, s);
  if (!any) return false;
  sb_printf(b, "typedef struct {\n  cd_spart%d *part, *all;\n} cd_merge%d;\n", s, s);
  emit_open(b, "static void cd_scan%d_merge(void *ctx, int64_t k)", s);
  sb_line(b, "cd_merge%d *m = ctx;", s);
  for (int r = 0; r < t->nr; r++)
    if (is_gb(t, r, s))
      sb_line(b, "cdrt_gb_merge(&m->all->r%d, &m->part[k].r%d), cdrt_gb_free(&m->part[k].r%d);", r,
              r, r);
  for (int r = 0; r < t->nr; r++)
    if (is_topn(t, r, s))
      sb_line(b, "cdrt_topn_merge(&m->all->t%d, &m->all->r%d, &m->part[k].t%d, &m->part[k].r%d);",
              r, r, r, r);
  emit_close(b, NULL);
  sb_puts(b, "\n");
  /* what a thread waiting for the merge can do meanwhile (cdrt_inorder's idle) */
  emit_open(b, "__attribute__((unused)) static int cd_scan%d_idle(void *ctx)", s);
  sb_line(b, "cd_merge%d *m = ctx;", s);
  sb_line(b, "int did = 0;");
  for (int r = 0; r < t->nr; r++)
    if (is_gb(t, r, s)) sb_line(b, "did |= cdrt_gb_prefault(&m->all->r%d);", r);
  sb_line(b, "(void)m;");
  sb_line(b, "return did;");
  emit_close(b, NULL);
  sb_puts(b, "\n");
  return true;
}

/* --mpi: the packing and unpacking of a block's partial results (cd_scanS_xfer), each
 * field of cd_spartS in turn (runtime/mpi_tables.c) */
static void emit_xfer(StrBuf *b, const Tables *t, int s) {
  emit_open(b, "static void cd_scan%d_xfer(cdrt_xfer *x, void *part)", s);
  sb_line(b, "cd_spart%d *p = part;", s);
  sb_line(b, "if (x->unpack) cd_spart%d_init(p);", s);
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (q->src != s || !df_result_scans(q)) continue;
    const char *fn = q->kind == TR_AGG       ? "agg"
                     : q->kind == TR_VCOUNT  ? "vc"
                     : q->kind == TR_GROUPBY ? "gb"
                                             : "rows";
    if (is_topn(t, r, s))
      sb_line(b, "cdrt_xfer_topn(x, &p->t%d, &p->r%d);", r, r);
    else
      sb_line(b, "cdrt_xfer_%s(x, &p->r%d);", fn, r);
  }
  emit_close(b, NULL);
  sb_puts(b, "\n");
  /* a block just scanned: packed, then freed */
  emit_open(b, "static void cd_scan%d_pack(cdrt_block_bytes *x, int64_t blk, cd_spart%d *p)", s, s);
  sb_line(b, "cdrt_mpi_pack_block(x, &cd_src%d, blk, p, cd_scan%d_xfer);", s, s);
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (q->src != s || !df_result_scans(q) || q->kind == TR_AGG) continue;
    const char *fn = q->kind == TR_VCOUNT ? "vc" : q->kind == TR_GROUPBY ? "gb" : "rows";
    sb_line(b, "cdrt_%s_free(&p->r%d);", fn, r);
    if (is_topn(t, r, s)) sb_line(b, "cdrt_topn_free(&p->t%d);", r);
  }
  emit_close(b, NULL);
  sb_puts(b, "\n");
  bool groupby = false; /* merged in order as the blocks are unpacked */
  for (int r = 0; r < t->nr; r++) groupby |= is_gb(t, r, s) || is_topn(t, r, s);
  if (!groupby) return;
  /* a groupby's block unpacked just before its merge: one block's table at a time */
  sb_printf(b, "typedef struct {\n  cd_merge%d *m;\n  cdrt_block_bytes *x;\n} cd_unpack%d;\n", s,
            s);
  emit_open(b, "static void cd_scan%d_unpack_merge(void *ctx, int64_t k)", s);
  sb_line(b, "cd_unpack%d *u = ctx;", s);
  sb_line(b, "if (u->x) cdrt_mpi_unpack_block(u->x, &cd_src%d, k, &u->m->part[k], cd_scan%d_xfer);",
          s, s);
  sb_line(b, "cd_scan%d_merge(u->m, k);", s);
  emit_close(b, NULL);
  sb_puts(b, "\n");
}

/* Some result of source s keeps string values past their block (collected rows, a minimum
 * or maximum, a groupby's picks; value counts' and a groupby's keys are copied): they point
 * into the file, so its blocks stay mapped. */
static int keeps_strings(const Tables *t, int s) {
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (q->src != s || !df_result_scans(q)) continue;
    if (q->kind == TR_AGG && t->x[q->expr].type == CDRT_COL_STR && q->rop != CDRT_AGG_COUNT &&
        q->rop != CDRT_AGG_SIZE) /* (a count reads no string) */
      return 1;
    for (int k = 0; (q->kind == TR_ROWS || q->kind == TR_GROUPBY) && k < q->ncols; k++)
      if (q->cols[k] >= 0 && t->x[q->cols[k]].type == CDRT_COL_STR) return 1;
  }
  return 0;
}

/* A source's column names and types (cd_srcS_names, cd_srcS_types) */
static void emit_schema(StrBuf *b, const TSource *src, int s) {
  sb_printf(b, "static const char *const cd_src%d_names[] = {", s);
  for (int c = 0; c < src->ncols; c++) sb_puts(b, c ? ", " : ""), c_string(b, src->names[c]);
  sb_puts(b, "};\n");
  sb_printf(b, "static const unsigned char cd_src%d_types[] = {", s);
  for (int c = 0; c < src->ncols; c++) sb_printf(b, "%s%d", c ? ", " : "", src->types[c]);
  sb_puts(b, "};\n");
}

/* CSV source s (cd_srcS): its schema and dialect as compiled */
static void emit_csv_source(StrBuf *b, Graph *g, int s) {
  Arena *a = g->arena;
  const Tables *t = &g->tables;
  const TSource *src = &t->src[s];
  emit_schema(b, src, s);
  sb_printf(b, "static const unsigned char cd_src%d_declared[] = {", s);
  for (int c = 0; c < src->ncols; c++) sb_printf(b, "%s%d", c ? ", " : "", src->declared[c]);
  sb_puts(b, "};\n");
  sb_printf(b, "static const char *const cd_src%d_na[] = {", s);
  for (int k = 0; k < src->nna; k++) sb_puts(b, k ? ", " : ""), c_string(b, src->na[k]);
  if (!src->nna) sb_puts(b, "\"\"");
  sb_puts(b, "};\n");
  if (src->paths) { /* a glob's files */
    sb_printf(b, "static const char *const cd_src%d_paths[] = {", s);
    for (int k = 0; k < src->npaths; k++)
      sb_puts(b, k ? ",\n  " : "\n  "), c_string(b, src->paths[k]);
    sb_puts(b, "};\n");
  }
  sb_printf(b, "static cdrt_csv_source cd_src%d = {\n  .path = ", s);
  c_string(b, src->path);
  sb_puts(b, ",\n  .where = ");
  c_string(b, arena_printf(a, "%s:%d", src->file, src->line));
  sb_printf(b, ",\n  .sep = %d, .quote = %d,\n  .header_text = ", src->sep, src->quote);
  c_string_or_null(b, src->header_text);
  sb_printf(b,
            ",\n  .ncols = %d, .names = cd_src%d_names, .types = cd_src%d_types,\n"
            "  .declared = cd_src%d_declared, .na = cd_src%d_na, .nna = %d, .na_numeric = %d,\n"
            "  .sampled = %lld, .sampled_whole = %d, .blocksize = %lld, .bad_lines = %d,\n"
            "  .keep = %d, .text = %d, .json = %d",
            src->ncols, s, s, s, s, src->nna, src->na_numeric, (long long)src->sampled, src->whole,
            (long long)src->blocksize, src->bad_lines, keeps_strings(t, s), src->text, src->json);
  if (src->paths) sb_printf(b, ", .paths = cd_src%d_paths, .npaths = %d", s, src->npaths);
  if (src->text)
    sb_printf(b, ",\n  .compression = %d, .errors = %d, .newline = %d, .delim_tail = %d",
              src->compression, src->errors, src->newline, src->delim_tail);
  if (src->delim)
    sb_puts(b, ", .delim = "), c_string(b, src->delim),
        sb_printf(b, ", .delim_len = %d", (int)strlen(src->delim));
  sb_puts(b, "};\n");
}

/* from_arrays source s (cd_srcS): its rows are its arrays' */
static void emit_arrays_source(StrBuf *b, Graph *g, int s) {
  const TSource *src = &g->tables.src[s];
  emit_schema(b, src, s);
  sb_printf(b, "static cdrt_csv_source cd_src%d = {\n  .path = ", s);
  c_string(b, src->path); /* "dd.from_arrays", "db.from_sequence": messages name it */
  sb_puts(b, ",\n  .where = ");
  c_string(b, arena_printf(g->arena, "%s:%d", src->file, src->line));
  sb_printf(b,
            ",\n  .ncols = %d, .names = cd_src%d_names, .types = cd_src%d_types, .arrays = 1%s};\n",
            src->ncols, s, s, src->lit ? ", .elements = 1" : "");
  for (int c = 0; c < src->ncols && src->lit; c++) { /* db.from_sequence's values */
    int type = src->types[c];
    sb_printf(b, "static const %s cd_src%d_lit%d[%lld] = {", df_col_ctype[type], s, c,
              (long long)(src->nrows ? src->nrows : 1));
    for (int64_t i = 0; i < src->nrows; i++) {
      sb_puts(b, i % 8 ? " " : "\n  ");
      if (type == CDRT_COL_STR) {
        const TLitStr *v = &((const TLitStr *)src->lit[c])[i];
        sb_puts(b, "{"), c_bytes(b, v->p, v->n), sb_printf(b, ", %lld},", (long long)v->n);
      } else if (type == CDRT_COL_FLOAT64) {
        sb_printf(b, "%s,", c_double(g->arena, ((const double *)src->lit[c])[i])); /* -0.0 too */
      } else if (type == CDRT_COL_BOOL)
        sb_printf(b, "%d,", ((const uint8_t *)src->lit[c])[i]);
      else {
        int64_t v = ((const int64_t *)src->lit[c])[i];
        sb_puts(b, v == INT64_MIN ? "INT64_MIN,"
                                  : arena_printf(g->arena, "INT64_C(%lld),", (long long)v));
      }
    }
    sb_puts(b, "};\n");
  }
}

/* The loop over block blk's rows of from_arrays source s: each column used (cK) read from
 * its array's buffer, converted to its column type */
static void emit_arrays_loop(StrBuf *b, Graph *g, int s, const bool *cols, const int *buffer_of) {
  const TSource *src = &g->tables.src[s];
  sb_line(b, "const int64_t lo = blk * INT64_C(%lld), n = INT64_C(%lld);", (long long)src->chunk,
          (long long)src->nrows);
  sb_line(b, "const int64_t hi = n - lo < INT64_C(%lld) ? n : lo + INT64_C(%lld);",
          (long long)src->chunk, (long long)src->chunk);
  for (int c = 0; c < src->ncols; c++) {
    if (!cols[c]) continue;
    if (src->arrays[c] < 0) {
      sb_line(b, "const %s *a%d = cd_src%d_lit%d; /* %s */", df_col_ctype[src->types[c]], c, s, c,
              c_comment(g->arena, src->names[c]));
      continue;
    }
    int in = g->nodes[g->outputs[src->arrays[c]]].in[0];
    sb_line(b, "const %s *a%d = cd_buffers[%d].data; /* %s */", dtype_ctype(g->nodes[in].dtype), c,
            buffer_of[in], c_comment(g->arena, src->names[c]));
  }
  emit_open(b, "for (int64_t i = lo; i < hi; i++)");
  sb_line(b, "c.row = i - lo + 1, c.line = i;");
  for (int c = 0; c < src->ncols; c++)
    if (cols[c])
      sb_line(b, "%s c%d = (%s)a%d[i];", df_col_ctype[src->types[c]], c,
              df_col_ctype[src->types[c]], c);
}

/* A groupby's MultiIndex columns: the keys' (as_index = false) second labels are "" */
static void emit_sublabels(StrBuf *b, const TResult *q, int r) {
  if (!q->subs) return;
  sb_line(b, "cdrt_frame_sublabels(cd_results[%d].frame, (const char *const[]){", r);
  b->len--;
  int nk = q->as_index ? 0 : q->nkeys;
  for (int k = 0; k < nk; k++) sb_puts(b, k ? ", " : ""), c_string(b, "");
  for (int k = 0; k < q->ncols; k++) sb_puts(b, nk + k ? ", " : ""), c_string(b, q->subs[k]);
  sb_puts(b, "});\n");
}

/* Whether TR_AGG or TR_GROUPBY q sums timedeltas (which may overflow) */
static bool nat_sum(const Tables *t, const TResult *q) {
  if (q->kind == TR_AGG) return q->rop == CDRT_AGG_SUM && cdrt_col_nat(t->x[q->expr].type);
  for (int k = 0; q->kind == TR_GROUPBY && k < q->ncols; k++)
    if (q->what[k] == CDRT_AGG_SUM && q->cols[k] >= 0 && cdrt_col_nat(t->x[q->cols[k]].type))
      return true;
  return false;
}

/* cdrt_frame_op_what = "the NAME at prog.lua:N", q's place, for a run-time error's message */
static void emit_op_what(StrBuf *b, Arena *a, const char *name, const TResult *q) {
  StrBuf w;
  sb_init(&w);
  c_string(&w, arena_printf(a, "the %s at %s:%d", name, q->file ? q->file : "?", q->line));
  sb_line(b, "cdrt_frame_op_what = %s;", w.data);
  sb_free(&w);
}

/* Aggregate r's update with the row's value (none if it is missing) */
void emit_agg_update(StrBuf *b, Arena *a, const Tables *t, int r) {
  const TResult *q = &t->r[r];
  int e = q->expr, type = t->x[e].type, depth = emit_depth(b);
  if (type == CDRT_COL_FLOAT64) emit_open(b, "if (!isnan(x%d))", e);
  if (type == CDRT_COL_STR) emit_open(b, "if (x%d.p)", e);
  if (cdrt_col_nat(type)) emit_open(b, "if (x%d != CDRT_NAT)", e);
  const char *fx =
      type == CDRT_COL_FLOAT64 ? arena_printf(a, "x%d", e) : arena_printf(a, "(double)x%d", e);
  switch (q->rop) {
  case CDRT_AGG_COUNT: /* (an int or bool is never missing: its value is not read) */
    sb_line(b, "p->r%d.n++;%s", r,
            type == CDRT_COL_INT64 || type == CDRT_COL_BOOL ? arena_printf(a, " (void)x%d;", e)
                                                            : "");
    break;
  case CDRT_AGG_SUM:
    if (cdrt_col_nat(type)) /* timedeltas: exactly, in 128 bits */
      sb_line(b, "cdrt_agg_nat_add(&p->r%d, x%d);", r, e);
    else if (type == CDRT_COL_FLOAT64)
      sb_line(b, "p->r%d.n++, cdrt_xsum_add(&p->r%d.x1, x%d);", r, r, e);
    else
      sb_line(b, "p->r%d.n++, p->r%d.isum += (uint64_t)x%d;", r, r, e);
    break;
  case CDRT_AGG_MEAN:
    if (cdrt_col_nat(type))
      sb_line(b, "cdrt_agg_nat_add(&p->r%d, x%d);", r, e);
    else
      sb_line(b, "p->r%d.n++, cdrt_xsum_add(&p->r%d.x1, %s);", r, r, fx);
    break;
  case CDRT_AGG_STD:
  case CDRT_AGG_VAR:
  case CDRT_AGG_STD_POP:
  case CDRT_AGG_VAR_POP: sb_line(b, "p->r%d.n++, cdrt_agg_sq(&p->r%d, %s);", r, r, fx); break;
  case CDRT_AGG_ANY: /* pandas': a missing value is skipped; Python's truth otherwise */
  case CDRT_AGG_ALL:
    sb_line(b, "p->r%d.n++, p->r%d.isum += %s;", r, r,
            type == CDRT_COL_STR ? arena_printf(a, "x%d.n > 0", e)
                                 : arena_printf(a, "x%d != 0", e));
    break;
  case CDRT_AGG_MIN:
  case CDRT_AGG_MAX:
    sb_line(b, "cdrt_agg_%s_minmax(&p->r%d, x%d);",
            type == CDRT_COL_FLOAT64 ? "f64"
            : type == CDRT_COL_STR   ? "str"
                                     : "i64",
            r, e);
    break;
  default: break;
  }
  while (emit_depth(b) > depth) emit_close(b, NULL);
}

/* The loop over a JSON-lines block's records: the used fields (cK) picked from each line */
static void emit_json_loop(StrBuf *b, Arena *a, const TSource *src, const bool *cols) {
  int n = 0;
  for (int c = 0; c < src->ncols; c++) n += cols[c];
  emit_open(b, "while (cdrt_text_next(&c))");
  if (!n) { /* no field is read, but every line must be a JSON object (Dask's json.loads) */
    sb_line(b, "if (!cdrt_json_pick(&c, c.item, 0, NULL, NULL, NULL)) break;");
    return;
  }
  sb_puts(b, "static const cdrt_str keys[] = {");
  for (int c = 0, k = 0; c < src->ncols; c++)
    if (cols[c])
      sb_puts(b, k++ ? ", {" : "{"), c_bytes(b, src->names[c], (int64_t)strlen(src->names[c])),
          sb_printf(b, ", %zu}", strlen(src->names[c]));
  sb_puts(b, "};\n");
  sb_puts(b, "static const unsigned char types[] = {");
  for (int c = 0, k = 0; c < src->ncols; c++)
    if (cols[c])
      sb_printf(b, "%s%d", k++ ? ", " : "",
                c < src->njson_items && src->json_items[c] >= 0
                    ? CDRT_JSON_LIST | src->json_items[c] /* a list's items' */
                    : src->types[c]);
  sb_puts(b, "};\n");
  bool nested = false; /* a path into a nested object (CDRT_JSON_SEP): the slower pick */
  for (int c = 0; c < src->ncols; c++) nested |= cols[c] && strchr(src->names[c], CDRT_JSON_SEP);
  sb_line(b, "cdrt_jval v[%d];", n);
  sb_line(b, "if (!cdrt_json_pick%s(&c, c.item, %d, keys, types, v)) break;",
          nested ? "_nested" : "", n);
  for (int c = 0, k = 0; c < src->ncols; c++) {
    if (!cols[c]) continue;
    const char *name = c_comment(a, src->names[c]);
    switch (src->types[c]) {
    case CDRT_COL_STR:
      sb_line(b, "cdrt_str c%d = v[%d].present ? v[%d].s : (cdrt_str){NULL, 0}; /* %s */", c, k, k,
              name);
      break;
    case CDRT_COL_FLOAT64:
      sb_line(b, "double c%d = v[%d].present ? v[%d].f : NAN; /* %s */", c, k, k, name);
      break;
    default:
      if (src->missing && src->missing[c]) /* a bool some sampled records lack: its flag */
        sb_line(b, "int c%d_na = !v[%d].present;", c, k);
      else
        sb_line(b, "if (!v[%d].present && !cdrt_json_missing(&c, %d)) break;", k, c);
      sb_line(b, "%s c%d = (%s)v[%d].i; /* %s */", df_col_ctype[src->types[c]], c,
              df_col_ctype[src->types[c]], k, name);
    }
    k++;
  }
}

/* The TX_EACH expression x depends on (a flatten's piece), or -1 */
static int each_of(const Tables *t, int x) {
  if (x < 0) return -1;
  const TExpr *e = &t->x[x];
  if (e->kind == TX_EACH) return x;
  int l = each_of(t, e->a);
  return l >= 0 ? l : each_of(t, e->b);
}

/* The flatten whose pieces result r counts (its rows are pieces), or -1 */
static int result_each(const Tables *t, int r) {
  const TResult *q = &t->r[r];
  int l = each_of(t, q->mask);
  if (l < 0 && (q->kind == TR_AGG || q->kind == TR_VCOUNT || q->kind == TR_GROUPBY))
    l = each_of(t, q->expr);
  for (int k = 0; l < 0 && (q->kind == TR_ROWS || q->kind == TR_GROUPBY) && k < q->ncols; k++)
    l = each_of(t, q->cols[k]);
  for (int k = 0; l < 0 && q->kind == TR_GROUPBY && k < q->nkeys; k++) l = each_of(t, q->keys[k]);
  return l;
}

/* A split's separator as C (whitespace: a missing string) */
static const char *sep_c(Arena *a, const TExpr *e) {
  if (!e->s) return "(cdrt_str){NULL, 0}";
  StrBuf s;
  sb_init(&s);
  sb_puts(&s, "(cdrt_str){");
  c_bytes(&s, e->s, e->slen);
  sb_printf(&s, ", %lld}", (long long)e->slen);
  const char *v = arena_strdup(a, s.data);
  sb_free(&s);
  return v;
}

/* The loop over a flatten's pieces, each as xE: a split's, or a tuple's items (an array of
 * them, made from the row's values) */
static void emit_each_loop(StrBuf *b, Arena *a, const Tables *t, int e) {
  const TExpr *x = &t->x[e];
  const char *ct = df_col_ctype[x->type];
  if (x->i == -2) { /* a list's objects, each as its JSON text (flatten's records) */
    sb_line(b, "cdrt_str x%d;", e);
    emit_open(b, "for (cdrt_jitems it%d = cdrt_json_items(x%d); cdrt_json_item_obj(&it%d, &x%d);)",
              e, x->a, e, e);
    return;
  }
  if (x->i < 0) { /* a JSON list's items (checked when the line was read) */
    static const char *const item[] = {"i64", "f64", "bool", "str"};
    sb_line(b, "%s x%d;", ct, e);
    emit_open(b, "for (cdrt_jitems it%d = cdrt_json_items(x%d); cdrt_json_item_%s(&it%d, %sx%d);)",
              e, x->a, item[x->type], e, x->type == CDRT_COL_STR ? "c.arena, &" : "&", e);
    return;
  }
  if (x->i) {
    StrBuf v;
    sb_init(&v);
    for (int k = x->a; k >= 0; k = t->x[k].b)
      sb_printf(&v, "%sx%d", k == x->a ? "" : ", ", t->x[k].a);
    sb_line(b, "const %s items%d[%lld] = {%s};", ct, e, (long long)x->i, v.data);
    sb_free(&v);
    sb_line(b, "%s x%d;", ct, e);
    emit_open(b, "for (int it%d = 0; it%d < %lld && (x%d = items%d[it%d], 1); it%d++)", e, e,
              (long long)x->i, e, e, e, e);
    return;
  }
  sb_line(b, "cdrt_str x%d;", e);
  emit_open(b, "for (cdrt_split it%d = cdrt_split_init(x%d, %s); cdrt_split_next(&it%d, &x%d);)", e,
            x->a, sep_c(a, x), e, e);
}

/* A row's update of result r (of the scanned source; under its mask) */
static void emit_row_result(StrBuf *b, Arena *a, const Tables *t, int r) {
  const TResult *q = &t->r[r];
  int depth = emit_depth(b);
  if (q->mask >= 0) emit_open(b, "if (x%d)", q->mask);
  if (q->kind == TR_AGG) {
    emit_agg_update(b, a, t, r);
  } else if (q->kind == TR_VCOUNT) {
    int e = q->expr, type = t->x[e].type;
    if (cdrt_col_nat(type)) emit_open(b, "if (x%d != CDRT_NAT)", e);   /* dropped */
    if (type == CDRT_COL_STR && t->x[e].kind == TX_EACH && !t->x[e].i) /* to the split's end */
      sb_line(b, "cdrt_vc_add_str_in(&p->r%d, x%d, it%d.end);", r, e, e);
    else
      sb_line(b, "cdrt_vc_add_%s(&p->r%d, x%d);",
              type == CDRT_COL_FLOAT64 ? "f64"
              : type == CDRT_COL_STR   ? "str"
                                       : "i64",
              r, e);
  } else if (q->kind == TR_GROUPBY) {
    emit_gb_push(b, a, t, r, "q.");
    if (result_each(t, r) >= 0) /* a row's pieces may fill the batch: flushed when full */
      sb_line(b, "if (q.n%d == %d) cd_scan%d_flush%d(p, &q);", r, GB_BATCH, q->src, r);
  } else if (q->kind == TR_ROWS) {
    if (q->limit >= 0) emit_open(b, "if (p->r%d.n < INT64_C(%lld))", r, (long long)q->limit);
    sb_line(b, "int64_t at%d = cdrt_rows_push(&p->r%d, c.row - 1);", r, r);
    for (int k = 0; k < q->ncols; k++)
      sb_line(b, "((%s *)p->r%d.col[%d])[at%d] = x%d;", df_col_ctype[t->x[q->cols[k]].type], r, k,
              r, q->cols[k]);
    if (q->topn) sb_line(b, "cdrt_topn_row(&p->t%d, &p->r%d);", r, r);
  }
  while (emit_depth(b) > depth) emit_close(b, NULL);
}

/* The scan of source s: cd_spartS, cd_scanS_block, cd_scanS */
/* Result r counts strings of source s (batched: cdrt_vc_flush before they go) */
static bool counts_strings(const Tables *t, int r, int s) {
  const TResult *q = &t->r[r];
  return q->src == s && df_result_scans(q) && q->kind == TR_VCOUNT &&
         t->x[q->expr].type == CDRT_COL_STR;
}

/* Source s's blocks can be read into a buffer that is refilled (cdrt_text_begin,
 * cdrt_scan_begin) because what points into the lines read is finished first, by
 * cd_scanS_pending (emitted here): its joins' batches probed (their matches may feed its
 * groupbys), its groupby batch and its strings batched to count. Results that keep strings
 * (keeps_strings: collected rows, a top-n table's, min/max) keep the mapping instead (the
 * runtime reads the source's `keep`); numbers are copied. */
static void emit_scan_pending(StrBuf *b, const Tables *t, int s, bool batch) {
  sb_printf(b, "typedef struct {\n  cd_spart%d *p;\n", s);
  if (batch) sb_printf(b, "  cd_batch%d *q;\n", s);
  for (int j = 0; j < t->njoins; j++)
    if (df_join_live(t, s, j)) sb_printf(b, "  cd_jbatch%d *j%d;\n", j, j);
  sb_printf(b, "} cd_pend%d;\n", s);
  emit_open(b, "static void cd_scan%d_pending(void *ctx)", s);
  sb_line(b, "cd_pend%d *m = ctx;", s);
  for (int j = 0; j < t->njoins; j++)
    if (df_join_live(t, s, j))
      sb_line(b, "cd_scan%d_probe%d(m->p, %sm->j%d);", s, j, batch ? "m->q, " : "", j);
  if (batch) sb_line(b, "cd_scan%d_flush(m->p, m->q);", s);
  for (int r = 0; r < t->nr; r++)
    if (counts_strings(t, r, s)) sb_line(b, "cdrt_vc_flush(&m->p->r%d);", r);
  sb_line(b, "(void)m;");
  emit_close(b, NULL);
  sb_puts(b, "\n");
}

/* Dask's partition of a row of text source s read with a blocksize (to_textfiles): the
 * last of its file's read_bytes blocks that starts at or before the row (TSource) */
static void emit_dask_blocks(StrBuf *b, const TSource *src, int s) {
  int nf = src->paths ? src->npaths : 1;
  int64_t n = src->dask_first[nf];
  sb_printf(b, "static const int64_t cd_src%d_dstart[] = {", s);
  for (int64_t j = 0; j < n; j++)
    sb_printf(b, "%s%lld", j ? ", " : "", (long long)src->dask_start[j]);
  sb_printf(b, "%s};\nstatic const int64_t cd_src%d_dfirst[] = {", n ? "" : "0", s);
  for (int f = 0; f <= nf; f++)
    sb_printf(b, "%s%lld", f ? ", " : "", (long long)src->dask_first[f]);
  sb_puts(b, "};\n");
  emit_open(b, "static int64_t cd_src%d_dask_part(int64_t pos, int64_t file)", s);
  sb_line(b, "int64_t lo = cd_src%d_dfirst[file], hi = cd_src%d_dfirst[file + 1];", s, s);
  emit_open(b, "while (hi - lo > 1)");
  sb_line(b, "int64_t mid = lo + (hi - lo) / 2;");
  sb_line(b, "if (cd_src%d_dstart[mid] <= pos) lo = mid; else hi = mid;", s);
  emit_close(b, NULL);
  sb_line(b, "return lo;");
  emit_close(b, NULL);
  sb_puts(b, "\n");
}

/* Whether text source s's lines are used only through split() at whitespace, by counts
 * and aggregates of the pieces: then a block's lines are read as one string
 * (cdrt_text_span). A line ends in whitespace ("\n", or "\r" made "\n"), so its words
 * are the same whether it is split alone or with the lines around it, and in order. */
static bool text_span_ok(const Tables *t, int s, const bool *used) {
  if (!t->src[s].text || t->src[s].json) return false;
  for (int j = 0; j < t->njoins; j++)
    if (df_join_live(t, s, j)) return false;
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (q->src != s || !df_result_scans(q)) continue;
    if ((q->kind != TR_VCOUNT && q->kind != TR_AGG) || q->join || result_each(t, r) < 0)
      return false;
  }
  for (int x = 0; x < t->nx; x++) {
    const TExpr *e = &t->x[x];
    if (!used[x] || each_of(t, x) >= 0 || e->kind == TX_CONST || e->kind == TX_PART) continue;
    if (e->kind != TX_COLUMN) return false; /* a line's own value */
  }
  for (int x = 0; x < t->nx; x++) {
    const TExpr *e = &t->x[x];
    if (used[x] && e->kind == TX_EACH && (e->i || e->s || t->x[e->a].kind != TX_COLUMN))
      return false;
  }
  return true;
}

static void emit_scan(StrBuf *b, Graph *g, int s, const int *buffer_of, bool mpi) {
  Arena *a = g->arena;
  const Tables *t = &g->tables;
  const TSource *src = &t->src[s];
  bool *used = arena_alloc(a, (size_t)t->nx + 1), *cols = arena_alloc(a, (size_t)src->ncols + 1);
  bool any = false;
  for (int r = 0; r < t->nr; r++)
    if (t->r[r].src == s && df_result_scans(&t->r[r])) mark_result(t, r, used, cols), any = true;
  if (!any) return;

  sb_printf(b, "/* scan %d: %s (%s at %s:%d); columns read:", s, c_comment(a, src->path),
            src->json     ? "db.read_json_lines"
            : src->text   ? "db.read_text"
            : src->arrays ? src->path
                          : "dd.read_csv",
            c_comment(a, src->file), src->line);
  for (int c = 0; c < src->ncols; c++)
    if (cols[c])
      sb_printf(b, " %s (%s)", c_comment(a, src->names[c]), cdrt_coltype_name(src->types[c]));
  sb_puts(b, " */\n");
  if (src->arrays)
    emit_arrays_source(b, g, s);
  else
    emit_csv_source(b, g, s);

  if (src->dask_start) emit_dask_blocks(b, src, s);
  /* the partial results of a block */
  sb_printf(b, "typedef struct {\n");
  for (int r = 0; r < t->nr; r++)
    if (t->r[r].src == s && df_result_scans(&t->r[r]))
      sb_printf(b, "  %s r%d;\n", part_type(&t->r[r]), r);
  for (int r = 0; r < t->nr; r++)
    if (is_topn(t, r, s)) sb_printf(b, "  cdrt_topn t%d; /* the top-n rule */\n", r);
  sb_printf(b, "} cd_spart%d;\n\n", s);
  /* the column types of collected rows */
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (q->src != s || !q->live || q->kind != TR_ROWS) continue;
    sb_printf(b, "static const unsigned char cd_r%d_types[] = {", r);
    for (int k = 0; k < q->ncols; k++) sb_printf(b, "%s%d", k ? ", " : "", t->x[q->cols[k]].type);
    if (!q->ncols) sb_puts(b, "0");
    sb_printf(b, "};\nstatic const char *const cd_r%d_names[] = {", r);
    for (int k = 0; k < q->ncols; k++) sb_puts(b, k ? ", " : ""), c_string_or_null(b, q->names[k]);
    if (!q->ncols) sb_puts(b, "NULL");
    sb_puts(b, "};\n");
    if (q->topn) emit_topn_spec(b, g->arena, q, r);
  }
  for (int r = 0; r < t->nr; r++)
    if (t->r[r].src == s && t->r[r].live && t->r[r].kind == TR_GROUPBY) emit_gb_spec(b, t, r);
  for (int r = 0; r < t->nr; r++) /* the slots a value count's block table grew to */
    if (t->r[r].src == s && t->r[r].live && t->r[r].kind == TR_VCOUNT)
      sb_printf(b, "static int64_t cd_r%d_hint;\n", r);
  emit_open(b, "static void cd_spart%d_init(cd_spart%d *p)", s, s);
  sb_line(b, "memset(p, 0, sizeof *p);");
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (q->src != s || !q->live) continue;
    if (q->kind == TR_VCOUNT)
      sb_line(b, "cdrt_vc_init(&p->r%d, %d), p->r%d.hint = &cd_r%d_hint;", r, t->x[q->expr].type, r,
              r);
    if (q->kind == TR_ROWS)
      sb_line(b, "cdrt_rows_init(&p->r%d, %d, cd_r%d_types);", r, q->ncols, r);
    if (q->kind == TR_GROUPBY) sb_line(b, "cdrt_gb_init(&p->r%d, &cd_r%d_spec);", r, r);
    if (q->kind == TR_VCOUNT || q->kind == TR_ROWS || q->kind == TR_GROUPBY) {
      StrBuf w; /* what grew, for the memory limit's message */
      sb_init(&w);
      c_string(&w, arena_printf(g->arena, "the %s at %s:%d",
                                q->kind == TR_GROUPBY  ? "groupby"
                                : q->kind == TR_VCOUNT ? "value_counts"
                                                       : "rows collected",
                                q->file ? q->file : src->file, q->file ? q->line : src->line));
      sb_line(b, "p->r%d.what = %s;", r, w.data);
      if (q->kind == TR_GROUPBY) sb_line(b, "p->r%d.spill.what = p->r%d.what;", r, r);
      if (q->kind == TR_ROWS && q->topn)
        sb_line(b, "cdrt_topn_init(&p->t%d, &cd_r%d_topn), p->t%d.what = %s;", r, r, r, w.data);
      sb_free(&w);
    }
  }
  emit_close(b, NULL);
  sb_puts(b, "\n");
  /* a block's results let go unmerged: a guessed block that must run again (a CSV scan on
   * one rank only: unused elsewhere) */
  emit_open(b, "__attribute__((unused)) static void cd_spart%d_free(cd_spart%d *p)", s, s);
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (q->src != s || !q->live) continue;
    if (q->kind == TR_VCOUNT) sb_line(b, "cdrt_vc_free(&p->r%d);", r);
    if (q->kind == TR_ROWS) sb_line(b, "cdrt_rows_free(&p->r%d);", r);
    if (q->kind == TR_GROUPBY) sb_line(b, "cdrt_gb_free(&p->r%d);", r);
    if (q->kind == TR_ROWS && q->topn) sb_line(b, "cdrt_topn_free(&p->t%d);", r);
  }
  sb_line(b, "(void)p;");
  emit_close(b, NULL);
  sb_puts(b, "\n");

  /* a block */
  bool batch = emit_gb_batch(b, a, t, s);
  for (int j = 0; j < t->njoins; j++)
    if (df_join_live(t, s, j)) emit_join_decls(b, g, s, j, used, batch);
  bool buffered = !src->arrays;
  if (buffered) emit_scan_pending(b, t, s, batch);
  emit_open(b, "static void cd_scan%d_block(int64_t blk, cd_spart%d *p)", s, s);
  sb_line(b, "cdrt_scan c;");
  if (src->arrays) {
    sb_line(b, "cdrt_arrays_begin(&c, &cd_src%d, blk);", s);
  } else {
    const char *pending = "NULL, NULL";
    if (buffered) {
      StrBuf init; /* the batches cd_scanS_pending finishes */
      sb_init(&init);
      if (batch) sb_line(b, "cd_batch%d q;", s), sb_puts(&init, ", &q");
      for (int j = 0; j < t->njoins; j++)
        if (df_join_live(t, s, j))
          sb_line(b, "cd_jbatch%d jb%d;", j, j), sb_printf(&init, ", &jb%d", j);
      sb_line(b, "cd_pend%d pend = {p%s};", s, init.data ? init.data : "");
      sb_free(&init);
      pending = arena_printf(a, "cd_scan%d_pending, &pend", s);
    }
    if (src->text) {
      sb_line(b, "cdrt_text_begin(&c, &cd_src%d, blk, %s);", s, pending);
    } else {
      sb_line(b, "cdrt_csv_field f[%d];", src->ncols);
      sb_line(b, "cdrt_scan_begin(&c, &cd_src%d, blk, f, %d, %s);", s, src->ncols, pending);
    }
  }
  sb_line(b, "cd_spart%d_init(p);", s);
  for (int j = 0; j < t->njoins; j++)
    if (df_join_live(t, s, j)) {
      if (!buffered) sb_line(b, "cd_jbatch%d jb%d;", j, j);
      sb_line(b, "jb%d.n = 0;", j);
    }
  if (batch) {
    if (!buffered) sb_line(b, "cd_batch%d q;", s);
    for (int r = 0; r < t->nr; r++)
      if (is_gb(t, r, s)) sb_line(b, "q.n%d = 0;", r);
    sb_line(b, "q.rows = 0;");
  }
  if (src->arrays)
    emit_arrays_loop(b, g, s, cols, buffer_of);
  else if (src->json)
    emit_json_loop(b, a, src, cols);
  else if (src->text && text_span_ok(t, s, used)) {
    emit_open(b, "while (cdrt_text_span(&c))");
    if (cols[0]) sb_line(b, "cdrt_str c0 = c.item; /* the lines: only their words are used */");
  } else if (src->text) {
    emit_open(b, "while (cdrt_text_next(&c))");
    if (cols[0]) sb_line(b, "cdrt_str c0 = c.item; /* the line */");
  } else
    emit_open(b, "while (cdrt_scan_next(&c))");
  for (int c = 0; c < src->ncols && !src->arrays && !src->text; c++) {
    if (!cols[c]) continue;
    static const char *const get[] = {"i64", "f64", "bool", "str", "datetime"};
    sb_line(b, "%s c%d; /* %s */", df_col_ctype[src->types[c]], c, c_comment(a, src->names[c]));
    sb_line(b, "if (!cdrt_get_%s(&c, %d, &c%d)) break;", get[src->types[c]], c, c);
  }
  int *each = arena_alloc(a, (size_t)(t->nx + 1) * sizeof *each); /* flatten's pieces */
  for (int x = 0; x < t->nx; x++) each[x] = used[x] ? each_of(t, x) : -1;
  for (int x = 0; x < t->nx; x++)
    if (used[x] && t->x[x].kind != TX_JOINED && each[x] < 0) emit_expr(b, a, g, x);
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (q->src == s && df_result_scans(q) && !q->join && result_each(t, r) < 0)
      emit_row_result(b, a, t, r);
  }
  for (int e = 0; e < t->nx; e++) { /* the rows of a flatten: once per piece */
    if (!used[e] || t->x[e].kind != TX_EACH) continue;
    emit_each_loop(b, a, t, e);
    for (int x = e + 1; x < t->nx; x++)
      if (used[x] && each[x] == e) emit_expr(b, a, g, x);
    for (int r = 0; r < t->nr; r++) {
      const TResult *q = &t->r[r];
      if (q->src == s && df_result_scans(q) && !q->join && result_each(t, r) == e)
        emit_row_result(b, a, t, r);
    }
    emit_close(b, NULL);
  }
  for (int j = 0; j < t->njoins; j++)
    if (df_join_live(t, s, j)) emit_join_push(b, a, t, s, j, batch);
  if (batch) sb_line(b, "if (++q.rows == %d) cd_scan%d_flush(p, &q);", GB_BATCH, s);
  emit_close(b, NULL);
  for (int j = 0; j < t->njoins; j++) /* the last probes, whose matches may feed groupbys */
    if (df_join_live(t, s, j))
      sb_line(b, "cd_scan%d_probe%d(p, %s&jb%d);", s, j, batch ? "&q, " : "", j);
  if (batch) sb_line(b, "cd_scan%d_flush(p, &q);", s);
  for (int r = 0; r < t->nr; r++)
    if (is_gb(t, r, s)) sb_line(b, "cdrt_gb_seal(&p->r%d);", r);
  for (int r = 0; r < t->nr; r++) /* strings batched to count: while they are there */
    if (counts_strings(t, r, s)) sb_line(b, "cdrt_vc_flush(&p->r%d);", r);
  for (int r = 0; r < t->nr; r++)
    if (is_topn(t, r, s)) sb_line(b, "p->t%d.rows = c.row;", r);
  for (int r = 0; r < t->nr; r++) /* the tail rule: the block's last rows */
    if (t->r[r].src == s && t->r[r].live && t->r[r].kind == TR_ROWS && t->r[r].tail)
      sb_line(b, "cdrt_rows_keep_last(&p->r%d, INT64_C(%lld));", r, (long long)t->r[r].tail - 1);
  if (src->text)
    sb_line(b, "cdrt_text_end(&c);");
  else if (!src->arrays)
    sb_line(b, "cdrt_scan_end(&c);");
  emit_close(b, NULL);
  sb_puts(b, "\n");

  bool groupby = emit_gb_merge(b, t, s);
  if (mpi) emit_xfer(b, t, s);
  /* the scan: the blocks in parallel, then merged in order (groupbys as soon as they can) */
  emit_open(b, "static void cd_scan%d(void)", s);
  sb_line(b, "cdrt_csv_source *s = &cd_src%d;", s);
  if (src->arrays)
    sb_line(b, "cdrt_arrays_open(s, INT64_C(%lld), INT64_C(%lld));", (long long)src->nrows,
            (long long)src->chunk);
  else
    sb_line(b, src->text ? "cdrt_text_open(s);" : "cdrt_source_open(s);");
  sb_line(b, "int64_t nb = s->blocks.n;");
  if (mpi) { /* this rank's blocks; the others' partials come from their ranks */
    sb_line(b, "cdrt_range my = cdrt_mpi_tiles(nb);");
    sb_line(b, "int shared = cdrt_mpi_size() > 1;");
    sb_line(b, "cdrt_block_bytes bx = {0};");
    sb_line(b, "if (shared) cdrt_mpi_blocks_init(&bx, nb);");
    sb_line(b, "cdrt_stat_add(&cdrt_stats.blocks, my.hi - my.lo);");
    sb_line(b, "cdrt_stat_add(&cdrt_stats.blocks_all, nb);");
  }
  for (int j = 0; j < t->njoins; j++)
    if (df_join_live(t, s, j))
      sb_line(b, "cdrt_join_build(&cd_join%d, cd_results[%d].frame, &cd_join%d_spec);", j,
              t->joins[j].right, j);
  sb_line(b, "cd_spart%d *part = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *part);", s);
  sb_line(b, "static cd_spart%d all;", s);
  sb_line(b, "cd_spart%d_init(&all);", s);
  for (int r = 0; r < t->nr; r++)
    if (is_gb(t, r, s)) sb_line(b, "all.r%d.total = 1;", r);
  if (groupby) {
    sb_line(b, "cd_merge%d m = {part, &all};", s);
    sb_line(b, "cdrt_inorder in;");
    if (mpi) {
      sb_line(b, "cd_unpack%d u = {&m, shared ? &bx : NULL};", s);
      sb_line(b, "cdrt_inorder_init(&in, nb, cd_scan%d_unpack_merge, &u);", s);
    } else {
      sb_line(b, "cdrt_inorder_init(&in, nb, cd_scan%d_merge, &m);", s);
      sb_line(b, "in.idle = cd_scan%d_idle;", s);
    }
  }
  if (mpi) sb_line(b, "#pragma omp parallel for schedule(dynamic, 1)");
  const char *loop = mpi ? "for (int64_t blk = my.lo; blk < my.hi; blk++)"
                         : "for (int64_t blk = 0; blk < nb; blk++)";
  const char *done = groupby ? ", cdrt_inorder_done(&in, blk)" : ""; /* merged in order */
  if (mpi) { /* on several ranks, every block is packed, and merged after the exchange */
    emit_open(b, "%s", loop);
    sb_line(b, "cd_scan%d_block(blk, &part[blk]);", s);
    if (groupby) sb_line(b, "if (!shared) cdrt_inorder_done(&in, blk);");
    sb_line(b, "if (shared) cd_scan%d_pack(&bx, blk, &part[blk]);", s);
    emit_close(b, NULL);
    sb_line(b, "if (shared) cdrt_mpi_share_blocks(&bx);");
    if (!groupby)
      sb_line(
          b,
          "for (int64_t k = 0; shared && k < nb; k++) cdrt_mpi_unpack_block(&bx, s, k, &part[k], "
          "cd_scan%d_xfer);",
          s);
  } else if (src->arrays || src->text) { /* blocks known before they run */
    sb_line(b, "#pragma omp parallel for schedule(dynamic, 1)");
    sb_line(b, "%s cd_scan%d_block(blk, &part[blk])%s;", loop, s, done);
  } else { /* guessed blocks found to end inside a row run again, from the first (rare) */
    if (groupby) sb_line(b, "in.hold = s->hold;");
    emit_open(b, "for (int64_t from = 0; from < nb;)");
    sb_line(b, "#pragma omp parallel for schedule(dynamic, 1)");
    sb_line(b, "for (int64_t blk = from; blk < nb; blk++) cd_scan%d_block(blk, &part[blk])%s;", s,
            done);
    sb_line(b, "from = cdrt_source_verify(s);");
    sb_line(b, "for (int64_t k = from; k < nb; k++) cd_spart%d_free(&part[k]);", s);
    if (groupby) sb_line(b, "if (from < nb) cdrt_inorder_rewind(&in, from);");
    emit_close(b, NULL);
  }
  if (groupby) sb_line(b, "cdrt_inorder_finish(&in);");
  sb_line(b, "cdrt_source_finish(s);");
  if (groupby) sb_line(b, "cdrt_table_pool_drain();");
  for (int j = 0; j < t->njoins; j++)
    if (df_join_live(t, s, j)) sb_line(b, "cdrt_join_free(&cd_join%d);", j);
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (q->src != s || !df_result_scans(q)) continue;
    if (q->kind == TR_AGG)
      sb_line(b, "for (int64_t k = 0; k < nb; k++) cdrt_agg_merge(&all.r%d, &part[k].r%d, %d);", r,
              r, t->x[q->expr].type);
    if (q->kind == TR_VCOUNT)
      sb_line(b,
              "for (int64_t k = 0; k < nb; k++) cdrt_vc_merge(&all.r%d, &part[k].r%d), "
              "cdrt_vc_free(&part[k].r%d);",
              r, r, r);
    bool named = q->kind == TR_GROUPBY && nat_sum(t, q); /* an overflow names the line */
    if (named) emit_op_what(b, a, "groupby", q);
    if (q->kind == TR_GROUPBY)
      sb_line(b, "cd_results[%d].frame = cdrt_gb_frame%s(&all.r%d, %d, %d, %d);", r,
              only_written(g, r) ? "_written" : "", r, q->sort, q->as_index, q->series);
    if (named) sb_line(b, "cdrt_frame_op_what = NULL;");
    if (q->kind == TR_GROUPBY) emit_sublabels(b, q, r);
    if (q->kind == TR_ROWS && q->topn) { /* the merged blocks' rows, in file order */
      sb_line(b, "cdrt_topn_finish(&all.t%d, &all.r%d);", r, r);
      sb_line(b,
              "cd_results[%d].frame = cdrt_rows_frame(&all.r%d, 1, (const int64_t[]){0}, -1, "
              "cd_r%d_names);",
              r, r, r);
      if (q->series) sb_line(b, "cd_results[%d].frame->series = 1;", r);
    } else if (q->kind == TR_ROWS) {
      emit_open(b, "%s", "");
      sb_line(b, "cdrt_rows *rows = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *rows);");
      sb_line(b, "for (int64_t k = 0; k < nb; k++) rows[k] = part[k].r%d;", r);
      sb_line(b, "if (!nb) rows[0] = all.r%d;", r);
      sb_line(b,
              "cd_results[%d].frame = cdrt_rows_frame(rows, nb ? nb : 1, s->rows, INT64_C(%lld), "
              "cd_r%d_names);",
              r, (long long)q->limit, r);
      if (q->series) sb_line(b, "cd_results[%d].frame->series = 1;", r);
      if (src->index_step) {
        sb_line(b, "cdrt_frame_date_index(cd_results[%d].frame, INT64_C(%lld), INT64_C(%lld), ", r,
                (long long)src->index_start, (long long)src->index_step);
        b->len--;
        c_string_or_null(b, src->index_name);
        sb_puts(b, ", ");
        c_string_or_null(b, src->index_freq);
        sb_puts(b, ");\n");
      }
      sb_line(b, "free(rows);");
      emit_close(b, NULL);
    }
  }
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (q->src != s || !q->live) continue;
    bool named = q->kind == TR_AGG && nat_sum(t, q);
    if (named) emit_op_what(b, a, "sum", q); /* its overflow's message */
    if (q->kind == TR_AGG)
      sb_line(b, "cd_results[%d].v = cdrt_agg_final(&all.r%d, %d, %d);", r, r, q->rop,
              t->x[q->expr].type);
    if (named) sb_line(b, "cdrt_frame_op_what = NULL;");
    if (q->kind == TR_AGG && q->seed) {
      const TExpr *e = &t->x[q->seed - 1];
      static const char *const field[] = {"i", "f", "i", "s", "i"};
      sb_line(b, "if (!all.r%d.n) cd_results[%d].v = (cdrt_value){.type = %d, .%s = %s};", r, r,
              e->type, field[e->type], const_c(a, e));
    }
    if (q->kind == TR_VCOUNT && q->rop == CDRT_AGG_NUNIQUE)
      sb_line(b, "cd_results[%d].v = (cdrt_value){.type = CDRT_COL_INT64, .i = all.r%d.n};", r, r);
    else if (q->kind == TR_VCOUNT) {
      sb_line(b, "cd_results[%d].frame = cdrt_vc_frame(&all.r%d, %d, ", r, r, !q->unsorted);
      b->len--; /* the line's newline: the name follows */
      c_string_or_null(b, q->name);
      sb_puts(b, ");\n");
    }
  }
  sb_line(b, "free(part);");
  emit_close(b, NULL);
  sb_puts(b, "\n");
}

/* The spec of a groupby by sorting (FOP_GROUPBY) */
static void emit_group_spec(StrBuf *b, Graph *g, const TResult *q, int r) {
  TShape out = table_result_shape(g, r);
  int nk = q->as_index ? 0 : q->nkeys;
  int *what = arena_alloc(g->arena, (size_t)(q->ncols + 1) * sizeof *what);
  for (int k = 0; k < q->ncols; k++) what[k] = q->what[k];
  c_ints(b, "static const unsigned char what", what, q->ncols);
  c_ints(b, "static const unsigned char rtypes", out.types + nk, q->ncols);
  sb_line(b, "static const char *const anames[] = {");
  b->len--;
  for (int k = 0; k < q->ncols; k++) sb_puts(b, k ? ", " : ""), c_string_or_null(b, q->names[k]);
  sb_puts(b, q->ncols ? "};\n" : "NULL};\n");
  const char *qs = "NULL";
  if (q->qs) c_doubles(b, g->arena, "static const double qs", q->qs, q->ncols), qs = "qs";
  sb_line(b,
          "static const cdrt_group_spec spec = {%d, %d, what, rtypes, anames, %d, %d, %d, %d, %s};",
          q->nkeys, q->ncols, q->sort, q->as_index, q->dropna, q->series, qs);
}

/* need[k] (ncols of them): some live result or output reads column k of result r's frame.
 * Only columns taken by FOP_SELECT count as read one by one; any other use reads them all. */
static void columns_needed(const Tables *t, int r, int ncols, int *need) {
  for (int k = 0; k < ncols; k++) need[k] = 0;
  bool all = false;
  for (int o = 0; o < t->nout; o++) all |= t->out[o].result == r;
  for (int u = 0; u < t->nr && !all; u++) {
    const TResult *q = &t->r[u];
    if (!q->live || !table_reads(q, r)) continue;
    if (q->kind == TR_POST && q->fop == FOP_SELECT) /* its input is r, and only that */
      for (int k = 0; k < q->ncols; k++) need[q->cols[k]] = 1;
    else
      all = true;
  }
  for (int k = 0; k < ncols && all; k++) need[k] = 1;
}

static int *ints_copy(Arena *a, const int *v, int n) {
  int *c = arena_alloc(a, (size_t)(n + 1) * sizeof *c);
  for (int k = 0; k < n; k++) c[k] = v[k];
  return c;
}

/* Column numbers of result r's frame (a TR_ROWS pruned by project_merges) through map */
static void remap_side(TMergeCols *m, int nkeys, int *keys, int side, const int *map) {
  for (int k = 0; k < nkeys; k++)
    if (keys[k] >= 0) keys[k] = map[keys[k]]; /* (an index level stays one) */
  for (int j = 0; j < m->ncols; j++)
    if (m->side[j] == side) m->col[j] = m->need[j] ? map[m->col[j]] : 0;
}

/* Projection through merges, before the scans are written. Each live merge's columns are
 * found on its sides' whole frames, with those some output reads (columns_needed); then
 * a lazy frame's rows collected for merges only (TR_ROWS, merged) keep only the columns
 * those merges read (their keys, and the columns of theirs that are made), so the scan
 * neither converts nor keeps the others, and the merges' column numbers follow. */
static void project_merges(Graph *g) {
  Tables *t = &g->tables;
  for (int r = 0; r < t->nr; r++) {
    TResult *q = &t->r[r];
    if (!q->live || q->kind != TR_POST || q->fop != FOP_MERGE) continue;
    TMergeCols *m = arena_alloc(g->arena, sizeof *m);
    *m = table_merge_columns(g, q);
    m->need = arena_alloc(g->arena, (size_t)(m->ncols + 1) * sizeof *m->need);
    columns_needed(t, r, m->ncols, m->need);
    m->lkeys = ints_copy(g->arena, q->keys, q->nkeys);
    m->rkeys = ints_copy(g->arena, q->rkeys, q->nkeys);
    q->spec = m;
  }
  for (int r = 0; r < t->nr; r++) {
    TResult *q = &t->r[r];
    if (!q->live || q->kind != TR_ROWS || !q->merged) continue;
    bool only = true;
    int *use = arena_alloc(g->arena, (size_t)(q->ncols + 1) * sizeof *use);
    for (int o = 0; o < t->nout; o++) only &= t->out[o].result != r;
    for (int u = 0; u < t->nr && only; u++) {
      const TResult *p = &t->r[u];
      if (!p->live || !table_reads(p, r)) continue;
      if (p->kind != TR_POST || p->fop != FOP_MERGE) {
        only = false;
        break;
      }
      bool in = p->in == r, right = p->right == r;
      const TMergeCols *m = p->spec;
      for (int k = 0; k < p->nkeys; k++) {
        if (in && m->lkeys[k] >= 0) use[m->lkeys[k]] = 1;
        if (right && m->rkeys[k] >= 0) use[m->rkeys[k]] = 1;
      }
      for (int j = 0; j < m->ncols; j++)
        if (m->need[j] &&
            ((in && m->side[j] == CDRT_MERGE_LEFT) || (right && m->side[j] == CDRT_MERGE_RIGHT)))
          use[m->col[j]] = 1;
    }
    for (int j = 0; j < t->njoins; j++) { /* a join's right: its keys, the values it reads */
      if (t->joins[j].right != r || !df_join_live(t, t->joins[j].src, j)) continue;
      for (int k = 0; k < t->joins[j].nkeys; k++) use[t->joins[j].rkeys[k]] = 1;
      for (int x = 0; x < t->nx; x++)
        if (t->x[x].kind == TX_JOINED && t->x[x].i == j) use[t->x[x].col] = 1;
    }
    int n = 0, *map = arena_alloc(g->arena, (size_t)(q->ncols + 1) * sizeof *map);
    for (int k = 0; k < q->ncols; k++) n += use[k];
    if (!only || n == q->ncols) continue;
    int *cols = arena_alloc(g->arena, (size_t)(n + 1) * sizeof *cols);
    const char **names = arena_alloc(g->arena, (size_t)(n + 1) * sizeof *names);
    n = 0;
    for (int k = 0; k < q->ncols; k++) {
      map[k] = use[k] ? n : -1;
      if (use[k]) cols[n] = q->cols[k], names[n++] = q->names[k];
    }
    q->ncols = n, q->cols = cols, q->names = names;
    for (int u = 0; u < t->nr; u++) {
      const TResult *p = &t->r[u];
      if (!p->live || p->kind != TR_POST || p->fop != FOP_MERGE) continue;
      if (p->in == r) remap_side(p->spec, p->nkeys, p->spec->lkeys, CDRT_MERGE_LEFT, map);
      if (p->right == r) remap_side(p->spec, p->nkeys, p->spec->rkeys, CDRT_MERGE_RIGHT, map);
    }
    for (int j = 0; j < t->njoins; j++) {
      if (t->joins[j].right != r) continue;
      for (int k = 0; k < t->joins[j].nkeys; k++) t->joins[j].rkeys[k] = map[t->joins[j].rkeys[k]];
      for (int x = 0; x < t->nx; x++)
        if (t->x[x].kind == TX_JOINED && t->x[x].i == j) t->x[x].col = map[t->x[x].col];
    }
  }
}

/* The spec of a merge (FOP_MERGE): its columns as project_merges left them, those no one
 * reads left unmade */
static void emit_merge_spec(StrBuf *b, Graph *g, const TResult *q, int r) {
  static const char *const hows[] = {"inner", "left", "right", "outer", "cross"};
  const TMergeCols m = *q->spec;
  sb_line(b, "/* %s:%d: merge, how = \"%s\" */", c_comment(g->arena, q->file ? q->file : "?"),
          q->line, hows[q->how]);
  int *side = arena_alloc(g->arena, (size_t)m.ncols * sizeof *side);
  for (int k = 0; k < m.ncols; k++) side[k] = m.side[k];
  c_ints(b, "static const unsigned char need", m.need, m.ncols);
  c_ints(b, "static const int lkeys", m.lkeys, q->nkeys);
  c_ints(b, "static const int rkeys", m.rkeys, q->nkeys);
  c_ints(b, "static const unsigned char side", side, m.ncols);
  c_ints(b, "static const int col", m.col, m.ncols);
  c_ints(b, "static const unsigned char types", m.types, m.ncols);
  sb_line(b, "static const char *const names[] = {");
  b->len--;
  for (int k = 0; k < m.ncols; k++) sb_puts(b, k ? ", " : ""), c_string_or_null(b, m.names[k]);
  sb_puts(b, "};\n");
  sb_line(b,
          "static const cdrt_merge_spec spec = {%d, %d, lkeys, rkeys, %d, side, col, types, "
          "names, need, %d, \"%s:%d\", %d, %d, %d, ",
          q->how, q->nkeys, m.ncols, q->validate, c_comment(g->arena, q->file ? q->file : "?"),
          q->line, q->sort, m.index, m.itype);
  b->len--;
  c_string_or_null(b, m.iname);
  sb_puts(b, "};\n");
  if (q->indicator) sb_line(b, "cd_cats[%d] = &cdrt_merge_indicator_cats;", r);
}

/* An operation on another result's frame */
/* Groupby result r with a row for every combination of its keys' categories */
static void emit_observe(StrBuf *b, Graph *g, const TResult *q, int r) {
  Arena *a = g->arena;
  TShape s = table_result_shape(g, r);
  int first = q->as_index ? 0 : q->nkeys;
  int *cats = arena_alloc(a, (size_t)(q->nkeys + 1) * sizeof *cats);
  for (int k = 0; k < q->nkeys; k++) cats[k] = key_cats(g, q, k) - 1;
  emit_open(b, "%s", "");
  c_ints(b, "static const unsigned char what", q->what, q->ncols);
  c_ints(b, "static const unsigned char rtypes", s.types + first, q->ncols);
  sb_line(b, "const cdrt_categories *cats[%d];", q->nkeys);
  for (int k = 0; k < q->nkeys; k++) sb_line(b, "cats[%d] = cd_cats[%d];", k, cats[k]);
  sb_line(b,
          "cd_results[%d].frame = cdrt_frame_observe(cd_results[%d].frame, %d, cats, %d, what, "
          "rtypes);",
          r, r, q->nkeys, q->as_index);
  emit_close(b, NULL);
}

/* A label slice's bounds (FOP_LOC) as the cdrt_label_range lab */
static void emit_label_range(StrBuf *b, Graph *g, const TResult *q) {
  sb_printf(b, "static const cdrt_label_range lab = {{%d, %d}, {INT64_C(%lld), INT64_C(%lld)}, {",
            q->lab.has[0], q->lab.has[1], (long long)q->lab.i[0], (long long)q->lab.i[1]);
  for (int k = 0; k < 2; k++) { /* the frontend refuses NaN labels */
    double x = q->lab.f[k];
    sb_puts(b, k ? ", " : "");
    if (isinf(x))
      sb_puts(b, x > 0 ? "HUGE_VAL" : "-HUGE_VAL");
    else
      sb_printf(b, "%.17g", x);
  }
  sb_puts(b, "}, {");
  for (int k = 0; k < 2; k++) sb_puts(b, k ? ", " : ""), c_string_or_null(b, q->lab.s[k]);
  sb_puts(b, "}, ");
  c_string(b, arena_printf(g->arena, "%s:%d", q->file ? q->file : "?", q->line));
  sb_puts(b, "};\n");
}

static void emit_post(StrBuf *b, Graph *g, const TResult *q, int r) {
  Arena *a = g->arena;
  emit_open(b, "%s", "");
  StrBuf w;
  sb_init(&w);
  c_string(&w, arena_printf(a, "the %s at %s:%d", table_result_name(&g->tables, r),
                            q->file ? q->file : "?", q->line));
  sb_line(b, "cdrt_frame_op_what = %s;", w.data);
  sb_free(&w);
  if (q->fop != FOP_HEAD && q->fop != FOP_DESCRIBE && q->fop != FOP_GROUPBY &&
      q->fop != FOP_ARITH && q->fop != FOP_ASSIGN && q->fop != FOP_MERGE && q->fop != FOP_AGG &&
      q->fop != FOP_CUM && q->fop != FOP_RESET_INDEX && q->fop != FOP_LOC && q->fop != FOP_SCALAR &&
      q->fop != FOP_BINS && q->fop != FOP_WINDOW && q->fop != FOP_CONCAT && q->fop != FOP_CORR &&
      q->fop != FOP_QUANTILES && q->fop != FOP_FILTER && q->fop != FOP_CAT_COUNTS)
    c_ints(b, "static const int cols", q->cols, q->ncols);
  if (q->fop != FOP_SCALAR) sb_line(b, "const cdrt_frame *in = cd_results[%d].frame;", q->in);
  const char *call = NULL;
  switch (q->fop) {
  case FOP_SORT: {
    int *asc = arena_alloc(a, (size_t)(q->ncols + 1) * sizeof *asc);
    for (int k = 0; k < q->ncols; k++) asc[k] = q->asc[k];
    c_ints(b, "static const unsigned char asc", asc, q->ncols);
    call = arena_printf(a, "cdrt_frame_sort(in, %d, cols, asc)", q->ncols);
    break;
  }
  case FOP_HEAD: /* keep 1: the tail */
    call = arena_printf(a, "cdrt_frame_%s(in, INT64_C(%lld))", q->keep ? "tail" : "head",
                        (long long)q->limit);
    break;
  case FOP_DEDUP:
    call = arena_printf(a, "cdrt_frame_dedup(in, %d, cols, %d)", q->ncols, q->keep);
    break;
  case FOP_SELECT:
    call = arena_printf(a, "cdrt_frame_select(in, %d, cols, %d)", q->ncols, q->series);
    break;
  case FOP_GB_HEAD:
    call = arena_printf(a, "cdrt_frame_gb_head(in, %d, cols, INT64_C(%lld), %d)", q->ncols,
                        (long long)q->limit, q->dropna);
    break;
  case FOP_DESCRIBE: call = "cdrt_frame_describe(in)"; break;
  case FOP_CORR: call = "cdrt_frame_corr(in)"; break;
  case FOP_CAT_COUNTS:
    call = arena_printf(a, "cdrt_frame_cat_counts(in, cd_cats[%d])", q->cols[0]);
    break;
  case FOP_QUANTILES: {
    c_doubles(b, a, "static const double qs", q->qs, q->nq);
    call = arena_printf(a, "cdrt_frame_quantiles(in, %d, qs)", q->nq);
    break;
  }
  case FOP_GROUPBY: emit_group_spec(b, g, q, r), call = "cdrt_frame_groupby(in, &spec)"; break;
  case FOP_MEDIAN: /* seeded: the quantile num */
    if (q->seeded)
      sb_line(b, "cd_results[%d].v = cdrt_frame_quantile(in, cols[0], %s);", r,
              c_double(a, q->num));
    else
      sb_line(b, "cd_results[%d].v = cdrt_frame_median(in, cols[0]);", r);
    break;
  case FOP_AGG: sb_line(b, "cd_results[%d].v = cdrt_frame_agg(in, %d);", r, q->rop); break;
  case FOP_SCALAR:
    sb_line(b, "cd_results[%d].v = cdrt_value_arith(cd_results[%d].v, %s, %d, %d);", r, q->in,
            q->cols[0] >= 0 ? arena_printf(a, "cd_results[%d].v", q->cols[0])
            : q->td_num
                ? arena_printf(a, "(cdrt_value){.type = CDRT_COL_TIMEDELTA, .i = INT64_C(%lld)}",
                               (long long)q->step)
                : arena_printf(a, "cdrt_value_number(%s, %d)", c_double(a, q->num), q->seeded),
            q->arith, q->rop);
    break;
  case FOP_CUM:
    call = arena_printf(a, "cdrt_frame_cum(in, %d, %d, %d, %.17g)", q->rop, q->arith, q->seeded,
                        q->num);
    break;
  case FOP_ARITH: {
    StrBuf nm;
    sb_init(&nm);
    c_string_or_null(&nm, q->name);
    const char *other = q->cols[0] >= 0 && !q->by_scalar
                            ? arena_printf(a, "cd_results[%d].frame", q->cols[0])
                            : "NULL";
    const char *k = arena_printf(a, "%.17g", q->num);
    if (q->by_scalar && q->rop == CDRT_COL_INT64) { /* an int64 result: no NaN to hold */
      const TResult *sc = &g->tables.r[q->cols[0]];
      StrBuf w;
      sb_init(&w);
      c_string(&w, arena_printf(a, "the %s at %s:%d", table_result_name(&g->tables, q->cols[0]),
                                sc->file ? sc->file : "?", sc->line));
      k = arena_printf(a, "(double)cdrt_scalar_i64(&cd_results[%d].v, %s)", q->cols[0], w.data);
      sb_free(&w);
    } else if (q->by_scalar) {
      k = arena_printf(a, "cdrt_scalar_f64(&cd_results[%d].v)", q->cols[0]);
    }
    call = arena_printf(a, "cdrt_frame_arith(in, %s, %d, %d, %s, %s)", other, q->arith, q->rop, k,
                        nm.data);
    if (q->str) {
      StrBuf sv;
      sb_init(&sv);
      c_string(&sv, q->str);
      call = arena_printf(a, "cdrt_frame_str_eq(in, %s, %d, %s)", sv.data,
                          q->arith == CDRT_ARITH_NE, nm.data);
      sb_free(&sv);
    }
    sb_free(&nm);
    break;
  }
  case FOP_FILTER:
    call = arena_printf(a, "cdrt_frame_filter(in, cd_results[%d].frame)", q->cols[0]);
    break;
  case FOP_ASSIGN: {
    StrBuf nm;
    sb_init(&nm);
    c_string_or_null(&nm, q->name);
    call = arena_printf(a, "cdrt_frame_assign(in, cd_results[%d].frame, %s)", q->cols[0], nm.data);
    sb_free(&nm);
    break;
  }
  case FOP_SET_INDEX:
    call = arena_printf(a, "cdrt_frame_set_index(in, cols[0], %d)", q->drop);
    break;
  case FOP_RESET_INDEX:
    sb_puts(b, "static const char *const names[] = {");
    for (int k = 0; k < q->ncols; k++) sb_puts(b, k ? ", " : ""), c_string_or_null(b, q->names[k]);
    sb_puts(b, q->ncols ? "};\n" : "NULL};\n");
    call = arena_printf(a, "cdrt_frame_reset_index(in, names, %d)", q->drop);
    break;
  case FOP_LOC: emit_label_range(b, g, q), call = "cdrt_frame_loc(in, &lab)"; break;
  case FOP_BINS: {
    TShape sh = table_result_shape(g, r);
    int *types = arena_alloc(a, (size_t)(q->ncols + 1) * sizeof *types);
    for (int k = 0; k < q->ncols; k++) types[k] = sh.types[k] | (table_bins_zero(q->what[k]) << 4);
    c_ints(b, "static const int kinds", types, q->ncols);
    StrBuf fq;
    sb_init(&fq);
    c_string(&fq, q->freq);
    call = arena_printf(a, "cdrt_frame_bins(in, INT64_C(%lld), kinds, %s)", (long long)q->step,
                        fq.data);
    sb_free(&fq);
    break;
  }
  case FOP_CONCAT: {
    TShape sh = table_result_shape(g, r);
    sb_line(b, "const cdrt_frame *parts[%d];", q->ncols);
    for (int k = 0; k < q->ncols; k++)
      sb_line(b, "parts[%d] = cd_results[%d].frame;", k, q->cols[k]);
    sb_puts(b, "static const char *const names[] = {");
    for (int k = 0; k < sh.ncols; k++) sb_puts(b, k ? ", " : ""), c_string_or_null(b, sh.names[k]);
    sb_puts(b, sh.ncols ? "};\n" : "NULL};\n");
    c_ints(b, "static const int types", sh.types, sh.ncols);
    if (q->keep)
      call = arena_printf(a, "cdrt_frame_concat_columns(parts, %d, %d, names, types)", q->ncols,
                          sh.ncols);
    else
      call = arena_printf(a, "cdrt_frame_concat(parts, %d, %d, names, types, %d, %d)", q->ncols,
                          sh.ncols, sh.series, q->drop);
    break;
  }
  case FOP_WINDOW: {
    TShape sh = table_result_shape(g, r);
    c_ints(b, "static const int types", sh.types, sh.ncols);
    const cdrt_window *w = &q->win;
    sb_line(b,
            "static const cdrt_window win = {%d, INT64_C(%lld), INT64_C(%lld), %d, %s, %d, %s, %d, "
            "%d, INT64_C(%lld), %d, %d, %d, %d, %d, INT64_C(%lld), %d, %d};",
            w->kind, (long long)w->n, (long long)w->minp, w->center, c_double(a, q->num), q->seeded,
            c_double(a, w->com), w->adjust, w->ignore_na, (long long)w->limit, w->method, w->bias,
            w->descending, w->pct, w->na, (long long)w->span, w->on, w->closed);
    call = "cdrt_frame_window(in, &win, types)";
    if (q->nkeys) {
      c_ints(b, "static const int keys", q->keys, q->nkeys);
      c_ints(b, "static const int cols", q->cols, q->ncols);
      sb_puts(b, "static const char *const names[] = {");
      for (int k = 0; k < sh.ncols; k++)
        sb_puts(b, k ? ", " : ""), c_string_or_null(b, sh.names[k]);
      sb_puts(b, sh.ncols ? "};\n" : "NULL};\n");
      call = arena_printf(
          a, "cdrt_frame_gb_window(in, %d, keys, %d, cols, names, %d, %d, &win, types)", q->nkeys,
          q->ncols, q->dropna, sh.series);
    }
    break;
  }
  case FOP_MERGE:
    emit_merge_spec(b, g, q, r),
        call = arena_printf(a, "cdrt_frame_merge(in, cd_results[%d].frame, &spec)", q->right);
    break;
  }
  if (call) sb_line(b, "cd_results[%d].frame = %s;", r, call);
  sb_line(b, "cdrt_frame_op_what = NULL;");
  if (q->fop == FOP_GROUPBY) emit_sublabels(b, q, r);
  if (observes_all(g, q)) emit_observe(b, g, q, r);
  if (q->fop == FOP_DESCRIBE && q->series) sb_line(b, "cd_results[%d].frame->series = 1;", r);
  emit_close(b, NULL);
}

/* Marks early the results made of others (TR_POST, TR_STACK) that Scalar r of a row
 * expression is made of (df.x > df.x:median(): the median and the collected rows' ...) */
static void mark_early(const Tables *t, int r, bool *early) {
  if (early[r] || (t->r[r].kind != TR_POST && t->r[r].kind != TR_STACK)) return;
  early[r] = true;
  for (int u = 0; u < r; u++)
    if (table_reads(&t->r[r], u)) mark_early(t, u, early);
}

/* The results a scan of a later phase reads (table_phases.c): made once the scans of
 * their phase ran, before that scan, where the others are made after every scan */
static bool *early_results(Graph *g) {
  const Tables *t = &g->tables;
  bool *early = arena_alloc(g->arena, (size_t)t->nr + 1);
  memset(early, 0, (size_t)t->nr + 1);
  for (int r = 0; r < t->nr; r++)
    for (int k = 0; t->r[r].live && k < t->r[r].nscalars; k++)
      mark_early(t, t->r[r].scalars[k], early);
  return early;
}

/* Whether phase p has early results of CSV sources (arrays false) or of from_arrays ones */
static bool has_early(const Tables *t, const bool *early, bool arrays, int p) {
  for (int r = 0; r < t->nr; r++)
    if (early[r] && t->r[r].live && t->r[r].phase == p && table_result_after_arrays(t, r) == arrays)
      return true;
  return false;
}

/* The latest phase of the live results (table_phases.c) */
static int last_phase(const Tables *t) {
  int last = 0;
  for (int r = 0; r < t->nr; r++)
    if (t->r[r].live && t->r[r].phase > last) last = t->r[r].phase;
  return last;
}

/* The Series f of df:min() or df:max() of int64 columns: float64, NaN for a column without
 * a value (a filter's no rows), as pandas makes it; int64 otherwise */
static void emit_none_minmax(StrBuf *b, const Tables *t, const TResult *q) {
  if (q->rop != CDRT_COL_INT64 || !q->ncols) return;
  for (int k = 0; k < q->ncols; k++)
    if (t->r[q->cols[k]].rop != CDRT_AGG_MIN && t->r[q->cols[k]].rop != CDRT_AGG_MAX) return;
  sb_line(b, "/* pandas' NaN for no values: the Series is float64 */");
  emit_open(b, "if (cd_results[%d].v.type == CDRT_COL_FLOAT64)", q->cols[0]);
  sb_line(b, "double *fvalues = cdrt_calloc(%d, sizeof *fvalues);", q->ncols + 1);
  for (int k = 0; k < q->ncols; k++)
    sb_line(b,
            "fvalues[%d] = cd_results[%d].v.type == CDRT_COL_FLOAT64 ? NAN : (double)values[%d];",
            k, q->cols[k], k);
  sb_line(b, "f->cols[0].type = CDRT_COL_FLOAT64, f->cols[0].data = fvalues;");
  sb_line(b, "free(values);");
  emit_close(b, NULL);
}

/* What is made of other results, in creation order (which puts a result after its parts):
 * Series of scalars (df:mean()) and operations on frames. Those of CSV files (cd_derived_csv)
 * once the CSV scans ran, before the arrays (to_array may read them); those of from_arrays
 * frames (cd_derived) after the arrays. phase >= 0: the early ones of that phase instead
 * (cd_early_csvP, cd_earlyP), made right after its scans. */
static void emit_derived(StrBuf *b, Graph *g, bool after_arrays, const bool *early, int phase) {
  const Tables *t = &g->tables;
  if (phase >= 0 && !has_early(t, early, after_arrays, phase)) return;
  if (phase >= 0)
    emit_open(b, "static void %s%d(void)", after_arrays ? "cd_early" : "cd_early_csv", phase);
  else
    emit_open(b, "static void %s(void)", after_arrays ? "cd_derived" : "cd_derived_csv");
  for (int r = 0; r < t->nr; r++) {
    const TResult *q = &t->r[r];
    if (table_result_after_arrays(t, r) != after_arrays) continue;
    if (phase >= 0 ? !early[r] || q->phase != phase : early[r]) continue;
    if (q->kind == TR_POST && q->live) emit_post(b, g, q, r);
    if (q->kind != TR_STACK || !q->live) continue;
    emit_open(b, "%s", "");
    sb_line(b, "static const char *const names[] = {");
    b->len--;
    for (int k = 0; k < q->ncols; k++) sb_puts(b, k ? ", " : ""), c_string(b, q->names[k]);
    if (!q->ncols) sb_puts(b, "\"\"");
    sb_puts(b, "};\n");
    sb_line(b, "cdrt_frame *f = cdrt_calloc(1, sizeof *f);");
    sb_line(b, "cdrt_str *labels = cdrt_calloc(%d, sizeof *labels);", q->ncols + 1);
    bool ints = q->rop == CDRT_COL_INT64 || cdrt_col_nat(q->rop); /* its dtype */
    const char *vt = ints ? "int64_t" : "double";
    sb_line(b, "%s *values = cdrt_calloc(%d, sizeof *values);", vt, q->ncols + 1);
    for (int k = 0; k < q->ncols; k++) {
      int p = q->cols[k];
      sb_line(b, "labels[%d] = (cdrt_str){names[%d], (int64_t)strlen(names[%d])};", k, k, k);
      if (ints)
        sb_line(b, "values[%d] = cd_results[%d].v.i;", k, p);
      else
        sb_line(b,
                "values[%d] = cd_results[%d].v.type == CDRT_COL_FLOAT64 ? cd_results[%d].v.f : "
                "(double)cd_results[%d].v.i;",
                k, p, p, p);
    }
    sb_line(b, "f->n = %d, f->ncols = 1, f->series = 1;", q->ncols);
    sb_line(b, "f->cols = cdrt_calloc(1, sizeof *f->cols);");
    StrBuf nm;
    sb_init(&nm);
    c_string_or_null(&nm, q->name);
    sb_line(b, "f->cols[0] = (cdrt_column){%s, %s, values, NULL};",
            !ints                          ? "CDRT_COL_FLOAT64"
            : q->rop == CDRT_COL_DATETIME  ? "CDRT_COL_DATETIME"
            : q->rop == CDRT_COL_TIMEDELTA ? "CDRT_COL_TIMEDELTA"
                                           : "CDRT_COL_INT64",
            nm.data);
    sb_free(&nm);
    emit_none_minmax(b, t, q);
    sb_line(b, "f->index = (cdrt_column){CDRT_COL_STR, NULL, labels, NULL};");
    sb_line(b, "cd_results[%d].frame = f;", r);
    emit_close(b, NULL);
  }
  emit_close(b, NULL);
  sb_puts(b, "\n");
}

/* The calls that end phase p of the CSV scans (arrays false) or of the from_arrays ones:
 * the categories its results need, then the early results of the phase */
static void emit_phase_end(StrBuf *b, const Tables *t, const bool *early, bool arrays, bool cats,
                           int p) {
  if (!arrays && cats) sb_line(b, "cd_categories%d();", p);
  if (has_early(t, early, arrays, p))
    sb_line(b, "%s%d();", arrays ? "cd_early" : "cd_early_csv", p);
}

/* The calls of the scans of the CSV sources (arrays false) or of the from_arrays ones, in
 * source order but for a scan that probes a join: after the scan of the join's right
 * (push_joins made no cycle; a from_arrays scan's joins read CSV sources, scanned before);
 * each phase's scans, then its end (emit_phase_end), in phase order */
static void emit_scan_calls(StrBuf *b, Arena *a, const Tables *t, const bool *early, bool arrays,
                            bool cats) {
  int phase = 0;
  bool *done = arena_alloc(a, (size_t)t->nsrc + 1);
  for (int s = 0; s < t->nsrc; s++) done[s] = !t->src[s].arrays == !!arrays;
  for (int left = t->nsrc; left > 0; left--)
    for (int s = 0; s < t->nsrc; s++) {
      bool ready = !done[s];
      for (int p = 0; p < t->nsrc && ready; p++) /* a later phase after every earlier one */
        ready = done[p] || t->src[p].phase >= t->src[s].phase;
      for (int j = 0; j < t->njoins && ready; j++)
        ready = t->joins[j].src != s || !df_join_live(t, s, j) || done[t->r[t->joins[j].right].src];
      if (!ready) continue;
      done[s] = true;
      for (; phase < t->src[s].phase; phase++) emit_phase_end(b, t, early, arrays, cats, phase);
      bool any = false;
      for (int r = 0; r < t->nr; r++) any |= t->r[r].src == s && df_result_scans(&t->r[r]);
      if (any) sb_line(b, "cd_scan%d();", s);
      break;
    }
  for (int last = last_phase(t); phase <= last; phase++)
    emit_phase_end(b, t, early, arrays, cats, phase);
}

/* pandas' category dtype (runtime/categories.c), once the CSV scans of each phase ran:
 * cd_categoriesP makes each column's categories (cd_cats[c], of its result c: a
 * value_counts over every row), and with them every category's count of value_counts and
 * every category's row of groupbys, of phase P; after what is made of the results,
 * cd_categories_attach marks the columns */
static bool emit_categories(StrBuf *b, Graph *g) {
  Tables *t = &g->tables;
  bool any = false;
  for (int r = 0; r < t->nr; r++)
    any |= t->r[r].live && ((t->r[r].kind == TR_VCOUNT && t->x[t->r[r].expr].cats == r + 1) ||
                            (t->r[r].kind == TR_POST && t->r[r].fop == FOP_MERGE &&
                             t->r[r].indicator)); /* (cdrt_merge_indicator_cats) */
  if (!any) return false;
  sb_printf(b, "static cdrt_categories *cd_cats[%d];\n", t->nr);
  for (int p = 0, last = last_phase(t); p <= last; p++) { /* (categories: of phase 0) */
    emit_open(b, "static void cd_categories%d(void)", p);
    for (int r = 0; r < t->nr; r++)
      if (t->r[r].live && t->r[r].kind == TR_VCOUNT && t->x[t->r[r].expr].cats == r + 1 &&
          t->r[r].phase == p)
        sb_line(b, "cd_cats[%d] = cdrt_categories_make(cd_results[%d].frame);", r, r);
    for (int r = 0; r < t->nr; r++)
      if (t->r[r].live && vc_cats(t, r) && t->r[r].phase == p)
        sb_line(b, "cd_results[%d].frame = cdrt_vc_categories(cd_results[%d].frame, cd_cats[%d]);",
                r, r, vc_cats(t, r) - 1);
    for (int r = 0; r < t->nr; r++)
      if (t->r[r].live && t->r[r].kind == TR_GROUPBY && observes_all(g, &t->r[r]) &&
          t->r[r].phase == p)
        emit_observe(b, g, &t->r[r], r);
    emit_close(b, NULL);
  }
  emit_open(b, "static void cd_categories_attach(void)");
  for (int r = 0; r < t->nr; r++) {
    if (!t->r[r].live || table_result_after_arrays(t, r)) continue;
    TShape s = table_result_shape(g, r);
    for (int k = 0; s.cats && !s.scalar && k < s.ncols; k++)
      if (s.cats[k])
        sb_line(b, "cdrt_frame_categories(cd_results[%d].frame, %d, cd_cats[%d]);", r, k,
                s.cats[k] - 1);
  }
  emit_close(b, NULL);
  return true;
}

/* to_array's arrays (INPUT nodes of a result): the result's values, once it is made */
static void emit_to_arrays(StrBuf *b, Graph *g) {
  for (int i = 0; i < g->nnodes; i++) {
    const Node *x = &g->nodes[i];
    if (x->op != OP_INPUT || !x->from_result) continue;
    sb_line(b, "cd_inputs[%d].mem = cdrt_result_array(&cd_results[%d], %s, %d, %s, ", x->slot,
            x->from_result - 1, dtype_enum(x->dtype), x->ndim,
            x->ndim ? arena_printf(g->arena, "(const int64_t[])%s",
                                   int_list(g->arena, x->ndim, x->shape))
                    : "NULL");
    b->len--;
    c_string(b, x->str);
    sb_puts(b, ", ");
    c_string(b, x->why ? x->why : "");
    sb_puts(b, ");\n");
  }
}

void emit_dataframes(StrBuf *b, Graph *g, const int *buffer_of, bool mpi) {
  const Tables *t = &g->tables;
  if (!t->nr) return;
  table_split_phases(g);
  mark_live(g);
  topn_rule(g);
  tail_rule(g);
  if (push_joins(g)) mark_live(g);
  project_merges(g);
  sb_puts(b, "/* ---- dataframes: one scan per source (emit_rows.c) ---- */\n");
  sb_printf(b, "static cdrt_result cd_results[%d];\n\n", t->nr);
  for (int s = 0; s < t->nsrc; s++) emit_scan(b, g, s, buffer_of, mpi);
  bool cats = emit_categories(b, g), *early = early_results(g);
  for (int p = 0, last = last_phase(t); p <= last; p++)
    emit_derived(b, g, false, early, p), emit_derived(b, g, true, early, p);
  emit_derived(b, g, false, early, -1);
  emit_derived(b, g, true, early, -1);
  emit_open(b, "static void cd_tables(void)");
  emit_scan_calls(b, g->arena, t, early, false, cats);
  sb_line(b, "cd_derived_csv();");
  if (cats) sb_line(b, "cd_categories_attach();");
  emit_to_arrays(b, g);
  emit_close(b, NULL);
  emit_open(b, "static void cd_tables_end(void)");
  emit_scan_calls(b, g->arena, t, early, true, false);
  sb_line(b, "cd_derived();");
  emit_close(b, NULL);
  sb_puts(b, "\n");
}

void emit_dataframe_runs(StrBuf *b, const Graph *g) {
  if (g->tables.nr) sb_line(b, "cd_tables(); /* the scans of CSV files */");
}
void emit_dataframe_runs_end(StrBuf *b, const Graph *g) {
  if (g->tables.nr)
    sb_line(b,
            "cd_tables_end(); /* the scans of from_arrays frames, then what is made of results */");
}
