/* emit_group.c: one fused group as C: a tile function (one loop nest over a chunk of the
 * domain, strips of the innermost axis), for reductions a combine function (partials of
 * the chunks along the reduced axes, folded in a tree fixed by the chunk grid), and a run
 * function that spawns the tiles as OpenMP tasks. */
#include "emit.h"

#include <string.h>

typedef struct {
  ReduceOp rop;
  DType in_t;  /* the type of the values reduced */
  DType acc_t; /* accumulator and partial type */
  DType out_t;
  bool arg;      /* argmin/argmax */
  bool pairwise; /* floating point sum, mean, prod */
  unsigned axes; /* over the emitted domain */
  int64_t count; /* elements per output */
  int64_t nout;  /* output elements */
  int64_t nr;    /* chunks along the reduced axes */
  int64_t ostride[MAXDIM], rstride[MAXDIM], dstride[MAXDIM];
} Red;

static int64_t nchunks(const GroupEmit *ge, int d) {
  return ge->shape[d] ? (ge->shape[d] + ge->chunk[d] - 1) / ge->chunk[d] : 0;
}

static const char *csuffix(DType t) {
  return t == CDRT_COMPLEX64 ? "c64" : "c128";
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
  default: (void)a; return "0";
  }
}

/* `r = r (op) v` for everything but the pairwise and arg cases. */
static void emit_update(StrBuf *b, const Red *r, const char *acc, const char *v) {
  bool fl = dtype_is_float(r->acc_t);
  if (dtype_is_complex(r->acc_t)) { /* sum, mean, prod: in order */
    sb_line(b, "%s = cdrt_%s_%s(%s, %s);", acc, r->rop == ROP_PROD ? "mul" : "add",
            csuffix(r->acc_t), acc, v);
    return;
  }
  const char *s = r->acc_t == CDRT_INT32 ? "i32" : "i64";
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
  case ROP_MIN:
    if (fl)
      sb_line(b, "%s = (%s != %s || %s <= %s) ? %s : %s;", acc, acc, acc, acc, v, acc, v);
    else
      sb_line(b, "%s = %s < %s ? %s : %s;", acc, v, acc, v, acc);
    break;
  case ROP_MAX:
    if (fl)
      sb_line(b, "%s = (%s != %s || %s >= %s) ? %s : %s;", acc, acc, acc, acc, v, acc, v);
    else
      sb_line(b, "%s = %s > %s ? %s : %s;", acc, v, acc, v, acc);
    break;
  case ROP_ANY: sb_line(b, "%s |= %s;", acc, v); break;
  case ROP_ALL: sb_line(b, "%s &= %s;", acc, v); break;
  default: break;
  }
}

/* argmin/argmax: take (v, i) over (r, ri) if it is better, ties to the smaller index and
 * the first NaN winning, as NumPy. */
static void emit_arg_update(StrBuf *b, const Red *r, const char *acc, const char *acci,
                            const char *v, const char *i) {
  const char *cmp = r->rop == ROP_ARGMIN ? "<" : ">";
  if (dtype_is_float(r->acc_t))
    emit_open(b,
              "if (%s < 0 || (%s != %s ? (%s == %s || %s < %s) : (%s == %s && (%s %s %s || "
              "(%s == %s && %s < %s)))))",
              acci, v, v, acc, acc, i, acci, acc, acc, v, cmp, acc, v, acc, i, acci);
  else
    emit_open(b, "if (%s < 0 || %s %s %s || (%s == %s && %s < %s))", acci, v, cmp, acc, v, acc, i,
              acci);
  sb_line(b, "%s = %s;", acc, v);
  sb_line(b, "%s = %s;", acci, i);
  emit_close(b, NULL);
}

/* Loops run over the sub-box slo/shi of the tile lo/hi (the whole tile unless blocked). */
static void open_axis(StrBuf *b, int d) {
  emit_open(b, "for (int64_t i%d = slo[%d]; i%d < shi[%d]; i%d++)", d, d, d, d, d);
}

static void open_tile_axis(StrBuf *b, int d) {
  emit_open(b, "for (int64_t i%d = lo[%d]; i%d < hi[%d]; i%d++)", d, d, d, d, d);
}

static void open_strip(StrBuf *b, int last) {
  emit_open(b, "for (int64_t j0 = slo[%d]; j0 < shi[%d]; j0 += CDRT_STRIP)", last, last);
  sb_line(b, "const int64_t n = shi[%d] - j0 < CDRT_STRIP ? shi[%d] - j0 : CDRT_STRIP;", last,
          last);
}

/* Where strips change no bits (elementwise stores, partials with the last axis kept) and
 * no term needs a strip buffer, a row is one strip: the loop nest is then simple enough
 * for the C compiler to unroll and jam the rows (one load and store of a partial for
 * several rows: ones((20000, 20000)).mean(0) runs twice as fast). */
static void open_row_or_strips(GroupEmit *ge, int root) {
  int last = ge->n - 1;
  if (needs_strip_buffers(ge, root)) {
    open_strip(ge->b, last);
    return;
  }
  sb_line(ge->b, "{");
  ge->b->indent++;
  sb_line(ge->b, "const int64_t j0 = slo[%d], n = shi[%d] - slo[%d];", last, last, last);
}

/* sum_k stride[k] * i<k> over the axes in mask (the strip axis as j0 when included) */
static const char *linear(Arena *a, const int64_t *stride, unsigned mask, int last) {
  StrBuf s;
  sb_init(&s);
  sb_puts(&s, "0");
  for (int d = 0; d <= last; d++)
    if ((mask >> d & 1) && stride[d]) {
      if (d == last)
        sb_printf(&s, " + %lld * j0", (long long)stride[d]);
      else
        sb_printf(&s, " + %lld * i%d", (long long)stride[d], d);
    }
  const char *r = arena_strdup(a, s.data);
  sb_free(&s);
  return r;
}

static void emit_tile_head(GroupEmit *ge) {
  StrBuf *b = ge->b;
  int k = ge->gr->id;
  sb_line(b, "int64_t lo[%d], hi[%d];", ge->n, ge->n);
  sb_line(b, "cdrt_tile_box(tile, %d, g%d_lo, g%d_hi, g%d_chunk, lo, hi);", ge->n, k, k, k);
  if (!ge->blk.on) {
    sb_line(b, "const int64_t *slo = lo, *shi = hi;");
    sb_line(b, "const int first = 1, fin = 1;");
  }
  sb_line(b, "(void)first, (void)fin;");
  emit_term_decls(ge);
}

/* prev (op) v for a cumulative sum or product, wrapping like NumPy for integers */
static const char *scan_update(Arena *a, ReduceOp rop, DType t, const char *prev, const char *v) {
  bool sum = rop == ROP_SUM;
  if (dtype_is_float(t)) return arena_printf(a, "%s %s %s", prev, sum ? "+" : "*", v);
  return arena_printf(a, "cdrt_%s_%s(%s, %s)", sum ? "add" : "mul", t == CDRT_INT32 ? "i32" : "i64",
                      prev, v);
}

static void emit_buffer_alloc(StrBuf *b, int k) {
  sb_line(b, "cdrt_buffer_alloc(&cd_buffers[%d]);", k);
}

/* The start of gK_run: the group's buffer, new or (in place) the dying input's memory,
 * which the tiles still read through that input's entry until emit_buffer_frees. */
static void emit_buffer_take(GroupEmit *ge) {
  int k = ge->gr->id;
  if (ge->gr->donor >= 0)
    sb_line(ge->b, "cd_buffers[%d].data = cd_buffers[%d].data; /* in place: it dies here */", k,
            ge->gr->donor);
  else
    emit_buffer_alloc(ge->b, k);
}

/* The tiles as tasks; none when, in place, they would copy an array onto itself. */
static void emit_tile_loop(GroupEmit *ge) {
  StrBuf *b = ge->b;
  int k = ge->gr->id;
  if (ge->gr->copy_only) {
    sb_line(b, "(void)g%d_%s; /* in place over its own input: nothing to copy */", k,
            ge->blk.on ? "task" : "tile");
    return;
  }
  if (ge->blk.on) emit_block_alloc(ge, true);
  sb_line(b, "#pragma omp taskloop num_tasks(cdrt_num_tasks(%lld))", (long long)ge->gr->ntiles);
  sb_line(b, "for (int64_t t = 0; t < %lld; t++) g%d_%s(t);", (long long)ge->gr->ntiles, k,
          ge->blk.on ? "task" : "tile");
  if (ge->blk.on) emit_block_alloc(ge, false);
}

/* After the tiles: the inputs read for the last time are freed; a donor's memory now
 * belongs to this group. */
static void emit_buffer_frees(GroupEmit *ge) {
  if (ge->gr->donor >= 0) sb_line(ge->b, "cd_buffers[%d].data = NULL;", ge->gr->donor);
  for (int i = 0; i < ge->gr->nfrees; i++)
    sb_line(ge->b, "cdrt_buffer_free(&cd_buffers[%d]);", ge->gr->frees[i]);
}

static void emit_store(GroupEmit *ge, int root) {
  StrBuf *b = ge->b;
  Arena *a = ge->g->arena;
  int k = ge->gr->id, last = ge->n - 1;
  const Node *sink = &ge->g->nodes[ge->gr->sink];
  /* an FFT's input is written to its own buffer (c2c, transformed in place; r2c along the
   * last axis: real rows padded to n/2+1 complex, FFTW's in-place layout) or to a scratch
   * array of the input's type (r2c along another axis, c2r) */
  bool padded = ge->gr->r2c_in_place, scratch = ge->gr->fft_scratch;
  const char *ct = dtype_ctype(scratch || padded ? ge->g->nodes[sink->in[0]].dtype : sink->dtype);
  int64_t stride[MAXDIM], s = 1;
  for (int d = last; d >= 0; d--)
    stride[d] = s, s *= padded && d == last ? 2 * (ge->shape[d] / 2 + 1) : ge->shape[d];
  int ax = ge->gr->kind == G_SCAN ? sink->axis : -1;
  if (scratch) sb_line(b, "static %s *cd_fftin%d;", ct, k);
  emit_open(b, "static void g%d_tile(int64_t tile%s)", k, tile_params(ge));
  emit_tile_head(ge);
  if (scratch)
    sb_line(b, "%s *out = cd_fftin%d;", ct, k);
  else
    sb_line(b, "%s *out = (%s *)cd_buffers[%d].data;", ct, ct, ge->buffer_of[ge->gr->sink]);
  for (int d = 0; d < last; d++) open_axis(b, d);
  if (ax == last) sb_line(b, "%s acc = 0;", ct);
  open_row_or_strips(ge, root);
  emit_strip_stages(ge, root);
  sb_line(b, "%s *dst = out + %s;", ct, linear(a, stride, ~0u, last));
  emit_open(b, "for (int64_t j = 0; j < n; j++)");
  bool *done = arena_alloc(a, (size_t)ge->nterms);
  emit_loop_value(ge, root, done);
  if (ax < 0) {
    sb_line(b, "dst[j] = %s;", term_ref(ge, root));
  } else {
    /* NumPy's accumulate: out[0] = x[0], out[i] = out[i - 1] op x[i], in order */
    const char *v = arena_printf(a, "(%s)%s", ct, term_ref(ge, root));
    const char *prev = ax == last ? "acc" : arena_printf(a, "dst[j - %lld]", (long long)stride[ax]);
    const char *first = ax == last ? "j0 + j == 0" : arena_printf(a, "i%d == 0", ax);
    const char *upd = scan_update(a, sink->rop, sink->dtype, prev, "v");
    sb_line(b, "const %s v = %s;", ct, v);
    if (ax == last) {
      sb_line(b, "acc = %s ? v : %s;", first, upd);
      sb_line(b, "dst[j] = acc;");
    } else {
      sb_line(b, "dst[j] = %s ? v : %s;", first, upd);
    }
  }
  emit_close(b, NULL);
  for (int d = 0; d <= last; d++) emit_close(b, NULL);
  emit_term_frees(ge);
  emit_close(b, NULL);
  sb_puts(b, "\n");
  if (ge->blk.on) emit_block_task(ge);
  emit_open(b, "static void g%d_run(void)", k);
  int donor = ge->gr->donor;
  if (scratch && donor >= 0)
    sb_line(b, "cd_fftin%d = (%s *)cd_buffers[%d].data; /* in place: it dies here */", k, ct,
            donor);
  else if (scratch)
    sb_line(b, "cd_fftin%d = cdrt_alloc(%lld * sizeof(%s), \"transform input\");", k,
            (long long)(s ? s : 1), ct);
  else
    emit_buffer_take(ge);
  emit_tile_loop(ge);
  emit_buffer_frees(ge);
  if (scratch) emit_buffer_alloc(b, k);
  if (ge->gr->kind == G_FFT) emit_fft_calls(ge);
  if (scratch) sb_line(b, "free(cd_fftin%d);", k);
  emit_close(b, NULL);
}

/* NumPy sums pairwise; its products are plain left-to-right loops. (The accumulator of a
 * sum or mean has the output's type.) */
bool reduce_is_pairwise(const Node *sink) {
  return dtype_is_float(sink->dtype) && (sink->rop == ROP_SUM || sink->rop == ROP_MEAN);
}

static const char *pairwise_fn(const Red *r) {
  return r->acc_t == CDRT_FLOAT32 ? "cdrt_pairwise_sum_f32" : "cdrt_pairwise_sum_f64";
}

static void emit_reduce_tile(GroupEmit *ge, const Red *r, int root) {
  StrBuf *b = ge->b;
  Arena *a = ge->g->arena;
  int k = ge->gr->id, last = ge->n - 1;
  const char *at = dtype_ctype(r->acc_t);
  unsigned kept = ~r->axes & ((1u << ge->n) - 1);
  bool case_b = r->axes >> last & 1;
  bool *done = arena_alloc(a, (size_t)ge->nterms);
  const char *v = dtype_is_complex(r->acc_t) ? term_ref(ge, root)
                                             : arena_printf(a, "(%s)%s", at, term_ref(ge, root));
  int raxis = 0; /* the reduced axis of an arg reduction along one axis */
  bool flat = r->arg && __builtin_popcount(r->axes) > 1;
  for (int d = 0; d < ge->n; d++)
    if (r->axes >> d & 1) raxis = d;

  emit_open(b, "static void g%d_tile(int64_t tile%s)", k, tile_params(ge));
  emit_tile_head(ge);
  StrBuf rc;
  sb_init(&rc);
  sb_puts(&rc, "0");
  for (int d = 0; d < ge->n; d++)
    if (r->axes >> d & 1)
      sb_printf(&rc, " + %lld * (lo[%d] / %lld)", (long long)r->rstride[d], d,
                (long long)ge->chunk[d]);
  sb_line(b, "const int64_t rc = %s;", rc.data);
  sb_free(&rc);
  sb_line(b, "%s *part = cd_part%d + rc * %lld;", at, k, (long long)r->nout);
  if (r->arg) sb_line(b, "int64_t *parti = cd_parti%d + rc * %lld;", k, (long long)r->nout);

  if (!case_b) {
    /* the last axis is kept: partial rows accumulate strip by strip, from the identity
     * set over the whole tile before its first sub-box */
    emit_open(b, "if (first)");
    for (int d = 0; d < last; d++)
      if (kept >> d & 1) open_tile_axis(b, d);
    sb_line(b, "const int64_t od = %s;", linear(a, r->ostride, kept & ~(1u << last), last));
    emit_open(b, "for (int64_t j = lo[%d]; j < hi[%d]; j++)", last, last);
    sb_line(b, "part[od + j] = %s;", identity(a, r));
    if (r->arg) sb_line(b, "parti[od + j] = -1;");
    emit_close(b, NULL);
    for (int d = 0; d < last; d++)
      if (kept >> d & 1) emit_close(b, NULL);
    emit_close(b, NULL);
    for (int d = 0; d < last; d++) open_axis(b, d);
    open_row_or_strips(ge, root);
    emit_strip_stages(ge, root);
    sb_line(b, "%s *acc = part + %s;", at, linear(a, r->ostride, kept, last));
    if (r->arg) sb_line(b, "int64_t *acci = parti + %s;", linear(a, r->ostride, kept, last));
    emit_open(b, "for (int64_t j = 0; j < n; j++)");
    emit_loop_value(ge, root, done);
    if (r->arg) {
      sb_line(b, "const %s v = %s;", at, v);
      emit_arg_update(b, r, "acc[j]", "acci[j]", "v", arena_printf(a, "i%d", raxis));
    } else {
      emit_update(b, r, "acc[j]", v);
    }
    emit_close(b, NULL);
    for (int d = 0; d <= last; d++) emit_close(b, NULL);
    emit_term_frees(ge);
    emit_close(b, NULL);
    return;
  }

  /* the last axis is reduced: per output, strips reduce to scalars, combined pairwise.
   * A whole-array sum keeps its rows by position, so a blocked task may fill them in any
   * order of sub-boxes (the task owns them then); otherwise they come in order. */
  bool whole = r->pairwise && kept == 0, own = r->pairwise && !(whole && ge->blk.on);
  int64_t rows = 1;
  for (int d = 0; d < last; d++)
    if (r->axes >> d & 1) rows *= ge->chunk[d];
  rows *= (ge->chunk[last] + CDRT_STRIP - 1) / CDRT_STRIP;
  if (r->pairwise) sb_line(b, "%s vbuf[CDRT_STRIP];", at);
  if (own)
    sb_line(b, "%s *rows = cdrt_alloc(%lld * sizeof(%s), \"reduction rows\");", at, (long long)rows,
            at);
  if (whole) {
    sb_line(b, "const int64_t ns = (hi[%d] - lo[%d] + CDRT_STRIP - 1) / CDRT_STRIP;", last, last);
    StrBuf nr;
    sb_init(&nr);
    sb_puts(&nr, "ns");
    for (int d = 0; d < last; d++) sb_printf(&nr, " * (hi[%d] - lo[%d])", d, d);
    sb_line(b, "const int64_t nr = %s;", nr.data);
    sb_free(&nr);
  }
  for (int d = 0; d < last; d++)
    if (kept >> d & 1) open_axis(b, d);
  sb_line(b, "const int64_t o = %s;", linear(a, r->ostride, kept, last));
  if (r->pairwise && !whole) {
    sb_line(b, "int64_t nr = 0;");
  } else if (!r->pairwise) {
    sb_line(b, "%s r = %s;", at, identity(a, r));
    if (r->arg) sb_line(b, "int64_t ri = -1;");
  }
  const char *pos = "0";
  for (int d = 0; d < last; d++)
    if (r->axes >> d & 1) {
      open_axis(b, d);
      if (whole) {
        sb_line(b, "const int64_t rp%d = %s * (hi[%d] - lo[%d]) + (i%d - lo[%d]);", d, pos, d, d, d,
                d);
        pos = arena_printf(a, "rp%d", d);
      }
    }
  open_strip(b, last);
  emit_strip_stages(ge, root);
  if (flat) sb_line(b, "const int64_t fbase = %s;", linear(a, r->dstride, ~0u, last));
  emit_open(b, "for (int64_t j = 0; j < n; j++)");
  emit_loop_value(ge, root, done);
  if (r->pairwise) {
    sb_line(b, "vbuf[j] = %s;", v);
  } else if (r->arg) {
    sb_line(b, "const %s v = %s;", at, v);
    emit_arg_update(b, r, "r", "ri", "v", flat ? "(fbase + j)" : "(j0 + j)");
  } else {
    emit_update(b, r, "r", v);
  }
  emit_close(b, NULL);
  if (whole)
    sb_line(b, "rows[%s * ns + (j0 - lo[%d]) / CDRT_STRIP] = %s(vbuf, n);", pos, last,
            pairwise_fn(r));
  else if (r->pairwise)
    sb_line(b, "rows[nr++] = %s(vbuf, n);", pairwise_fn(r));
  emit_close(b, NULL); /* strip */
  for (int d = 0; d < last; d++)
    if (r->axes >> d & 1) emit_close(b, NULL);
  if (whole) {
    sb_line(b, "if (fin) part[o] = %s(rows, nr);", pairwise_fn(r));
  } else if (r->pairwise) {
    sb_line(b, "part[o] = %s(rows, nr);", pairwise_fn(r));
  } else {
    sb_line(b, "part[o] = r;");
    if (r->arg) sb_line(b, "parti[o] = ri;");
  }
  for (int d = 0; d < last; d++)
    if (kept >> d & 1) emit_close(b, NULL);
  if (own) sb_line(b, "free(rows);");
  emit_term_frees(ge);
  emit_close(b, NULL);
}

static void emit_combine(GroupEmit *ge, const Red *r) {
  StrBuf *b = ge->b;
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
}

static void emit_reduce(GroupEmit *ge, int root) {
  StrBuf *b = ge->b;
  Graph *g = ge->g;
  const Node *s = &g->nodes[ge->gr->sink];
  Red r;
  memset(&r, 0, sizeof r);
  r.rop = s->rop;
  r.in_t = g->nodes[ge->terms[root].node].dtype;
  r.out_t = s->dtype;
  r.arg = r.rop == ROP_ARGMIN || r.rop == ROP_ARGMAX;
  r.acc_t = r.arg || r.rop == ROP_MIN || r.rop == ROP_MAX ? r.in_t : r.out_t;
  r.pairwise = reduce_is_pairwise(s);
  r.axes = s->axes;
  int last = ge->n - 1;
  r.count = 1, r.nout = 1, r.nr = 1;
  int64_t os = 1, rs = 1, ds = 1;
  for (int d = last; d >= 0; d--) {
    r.dstride[d] = ds, ds *= ge->shape[d];
    if (r.axes >> d & 1) {
      r.count *= ge->shape[d];
      r.rstride[d] = rs, rs *= nchunks(ge, d);
    } else {
      r.ostride[d] = os, os *= ge->shape[d];
    }
  }
  r.nout = os, r.nr = rs;
  int k = ge->gr->id;
  sb_line(b, "static %s *cd_part%d;", dtype_ctype(r.acc_t), k);
  if (r.arg) sb_line(b, "static int64_t *cd_parti%d;", k);
  sb_puts(b, "\n");
  emit_reduce_tile(ge, &r, root);
  sb_puts(b, "\n");
  if (ge->blk.on) emit_block_task(ge);
  emit_combine(ge, &r);
  sb_puts(b, "\n");
  int64_t nparts = (r.nr * r.nout) != 0 ? r.nr * r.nout : 1;
  emit_open(b, "static void g%d_run(void)", k);
  emit_buffer_alloc(b, k);
  sb_line(b, "cd_part%d = cdrt_alloc(%lld * sizeof(*cd_part%d), \"reduction partials\");", k,
          (long long)nparts, k);
  if (r.arg)
    sb_line(b, "cd_parti%d = cdrt_alloc(%lld * sizeof(int64_t), \"reduction partials\");", k,
            (long long)nparts);
  if (ge->gr->culled) { /* outputs nobody needs are combined from zeros, never garbage */
    sb_line(b, "memset(cd_part%d, 0, %lld * sizeof(*cd_part%d));", k, (long long)nparts, k);
    if (r.arg)
      sb_line(b, "memset(cd_parti%d, 0xff, %lld * sizeof(int64_t));", k, (long long)nparts);
  }
  emit_tile_loop(ge);
  emit_buffer_frees(ge);
  const int64_t block = 4096;
  sb_line(b, "#pragma omp taskloop num_tasks(cdrt_num_tasks(%lld))",
          (long long)((r.nout + block - 1) / block));
  sb_line(
      b,
      "for (int64_t o = 0; o < %lld; o += %lld) g%d_combine(o, o + %lld < %lld ? o + %lld : %lld);",
      (long long)r.nout, (long long)block, k, (long long)block, (long long)r.nout, (long long)block,
      (long long)r.nout);
  sb_line(b, "free(cd_part%d);", k);
  if (r.arg) sb_line(b, "free(cd_parti%d);", k);
  emit_close(b, NULL);
}

void emit_group(GroupEmit *ge) {
  Group *gr = ge->gr;
  Graph *g = ge->g;
  StrBuf *b = ge->b;
  ge->n = gr->ndim > 0 ? gr->ndim : 1;
  for (int d = 0; d < ge->n; d++) {
    ge->shape[d] = gr->ndim ? gr->shape[d] : 1;
    ge->chunk[d] = gr->ndim ? gr->chunk[d] : 1;
    ge->lo[d] = gr->ndim ? gr->lo[d] : 0;
    ge->hi[d] = gr->ndim ? gr->hi[d] : 1;
  }
  bool from_input = gr->kind != G_STORE; /* the domain is the sink's input */
  int root = from_input ? g->nodes[gr->sink].in[0] : gr->sink;
  ge->computed_root = from_input ? -1 : gr->sink;
  Affine m;
  memset(&m, 0, sizeof m);
  m.nin = g->nodes[root].ndim, m.nout = ge->n;
  for (int d = 0; d < m.nin; d++) m.a[d][d] = 1;
  int rt = term_build(ge, root, &m);
  blocking_plan(ge);

  sb_printf(b, "static const int64_t g%d_lo[%d] = {", gr->id, ge->n);
  for (int d = 0; d < ge->n; d++) sb_printf(b, d ? ", %lld" : "%lld", (long long)ge->lo[d]);
  sb_printf(b, "};\nstatic const int64_t g%d_hi[%d] = {", gr->id, ge->n);
  for (int d = 0; d < ge->n; d++) sb_printf(b, d ? ", %lld" : "%lld", (long long)ge->hi[d]);
  sb_printf(b, "};\nstatic const int64_t g%d_chunk[%d] = {", gr->id, ge->n);
  for (int d = 0; d < ge->n; d++) sb_printf(b, d ? ", %lld" : "%lld", (long long)ge->chunk[d]);
  sb_puts(b, "};\n");
  if (gr->kind == G_REDUCE)
    emit_reduce(ge, rt);
  else
    emit_store(ge, rt);
}
