/* emit_expr.c: the inside of a fused loop. A group's elementwise work is a DAG of terms,
 * (node, affine map) pairs: views disappear into the maps. Each strip of the innermost
 * axis is evaluated in stages: random leaves are generated and transcendental functions
 * applied by runtime calls over strip buffers (vectorised, deterministic), everything else
 * is inline C in one loop per stage. */
#include "emit.h"

#include <math.h>
#include <string.h>

static bool is_source(Op op) {
  return op_kinds[op] == K_SOURCE;
}

bool term_buffered(const Graph *g, const Term *t) {
  Op op = g->nodes[t->node].op;
  if (t->blocked || t->mem) return false;
  if (op == OP_RNORMAL || op == OP_RUNIFORM || op == OP_INPUT) return t->leaf;
  if (t->leaf) return false; /* read from another group's result */
  return (op_flags[op] & F_VM) && dtype_is_float(g->nodes[t->node].dtype);
}

static bool is_leaf(const GroupEmit *ge, int id) {
  const Node *x = &ge->g->nodes[id];
  if (is_source(x->op) || x->op == OP_RESHAPE) return true;
  return ge->f->group_of[id] >= 0 && id != ge->computed_root;
}

static uint64_t mix(uint64_t h, const void *v, size_t n) {
  const unsigned char *p = v;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211u;
  return h;
}

/* A hash of (node, map), the fields affine_equal compares. */
static uint64_t term_hash(int id, const Affine *m) {
  uint64_t h = mix(14695981039346656037u, &id, sizeof id);
  int dims[2] = {m->nin, m->nout};
  h = mix(h, dims, sizeof dims);
  h = mix(h, m->off, sizeof(int64_t) * (size_t)m->nin);
  for (int d = 0; d < m->nin; d++) h = mix(h, m->a[d], sizeof(int64_t) * (size_t)m->nout);
  return h;
}

/* The slot of term (id, m) in the table: where it is, or the empty slot it would take. */
static size_t term_slot(const GroupEmit *ge, int id, const Affine *m) {
  size_t i = (size_t)term_hash(id, m) & ge->term_mask;
  for (int k; (k = ge->term_slot[i]) != 0; i = (i + 1) & ge->term_mask)
    if (ge->terms[k - 1].node == id && affine_equal(ge->terms[k - 1].map, m)) break;
  return i;
}

/* The term (id, m) if it exists, else -1. */
static int term_find(GroupEmit *ge, int id, const Affine *m) {
  if (!ge->term_slot) return -1;
  return ge->term_slot[term_slot(ge, id, m)] - 1;
}

static int term_add(GroupEmit *ge, const Term *t) {
  if (ge->nterms == ge->termcap) {
    int cap = ge->termcap ? 2 * ge->termcap : 4;
    ge->terms = arena_grow(ge->g->arena, ge->terms, (size_t)ge->termcap * sizeof *ge->terms,
                           (size_t)cap * sizeof *ge->terms);
    ge->termcap = cap;
  }
  if (!ge->term_slot || 2 * ((size_t)ge->nterms + 1) > ge->term_mask + 1) { /* grow, rehash */
    size_t size = ge->term_slot ? 2 * (ge->term_mask + 1) : 16;
    ge->term_slot = arena_alloc(ge->g->arena, size * sizeof *ge->term_slot);
    ge->term_mask = size - 1;
    for (int k = 0; k < ge->nterms; k++)
      ge->term_slot[term_slot(ge, ge->terms[k].node, ge->terms[k].map)] = k + 1;
  }
  ge->terms[ge->nterms] = *t;
  ge->term_slot[term_slot(ge, t->node, t->map)] = ge->nterms + 1;
  return ge->nterms++;
}

/* Views that are not leaves vanish into the map: (id, m) becomes the node under them. */
static const Affine *through_views(GroupEmit *ge, int *id, const Affine *m) {
  while (ge->g->nodes[*id].op == OP_VIEW && !is_leaf(ge, *id)) {
    Affine *c = arena_alloc(ge->g->arena, sizeof *c);
    affine_compose(c, ge->g->nodes[*id].map, m);
    *id = ge->g->nodes[*id].in[0], m = c;
  }
  return m;
}

/* A term under construction: its inputs are built first (depth first, in order). */
typedef struct {
  int id;
  const Affine *m;
  int next; /* the next input to build */
  int in[MAXIN];
} TermFrame;

static Term new_term(GroupEmit *ge, const TermFrame *fr) {
  const Node *x = &ge->g->nodes[fr->id];
  Term t;
  memset(&t, 0, sizeof t);
  t.node = fr->id;
  t.map = fr->m;
  t.leaf = is_leaf(ge, fr->id);
  /* generated sources are computed where they are used even when also stored */
  t.mem = t.leaf &&
          (x->op == OP_RESHAPE || (!(is_source(x->op) && x->op != OP_INPUT) &&
                                   ge->f->group_of[fr->id] >= 0 && fr->id != ge->computed_root));
  if (!t.leaf) memcpy(t.in, fr->in, sizeof t.in);
  affine_linear(fr->m, x->shape, &t.c0, t.c);
  return t;
}

/* The map of input i of a frame's node: a concatenation's input i is seen through m
 * shifted back by its offset along the axis. */
static const Affine *input_map(GroupEmit *ge, const TermFrame *fr, int i) {
  const Node *x = &ge->g->nodes[fr->id];
  if (x->op != OP_CONCAT || i == 0) return fr->m;
  int ax = x->axis;
  Affine *mi = arena_alloc(ge->g->arena, sizeof *mi);
  *mi = *fr->m;
  for (int j = 0; j < i; j++) mi->off[ax] -= ge->g->nodes[x->in[j]].shape[ax];
  return mi;
}

/* The term for node `id` seen through map m (domain index -> node index): terms are made
 * inputs first, each (node, map) once. An explicit stack: graphs may be deeper than the
 * C stack. */
int term_build(GroupEmit *ge, int id, const Affine *m0) {
  Affine *copy = arena_alloc(ge->g->arena, sizeof *copy); /* terms keep pointers to maps */
  *copy = *m0;
  const Affine *m = through_views(ge, &id, copy);
  int k = term_find(ge, id, m);
  if (k >= 0) return k;
  int cap = 8, top = 0;
  TermFrame *st = arena_alloc(ge->g->arena, (size_t)cap * sizeof *st);
  st[top++] = (TermFrame){.id = id, .m = m};
  for (;;) {
    TermFrame *fr = &st[top - 1];
    const Node *x = &ge->g->nodes[fr->id];
    int nin = is_leaf(ge, fr->id) ? 0 : x->nin;
    if (fr->next < nin) {
      int cid = x->in[fr->next];
      const Affine *cm = through_views(ge, &cid, input_map(ge, fr, fr->next));
      int c = term_find(ge, cid, cm);
      if (c >= 0) {
        fr->in[fr->next++] = c;
        continue;
      }
      if (top == cap) {
        st = arena_grow(ge->g->arena, st, (size_t)cap * sizeof *st, 2 * (size_t)cap * sizeof *st);
        cap *= 2;
      }
      st[top++] = (TermFrame){.id = cid, .m = cm};
      continue;
    }
    Term t = new_term(ge, fr);
    k = term_add(ge, &t);
    if (--top == 0) return k;
    st[top - 1].in[st[top - 1].next++] = k;
  }
}

/* Text safe inside a C comment: no comment delimiters, no trigraphs. */
const char *c_comment(Arena *a, const char *s) {
  char *r = arena_strdup(a, s ? s : "");
  for (char *q = r; *q; q++)
    if ((q[0] == '*' && q[1] == '/') || (q[0] == '/' && q[1] == '*') ||
        (q[0] == '?' && q[1] == '?'))
      q[1] = ' ';
  return r;
}

/* A C literal for a double, exact ("%.17g" round-trips). */
const char *c_double(Arena *a, double v) {
  if (isnan(v)) return "NAN";
  if (isinf(v)) return v > 0 ? "INFINITY" : "(-INFINITY)";
  char buf[64];
  snprintf(buf, sizeof buf, "%.17g", v);
  if (!strpbrk(buf, ".en")) strcat(buf, ".0");
  return arena_printf(a, v < 0 ? "(%s)" : "%s", buf);
}

static const char *int_literal(Arena *a, DType t, int64_t v) {
  if (t == CDRT_INT64) {
    if (v == INT64_MIN) return "INT64_MIN";
    return arena_printf(a, "INT64_C(%lld)", (long long)v);
  }
  if (t == CDRT_INT32) return arena_printf(a, "(int32_t)%lld", (long long)v);
  return arena_printf(a, "(uint8_t)%d", v != 0);
}

static const char *suffix(DType t) {
  switch (t) {
  case CDRT_INT32: return "i32";
  case CDRT_INT64: return "i64";
  case CDRT_FLOAT32: return "f32";
  default: return "f64";
  }
}

/* The value of term k inside a loop over j. */
static const char *ref(GroupEmit *ge, int k) {
  return term_buffered(ge->g, &ge->terms[k]) ? arena_printf(ge->g->arena, "b%d[j]", k)
                                             : arena_printf(ge->g->arena, "t%d", k);
}

/* The element index of a leaf at position j of the strip. */
static const char *leaf_index(GroupEmit *ge, int k) {
  const Term *t = &ge->terms[k];
  int64_t cl = t->blocked ? t->bc[ge->n - 1] : t->c[ge->n - 1];
  if (cl == 0) return arena_printf(ge->g->arena, "o%d", k);
  if (cl == 1) return arena_printf(ge->g->arena, "(o%d + j)", k);
  return arena_printf(ge->g->arena, "(o%d + %lld * j)", k, (long long)cl);
}

static const char *source_value(GroupEmit *ge, int k) {
  Arena *a = ge->g->arena;
  const Node *x = &ge->g->nodes[ge->terms[k].node];
  const char *idx = leaf_index(ge, k);
  switch (x->op) {
  case OP_FULL:
    if (dtype_is_complex(x->dtype)) /* constants are real: (v, 0) */
      return arena_printf(a, "cdrt_make_%s(%s, 0)", x->dtype == CDRT_COMPLEX64 ? "c64" : "c128",
                          c_double(a, x->value.f));
    if (dtype_is_float(x->dtype))
      return x->dtype == CDRT_FLOAT32 ? arena_printf(a, "(float)%s", c_double(a, x->value.f))
                                      : c_double(a, x->value.f);
    return int_literal(a, x->dtype, x->dtype == CDRT_BOOL ? x->value.f != 0 : x->value.i);
  case OP_ARANGE:
    if (!dtype_is_float(x->dtype)) {
      return arena_printf(a, "(%s)(%s + %s * %s)", dtype_ctype(x->dtype),
                          int_literal(a, CDRT_INT64, x->range.istart), idx,
                          int_literal(a, CDRT_INT64, x->range.istep));
    } else {
      /* NumPy fills [start, start + step, start + i * delta] with delta the difference of
       * the first two, in the array's type. */
      double s1 = x->range.start + x->range.step;
      if (x->dtype == CDRT_FLOAT32) {
        float f0 = (float)x->range.start, f1 = (float)s1, fd = f1 - f0;
        return arena_printf(a, "(%s == 1 ? (float)%s : (float)%s + (float)%s * (float)%s)", idx,
                            c_double(a, f1), c_double(a, f0), idx, c_double(a, fd));
      }
      return arena_printf(a, "(%s == 1 ? %s : %s + (double)%s * %s)", idx, c_double(a, s1),
                          c_double(a, x->range.start), idx, c_double(a, s1 - x->range.start));
    }
  case OP_LINSPACE: {
    /* numpy.linspace: i * step + start, or (i / div) * delta + start if step is 0; the last
     * element is stop exactly when endpoint is set */
    double start = x->range.start, stop = x->range.stop, delta = stop - start;
    int64_t div = x->range.div, last = x->shape[0] - 1;
    const char *body;
    if (div > 0) {
      double step = delta / (double)div;
      body =
          step == 0
              ? arena_printf(a, "((double)%s / %s) * %s + %s", idx, c_double(a, (double)div),
                             c_double(a, delta), c_double(a, start))
              : arena_printf(a, "(double)%s * %s + %s", idx, c_double(a, step), c_double(a, start));
    } else {
      body = arena_printf(a, "(double)%s * %s + %s", idx, c_double(a, delta), c_double(a, start));
    }
    if (x->range.endpoint && last > 0)
      return arena_printf(a, "(%s == %lld ? %s : %s)", idx, (long long)last, c_double(a, stop),
                          body);
    return arena_printf(a, "(%s)", body);
  }
  default: return "0";
  }
}

static const char *cast_expr(Arena *a, DType from, DType to, const char *v) {
  if (from == to) return v;
  if (dtype_is_complex(to)) {
    const char *s = to == CDRT_COMPLEX64 ? "c64" : "c128", *rt = dtype_ctype(dtype_real(to));
    if (dtype_is_complex(from))
      return arena_printf(a, "cdrt_make_%s((%s)%s.re, (%s)%s.im)", s, rt, v, rt, v);
    return arena_printf(a, "cdrt_make_%s((%s)%s, 0)", s, rt, v);
  }
  if (dtype_is_complex(from) && to == CDRT_BOOL) /* nonzero: either part */
    return arena_printf(a, "(uint8_t)(%s.re != 0 || %s.im != 0)", v, v);
  if (dtype_is_complex(from)) /* NumPy drops the imaginary part */
    return cast_expr(a, dtype_real(from), to, arena_printf(a, "%s.re", v));
  if (to == CDRT_BOOL) return arena_printf(a, "(uint8_t)(%s != 0)", v);
  if (dtype_is_float(from) && to == CDRT_INT64) return arena_printf(a, "cdrt_f2i64(%s)", v);
  if (dtype_is_float(from) && to == CDRT_INT32) return arena_printf(a, "cdrt_f2i32(%s)", v);
  if (from == CDRT_INT64 && to == CDRT_INT32)
    return arena_printf(a, "(int32_t)(uint32_t)(uint64_t)%s", v);
  return arena_printf(a, "(%s)%s", dtype_ctype(to), v);
}

/* Elementwise operations on complex operands (the frontend allows only these). */
static const char *complex_expr(Arena *a, Op op, DType it, const char *A, const char *B,
                                const char *C) {
  const char *s = it == CDRT_COMPLEX64 ? "c64" : "c128";
  switch (op) {
  case OP_ADD: return arena_printf(a, "cdrt_add_%s(%s, %s)", s, A, B);
  case OP_SUB: return arena_printf(a, "cdrt_sub_%s(%s, %s)", s, A, B);
  case OP_MUL: return arena_printf(a, "cdrt_mul_%s(%s, %s)", s, A, B);
  case OP_DIV: return arena_printf(a, "cdrt_div_%s(%s, %s)", s, A, B);
  case OP_NEG: return arena_printf(a, "cdrt_neg_%s(%s)", s, A);
  case OP_CONJ: return arena_printf(a, "cdrt_conj_%s(%s)", s, A);
  case OP_ABS: return arena_printf(a, "cdrt_abs_%s(%s)", s, A);
  case OP_ANGLE: return arena_printf(a, "cdrt_angle_%s(%s)", s, A);
  case OP_REAL: return arena_printf(a, "%s.re", A);
  case OP_IMAG: return arena_printf(a, "%s.im", A);
  case OP_EQ: return arena_printf(a, "cdrt_eq_%s(%s, %s)", s, A, B);
  case OP_NE: return arena_printf(a, "(uint8_t)!cdrt_eq_%s(%s, %s)", s, A, B);
  case OP_WHERE: return arena_printf(a, "%s ? %s : %s", A, B, C);
  default: return "0";
  }
}

/* The C expression of a non-leaf, non-buffered term. */
static const char *op_expr(GroupEmit *ge, int k) {
  Arena *a = ge->g->arena;
  const Term *t = &ge->terms[k];
  const Node *x = &ge->g->nodes[t->node];
  DType it = x->nin ? ge->g->nodes[x->in[x->op == OP_WHERE ? 1 : 0]].dtype : x->dtype;
  const char *A = x->nin > 0 ? ref(ge, t->in[0]) : "";
  const char *B = x->nin > 1 ? ref(ge, t->in[1]) : "";
  const char *C = x->nin > 2 ? ref(ge, t->in[2]) : "";
  bool fl = dtype_is_float(it), f32 = it == CDRT_FLOAT32;
  const char *s = suffix(it);
  if (x->op == OP_CAST) {                                     /* from any dtype */
    const Node *in = &ge->g->nodes[ge->terms[t->in[0]].node]; /* views vanished */
    if (it == CDRT_COMPLEX64 && x->dtype == CDRT_COMPLEX128 && !ge->terms[t->in[0]].leaf &&
        in->op == OP_CAST && ge->g->nodes[in->in[0]].dtype == CDRT_COMPLEX128)
      return arena_printf(a, "cdrt_widen_rounded_c64(%s)", A);
    return cast_expr(a, it, x->dtype, A);
  }
  if (dtype_is_complex(it)) return complex_expr(a, x->op, it, A, B, C);
  switch (x->op) {
  case OP_ADD:
    return fl ? arena_printf(a, "%s + %s", A, B) : arena_printf(a, "cdrt_add_%s(%s, %s)", s, A, B);
  case OP_SUB:
    return fl ? arena_printf(a, "%s - %s", A, B) : arena_printf(a, "cdrt_sub_%s(%s, %s)", s, A, B);
  case OP_MUL:
    return fl ? arena_printf(a, "%s * %s", A, B) : arena_printf(a, "cdrt_mul_%s(%s, %s)", s, A, B);
  case OP_DIV: return arena_printf(a, "%s / %s", A, B);
  case OP_FLOORDIV: return arena_printf(a, "cdrt_floordiv_%s(%s, %s)", s, A, B);
  case OP_MOD: return arena_printf(a, "cdrt_mod_%s(%s, %s)", s, A, B);
  case OP_POW: return arena_printf(a, "cdrt_pow_%s(%s, %s)", s, A, B); /* integers */
  case OP_MAXIMUM:
    return fl ? arena_printf(a, "(%s != %s || %s >= %s) ? %s : %s", A, A, A, B, A, B)
              : arena_printf(a, "%s >= %s ? %s : %s", A, B, A, B);
  case OP_MINIMUM:
    return fl ? arena_printf(a, "(%s != %s || %s <= %s) ? %s : %s", A, A, A, B, A, B)
              : arena_printf(a, "%s <= %s ? %s : %s", A, B, A, B);
  case OP_LT: return arena_printf(a, "(uint8_t)(%s < %s)", A, B);
  case OP_LE: return arena_printf(a, "(uint8_t)(%s <= %s)", A, B);
  case OP_GT: return arena_printf(a, "(uint8_t)(%s > %s)", A, B);
  case OP_GE: return arena_printf(a, "(uint8_t)(%s >= %s)", A, B);
  case OP_EQ: return arena_printf(a, "(uint8_t)(%s == %s)", A, B);
  case OP_NE: return arena_printf(a, "(uint8_t)(%s != %s)", A, B);
  case OP_AND: return arena_printf(a, "(uint8_t)(%s & %s)", A, B);
  case OP_OR: return arena_printf(a, "(uint8_t)(%s | %s)", A, B);
  case OP_XOR: return arena_printf(a, "(uint8_t)(%s ^ %s)", A, B);
  case OP_NOT: return arena_printf(a, "(uint8_t)(%s ^ 1)", A);
  case OP_NEG: return fl ? arena_printf(a, "-%s", A) : arena_printf(a, "cdrt_neg_%s(%s)", s, A);
  case OP_SQRT: return arena_printf(a, "%s(%s)", f32 ? "sqrtf" : "sqrt", A);
  case OP_ABS:
    if (it == CDRT_BOOL) return A;
    return fl ? arena_printf(a, "%s(%s)", f32 ? "fabsf" : "fabs", A)
              : arena_printf(a, "cdrt_abs_%s(%s)", s, A);
  case OP_FLOOR: return arena_printf(a, "%s(%s)", f32 ? "floorf" : "floor", A);
  case OP_CEIL: return arena_printf(a, "%s(%s)", f32 ? "ceilf" : "ceil", A);
  case OP_WHERE: return arena_printf(a, "%s ? %s : %s", A, B, C);
  /* real arrays: NumPy's real is the array, imag zeros, conj the array, angle atan2(0, x) */
  case OP_REAL:
  case OP_CONJ: return A;
  case OP_IMAG: return f32 ? "0.0f" : "0.0";
  case OP_ANGLE:
    return arena_printf(a, "%s(%s, %s)", f32 ? "atan2f" : "atan2", f32 ? "0.0f" : "0.0", A);
  default: return "0";
  }
}

/* A concatenation reads only the input that holds the element: its inputs are arrays in
 * memory (fuse.c stores them), read here under the condition, never out of bounds. */
static const char *concat_expr(GroupEmit *ge, int k) {
  Arena *a = ge->g->arena;
  const Term *t = &ge->terms[k];
  const Node *x = &ge->g->nodes[t->node];
  int ax = x->axis, last = ge->n - 1;
  StrBuf pos;
  sb_init(&pos);
  sb_printf(&pos, "(%lld", (long long)t->map->off[ax]);
  for (int d = 0; d < ge->n; d++)
    if (t->map->a[ax][d])
      sb_printf(&pos, d == last ? " + %lld * (j0 + j)" : " + %lld * i%d",
                (long long)t->map->a[ax][d], d);
  sb_puts(&pos, ")");
  StrBuf e;
  sb_init(&e);
  int64_t end = 0;
  for (int i = 0; i < x->nin; i++) {
    end += ge->g->nodes[x->in[i]].shape[ax];
    const Term *c = &ge->terms[t->in[i]];
    const char *v = c->mem ? arena_printf(a, "p%d[%s]", t->in[i], leaf_index(ge, t->in[i]))
                    : !c->leaf && ge->g->nodes[c->node].op == OP_CONCAT
                        ? concat_expr(ge, t->in[i]) /* nested: its reads stay conditional */
                        : ref(ge, t->in[i]);
    if (i + 1 < x->nin)
      sb_printf(&e, "%s < %lld ? %s : ", pos.data, (long long)end, v);
    else
      sb_puts(&e, v);
  }
  const char *r = arena_printf(a, "(%s)", e.data);
  sb_free(&pos);
  sb_free(&e);
  return r;
}

static const char *line_note(GroupEmit *ge, const Node *x) {
  return arena_printf(ge->g->arena, "%s:%d %s", c_comment(ge->g->arena, x->file), x->line,
                      x->name ? x->name : op_names[x->op]);
}

/* The terms already emitted in the current loop; `touched` (if not NULL) lists them so
 * that the next loop can start afresh in time proportional to what this one emitted. */
typedef struct {
  bool *done;
  int *touched, ntouched;
} Emitted;

/* A term whose inputs are being emitted; `generated`: the inputs of a concatenation
 * nested in another (their statements, not its own: its value is inlined by concat_expr). */
typedef struct {
  int k, next;
  bool generated;
} EmitFrame;

/* Emits a leaf's statement; returns whether term k has inputs to emit before its own. */
static bool emit_start(GroupEmit *ge, int k, Emitted *e) {
  if (e->done[k]) return false;
  e->done[k] = true;
  if (e->touched) e->touched[e->ntouched++] = k;
  const Term *t = &ge->terms[k];
  if (term_buffered(ge->g, t)) return false;
  if (!t->leaf) return true;
  const Node *x = &ge->g->nodes[t->node];
  const char *ct = dtype_ctype(x->dtype);
  if (t->mem)
    sb_line(ge->b, "const %s t%d = p%d[%s];", ct, k, k, leaf_index(ge, k));
  else if (t->blocked)
    sb_line(ge->b, "const %s t%d = x%d[%s];", ct, k, t->blocked, leaf_index(ge, k));
  else if (is_source(x->op) && x->op != OP_INPUT)
    sb_line(ge->b, "const %s t%d = %s; /* %s */", ct, k, source_value(ge, k), line_note(ge, x));
  else
    sb_line(ge->b, "const %s t%d = p%d[%s];", ct, k, k, leaf_index(ge, k));
  return false;
}

/* Emits `const T tK = ...;` for term k and, first, the unbuffered terms it needs (inputs
 * in order, depth first; the generated inputs of a concatenation, and of those nested in
 * it, are safe to compute at any index: memory reads stay inside its condition). */
static void emit_term(GroupEmit *ge, int k, Emitted *e) {
  if (!emit_start(ge, k, e)) return;
  int cap = 8, top = 0;
  EmitFrame *st = arena_alloc(ge->g->arena, (size_t)cap * sizeof *st);
  st[top++] = (EmitFrame){k, 0, false};
  while (top) {
    EmitFrame *fr = &st[top - 1];
    const Term *t = &ge->terms[fr->k];
    const Node *x = &ge->g->nodes[t->node];
    if (fr->next == x->nin) {
      EmitFrame done = *fr;
      top--;
      if (done.generated) continue;
      const char *v = x->op == OP_CONCAT ? concat_expr(ge, done.k) : op_expr(ge, done.k);
      sb_line(ge->b, "const %s t%d = %s; /* %s */", dtype_ctype(x->dtype), done.k, v,
              line_note(ge, x));
      continue;
    }
    int c = t->in[fr->next++];
    const Term *ct = &ge->terms[c];
    EmitFrame child;
    if (x->op == OP_CONCAT && !ct->leaf && ge->g->nodes[ct->node].op == OP_CONCAT)
      child = (EmitFrame){c, 0, true};
    else if ((x->op == OP_CONCAT && ct->mem) || !emit_start(ge, c, e))
      continue;
    else
      child = (EmitFrame){c, 0, false};
    if (top == cap) {
      st = arena_grow(ge->g->arena, st, (size_t)cap * sizeof *st, 2 * (size_t)cap * sizeof *st);
      cap *= 2;
    }
    st[top++] = child;
  }
}

void emit_loop_value(GroupEmit *ge, int k, bool *done) {
  Emitted e = {done, NULL, 0};
  emit_term(ge, k, &e);
}

const char *term_ref(GroupEmit *ge, int k) {
  return ref(ge, k);
}

/* Per-strip preparation: offsets of leaves, generated random strips, and the staged
 * transcendental calls. Requires loop variables i<d> for the outer axes and j0, n. */
/* every term reachable from the root (through buffered terms too) */
static bool *needed_terms(GroupEmit *ge, int root) {
  bool *needed = arena_alloc(ge->g->arena, (size_t)ge->nterms);
  needed[root] = true;
  for (int k = ge->nterms - 1; k >= 0; k--) {
    if (!needed[k] || ge->terms[k].leaf) continue;
    const Node *x = &ge->g->nodes[ge->terms[k].node];
    for (int i = 0; i < x->nin; i++) needed[ge->terms[k].in[i]] = true;
  }
  return needed;
}

bool needs_strip_buffers(GroupEmit *ge, int root) {
  bool *needed = needed_terms(ge, root);
  for (int k = 0; k < ge->nterms; k++)
    if (needed[k] && term_buffered(ge->g, &ge->terms[k])) return true;
  return false;
}

/* The runtime's vector kernel of a buffered sin, cos, tan, exp, log or pow. */
static cdrt_vkernel vkernel_of(const Node *x) {
  bool f = x->dtype == CDRT_FLOAT32;
  switch (x->op) {
  case OP_SIN: return f ? CDRT_VK_SIN_F32 : CDRT_VK_SIN_F64;
  case OP_COS: return f ? CDRT_VK_COS_F32 : CDRT_VK_COS_F64;
  case OP_TAN: return f ? CDRT_VK_TAN_F32 : CDRT_VK_TAN_F64;
  case OP_EXP: return f ? CDRT_VK_EXP_F32 : CDRT_VK_EXP_F64;
  case OP_LOG: return f ? CDRT_VK_LOG_F32 : CDRT_VK_LOG_F64;
  default: return f ? CDRT_VK_POW_F32 : CDRT_VK_POW_F64;
  }
}

void emit_strip_stages(GroupEmit *ge, int root) {
  StrBuf *b = ge->b;
  Arena *a = ge->g->arena;
  int last = ge->n - 1;
  bool *needed = needed_terms(ge, root);
  Emitted e = {arena_alloc(a, (size_t)ge->nterms), arena_alloc(a, (size_t)ge->nterms * sizeof(int)),
               0};
  for (int k = 0; k < ge->nterms; k++) {
    const Term *t = &ge->terms[k];
    const Node *x = &ge->g->nodes[t->node];
    if (!needed[k] || !t->leaf || (x->op == OP_FULL)) continue;
    StrBuf expr;
    sb_init(&expr);
    const int64_t *c = t->blocked ? t->bc : t->c;
    sb_printf(&expr, "%lld", (long long)(t->blocked ? t->bc0 : t->c0));
    for (int d = 0; d < last; d++)
      if (c[d]) sb_printf(&expr, " + %lld * i%d", (long long)c[d], d);
    if (c[last]) sb_printf(&expr, " + %lld * j0", (long long)c[last]);
    if (t->blocked) sb_printf(&expr, " - base%d", t->blocked);
    sb_line(b, "const int64_t o%d = %s;", k, expr.data);
    sb_free(&expr);
  }
  for (int k = 0; k < ge->nterms; k++) {
    const Term *t = &ge->terms[k];
    const Node *x = &ge->g->nodes[t->node];
    if (!needed[k] || !term_buffered(ge->g, t)) continue;
    if (x->op == OP_INPUT) {
      sb_line(b, "cdrt_input_read(&cd_inputs[%d], b%d, o%d, %lld, n); /* %s */", x->slot, k, k,
              (long long)t->c[last], line_note(ge, x));
      continue;
    }
    if (x->op == OP_RNORMAL || x->op == OP_RUNIFORM) {
      *ge->vkernels |= x->op == OP_RNORMAL ? CDRT_VK(RANDOM_NORMAL) : CDRT_VK(RANDOM_UNIFORM);
      sb_line(b, "cdrt_random_%s_f64(b%d, UINT64_C(%llu), o%d, %lld, n, %s, %s); /* %s */",
              x->op == OP_RNORMAL ? "normal" : "uniform", k, (unsigned long long)x->random.seed, k,
              (long long)t->c[last], c_double(a, x->random.a), c_double(a, x->random.b),
              line_note(ge, x));
      continue;
    }
    /* arguments first, into this term's buffer (and a second one for pow); each loop
     * computes its own inline terms */
    for (int i = 0; i < e.ntouched; i++) e.done[e.touched[i]] = false;
    e.ntouched = 0;
    emit_open(b, "for (int64_t j = 0; j < n; j++)");
    emit_term(ge, t->in[0], &e);
    if (x->op == OP_POW) emit_term(ge, t->in[1], &e);
    sb_line(b, "b%d[j] = %s;", k, ref(ge, t->in[0]));
    if (x->op == OP_POW) sb_line(b, "q%d[j] = %s;", k, ref(ge, t->in[1]));
    emit_close(b, NULL);
    const char *fs = x->dtype == CDRT_FLOAT32 ? "f32" : "f64";
    *ge->vkernels |= UINT32_C(1) << vkernel_of(x);
    if (x->op == OP_POW)
      sb_line(b, "cdrt_vpow_%s(b%d, b%d, q%d, n); /* %s */", fs, k, k, k, line_note(ge, x));
    else
      sb_line(b, "cdrt_v%s_%s(b%d, b%d, n); /* %s */", op_names[x->op], fs, k, k, line_note(ge, x));
  }
}

enum { STRIPS_ON_STACK_MAX = 64 << 10 /* bytes of strip buffers kept on a thread's stack */ };

/* The bytes of term k's strip buffers (a second one for pow), 64-byte multiples. */
static int64_t strip_bytes(GroupEmit *ge, int k) {
  const Term *t = &ge->terms[k];
  const Node *x = &ge->g->nodes[t->node];
  if (t->mem || !term_buffered(ge->g, t)) return 0;
  int64_t one = ((int64_t)CDRT_STRIP * (int64_t)cdrt_dtype_size(x->dtype) + 63) / 64 * 64;
  return x->op == OP_POW && !t->leaf ? 2 * one : one;
}

/* Declarations at the top of a tile function: leaf pointers and strip buffers. Strip
 * buffers are arrays on the stack, unless a large group's would not fit comfortably in a
 * thread's stack: then they are carved from one heap block per tile (emit_term_frees). */
void emit_term_decls(GroupEmit *ge) {
  StrBuf *b = ge->b;
  int64_t total = 0, off = 0;
  for (int k = 0; k < ge->nterms; k++) total += strip_bytes(ge, k);
  ge->strips_on_heap = total > STRIPS_ON_STACK_MAX;
  if (ge->strips_on_heap)
    sb_line(b, "char *cd_strips = cdrt_alloc(%lld, \"strip buffers\");", (long long)total);
  for (int k = 0; k < ge->nterms; k++) {
    const Term *t = &ge->terms[k];
    const Node *x = &ge->g->nodes[t->node];
    const char *ct = dtype_ctype(x->dtype);
    if (t->mem) {
      /* a reshape reads its input's memory, unless it is stored itself (then it is read
       * from its own group, which may free the input before this group runs) */
      bool own =
          x->op != OP_RESHAPE || (ge->buffer_of[t->node] >= 0 && t->node != ge->computed_root);
      int buf = ge->buffer_of[own ? t->node : x->in[0]];
      sb_line(b, "const %s *p%d = (const %s *)cd_buffers[%d].data;", ct, k, ct, buf);
      continue;
    }
    if (!term_buffered(ge->g, t)) continue;
    /* an input file's leaf not read in blocks is streamed strip by strip */
    const char *note =
        t->leaf && !t->blocked && x->op == OP_INPUT
            ? arena_printf(ge->g->arena, " /* %s */", c_comment(ge->g->arena, x->str))
            : "";
    bool pow = x->op == OP_POW && !t->leaf;
    int64_t half = pow ? strip_bytes(ge, k) / 2 : strip_bytes(ge, k);
    if (ge->strips_on_heap) {
      sb_line(b, "%s *b%d = (%s *)(cd_strips + %lld);%s", ct, k, ct, (long long)off, note);
      if (pow)
        sb_line(b, "%s *q%d = (%s *)(cd_strips + %lld);", ct, k, ct, (long long)(off + half));
    } else {
      sb_line(b, "%s b%d[CDRT_STRIP];%s", ct, k, note);
      if (pow) sb_line(b, "%s q%d[CDRT_STRIP];", ct, k);
    }
    off += strip_bytes(ge, k);
  }
}

void emit_term_frees(GroupEmit *ge) {
  if (ge->strips_on_heap) sb_line(ge->b, "free(cd_strips);");
}
