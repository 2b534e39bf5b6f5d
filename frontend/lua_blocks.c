/* lua_blocks.c: da.map_blocks and da.map_overlap, with Dask's semantics.
 *
 * With a C kernel (a cd.cfile kernel object) the call is one OP_MAP_BLOCKS node: the
 * positional arguments bind, in order, to the kernel's KP_IN (arrays) and KP_VALUE (numbers,
 * made 0-d `full` inputs, or 0-d arrays such as a mean, stored) parameters; its one KP_OUT
 * parameter is the output block, whose pointee is the output's dtype (the function is never called
 * to infer it); a KP_BLOCK parameter receives the blocks' descriptions (cdask_kernel.h). Blocks are
 * paired by their index in the chunk grid, as Dask's map_blocks does: inputs are aligned right, and
 * along each axis every input has the grid's number of blocks or one (broadcast). The output's
 * chunks are the first input's, or chunks=; drop_axis hands the kernel whole axes, new_axis
 * adds axes of one element. map_overlap adds depth (per axis) and boundary: each input
 * block has its halo (NumPy's 'symmetric' for reflect), and with trim the kernel's output
 * has the halo of its first input too, cut off after the call ("none": interior sides
 * only); arrays whose chunks differ are rechunked like the first (Dask aligns them to
 * their common chunks). Unlike Dask, blocks smaller than the depth are not rechunked: the
 * halo reaches into several neighbours, and a stencil gives the same values.
 *
 * With a Lua function the call traces it once on the whole arrays (after padding them
 * with the boundary for map_overlap, then trimming): right for functions that work
 * element by element or through a halo no wider than depth, which is what blockwise code
 * with no block_info is; chunks, drop_axis, new_axis and block_info need a C kernel. */
#include "frontend.h"

#include <math.h>
#include <string.h>

typedef struct {
  const char *fn;  /* "map_blocks" or "map_overlap", for messages */
  int first, last; /* the positional arguments after f, on the stack */
  int opts;        /* the options table (0: none) */
  bool overlap;
  int64_t depth[MAXDIM];
  int boundary;
  double cval;
  bool trim;
} BlockCall;

/* ---- options ---- */

/* opts[name] pushed (nil when there is no options table) */
static int get_option(lua_State *L, const BlockCall *c, const char *name) {
  if (!c->opts) return lua_pushnil(L), LUA_TNIL;
  return lua_getfield(L, c->opts, name);
}

/* axes at the top (an integer or a table of integers), normalised over n axes, as a bit
 * set; what names it in messages */
static unsigned axes_option(lua_State *L, const BlockCall *c, const char *what, int n) {
  unsigned bits = 0;
  int count = lua_istable(L, -1) ? (int)luaL_len(L, -1) : 1;
  for (int i = 0; i < count; i++) {
    if (lua_istable(L, -1))
      lua_geti(L, -1, i + 1);
    else
      lua_pushvalue(L, -1);
    int64_t ax = fe_check_int(L, -1, arena_printf(fe_arena(L), "%s: %s", c->fn, what));
    lua_pop(L, 1);
    if (ax < -n || ax >= n)
      fe_error(L, "%s: %s out of range (%s=%lld, but output is %dd)", c->fn, what, what,
               (long long)ax, n);
    bits |= 1u << (ax < 0 ? ax + n : ax);
  }
  return bits;
}

/* depth: an integer, a table of one per axis, or a table keyed by axis from [0] */
static void depth_option(lua_State *L, BlockCall *c, int ndim) {
  memset(c->depth, 0, sizeof c->depth);
  int t = get_option(L, c, "depth");
  if (t == LUA_TNIL) {
  } else if (t == LUA_TNUMBER) {
    int64_t v = fe_check_int(L, -1, "map_overlap: depth");
    for (int d = 0; d < ndim; d++) c->depth[d] = v;
  } else if (t == LUA_TTABLE) {
    bool keyed = lua_geti(L, -1, 0) != LUA_TNIL;
    lua_pop(L, 1);
    int n = (int)luaL_len(L, -1);
    if (!keyed && n != ndim)
      fe_error(L,
               "map_overlap: depth has %d entries for an array of %d dimensions (a table keyed "
               "by axis starts at [0])",
               n, ndim);
    for (int d = 0; d < ndim; d++) {
      if (lua_geti(L, -1, keyed ? d : d + 1) == LUA_TTABLE)
        fe_error(L, "map_overlap: asymmetric depth (a pair for axis %d) is not supported", d);
      c->depth[d] = lua_isnil(L, -1) ? 0 : fe_check_int(L, -1, "map_overlap: every depth");
      lua_pop(L, 1);
    }
  } else {
    fe_error(L, "map_overlap: depth must be an integer or a table, got %s", luaL_typename(L, -1));
  }
  lua_pop(L, 1);
  for (int d = 0; d < ndim; d++)
    if (c->depth[d] < 0)
      fe_error(L, "map_overlap: depth must be non-negative, got %lld for axis %d",
               (long long)c->depth[d], d);
}

static void boundary_option(lua_State *L, BlockCall *c) {
  static const char *const names[] = {"none", "reflect", "periodic", "nearest"};
  static const int modes[] = {CDRT_BOUNDARY_NONE, CDRT_BOUNDARY_REFLECT, CDRT_BOUNDARY_PERIODIC,
                              CDRT_BOUNDARY_NEAREST};
  int t = get_option(L, c, "boundary");
  c->boundary = CDRT_BOUNDARY_NONE; /* Dask's default */
  if (t == LUA_TNUMBER) {
    c->boundary = CDRT_BOUNDARY_CONSTANT, c->cval = lua_tonumber(L, -1);
  } else if (t == LUA_TSTRING) {
    const char *s = lua_tostring(L, -1);
    int k = 0;
    while (k < 4 && strcmp(s, names[k]) != 0) k++;
    if (k == 4)
      fe_error(L,
               "map_overlap: boundary must be \"reflect\", \"periodic\", \"nearest\", \"none\" "
               "or a number, got \"%s\"",
               s);
    c->boundary = modes[k];
  } else if (t != LUA_TNIL) {
    fe_error(L,
             "map_overlap: boundary must be \"reflect\", \"periodic\", \"nearest\", \"none\" or "
             "a number, got %s",
             luaL_typename(L, -1));
  }
  lua_pop(L, 1);
  t = get_option(L, c, "trim");
  if (t != LUA_TNIL && t != LUA_TBOOLEAN)
    fe_error(L, "map_overlap: trim must be a boolean, got %s", luaL_typename(L, -1));
  c->trim = t == LUA_TNIL || lua_toboolean(L, -1);
  lua_pop(L, 1);
}

/* ---- a C kernel ---- */

static const char *kernel_where(lua_State *L, const Kernel *k) {
  return arena_printf(fe_arena(L), "kernel '%s' (%s:%d)", k->name, k->file, k->line);
}

/* "(const double *, double)": the parameters the positional arguments bind to */
static const char *argument_types(lua_State *L, const Kernel *k, int *count) {
  const char *s = "";
  *count = 0;
  for (int p = 0; p < k->nparams; p++) {
    if (k->params[p].kind != KP_IN && k->params[p].kind != KP_VALUE) continue;
    s = arena_printf(fe_arena(L), "%s%s%s", s, *count ? ", " : "", k->params[p].ctype);
    (*count)++;
  }
  return arena_printf(fe_arena(L), "(%s)", s);
}

/* A number bound to a value parameter: a 0-d full of the parameter's dtype. */
static int number_input(lua_State *L, const BlockCall *c, const Kernel *k, const KParam *p, int arg,
                        int idx) {
  Node n = {.op = OP_FULL, .dtype = (DType)p->dtype, .ndim = 0};
  if (lua_isinteger(L, idx)) {
    full_value(&n, CDRT_INT64, lua_tointeger(L, idx), 0);
  } else {
    double v = lua_tonumber(L, idx);
    if (p->integer && !(v == floor(v) && fabs(v) < 9.2e18))
      fe_error(L, "%s: argument %d of %s (%s) must be an integer, got %g", c->fn, arg,
               kernel_where(L, k), p->ctype, v);
    if (p->integer)
      full_value(&n, CDRT_INT64, (int64_t)v, 0);
    else
      full_value(&n, CDRT_FLOAT64, 0, v);
  }
  return fe_add_node(L, &n);
}

/* An array bound to an input parameter, cast to its pointee when NumPy casts safely. */
static int array_input(lua_State *L, const BlockCall *c, const Kernel *k, const KParam *p, int arg,
                       int idx) {
  if (!luaL_testudata(L, idx, ARRAY_MT))
    fe_error(L, "%s: argument %d of %s (%s) must be an array, got %s", c->fn, arg,
             kernel_where(L, k), p->ctype, luaL_typename(L, idx));
  int id = fe_check_array(L, idx)->id;
  DType have = fe_node(L, id)->dtype, want = (DType)p->dtype;
  if (have == want) return id;
  if (fe_promote(have, want) != want)
    fe_error(L, "%s: argument %d of %s is %s, which does not cast safely to %s (%s)", c->fn, arg,
             kernel_where(L, k), cdrt_dtype_name(have), cdrt_dtype_name(want), p->ctype);
  return fe_cast(L, id, want);
}

/* The grid the blocks are paired on: inputs aligned right; per loop axis, the number of
 * blocks, the length and the chunk (of the first input with that many blocks). */
typedef struct {
  int n;
  int64_t nblocks[MAXDIM], shape[MAXDIM], chunk[MAXDIM];
} Loop;

static int64_t blocks_of(int64_t len, int64_t chunk) {
  return len ? (len + chunk - 1) / chunk : 1;
}

static void loop_grid(lua_State *L, const BlockCall *c, const Node *x, int nin, const bool *array,
                      Loop *lp) {
  memset(lp, 0, sizeof *lp);
  for (int i = 0; i < nin; i++)
    if (array[i] && x[i].ndim > lp->n) lp->n = x[i].ndim;
  for (int l = 0; l < lp->n; l++) {
    int first = -1;
    for (int i = 0; i < nin; i++) {
      int a = l - (lp->n - x[i].ndim);
      if (!array[i] || a < 0) continue;
      int64_t nb = blocks_of(x[i].shape[a], x[i].chunk[a]);
      if (first < 0 || (lp->nblocks[l] == 1 && nb > 1)) {
        first = i, lp->nblocks[l] = nb, lp->shape[l] = x[i].shape[a], lp->chunk[l] = x[i].chunk[a];
      } else if (nb != lp->nblocks[l] && nb != 1) {
        fe_error(L,
                 "%s: the blocks do not align: argument %d has %lld blocks along axis %d, "
                 "argument %d has %lld (blocks are paired by position, as in Dask; rechunk one)",
                 c->fn, i + 1, (long long)nb, a, first + 1, (long long)lp->nblocks[l]);
      }
    }
  }
}

/* chunks= for output axis d (at the top of the stack): every block c, or an explicit
 * regular list of nb blocks; sets shape and chunk */
static void output_chunks(lua_State *L, const BlockCall *c, int d, int64_t nb, int64_t *shape,
                          int64_t *chunk) {
  if (lua_istable(L, -1)) {
    int n = (int)luaL_len(L, -1);
    if (n != nb)
      fe_error(L, "%s: chunks for axis %d have %d blocks, but the blocks along it are %lld", c->fn,
               d, n, (long long)nb);
    int64_t sum = 0, first = 0;
    for (int k = 0; k < n; k++) {
      lua_geti(L, -1, k + 1);
      int64_t v = fe_check_int(L, -1, "every chunk size");
      lua_pop(L, 1);
      if (v < 0) fe_error(L, "%s: chunks must be non-negative, got %lld", c->fn, (long long)v);
      if (k == 0) first = v;
      if (v > first || (v < first && k + 1 < n))
        fe_error(L,
                 "%s: chunks for axis %d are irregular: cdask needs equal chunks with a smaller "
                 "last one",
                 c->fn, d);
      if (__builtin_add_overflow(sum, v, &sum)) fe_error(L, "%s: chunks too large", c->fn);
    }
    *shape = sum, *chunk = first > 0 ? first : 1;
  } else {
    int64_t v = fe_check_int(L, -1, arena_printf(fe_arena(L), "%s: every entry of chunks", c->fn));
    if (v < 0) fe_error(L, "%s: chunks must be non-negative, got %lld", c->fn, (long long)v);
    if (__builtin_mul_overflow(v, nb, shape)) fe_error(L, "%s: chunks too large", c->fn);
    *chunk = v > 0 ? v : 1;
  }
}

/* id rechunked like `like` along the axes where their lengths agree (a view: fuse stores
 * it, a copy), or id itself */
static int rechunk_like(lua_State *L, int id, const Node *like) {
  Node x = *fe_node(L, id);
  int64_t chunk[MAXDIM];
  bool differ = false;
  memcpy(chunk, x.chunk, sizeof chunk);
  for (int d = 0; d < x.ndim && x.ndim == like->ndim; d++)
    if (x.shape[d] == like->shape[d] && x.chunk[d] != like->chunk[d])
      chunk[d] = like->chunk[d], differ = true;
  if (!differ) return id;
  Affine m;
  affine_identity(&m, x.ndim);
  int v = fe_view(L, id, &m, x.ndim, x.shape);
  Node *n = fe_node(L, v);
  memcpy(n->chunk, chunk, sizeof chunk);
  n->name = "rechunk";
  return v;
}

static int kernel_call(lua_State *L, BlockCall *c, int kid) {
  Graph *g = fe_ctx(L)->graph;
  const Kernel *k = fe_kernel(L, kid);
  Arena *ar = fe_arena(L);
  if (k->unsupported)
    fe_error(L, "%s: %s cannot be called: %s", c->fn, kernel_where(L, k), k->unsupported);
  int nargs = c->last - c->first + 1, want, nout = 0, nblock = 0, out = -1;
  const char *types = argument_types(L, k, &want);
  for (int p = 0; p < k->nparams; p++) {
    if (k->params[p].kind == KP_OUT) nout++, out = p;
    nblock += k->params[p].kind == KP_BLOCK;
  }
  if (nout != 1)
    fe_error(L, "%s: %s has %d output parameters (T *): a block kernel writes exactly one", c->fn,
             kernel_where(L, k), nout);
  if (nblock > 1)
    fe_error(L, "%s: %s has %d block parameters (const cdask_block *): at most one", c->fn,
             kernel_where(L, k), nblock);
  if (nargs != want)
    fe_error(L, "%s: %s takes %d argument%s %s, got %d", c->fn, kernel_where(L, k), want,
             want == 1 ? "" : "s", types, nargs);
  if (nargs > MAXIN) fe_error(L, "%s: at most %d arguments", c->fn, MAXIN);
  const KParam *op = &k->params[out];
  if (op->dtype < 0)
    fe_error(L, "%s: the output of %s (%s) has no dtype", c->fn, kernel_where(L, k), op->ctype);
  DType dt = (DType)op->dtype;
  if (c->opts) {
    lua_getfield(L, c->opts, "dtype");
    if (!lua_isnil(L, -1) && fe_check_dtype(L, -1) != dt)
      fe_error(L, "%s: dtype %s disagrees with the output of %s (%s: %s)", c->fn,
               cdrt_dtype_name(fe_check_dtype(L, -1)), kernel_where(L, k), op->ctype,
               cdrt_dtype_name(dt));
    lua_pop(L, 1);
  }
  /* the inputs, one per positional argument */
  int ins[MAXIN];
  bool array[MAXIN];
  int *bind = arena_alloc(ar, (size_t)(k->nparams ? k->nparams : 1) * sizeof *bind);
  for (int p = 0, i = 0; p < k->nparams; p++) {
    const KParam *kp = &k->params[p];
    if (kp->kind == KP_OUT) {
      bind[p] = CALL_OUT;
      continue;
    }
    if (kp->kind == KP_BLOCK) {
      bind[p] = CALL_BLOCK;
      continue;
    }
    int idx = c->first + i;
    if (kp->dtype < 0)
      fe_error(L, "%s: parameter %d of %s (%s) has no dtype", c->fn, p + 1, kernel_where(L, k),
               kp->ctype);
    if (kp->kind == KP_IN) {
      ins[i] = array_input(L, c, k, kp, i + 1, idx), array[i] = true;
    } else if (luaL_testudata(L, idx, ARRAY_MT) &&
               fe_node(L, fe_check_array(L, idx)->id)->ndim == 0) {
      ins[i] = array_input(L, c, k, kp, i + 1, idx), array[i] = false; /* a 0-d array's value */
    } else {
      if (lua_type(L, idx) != LUA_TNUMBER)
        fe_error(L, "%s: argument %d of %s (%s) must be a number or a 0-d array, got %s", c->fn,
                 i + 1, kernel_where(L, k), kp->ctype,
                 luaL_testudata(L, idx, ARRAY_MT) ? "an array" : luaL_typename(L, idx));
      ins[i] = number_input(L, c, k, kp, i + 1, idx), array[i] = false;
    }
    bind[p] = i++;
  }
  Node x[MAXIN];
  for (int i = 0; i < nargs; i++) x[i] = *fe_node(L, ins[i]);
  if (c->overlap) { /* Dask's map_overlap aligns the arrays: here to the first one's chunks */
    int f = 0;
    while (f < nargs && !array[f]) f++;
    for (int i = f + 1; i < nargs; i++) {
      if (!array[i]) continue;
      ins[i] = rechunk_like(L, ins[i], &x[f]);
      x[i] = *fe_node(L, ins[i]);
    }
  }
  Loop lp;
  loop_grid(L, c, x, nargs, array, &lp);
  if (c->overlap) {
    for (int i = 0; i < nargs; i++)
      if (array[i] && x[i].ndim != lp.n)
        fe_error(L,
                 "%s: argument %d has %d dimensions, argument 1 %d: the arrays of map_overlap "
                 "have one rank in cdask",
                 c->fn, i + 1, x[i].ndim, lp.n);
    depth_option(L, c, lp.n);
    for (int d = 0; d < lp.n; d++)
      if (c->depth[d] > lp.shape[d])
        fe_error(L, "%s: The overlapping depth %lld is larger than your array %lld.", c->fn,
                 (long long)c->depth[d], (long long)lp.shape[d]);
    boundary_option(L, c);
  }

  /* the output's axes: the loop's kept axes, new axes inserted (Dask's out_ind) */
  unsigned drop = 0, newax = 0;
  int nnew = 0;
  if (get_option(L, c, "drop_axis") != LUA_TNIL) drop = axes_option(L, c, "drop_axis", lp.n);
  lua_pop(L, 1);
  for (int d = 0; d < lp.n; d++)
    if (c->overlap && (drop >> d & 1) && c->depth[d])
      fe_error(L, "%s: axis %d is dropped but has a depth of %lld", c->fn, d,
               (long long)c->depth[d]);
  int kept = lp.n - __builtin_popcount(drop);
  int t = get_option(L, c, "chunks");
  int nchunks = t == LUA_TTABLE ? (int)luaL_len(L, -1) : -1;
  if (t != LUA_TNIL && t != LUA_TTABLE)
    fe_error(L, "%s: chunks must be a table with an entry per output axis, got %s", c->fn,
             luaL_typename(L, -1));
  lua_pop(L, 1);
  int loop_of[MAXDIM], ndim;
  if (get_option(L, c, "new_axis") != LUA_TNIL) {
    int count = lua_istable(L, -1) ? (int)luaL_len(L, -1) : 1;
    ndim = kept + count;
    if (ndim > MAXDIM) fe_error(L, "%s: arrays have at most %d dimensions", c->fn, MAXDIM);
    newax = axes_option(L, c, "new_axis", ndim);
    nnew = __builtin_popcount(newax);
    if (nnew != count) fe_error(L, "%s: new_axis names an axis twice", c->fn);
  } else if (nchunks > kept) { /* Dask: new axes in front when chunks has more */
    nnew = nchunks - kept;
    newax = (1u << nnew) - 1;
  }
  lua_pop(L, 1);
  ndim = kept + nnew;
  for (int d = 0, l = 0; d < ndim; d++) {
    if (newax >> d & 1) {
      loop_of[d] = -1;
      continue;
    }
    while (drop >> l & 1) l++;
    loop_of[d] = l++;
  }
  if (nchunks >= 0 && nchunks != ndim)
    fe_error(L, "%s: Provided chunks have %d dims; expected %d dims", c->fn, nchunks, ndim);

  Node n = {.op = OP_MAP_BLOCKS, .dtype = dt, .ndim = ndim, .nin = nargs};
  for (int d = 0; d < ndim; d++) {
    int l = loop_of[d];
    int64_t nb = l >= 0 ? lp.nblocks[l] : 1;
    if (nchunks >= 0) {
      lua_getfield(L, c->opts, "chunks");
      lua_geti(L, -1, d + 1);
      output_chunks(L, c, d, nb, &n.shape[d], &n.chunk[d]);
      lua_pop(L, 2);
    } else {
      n.shape[d] = l >= 0 ? lp.shape[l] : 1, n.chunk[d] = l >= 0 ? lp.chunk[l] : 1;
    }
    if (blocks_of(n.shape[d], n.chunk[d]) != nb && n.shape[d] > 0)
      fe_error(L, "%s: the output has %lld blocks along axis %d, its inputs %lld", c->fn,
               (long long)blocks_of(n.shape[d], n.chunk[d]), d, (long long)nb);
  }
  memcpy(n.in, ins, sizeof ins);
  n.call.kernel = kid, n.call.bind = bind, n.call.nout = 1;
  n.call.pure = k->pure;
  n.block.drop_axes = drop, n.block.new_axes = newax;
  if (c->overlap) {
    memcpy(n.block.depth, c->depth, sizeof c->depth);
    n.block.boundary = c->boundary, n.block.cval = c->cval, n.block.trim = c->trim;
  }
  n.name = c->fn;
  if (!k->pure) n.call.effect = g->neffects++;
  return fe_push_node(L, &n);
}

/* ---- a Lua function, traced on the whole arrays ---- */

/* x[...] with `text` on axis ax and ":" on the others */
static int index_axis(lua_State *L, int id, int ax, const char *text) {
  const Node *x = fe_node(L, id);
  const char *s = "";
  for (int d = 0; d < x->ndim; d++)
    s = arena_printf(fe_arena(L), "%s%s%s", s, d ? ", " : "", d == ax ? text : ":");
  return fe_index(L, id, s);
}

/* x padded by depth on both sides of axis ax with the boundary (Dask's boundaries()) */
static int pad_axis(lua_State *L, const BlockCall *c, int id, int ax) {
  int64_t dp = c->depth[ax];
  Node x = *fe_node(L, id);
  Arena *ar = fe_arena(L);
  int side[2];
  if (c->boundary == CDRT_BOUNDARY_REFLECT) {
    side[0] = index_axis(L, id, ax, arena_printf(ar, "%lld::-1", (long long)dp - 1));
    side[1] = index_axis(L, id, ax, arena_printf(ar, "-1:-%lld:-1", (long long)dp + 1));
    if (dp == x.shape[ax]) side[1] = index_axis(L, id, ax, "::-1");
  } else if (c->boundary == CDRT_BOUNDARY_PERIODIC) {
    side[0] = index_axis(L, id, ax, arena_printf(ar, "%lld:", (long long)(x.shape[ax] - dp)));
    side[1] = index_axis(L, id, ax, arena_printf(ar, ":%lld", (long long)dp));
  } else if (c->boundary == CDRT_BOUNDARY_NEAREST) {
    for (int s = 0; s < 2; s++) { /* the edge element, broadcast dp times */
      Affine m;
      affine_identity(&m, x.ndim);
      m.a[ax][ax] = 0, m.off[ax] = s ? x.shape[ax] - 1 : 0;
      int64_t shape[MAXDIM];
      memcpy(shape, x.shape, sizeof shape);
      shape[ax] = dp;
      side[s] = fe_view(L, id, &m, x.ndim, shape);
    }
  } else {
    Node f = {.op = OP_FULL, .dtype = x.dtype, .ndim = x.ndim};
    memcpy(f.shape, x.shape, sizeof f.shape);
    memcpy(f.chunk, x.chunk, sizeof f.chunk);
    f.shape[ax] = dp, f.chunk[ax] = dp;
    full_value(&f, CDRT_FLOAT64, 0, c->cval);
    side[0] = side[1] = fe_add_node(L, &f);
  }
  int parts[3] = {side[0], id, side[1]};
  return fe_concat(L, parts, 3, ax);
}

static int function_call(lua_State *L, BlockCall *c) {
  static const char *const kernel_only[] = {"chunks", "drop_axis", "new_axis"};
  for (int i = 0; i < 3; i++) {
    if (get_option(L, c, kernel_only[i]) != LUA_TNIL)
      fe_error(L, "%s: %s needs a C kernel (a Lua function is traced on the whole arrays)", c->fn,
               kernel_only[i]);
    lua_pop(L, 1);
  }
  int nargs = c->last - c->first + 1;
  lua_pushvalue(L, 1);
  int ndim = 0, seen = 0;
  for (int i = 0; i < nargs; i++) {
    int idx = c->first + i;
    if (!c->overlap || !luaL_testudata(L, idx, ARRAY_MT)) {
      lua_pushvalue(L, idx);
      continue;
    }
    int id = fe_check_array(L, idx)->id;
    if (!seen++) { /* the options, against the first array */
      ndim = fe_node(L, id)->ndim;
      depth_option(L, c, ndim);
      boundary_option(L, c);
    }
    const Node *x = fe_node(L, id);
    if (x->ndim != ndim) fe_error(L, "%s: the arrays of map_overlap have one rank in cdask", c->fn);
    for (int d = 0; d < ndim; d++) {
      if (c->depth[d] > fe_node(L, id)->shape[d])
        fe_error(L, "%s: The overlapping depth %lld is larger than your array %lld.", c->fn,
                 (long long)c->depth[d], (long long)fe_node(L, id)->shape[d]);
      if (c->depth[d] && c->boundary != CDRT_BOUNDARY_NONE) id = pad_axis(L, c, id, d);
    }
    fe_push_id(L, id);
  }
  lua_call(L, nargs, 1);
  int id = fe_check_array(L, -1)->id;
  if (c->opts) {
    lua_getfield(L, c->opts, "dtype");
    if (!lua_isnil(L, -1) && fe_check_dtype(L, -1) != fe_node(L, id)->dtype)
      fe_error(L, "%s: dtype %s disagrees with the function's result (%s)", c->fn,
               cdrt_dtype_name(fe_check_dtype(L, -1)), cdrt_dtype_name(fe_node(L, id)->dtype));
    lua_pop(L, 1);
  }
  if (c->overlap && c->trim && c->boundary != CDRT_BOUNDARY_NONE) {
    const Node *r = fe_node(L, id);
    if (r->ndim != ndim) fe_error(L, "%s: the function's result has another rank", c->fn);
    for (int d = 0; d < ndim; d++)
      if (c->depth[d])
        id = index_axis(L, id, d,
                        arena_printf(fe_arena(L), "%lld:%lld", (long long)c->depth[d],
                                     (long long)(fe_node(L, id)->shape[d] - c->depth[d])));
  }
  return fe_push_id(L, id);
}

/* ---- the bindings ---- */

static int block_call(lua_State *L, const char *fn, bool overlap) {
  BlockCall c = {.fn = fn, .overlap = overlap, .first = 2, .last = lua_gettop(L)};
  if (c.last >= 2 && lua_type(L, c.last) == LUA_TTABLE) c.opts = c.last--;
  if (c.last < c.first) fe_error(L, "%s: no arrays to map over", fn);
  int kid = fe_test_kernel(L, 1);
  if (kid >= 0) return kernel_call(L, &c, kid);
  if (lua_type(L, 1) == LUA_TFUNCTION) return function_call(L, &c);
  return fe_error(L, "%s: the first argument must be a kernel (cd.cfile) or a Lua function, got %s",
                  fn, luaL_typename(L, 1));
}

/* da.map_blocks(f, args..., {dtype, chunks, drop_axis, new_axis}) */
static int l_map_blocks(lua_State *L) {
  return block_call(L, "map_blocks", false);
}

/* da.map_overlap(f, x, ..., {depth, boundary = "none", trim = true, ...}) */
static int l_map_overlap(lua_State *L) {
  return block_call(L, "map_overlap", true);
}

/* x:map_blocks(f, ...) and x:map_overlap(f, ...): x is the first array, as in Dask */
static void swap_first_two(lua_State *L) { /* (x, f, ...) -> (f, x, ...) */
  luaL_checkany(L, 2);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_replace(L, 1);
  lua_replace(L, 2);
}

static int l_method_map_blocks(lua_State *L) {
  swap_first_two(L);
  return block_call(L, "map_blocks", false);
}

static int l_method_map_overlap(lua_State *L) {
  swap_first_two(L);
  return block_call(L, "map_overlap", true);
}

void fe_open_blocks(lua_State *L, const FeTables *t) {
  static const luaL_Reg fns[] = {
      {"map_blocks", l_map_blocks}, {"map_overlap", l_map_overlap}, {NULL, NULL}};
  fe_add_functions(L, t->module, fns);
  static const luaL_Reg methods[] = {
      {"map_blocks", l_method_map_blocks}, {"map_overlap", l_method_map_overlap}, {NULL, NULL}};
  fe_add_functions(L, t->methods, methods);
}
