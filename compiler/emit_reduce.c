/* emit_reduce.c: a reduction group as C. Its tile function reduces one chunk of the domain
 * to partials (one per output element and chunk along the reduced axes), its combine
 * function folds the partials of each output in a tree fixed by the chunk grid, and its
 * run function spawns both as OpenMP tasks. NumPy's order is kept bit for bit: floating
 * sums pairwise by strips and rows, everything else in row-major order. */
#include "emit.h"

#include <string.h>

typedef struct {
  ReduceOp rop;
  DType in_t;  /* the type of the values reduced */
  DType acc_t; /* accumulator and partial type */
  DType out_t;
  bool arg;      /* argmin/argmax */
  bool pairwise; /* floating point sum, mean */
  unsigned axes; /* over the emitted domain */
  int64_t count; /* elements per output */
  int64_t nout;  /* output elements */
  int64_t nr;    /* chunks along the reduced axes */
  int64_t ostride[MAXDIM], rstride[MAXDIM], dstride[MAXDIM];
} Red;

static const char *csuffix(DType t) {
  return t == CDRT_COMPLEX64 ? "c64" : "c128";
}

/* the runtime's name for a real type: cdrt_maximum_f64, cdrt_argmin_takes_u8... */
static const char *rsuffix(DType t) {
  switch (t) {
  case CDRT_BOOL: return "u8";
  case CDRT_INT32: return "i32";
  case CDRT_INT64: return "i64";
  case CDRT_FLOAT32: return "f32";
  default: return "f64";
  }
}

static const char *identity(Arena *a, const Red *r) {
  bool fl = dtype_is_float(r->acc_t);
  if (dtype_is_complex(r->acc_t))
    return arena_printf(a, "cdrt_make_%s(%d, 0)", csuffix(r->acc_t), r->rop == ROP_PROD);
  switch (r->rop) {
  case ROP_SUM:
  case ROP_MEAN:
  case ROP_ANY: return "0";
  case ROP_PROD:
  case ROP_ALL: return "1";
  case ROP_MIN:
    return fl                       ? "INFINITY"
           : r->acc_t == CDRT_INT64 ? "INT64_MAX"
           : r->acc_t == CDRT_INT32 ? "INT32_MAX"
                                    : "1";
  case ROP_MAX:
    return fl                       ? "(-INFINITY)"
           : r->acc_t == CDRT_INT64 ? "INT64_MIN"
           : r->acc_t == CDRT_INT32 ? "INT32_MIN"
                                    : "0";
  default: return "0";
  }
}

/* `acc = acc (op) v` for everything but the pairwise and arg cases. */
static void emit_update(StrBuf *b, const Red *r, const char *acc, const char *v) {
  bool fl = dtype_is_float(r->acc_t);
  if (dtype_is_complex(r->acc_t)) { /* sum, mean, prod: in order */
    sb_line(b, "%s = cdrt_%s_%s(%s, %s);", acc, r->rop == ROP_PROD ? "mul" : "add",
            csuffix(r->acc_t), acc, v);
    return;
  }
  const char *s = rsuffix(r->acc_t);
  switch (r->rop) {
  case ROP_SUM:
  case ROP_MEAN:
    if (fl)
      sb_line(b, "%s += %s;", acc, v);
    else
      sb_line(b, "%s = cdrt_add_%s(%s, %s);", acc, s, acc, v);
    break;
  case ROP_PROD:
    if (fl)
      sb_line(b, "%s *= %s;", acc, v);
    else
      sb_line(b, "%s = cdrt_mul_%s(%s, %s);", acc, s, acc, v);
    break;
  case ROP_MIN: sb_line(b, "%s = cdrt_minimum_%s(%s, %s);", acc, s, acc, v); break;
  case ROP_MAX: sb_line(b, "%s = cdrt_maximum_%s(%s, %s);", acc, s, acc, v); break;
  case ROP_ANY: sb_line(b, "%s |= %s;", acc, v); break;
  case ROP_ALL: sb_line(b, "%s &= %s;", acc, v); break;
  default: break;
  }
}

/* argmin/argmax: take (v, i) over (acc, acci) if it is better, ties to the smaller index
 * and the first NaN winning, as NumPy (the runtime's cdrt_argmin_takes_S says when). */
static void emit_arg_update(StrBuf *b, const Red *r, const char *acc, const char *acci,
                            const char *v, const char *i) {
  int depth = emit_depth(b);
  emit_open(b, "if (cdrt_%s_takes_%s(%s, %s, %s, %s))", r->rop == ROP_ARGMIN ? "argmin" : "argmax",
            rsuffix(r->acc_t), acc, acci, v, i);
  sb_line(b, "%s = %s;", acc, v);
  sb_line(b, "%s = %s;", acci, i);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

/* The element value v (C text) taken into acc (and acci, with its index i). */
static void emit_accumulate(StrBuf *b, const Red *r, const char *acc, const char *acci,
                            const char *v, const char *i) {
  if (!r->arg) {
    emit_update(b, r, acc, v);
    return;
  }
  sb_line(b, "const %s v = %s;", dtype_ctype(r->acc_t), v);
  emit_arg_update(b, r, acc, acci, "v", i);
}

static const char *pairwise_fn(const Red *r) {
  return r->acc_t == CDRT_FLOAT32 ? "cdrt_pairwise_sum_f32" : "cdrt_pairwise_sum_f64";
}

/* the root's value as the accumulator's type (C text, inside the loop over j) */
static const char *element(GroupEmit *ge, const Red *r, int root) {
  if (dtype_is_complex(r->acc_t)) return term_ref(ge, root);
  return arena_printf(ge->g->arena, "(%s)%s", dtype_ctype(r->acc_t), term_ref(ge, root));
}

/* --- The last axis kept: partial rows accumulate strip by strip. --------------------- */

/* The tile's partials set to the identity over the whole tile, before its first sub-box. */
static void emit_partials_init(GroupEmit *ge, const Red *r) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  int last = ge->n - 1;
  unsigned kept = ~r->axes & ((1u << ge->n) - 1);
  emit_open(b, "if (first)");
  int outer = open_tile_axes(b, kept & ~(1u << last));
  sb_line(b, "const int64_t od = %s;", strided_index(ge, r->ostride, kept & ~(1u << last)));
  emit_open(b, "for (int64_t j = lo[%d]; j < hi[%d]; j++)", last, last);
  sb_line(b, "part[od + j] = %s;", identity(ge->g->arena, r));
  if (r->arg) sb_line(b, "parti[od + j] = -1;");
  emit_close(b, NULL);
  emit_close_n(b, outer);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

/* Every element of the sub-box into its output's partial, in row-major order. */
static void emit_partials_accumulate(GroupEmit *ge, const Red *r, int root) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  Arena *a = ge->g->arena;
  int last = ge->n - 1, raxis = r->axes ? 31 - __builtin_clz(r->axes) : 0; /* an arg's axis */
  unsigned kept = ~r->axes & ((1u << ge->n) - 1);
  const char *at = dtype_ctype(r->acc_t), *o = strided_index(ge, r->ostride, kept);
  int outer = open_subbox_axes(b, (1u << last) - 1);
  open_row_or_strips(ge, root);
  emit_strip_stages(ge, root);
  sb_line(b, "%s *acc = part + %s;", at, o);
  if (r->arg) sb_line(b, "int64_t *acci = parti + %s;", o);
  emit_open(b, "for (int64_t j = 0; j < n; j++)");
  emit_loop_value(ge, root, arena_alloc(a, (size_t)ge->nterms));
  emit_accumulate(b, r, "acc[j]", "acci[j]", element(ge, r, root), arena_printf(a, "i%d", raxis));
  emit_close(b, NULL);
  emit_close_n(b, outer + 1); /* the row (or strips) and the outer axes */
  emit_check_depth(b, depth);
}

/* --- The last axis reduced: per output, strips reduce to scalars, combined pairwise. -- */

/* A whole-array sum keeps its rows by position, so a blocked task may fill them in any
 * order of sub-boxes (the task owns them then); otherwise they come in order. */
static bool whole_sum(const GroupEmit *ge, const Red *r) {
  return r->pairwise && (~r->axes & ((1u << ge->n) - 1)) == 0;
}

/* One strip of an output's reduced elements: into the accumulator r, or (pairwise) into
 * vbuf, summed into a row at the strip's end. pos: the row's position (a whole sum). */
static void emit_strip_reduction(GroupEmit *ge, const Red *r, int root, const char *pos) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  Arena *a = ge->g->arena;
  int last = ge->n - 1;
  bool flat = r->arg && __builtin_popcount(r->axes) > 1; /* the index over all reduced axes */
  open_strip(b, last);
  emit_strip_stages(ge, root);
  if (flat) sb_line(b, "const int64_t fbase = %s;", strided_index(ge, r->dstride, ~0u));
  emit_open(b, "for (int64_t j = 0; j < n; j++)");
  emit_loop_value(ge, root, arena_alloc(a, (size_t)ge->nterms));
  if (r->pairwise)
    sb_line(b, "vbuf[j] = %s;", element(ge, r, root));
  else
    emit_accumulate(b, r, "r", "ri", element(ge, r, root), flat ? "(fbase + j)" : "(j0 + j)");
  emit_close(b, NULL);
  if (whole_sum(ge, r))
    sb_line(b, "rows[%s * ns + (j0 - lo[%d]) / CDRT_STRIP] = %s(vbuf, n);", pos, last,
            pairwise_fn(r));
  else if (r->pairwise)
    sb_line(b, "rows[nr++] = %s(vbuf, n);", pairwise_fn(r));
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

/* For each output element of the sub-box: (1) its accumulator, (2) the reduced axes
 * before the last, row-major, each position's strips, (3) the partial. */
static void emit_output_reductions(GroupEmit *ge, const Red *r, int root) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  Arena *a = ge->g->arena;
  int last = ge->n - 1;
  unsigned kept = ~r->axes & ((1u << ge->n) - 1), reduced = r->axes & ((1u << last) - 1);
  bool whole = whole_sum(ge, r);
  int outer = open_subbox_axes(b, kept);
  sb_line(b, "const int64_t o = %s;", strided_index(ge, r->ostride, kept));
  if (r->pairwise && !whole) {
    sb_line(b, "int64_t nr = 0;");
  } else if (!r->pairwise) {
    sb_line(b, "%s r = %s;", dtype_ctype(r->acc_t), identity(a, r));
    if (r->arg) sb_line(b, "int64_t ri = -1;");
  }
  const char *pos = "0"; /* a whole sum's row position, axis by axis */
  int inner = 0;
  for (int d = 0; d < last; d++)
    if (reduced >> d & 1) {
      inner += open_subbox_axes(b, 1u << d);
      if (!whole) continue;
      sb_line(b, "const int64_t rp%d = %s * (hi[%d] - lo[%d]) + (i%d - lo[%d]);", d, pos, d, d, d,
              d);
      pos = arena_printf(a, "rp%d", d);
    }
  emit_strip_reduction(ge, r, root, pos);
  emit_close_n(b, inner);
  if (whole) {
    sb_line(b, "if (fin) part[o] = %s(rows, nr);", pairwise_fn(r));
  } else if (r->pairwise) {
    sb_line(b, "part[o] = %s(rows, nr);", pairwise_fn(r));
  } else {
    sb_line(b, "part[o] = r;");
    if (r->arg) sb_line(b, "parti[o] = ri;");
  }
  emit_close_n(b, outer);
  emit_check_depth(b, depth);
}

/* The rows of the pairwise sums: a strip buffer, and the rows unless the blocked task
 * passes them (a whole sum); a whole sum's row count. Returns whether it allocated rows. */
static bool emit_row_buffers(GroupEmit *ge, const Red *r) {
  StrBuf *b = ge->b;
  Arena *a = ge->g->arena;
  int last = ge->n - 1;
  const char *at = dtype_ctype(r->acc_t);
  bool whole = whole_sum(ge, r), own = r->pairwise && !(whole && ge->blk.on);
  if (!r->pairwise) return false;
  sb_line(b, "%s vbuf[CDRT_STRIP];", at);
  int64_t rows = (ge->chunk[last] + CDRT_STRIP - 1) / CDRT_STRIP;
  for (int d = 0; d < last; d++)
    if (r->axes >> d & 1) rows *= ge->chunk[d];
  if (own)
    sb_line(b, "%s *rows = cdrt_alloc(%lld * sizeof(%s), \"reduction rows\");", at, (long long)rows,
            at);
  if (whole) {
    sb_line(b, "const int64_t ns = (hi[%d] - lo[%d] + CDRT_STRIP - 1) / CDRT_STRIP;", last, last);
    const char *nr = "ns";
    for (int d = 0; d < last; d++) nr = arena_printf(a, "%s * (hi[%d] - lo[%d])", nr, d, d);
    sb_line(b, "const int64_t nr = %s;", nr);
  }
  return own;
}

/* gK_tile: (1) the tile's partials, (2) the last axis kept: identities then accumulation;
 * reduced: the row buffers, then the outputs. */
static void emit_reduce_tile(GroupEmit *ge, const Red *r, int root) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  Arena *a = ge->g->arena;
  int k = ge->gr->id, last = ge->n - 1;
  const char *at = dtype_ctype(r->acc_t);
  emit_open(b, "static void g%d_tile(int64_t tile%s)", k, tile_params(ge));
  emit_tile_head(ge);
  int64_t rs[MAXDIM]; /* the tile's chunk along the reduced axes, row-major */
  const char *grid[MAXDIM];
  for (int d = 0; d < ge->n; d++) {
    rs[d] = r->axes >> d & 1 ? r->rstride[d] : 0;
    grid[d] = arena_printf(a, "(lo[%d] / %lld)", d, (long long)ge->chunk[d]);
  }
  sb_line(b, "const int64_t rc = %s;", linear_expr(a, 0, ge->n, rs, grid));
  sb_line(b, "%s *part = cd_part%d + rc * %lld;", at, k, (long long)r->nout);
  if (r->arg) sb_line(b, "int64_t *parti = cd_parti%d + rc * %lld;", k, (long long)r->nout);
  if (!(r->axes >> last & 1)) {
    emit_partials_init(ge, r);
    emit_partials_accumulate(ge, r, root);
  } else {
    bool own = emit_row_buffers(ge, r);
    emit_output_reductions(ge, r, root);
    if (own) sb_line(b, "free(rows);");
  }
  emit_term_frees(ge);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

/* gK_combine: the outputs o0..o1, each from its partials in chunk order. */
static void emit_combine(GroupEmit *ge, const Red *r) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  Arena *a = ge->g->arena;
  int k = ge->gr->id;
  const char *at = dtype_ctype(r->acc_t), *ot = dtype_ctype(r->out_t);
  emit_open(b, "static void g%d_combine(int64_t o0, int64_t o1)", k);
  sb_line(b, "%s *out = (%s *)cd_buffers[%d].data;", ot, ot, ge->buffer_of[ge->gr->sink]);
  if (r->pairwise)
    sb_line(b, "%s *col = cdrt_alloc(%lld * sizeof(%s), \"reduction partials\");", at,
            (long long)(r->nr ? r->nr : 1), at);
  emit_open(b, "for (int64_t o = o0; o < o1; o++)");
  if (r->pairwise) {
    sb_line(b, "for (int64_t c = 0; c < %lld; c++) col[c] = cd_part%d[c * %lld + o];",
            (long long)r->nr, k, (long long)r->nout);
    sb_line(b, "%s s = %s(col, %lld);", at, pairwise_fn(r), (long long)r->nr);
  } else {
    sb_line(b, "%s s = %s;", at, identity(a, r));
    if (r->arg) sb_line(b, "int64_t si = -1;");
    emit_open(b, "for (int64_t c = 0; c < %lld; c++)", (long long)r->nr);
    sb_line(b, "const %s v = cd_part%d[c * %lld + o];", at, k, (long long)r->nout);
    if (r->arg) {
      sb_line(b, "const int64_t vi = cd_parti%d[c * %lld + o];", k, (long long)r->nout);
      emit_open(b, "if (vi >= 0)");
      emit_arg_update(b, r, "s", "si", "v", "vi");
      emit_close(b, NULL);
    } else {
      emit_update(b, r, "s", "v");
    }
    emit_close(b, NULL);
  }
  if (dtype_is_complex(r->acc_t) && r->rop == ROP_MEAN) /* NumPy: s / complex(count) */
    sb_line(b, "out[o] = cdrt_div_%s(s, cdrt_make_%s(%s, 0));", csuffix(r->acc_t),
            csuffix(r->acc_t), c_double(a, (double)r->count));
  else if (dtype_is_complex(r->acc_t))
    sb_line(b, "out[o] = s;");
  else if (r->rop == ROP_MEAN)
    sb_line(b, "out[o] = (%s)(s / (%s)%s);", ot, at, c_double(a, (double)r->count));
  else if (r->arg)
    sb_line(b, "out[o] = si;");
  else
    sb_line(b, "out[o] = (%s)s;", ot);
  emit_close(b, NULL);
  if (r->pairwise) sb_line(b, "free(col);");
  emit_close(b, NULL);
  const long long block = COMBINE_BLOCK, nout = (long long)r->nout;
  sb_puts(b, "\n");
  sb_line(b, "/* combine task c: outputs %lld at a time */", block);
  emit_open(b, "static void g%d_combine_block(int64_t c)", k);
  sb_line(b, "g%d_combine(c * %lld, c * %lld + %lld < %lld ? c * %lld + %lld : %lld);", k, block,
          block, block, nout, block, block, nout);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

/* gK_run: the partials, the tiles, then the combines in blocks of outputs. */
static void emit_reduce_run(GroupEmit *ge, const Red *r) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  int k = ge->gr->id;
  int64_t nparts = (r->nr * r->nout) != 0 ? r->nr * r->nout : 1;
  emit_open(b, "static void g%d_run(void)", k);
  emit_mpi_group(ge);
  emit_buffer_alloc(b, k);
  sb_line(b, "cd_part%d = cdrt_alloc(%lld * sizeof(*cd_part%d), \"reduction partials\");", k,
          (long long)nparts, k);
  if (r->arg)
    sb_line(b, "cd_parti%d = cdrt_alloc(%lld * sizeof(int64_t), \"reduction partials\");", k,
            (long long)nparts);
  /* outputs nobody needs are combined from zeros, never garbage; under --mpi the ranks'
   * partials are or-ed (index partials and-ed) together after the tiles */
  if (ge->gr->culled || ge->mpi) {
    sb_line(b, "memset(cd_part%d, 0, %lld * sizeof(*cd_part%d));", k, (long long)nparts, k);
    if (r->arg)
      sb_line(b, "memset(cd_parti%d, 0xff, %lld * sizeof(int64_t));", k, (long long)nparts);
  }
  emit_tile_loop(ge);
  Arena *a = ge->g->arena;
  emit_mpi_complete(ge, arena_printf(a, "cd_part%d", k),
                    arena_printf(a, "%lld * (int64_t)sizeof(*cd_part%d)", (long long)nparts, k),
                    (double)nparts * (double)cdrt_dtype_size(r->acc_t), false);
  if (r->arg)
    emit_mpi_complete(ge, arena_printf(a, "cd_parti%d", k),
                      arena_printf(a, "%lld * (int64_t)sizeof(int64_t)", (long long)nparts),
                      (double)nparts * 8, true);
  emit_buffer_frees(ge);
  const long long nblocks = (r->nout + COMBINE_BLOCK - 1) / COMBINE_BLOCK;
  sb_line(b, "#pragma omp taskloop num_tasks(cdrt_num_tasks(%lld))", nblocks);
  sb_line(b,
          "for (int64_t c = 0; c < %lld; c++) cdrt_task_of(CDRT_TASK_COMBINE, %d, c, "
          "g%d_combine_block, c);",
          nblocks, k, k);
  sb_line(b, "free(cd_part%d);", k);
  if (r->arg) sb_line(b, "free(cd_parti%d);", k);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

static void plan_reduction(const GroupEmit *ge, int root, Red *r) {
  const Graph *g = ge->g;
  const Node *s = &g->nodes[ge->gr->sink];
  memset(r, 0, sizeof *r);
  r->rop = s->rop;
  r->in_t = g->nodes[ge->terms[root].node].dtype;
  r->out_t = s->dtype;
  r->arg = r->rop == ROP_ARGMIN || r->rop == ROP_ARGMAX;
  r->acc_t = r->arg || r->rop == ROP_MIN || r->rop == ROP_MAX ? r->in_t : r->out_t;
  r->pairwise = reduce_is_pairwise(s);
  r->axes = s->axes;
  r->count = 1;
  int64_t os = 1, rs = 1, ds = 1;
  for (int d = ge->n - 1; d >= 0; d--) {
    r->dstride[d] = ds, ds *= ge->shape[d];
    if (r->axes >> d & 1) {
      r->count *= ge->shape[d];
      r->rstride[d] = rs, rs *= grid_chunks(ge, d);
    } else {
      r->ostride[d] = os, os *= ge->shape[d];
    }
  }
  r->nout = os, r->nr = rs;
}

void emit_reduce(GroupEmit *ge, int root) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  int k = ge->gr->id;
  Red r;
  plan_reduction(ge, root, &r);
  sb_line(b, "static %s *cd_part%d;", dtype_ctype(r.acc_t), k);
  if (r.arg) sb_line(b, "static int64_t *cd_parti%d;", k);
  sb_puts(b, "\n");
  emit_reduce_tile(ge, &r, root);
  sb_puts(b, "\n");
  if (ge->blk.on) emit_block_task(ge);
  emit_combine(ge, &r);
  sb_puts(b, "\n");
  emit_reduce_run(ge, &r);
  emit_check_depth(b, depth);
}
