/* emit_fft.c: an FFT group's transform. The group's tiles have written the transform's
 * input (with any elementwise work before it fused in) to the FFT node's own buffer (c2c;
 * r2c along the last axis, rows padded) or to a scratch array cd_fftinK (other r2c, c2r);
 * these runtime calls then transform it:
 *   c2c: all axes in place;
 *   r2c: the real axis from scratch into the buffer, then the other axes in place;
 *   c2r: the other axes in place in scratch, then the real axis into the buffer.
 * The scale of the norm mode is applied once, by the last call. */
#include "emit.h"

/* What an FFT group's calls name: their precision, arrays, shapes and scale. */
typedef struct {
  const char *p;               /* "f32" or "f64" */
  const char *out, *tmp;       /* the node's buffer; the scratch input cd_fftinK */
  const char *ishape, *oshape; /* names of the input's and the output's shape arrays */
  const char *scale;
  unsigned other; /* the axes transformed complex to complex (c2c: all) */
} FftCall;

static FftCall fft_call(const GroupEmit *ge) {
  Arena *a = ge->g->arena;
  const Node *x = &ge->g->nodes[ge->gr->sink];
  int k = ge->gr->id;
  bool f32 = x->dtype == CDRT_COMPLEX64 || x->dtype == CDRT_FLOAT32;
  const char *rt = f32 ? "float" : "double";
  return (FftCall){
      .p = f32 ? "f32" : "f64",
      .out = arena_printf(a, "(%s *)cd_buffers[%d].data", rt, ge->buffer_of[ge->gr->sink]),
      .tmp = arena_printf(a, "(%s *)cd_fftin%d", rt, k),
      .ishape = arena_printf(a, "g_in_shape%d", k),
      .oshape = arena_printf(a, "g_out_shape%d", k),
      .scale = c_double(a, x->fft.scale),
      .other = x->fft.kind == CDRT_FFT_C2C ? x->axes : x->axes & ~(1u << x->fft.real_axis),
  };
}

/* c2c passes run from the last axis of the mask to the first (fft.c fft_c2c_body) */
static int highest_axis(unsigned mask, int ndim, const int64_t *shape) {
  for (int d = ndim - 1; d >= 0; d--)
    if ((mask >> d & 1) && shape[d] > 1) return d;
  return -1;
}

int fft_first_pass_axis(const GroupEmit *ge) {
  const Node *x = &ge->g->nodes[ge->gr->sink], *in = &ge->g->nodes[x->in[0]];
  FftCall c = fft_call(ge);
  if (x->fft.kind == CDRT_FFT_C2C) return highest_axis(x->axes, x->ndim, x->shape);
  if (x->fft.kind == CDRT_FFT_R2C) return x->fft.real_axis;
  int d = highest_axis(c.other, in->ndim, in->shape); /* c2r: the complex passes first */
  return d >= 0 ? d : x->fft.real_axis;
}

static void emit_fft_calls(GroupEmit *ge) {
  StrBuf *b = ge->b;
  Arena *a = ge->g->arena;
  const Node *x = &ge->g->nodes[ge->gr->sink], *in = &ge->g->nodes[x->in[0]];
  FftCall c = fft_call(ge);
  bool c2c = x->fft.kind == CDRT_FFT_C2C; /* the shapes the calls below name */
  bool r2c_only = x->fft.kind == CDRT_FFT_R2C && !c.other, c2r_only = !c2c && !r2c_only && !c.other;
  if (!c2c && !c2r_only)
    sb_line(b, "static const int64_t %s[%d] = %s;", c.ishape, in->ndim,
            int_list(a, in->ndim, in->shape));
  if (!r2c_only)
    sb_line(b, "static const int64_t %s[%d] = %s;", c.oshape, x->ndim,
            int_list(a, x->ndim, x->shape));
  switch (x->fft.kind) {
  case CDRT_FFT_C2C:
    sb_line(b, "cdrt_fft_c2c_%s(%s, %d, %s, 0x%xu, %d, %s);", c.p, c.out, x->ndim, c.oshape,
            x->axes, x->fft.sign, c.scale);
    break;
  case CDRT_FFT_R2C:
    if (ge->gr->r2c_in_place) /* the tiles wrote the rows padded, into the buffer */
      sb_line(b, "cdrt_fft_r2c_inplace_%s(%s, %d, %s, %s);", c.p, c.out, x->ndim, c.ishape,
              c.other ? "1.0" : c.scale);
    else
      sb_line(b, "cdrt_fft_r2c_%s(%s, %s, %d, %s, %d, %s);", c.p, c.tmp, c.out, x->ndim, c.ishape,
              x->fft.real_axis, c.other ? "1.0" : c.scale);
    if (c.other)
      sb_line(b, "cdrt_fft_c2c_%s(%s, %d, %s, 0x%xu, -1, %s);", c.p, c.out, x->ndim, c.oshape,
              c.other, c.scale);
    break;
  case CDRT_FFT_C2R:
    if (c.other)
      sb_line(b, "cdrt_fft_c2c_%s(%s, %d, %s, 0x%xu, 1, 1.0);", c.p, c.tmp, x->ndim, c.ishape,
              c.other);
    sb_line(b, "cdrt_fft_c2r_%s(%s, %s, %d, %s, %d, %s);", c.p, c.tmp, c.out, x->ndim, c.oshape,
            x->fft.real_axis, c.scale);
  }
}

/* The transform is one task of its group (diag.c records it), run after the tiles. */
void emit_fft_transform(GroupEmit *ge, bool needs) {
  StrBuf *b = ge->b;
  int depth = emit_depth(b);
  emit_open(b, "static void g%d_transform(int64_t step)", ge->gr->id);
  sb_line(b, "(void)step;");
  emit_fft_calls(ge);
  if (ge->mpi && needs) /* from the ranks' slabs, what each rank's readers read */
    sb_line(b, "cdrt_fft_settle_needs(g%d_needs);", ge->gr->id);
  else if (ge->mpi)
    sb_line(b, "cdrt_fft_settle(); /* the ranks' slabs, whole on every rank */");
  emit_close(b, NULL);
  emit_check_depth(b, depth);
  sb_puts(b, "\n");
}
