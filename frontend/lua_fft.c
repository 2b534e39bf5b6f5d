/* lua_fft.c: the da.fft module, with numpy.fft's names, arguments, shapes, dtypes and norm
 * modes: fft, ifft, fft2, ifft2, fftn, ifftn, rfft, irfft, rfft2, irfft2, rfftn, irfftn,
 * fftshift, ifftshift, fftfreq, rfftfreq. A transform is one FFT node (compiled into a
 * blocked transform by runtime/fft.c); padding and truncation (n, s) are views and
 * concatenations of zeros in front of it, shifts are concatenations of two slices. */
#include "frontend.h"

#include <math.h>
#include <string.h>

/* x[lo:lo+len] along axis, a view */
static int slice_axis(lua_State *L, int id, int axis, int64_t lo, int64_t len) {
  Node x = *fe_node(L, id);
  Affine m;
  affine_identity(&m, x.ndim);
  m.off[axis] = lo;
  int64_t shape[MAXDIM];
  memcpy(shape, x.shape, sizeof shape);
  shape[axis] = len;
  return fe_view(L, id, &m, x.ndim, shape);
}

/* x cut or padded with zeros at the end to length m along axis (numpy.fft's n and s) */
static int resize_axis(lua_State *L, int id, int axis, int64_t m) {
  Node x = *fe_node(L, id);
  if (m == x.shape[axis]) return id;
  if (m < x.shape[axis]) return slice_axis(L, id, axis, 0, m);
  Node z = {.op = OP_FULL, .dtype = x.dtype, .ndim = x.ndim, .name = "zeros"};
  memcpy(z.shape, x.shape, sizeof z.shape);
  memcpy(z.chunk, x.chunk, sizeof z.chunk);
  z.shape[axis] = m - x.shape[axis];
  if (z.chunk[axis] > z.shape[axis]) z.chunk[axis] = z.shape[axis];
  int ids[2] = {id, fe_add_node(L, &z)};
  return fe_concat(L, ids, 2, axis);
}

/* np.roll(x, k, axis) */
static int roll_axis(lua_State *L, int id, int axis, int64_t k) {
  int64_t n = fe_node(L, id)->shape[axis];
  if (n == 0) return id;
  k = ((k % n) + n) % n;
  if (k == 0) return id;
  int ids[2] = {slice_axis(L, id, axis, n - k, k), slice_axis(L, id, axis, 0, n - k)};
  return fe_concat(L, ids, 2, axis);
}

typedef struct {
  int naxes;
  int axes[MAXDIM];
  int64_t s[MAXDIM]; /* the transform lengths (for C2R: the output's) */
  bool s_given;
  double scale;
} Plan;

static const FeAxisWords AXES = {"axes", "integers"};

/* (x, n_or_s, axis_or_axes, norm) as numpy.fft takes them; one_d: fft/ifft/rfft/irfft */
static Plan parse(lua_State *L, const Node *x, bool one_d, int default_naxes, FftKind kind,
                  int sign) {
  Plan p = {0};
  int ndim = x->ndim;
  int64_t s[MAXDIM];
  int ns = -1;
  if (!lua_isnoneornil(L, 2)) {
    if (one_d) {
      s[0] = fe_check_int(L, 2, "n"), ns = 1;
    } else {
      if (!lua_istable(L, 2)) fe_error(L, "s must be a table of integers");
      ns = (int)luaL_len(L, 2);
      if (ns > MAXDIM) fe_error(L, "s has more entries than an array has axes");
      for (int i = 0; i < ns; i++) {
        lua_geti(L, 2, i + 1);
        s[i] = fe_check_int(L, -1, "every entry of s");
        lua_pop(L, 1);
      }
    }
  }
  if (!lua_isnoneornil(L, 3)) {
    if (one_d || !lua_istable(L, 3)) {
      p.naxes = 1, p.axes[0] = fe_axis(L, 3, ndim, &AXES);
    } else {
      p.naxes = (int)luaL_len(L, 3);
      if (p.naxes > MAXDIM) fe_error(L, "more axes than the array has");
      fe_axis_table(L, 3, p.naxes, ndim, &AXES, NULL, p.axes); /* repeats: below */
    }
  } else {
    int n = ns >= 0 ? ns : default_naxes < 0 ? ndim : default_naxes;
    if (n > ndim) fe_error(L, "the array has %d dimension(s), the transform needs %d", ndim, n);
    p.naxes = n;
    for (int i = 0; i < n; i++) p.axes[i] = ndim - n + i;
  }
  if (ns >= 0 && ns != p.naxes) fe_error(L, "Shape and axes have different lengths.");
  for (int i = 0; i < p.naxes; i++)
    for (int j = 0; j < i; j++)
      if (p.axes[i] == p.axes[j])
        fe_error(L, "repeated axis %d in the axes of a transform", p.axes[i]);
  if (kind != CDRT_FFT_C2C && p.naxes == 0) fe_error(L, "a real transform needs at least one axis");
  for (int i = 0; i < p.naxes; i++) {
    int64_t cur = x->shape[p.axes[i]];
    if (kind == CDRT_FFT_C2R && i == p.naxes - 1) cur = 2 * (cur - 1);
    p.s[i] = ns >= 0 ? s[i] : cur;
    if (p.s[i] < 1)
      fe_error(L, "Invalid number of FFT data points (%lld) specified.", (long long)p.s[i]);
  }
  p.s_given = ns >= 0;
  /* norm: numpy's "backward" (default), "ortho", "forward" */
  const char *norm = lua_isnoneornil(L, 4) ? "backward" : fe_check_string(L, 4, "the norm", false);
  double n = 1;
  for (int i = 0; i < p.naxes; i++) n *= (double)p.s[i];
  if (strcmp(norm, "ortho") == 0)
    p.scale = 1 / sqrt(n);
  else if (strcmp(norm, "backward") == 0)
    p.scale = sign < 0 ? 1 : 1 / n;
  else if (strcmp(norm, "forward") == 0)
    p.scale = sign < 0 ? 1 / n : 1;
  else
    fe_error(L, "Invalid norm value %s; should be \"backward\", \"ortho\" or \"forward\".", norm);
  return p;
}

static int transform(lua_State *L, FftKind kind, int sign, bool one_d, int default_naxes,
                     const char *name) {
  LArray *a = fe_check_array(L, 1);
  Node x = *fe_node(L, a->id);
  if (x.ndim == 0) fe_error(L, "%s needs an array of at least one dimension", name);
  if (kind == CDRT_FFT_R2C && dtype_is_complex(x.dtype))
    fe_error(L, "%s needs a real array, got %s (use fft for complex input)", name,
             cdrt_dtype_name(x.dtype));
  Plan p = parse(L, &x, one_d, default_naxes, kind, sign);
  DType ct = dtype_complex(x.dtype);
  int id = fe_cast(L, a->id, kind == CDRT_FFT_R2C ? dtype_real(ct) : ct);
  if (p.naxes == 0) return fe_push_id(L, id); /* numpy: no axes, a copy */
  int last = p.axes[p.naxes - 1];
  for (int i = 0; i < p.naxes; i++) {
    int64_t m = kind == CDRT_FFT_C2R && i == p.naxes - 1 ? p.s[i] / 2 + 1 : p.s[i];
    id = resize_axis(L, id, p.axes[i], m);
  }
  Node in = *fe_node(L, id);
  Node n = {.op = OP_FFT,
            .dtype = kind == CDRT_FFT_C2R ? dtype_real(ct) : ct,
            .ndim = in.ndim,
            .nin = 1,
            .in = {id},
            .name = name};
  memcpy(n.shape, in.shape, sizeof n.shape);
  memcpy(n.chunk, in.chunk, sizeof n.chunk);
  n.fft.kind = kind;
  n.fft.real_axis = last;
  for (int i = 0; i < p.naxes; i++) n.axes |= 1u << p.axes[i];
  if (kind == CDRT_FFT_R2C) n.shape[last] = in.shape[last] / 2 + 1;
  if (kind == CDRT_FFT_C2R) n.shape[last] = p.s[p.naxes - 1];
  if (n.chunk[last] > n.shape[last]) n.chunk[last] = n.shape[last];
  n.fft.sign = sign;
  n.fft.scale = p.scale;
  return fe_push_id(L, fe_add_node(L, &n));
}

#define TRANSFORM(fn, kind, sign, one_d, naxes)                                                    \
  static int l_##fn(lua_State *L) {                                                                \
    return transform(L, kind, sign, one_d, naxes, #fn);                                            \
  }
TRANSFORM(fft, CDRT_FFT_C2C, -1, true, 1)
TRANSFORM(ifft, CDRT_FFT_C2C, 1, true, 1)
TRANSFORM(fft2, CDRT_FFT_C2C, -1, false, 2)
TRANSFORM(ifft2, CDRT_FFT_C2C, 1, false, 2)
TRANSFORM(fftn, CDRT_FFT_C2C, -1, false, -1)
TRANSFORM(ifftn, CDRT_FFT_C2C, 1, false, -1)
TRANSFORM(rfft, CDRT_FFT_R2C, -1, true, 1)
TRANSFORM(irfft, CDRT_FFT_C2R, 1, true, 1)
TRANSFORM(rfft2, CDRT_FFT_R2C, -1, false, 2)
TRANSFORM(irfft2, CDRT_FFT_C2R, 1, false, 2)
TRANSFORM(rfftn, CDRT_FFT_R2C, -1, false, -1)
TRANSFORM(irfftn, CDRT_FFT_C2R, 1, false, -1)

/* fftshift(x, axes) rolls every axis (default: all) by n//2; ifftshift by -(n//2) */
static int shift(lua_State *L, bool inverse) {
  LArray *a = fe_check_array(L, 1);
  int id = a->id, ndim = fe_node(L, id)->ndim;
  unsigned axes = lua_isnoneornil(L, 2) ? (1u << ndim) - 1 : fe_axes(L, 2, ndim, "repeated axis");
  for (int d = 0; d < ndim; d++)
    if (axes >> d & 1) {
      int64_t n = fe_node(L, id)->shape[d];
      id = roll_axis(L, id, d, inverse ? -(n / 2) : n / 2);
    }
  return fe_push_id(L, id);
}

static int l_fftshift(lua_State *L) {
  return shift(L, false);
}
static int l_ifftshift(lua_State *L) {
  return shift(L, true);
}

static int arange_int(lua_State *L, int64_t start, int64_t len) {
  Node n = {.op = OP_ARANGE, .dtype = CDRT_INT64, .ndim = 1, .name = "arange"};
  n.shape[0] = len, n.chunk[0] = len > 0 ? len : 1;
  n.range.istart = start, n.range.istep = 1, n.range.start = (double)start, n.range.step = 1;
  return fe_add_node(L, &n);
}

/* numpy: integers [0, 1, ..., -(n//2), ..., -1] (fftfreq) or [0, ..., n//2] (rfftfreq),
 * times 1 / (n * d) */
static int freq(lua_State *L, bool real) {
  int64_t n = fe_check_int(L, 1, "n");
  if (n < 1) fe_error(L, "n should be an integer greater than 0, got %lld", (long long)n);
  double d = lua_isnoneornil(L, 2) ? 1.0 : luaL_checknumber(L, 2);
  int id;
  if (real) {
    id = arange_int(L, 0, n / 2 + 1);
  } else {
    int64_t half = (n - 1) / 2 + 1;
    int ids[2] = {arange_int(L, 0, half), arange_int(L, -(n / 2), n / 2)};
    id = n / 2 ? fe_concat(L, ids, 2, 0) : ids[0];
  }
  fe_push_id(L, id);
  lua_pushnumber(L, 1.0 / ((double)n * d));
  return fe_push_id(L, fe_binary(L, OP_MUL, lua_gettop(L) - 1, lua_gettop(L)));
}

static int l_fftfreq(lua_State *L) {
  return freq(L, false);
}
static int l_rfftfreq(lua_State *L) {
  return freq(L, true);
}

static const luaL_Reg functions[] = {{"fft", l_fft},
                                     {"ifft", l_ifft},
                                     {"fft2", l_fft2},
                                     {"ifft2", l_ifft2},
                                     {"fftn", l_fftn},
                                     {"ifftn", l_ifftn},
                                     {"rfft", l_rfft},
                                     {"irfft", l_irfft},
                                     {"rfft2", l_rfft2},
                                     {"irfft2", l_irfft2},
                                     {"rfftn", l_rfftn},
                                     {"irfftn", l_irfftn},
                                     {"fftshift", l_fftshift},
                                     {"ifftshift", l_ifftshift},
                                     {"fftfreq", l_fftfreq},
                                     {"rfftfreq", l_rfftfreq},
                                     {NULL, NULL}};

void fe_open_fft(lua_State *L, const FeTables *t) {
  lua_newtable(L);
  luaL_setfuncs(L, functions, 0);
  lua_setfield(L, t->module, "fft");
}
