/* emit_expr.c: the inside of a fused loop, over the group's terms (emit_terms.c). Each
 * strip of the innermost axis is evaluated in stages: random leaves are generated and
 * transcendental functions applied by runtime calls over strip buffers (vectorised,
 * deterministic), everything else is inline C (emit_ops.c) in one loop per stage. */
#include "emit.h"

#include <string.h>

/* The value of term k inside a loop over j. */
static const char *ref(GroupEmit *ge, int k) {
  return term_buffered(ge->g, &ge->terms[k]) ? arena_printf(ge->g->arena, "b%d[j]", k)
                                             : arena_printf(ge->g->arena, "t%d", k);
}

/* The element index of a leaf at position j of the strip: "o3", "(o3 + j)", "(o3 + 2 * j)". */
static const char *leaf_index(GroupEmit *ge, int k) {
  const Term *t = &ge->terms[k];
  int64_t c[2] = {1, t->blocked ? t->bc[ge->n - 1] : t->c[ge->n - 1]};
  const char *v[2] = {arena_printf(ge->g->arena, "o%d", k), "j"};
  if (c[1] == 0) return v[0];
  return arena_printf(ge->g->arena, "(%s)", linear_expr(ge->g->arena, 0, 2, c, v));
}

/* The C expression of a non-leaf, non-buffered term. */
static const char *op_expr(GroupEmit *ge, int k) {
  Arena *a = ge->g->arena;
  const Term *t = &ge->terms[k];
  const Node *x = &ge->g->nodes[t->node];
  if (x->op == OP_CALL || x->op == OP_CALL_IMPURE) { /* a scalar kernel: any arity */
    const char *args[MAXIN];
    for (int i = 0; i < x->nin; i++) args[i] = ref(ge, t->in[i]);
    return c_call_expr(a, &ge->g->kernels[x->call.kernel], args, x->nin);
  }
  DType it = x->nin ? ge->g->nodes[x->in[x->op == OP_WHERE ? 1 : 0]].dtype : x->dtype;
  const char *v[3] = {"", "", ""};
  for (int i = 0; i < x->nin && i < 3; i++) v[i] = ref(ge, t->in[i]);
  if (x->op == OP_CAST) {                                     /* from any dtype */
    const Node *in = &ge->g->nodes[ge->terms[t->in[0]].node]; /* views vanished */
    if (it == CDRT_COMPLEX64 && x->dtype == CDRT_COMPLEX128 && !ge->terms[t->in[0]].leaf &&
        in->op == OP_CAST && ge->g->nodes[in->in[0]].dtype == CDRT_COMPLEX128)
      return arena_printf(a, "cdrt_widen_rounded_c64(%s)", v[0]);
    return c_cast_expr(a, it, x->dtype, v[0]);
  }
  return c_op_expr(a, x->op, it, v);
}

/* The position along a concatenation's axis of the element at j of the strip, as text. */
static const char *concat_position(GroupEmit *ge, const Term *t, int ax) {
  Arena *a = ge->g->arena;
  int n = ge->n;
  /* the map's row for the axis, over i0 ... i{n-2}, then j0 and j (both with the last
   * coefficient: the last index is j0 + j) */
  int64_t c[MAXDIM + 1];
  const char **v = arena_alloc(a, (size_t)(n + 1) * sizeof *v);
  memcpy(c, t->map->a[ax], (size_t)n * sizeof *c);
  memcpy(v, axis_vars(a, n, "j0"), (size_t)n * sizeof *v);
  c[n] = c[n - 1], v[n] = "j";
  return linear_expr(a, t->map->off[ax], n + 1, c, v); /* binds tighter than "<" */
}

/* A concatenation reads only the input that holds the element: its inputs are arrays in
 * memory (fuse.c stores them), read here under the condition, never out of bounds. */
static const char *concat_expr(GroupEmit *ge, int k) {
  Arena *a = ge->g->arena;
  const Term *t = &ge->terms[k];
  const Node *x = &ge->g->nodes[t->node];
  const char *pos = concat_position(ge, t, x->axis);
  StrBuf e;
  sb_init(&e);
  int64_t end = 0;
  for (int i = 0; i < x->nin; i++) {
    end += ge->g->nodes[x->in[i]].shape[x->axis];
    const Term *c = &ge->terms[t->in[i]];
    const char *v = c->mem ? arena_printf(a, "p%d[%s]", t->in[i], leaf_index(ge, t->in[i]))
                    : !c->leaf && ge->g->nodes[c->node].op == OP_CONCAT
                        ? concat_expr(ge, t->in[i]) /* nested: its reads stay conditional */
                        : ref(ge, t->in[i]);
    if (i + 1 < x->nin)
      sb_printf(&e, "%s < %lld ? %s : ", pos, (long long)end, v);
    else
      sb_puts(&e, v);
  }
  const char *r = arena_printf(a, "(%s)", e.data);
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
  else if (op_generated(x->op))
    sb_line(ge->b, "const %s t%d = %s; /* %s */", ct, k,
            c_source_expr(ge->g->arena, x, leaf_index(ge, k)), line_note(ge, x));
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

/* Every term reachable from the root (through buffered terms too). */
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

/* Stage 1: `const int64_t oK = ...;`, where each leaf's strip starts (j = 0) in its array,
 * or in the task's block buffer (whose first element is at baseN). */
static void emit_leaf_offsets(GroupEmit *ge, const bool *needed) {
  Arena *a = ge->g->arena;
  int n = ge->n;
  const char **v = arena_alloc(a, (size_t)(n + 1) * sizeof *v);
  memcpy(v, axis_vars(a, n, "j0"), (size_t)n * sizeof *v);
  for (int k = 0; k < ge->nterms; k++) {
    const Term *t = &ge->terms[k];
    if (!needed[k] || !t->leaf || ge->g->nodes[t->node].op == OP_FULL) continue;
    if (t->streamed) { /* at the domain's own index (memplan.c can_stream) in the block */
      const char *e = "cd_so";
      for (int d = 0; d + 1 < n; d++) e = arena_printf(a, "%s + cd_st[%d] * %s", e, d, v[d]);
      sb_line(ge->b, "const int64_t o%d = %s + %s;", k, e, v[n - 1]);
      continue;
    }
    int64_t c[MAXDIM + 1];
    memcpy(c, t->blocked ? t->bc : t->c, (size_t)n * sizeof *c);
    c[n] = t->blocked ? -1 : 0;
    v[n] = t->blocked ? arena_printf(a, "base%d", t->blocked) : NULL;
    sb_line(ge->b, "const int64_t o%d = %s;", k,
            linear_expr(a, t->blocked ? t->bc0 : t->c0, n + 1, c, v));
  }
}

/* Stage 2, a leaf the runtime writes into its strip buffer: an input file's elements or
 * random numbers (cdrt_random_normal_f64, cdrt_random_uniform_f64). */
static void emit_source_strip(GroupEmit *ge, int k) {
  Arena *a = ge->g->arena;
  const Term *t = &ge->terms[k];
  const Node *x = &ge->g->nodes[t->node];
  int64_t step = t->c[ge->n - 1];
  if (x->op == OP_INPUT) {
    sb_line(ge->b, "cdrt_input_read(&cd_inputs[%d], b%d, o%d, %lld, n); /* %s */", x->slot, k, k,
            (long long)step, line_note(ge, x));
    return;
  }
  cdrt_vkernel vk = op_vkernel(x->op, x->dtype);
  *ge->vkernels |= UINT32_C(1) << vk;
  sb_line(ge->b, "cdrt_%s_f64(b%d, UINT64_C(%llu), o%d, %lld, n, %s, %s); /* %s */",
          cdrt_vkernel_name(vk), k, (unsigned long long)x->random.seed, k, (long long)step,
          c_double(a, x->random.a), c_double(a, x->random.b), line_note(ge, x));
}

/* Stage 2, a vector kernel: its operands first, into this term's buffer bK (and qK for a
 * second one, power's exponent), in a loop that computes its own inline terms; then the
 * runtime's call, cdrt_v<kernel>, in place over bK. */
static void emit_kernel_strip(GroupEmit *ge, int k, Emitted *e) {
  StrBuf *b = ge->b;
  const Term *t = &ge->terms[k];
  const Node *x = &ge->g->nodes[t->node];
  bool two = op_arity[x->op] == 2;
  int depth = emit_depth(b);
  for (int i = 0; i < e->ntouched; i++) e->done[e->touched[i]] = false;
  e->ntouched = 0;
  emit_open(b, "for (int64_t j = 0; j < n; j++)");
  emit_term(ge, t->in[0], e);
  if (two) emit_term(ge, t->in[1], e);
  sb_line(b, "b%d[j] = %s;", k, ref(ge, t->in[0]));
  if (two) sb_line(b, "q%d[j] = %s;", k, ref(ge, t->in[1]));
  emit_close(b, NULL);
  emit_check_depth(b, depth);
  cdrt_vkernel vk = op_vkernel(x->op, x->dtype);
  *ge->vkernels |= UINT32_C(1) << vk;
  if (two)
    sb_line(b, "cdrt_v%s(b%d, b%d, q%d, n); /* %s */", cdrt_vkernel_name(vk), k, k, k,
            line_note(ge, x));
  else
    sb_line(b, "cdrt_v%s(b%d, b%d, n); /* %s */", cdrt_vkernel_name(vk), k, k, line_note(ge, x));
}

/* Per-strip preparation: offsets of leaves, then the strip buffers in term order (inputs
 * before the terms that read them). Requires loop variables i<d> for the outer axes and
 * j0, n. */
void emit_strip_stages(GroupEmit *ge, int root) {
  Arena *a = ge->g->arena;
  bool *needed = needed_terms(ge, root);
  Emitted e = {arena_alloc(a, (size_t)ge->nterms), arena_alloc(a, (size_t)ge->nterms * sizeof(int)),
               0};
  emit_leaf_offsets(ge, needed);
  for (int k = 0; k < ge->nterms; k++) {
    const Term *t = &ge->terms[k];
    if (!needed[k] || !term_buffered(ge->g, t)) continue;
    if (t->leaf)
      emit_source_strip(ge, k);
    else
      emit_kernel_strip(ge, k, &e);
  }
}

enum { STRIPS_ON_STACK_MAX = 64 << 10 /* bytes of strip buffers kept on a thread's stack */ };

/* Whether buffered term t has a second strip buffer qK: the second operand of a vector
 * kernel (power's exponent). */
static bool second_buffer(GroupEmit *ge, const Term *t) {
  return !t->leaf && op_arity[ge->g->nodes[t->node].op] == 2;
}

/* The bytes of term k's strip buffers, 64-byte multiples. */
static int64_t strip_bytes(GroupEmit *ge, int k) {
  const Term *t = &ge->terms[k];
  const Node *x = &ge->g->nodes[t->node];
  if (t->mem || !term_buffered(ge->g, t)) return 0;
  int64_t one = ((int64_t)CDRT_STRIP * (int64_t)cdrt_dtype_size(x->dtype) + 63) / 64 * 64;
  return second_buffer(ge, t) ? 2 * one : one;
}

/* `const T *pK = ...;`: a leaf read from a stored array. A reshape reads its input's
 * memory, unless it is stored itself (then it is read from its own group, which may free
 * the input before this group runs). */
static void emit_leaf_pointer(GroupEmit *ge, int k) {
  const Term *t = &ge->terms[k];
  const Node *x = &ge->g->nodes[t->node];
  const char *ct = dtype_ctype(x->dtype);
  if (t->streamed) {
    sb_line(ge->b, "const %s *p%d = (const %s *)cd_bt.out;", ct, k, ct);
    return;
  }
  bool own = x->op != OP_RESHAPE || (ge->buffer_of[t->node] >= 0 && t->node != ge->computed_root);
  int buf = ge->buffer_of[own ? t->node : x->in[0]];
  sb_line(ge->b, "const %s *p%d = (const %s *)cd_buffers[%d].data;", ct, k, ct, buf);
}

/* Term k's strip buffers bK (and qK), on the stack or at `off` in cd_strips. */
static void emit_strip_buffer(GroupEmit *ge, int k, int64_t off) {
  StrBuf *b = ge->b;
  const Term *t = &ge->terms[k];
  const Node *x = &ge->g->nodes[t->node];
  const char *ct = dtype_ctype(x->dtype);
  /* an input file's leaf not read in blocks is streamed strip by strip */
  const char *note = t->leaf && !t->blocked && x->op == OP_INPUT
                         ? arena_printf(ge->g->arena, " /* %s */", c_comment(ge->g->arena, x->str))
                         : "";
  bool two = second_buffer(ge, t);
  int64_t half = two ? strip_bytes(ge, k) / 2 : strip_bytes(ge, k);
  if (ge->strips_on_heap) {
    sb_line(b, "%s *b%d = (%s *)(cd_strips + %lld);%s", ct, k, ct, (long long)off, note);
    if (two) sb_line(b, "%s *q%d = (%s *)(cd_strips + %lld);", ct, k, ct, (long long)(off + half));
  } else {
    sb_line(b, "%s b%d[CDRT_STRIP];%s", ct, k, note);
    if (two) sb_line(b, "%s q%d[CDRT_STRIP];", ct, k);
  }
}

/* Declarations at the top of a tile function: leaf pointers and strip buffers. Strip
 * buffers are arrays on the stack, unless a large group's would not fit comfortably in a
 * thread's stack: then they are carved from one heap block per tile (emit_term_frees). */
void emit_term_decls(GroupEmit *ge) {
  int64_t total = 0, off = 0;
  for (int k = 0; k < ge->nterms; k++) total += strip_bytes(ge, k);
  ge->strips_on_heap = total > STRIPS_ON_STACK_MAX;
  if (ge->strips_on_heap)
    sb_line(ge->b, "char *cd_strips = cdrt_alloc(%lld, \"strip buffers\");", (long long)total);
  if (ge->gr->streamed >= 0) { /* the streamed kernel's block for this tile */
    int s = ge->gr->streamed;
    sb_line(ge->b, "cdrt_bk_tile cd_bt;");
    sb_line(ge->b, "g%d_kernel(tile, &cd_bt); /* group %d's block kernel, streamed */", s, s);
    sb_line(ge->b, "int64_t cd_st[%d], cd_so;", ge->n);
    sb_line(ge->b, "cdrt_bk_view(&g%d_block, &cd_bt, cd_st, &cd_so);", s);
  }
  for (int k = 0; k < ge->nterms; k++) {
    if (ge->terms[k].mem) {
      emit_leaf_pointer(ge, k);
    } else if (term_buffered(ge->g, &ge->terms[k])) {
      emit_strip_buffer(ge, k, off);
      off += strip_bytes(ge, k);
    }
  }
}

void emit_term_frees(GroupEmit *ge) {
  if (ge->strips_on_heap) sb_line(ge->b, "free(cd_strips);");
  if (ge->gr->streamed >= 0) sb_line(ge->b, "cdrt_bk_release(&cd_bt);");
}
