/* emit_fft.c: an FFT group's transform. The group's tiles have written the transform's
 * input (with any elementwise work before it fused in) to the FFT node's own buffer (c2c;
 * r2c along the last axis, rows padded) or to a scratch array cd_fftinK (other r2c, c2r);
 * these runtime calls then transform it:
 *   c2c: all axes in place;
 *   r2c: the real axis from scratch into the buffer, then the other axes in place;
 *   c2r: the other axes in place in scratch, then the real axis into the buffer.
 * The scale of the norm mode is applied once, by the last call. */
#include "emit.h"

static const char *shape_array(GroupEmit *ge, const char *name, const Node *x) {
  Arena *a = ge->g->arena;
  StrBuf s;
  sb_init(&s);
  for (int d = 0; d < x->ndim; d++) sb_printf(&s, d ? ", %lld" : "%lld", (long long)x->shape[d]);
  sb_line(ge->b, "static const int64_t %s%d[%d] = {%s};", name, ge->gr->id, x->ndim, s.data);
  sb_free(&s);
  return arena_printf(a, "%s%d", name, ge->gr->id);
}

void emit_fft_calls(GroupEmit *ge) {
  Graph *g = ge->g;
  StrBuf *b = ge->b;
  const Node *x = &g->nodes[ge->gr->sink], *in = &g->nodes[x->in[0]];
  int k = ge->gr->id, buf = ge->buffer_of[ge->gr->sink];
  bool f32 = x->dtype == CDRT_COMPLEX64 || x->dtype == CDRT_FLOAT32;
  const char *p = f32 ? "f32" : "f64", *rt = f32 ? "float" : "double";
  const char *scale = c_double(g->arena, x->fft.scale);
  const char *ishape = shape_array(ge, "g_in_shape", in);
  const char *oshape = shape_array(ge, "g_out_shape", x);
  unsigned other = x->fft.kind == CDRT_FFT_C2C ? x->axes : x->axes & ~(1u << x->fft.real_axis);
  const char *out = arena_printf(g->arena, "(%s *)cd_buffers[%d].data", rt, buf);
  const char *tmp = arena_printf(g->arena, "(%s *)cd_fftin%d", rt, k);
  switch (x->fft.kind) {
  case CDRT_FFT_C2C:
    sb_line(b, "cdrt_fft_c2c_%s(%s, %d, %s, 0x%xu, %d, %s);", p, out, x->ndim, oshape, x->axes,
            x->fft.sign, scale);
    break;
  case CDRT_FFT_R2C:
    if (ge->gr->r2c_in_place) /* the tiles wrote the rows padded, into the buffer */
      sb_line(b, "cdrt_fft_r2c_inplace_%s(%s, %d, %s, %s);", p, out, x->ndim, ishape,
              other ? "1.0" : scale);
    else
      sb_line(b, "cdrt_fft_r2c_%s(%s, %s, %d, %s, %d, %s);", p, tmp, out, x->ndim, ishape,
              x->fft.real_axis, other ? "1.0" : scale);
    if (other)
      sb_line(b, "cdrt_fft_c2c_%s(%s, %d, %s, 0x%xu, -1, %s);", p, out, x->ndim, oshape, other,
              scale);
    break;
  default:
    if (other)
      sb_line(b, "cdrt_fft_c2c_%s(%s, %d, %s, 0x%xu, 1, 1.0);", p, tmp, x->ndim, ishape, other);
    sb_line(b, "cdrt_fft_c2r_%s(%s, %s, %d, %s, %d, %s);", p, tmp, out, x->ndim, oshape,
            x->fft.real_axis, scale);
  }
}
