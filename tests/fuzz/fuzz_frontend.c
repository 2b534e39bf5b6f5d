/* fuzz_frontend: the Lua frontend and every pass up to the emitted C, on scripts built
 * from the API's vocabulary (docs/api.md). The fuzzer's bytes drive the generator: each
 * choice of source, operation, argument and output reads the next byte, so mutations of
 * the bytes are mutations of the program. Most statements run under pcall, so a refused
 * call (a shape that does not broadcast, a bad axis) does not end the script: later calls
 * still build the graph, and the error paths leave their state behind as they would in a
 * user's script. Inputs are three .npy files in memory. */
#include "cdask.h"
#include "fuzz_passes.h"

#include <stdlib.h>
#include <string.h>

/* Scripts have at most MAX_STATEMENTS statements, far from bug 5's recursion depth. */
#define NVARS 6
#define MAX_STATEMENTS 40

typedef struct {
  FuzzBytes *b;
  StrBuf *s;
} Gen;

static unsigned pick(Gen *g, unsigned n) {
  return fuzz_pick(g->b, n);
}

static const char *one(Gen *g, const char *const *list, unsigned n) {
  return list[pick(g, n)];
}
#define ONE(g, ...)                                                                                \
  one(g, (const char *const[]){__VA_ARGS__},                                                       \
      sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void var(Gen *g) {
  sb_printf(g->s, "v%u", pick(g, NVARS));
}

static void dim(Gen *g) {
  unsigned k = pick(g, 16);
  if (k < 12)
    sb_printf(g->s, "%u", (const unsigned[]){1, 2, 3, 4, 5, 1, 2, 3, 4, 8, 0, 7}[k]);
  else if (pick(g, 2))
    sb_printf(g->s, "%u", 1000u + pick(g, 3000));
  else
    sb_printf(g->s, "%lld", (long long)fuzz_int(g->b));
}

static void shape(Gen *g) {
  unsigned n = pick(g, 5);
  if (n == 4) return dim(g); /* a plain integer */
  sb_puts(g->s, "{");
  for (unsigned d = 0; d < n; d++) {
    if (d) sb_puts(g->s, ", ");
    dim(g);
  }
  sb_puts(g->s, "}");
}

static void number(Gen *g) {
  sb_puts(g->s, ONE(g, "2", "0", "1", "-1", "0.5", "3", "-2.5", "7", "1e300", "0/0", "1/0", "true",
                    "false", "65536", "-40000", "2^31", "math.maxinteger"));
}

static void axis(Gen *g) {
  switch (pick(g, 5)) {
  case 0: sb_puts(g->s, "nil"); break;
  case 1: sb_printf(g->s, "{%d, %d}", (int)pick(g, 4) - 1, (int)pick(g, 4) - 1); break;
  case 2: sb_puts(g->s, "{}"); break;
  default: sb_printf(g->s, "%d", (int)pick(g, 5) - 2);
  }
}

static void opts(Gen *g) {
  if (pick(g, 2)) return;
  sb_puts(g->s, ", {");
  if (pick(g, 2))
    sb_printf(g->s, "dtype = \"%s\", ",
              ONE(g, "float64", "float32", "int32", "int64", "bool", "complex64", "complex128"));
  if (pick(g, 2))
    sb_puts(g->s, ONE(g, "chunks = 2", "chunks = -1", "chunks = {1, 2}", "chunks = \"auto\""));
  sb_puts(g->s, "}");
}

static void source(Gen *g) {
  switch (pick(g, 10)) {
  case 0: sb_puts(g->s, "da.ones("), shape(g), opts(g); break;
  case 1: sb_puts(g->s, "da.zeros("), shape(g), opts(g); break;
  case 2:
    sb_puts(g->s, "da.full("), shape(g), sb_puts(g->s, ", ");
    number(g);
    opts(g);
    break;
  case 3:
    sb_printf(g->s, "da.arange(%d, %d", (int)pick(g, 5) - 1, (int)pick(g, 12)), opts(g);
    break;
  case 4: sb_printf(g->s, "da.linspace(0, %u, %u", pick(g, 9), pick(g, 9)), opts(g); break;
  case 5: sb_puts(g->s, "da.random.normal(0, 1, "), shape(g), opts(g); break;
  case 6: sb_puts(g->s, "da.random.uniform(-1, 1, "), shape(g), opts(g); break;
  default: sb_printf(g->s, "da.from_npy(inputs[%u]", 1 + pick(g, 3)), opts(g); break;
  }
  sb_puts(g->s, ")");
}

static void operand(Gen *g) {
  if (pick(g, 4) == 0)
    number(g);
  else
    var(g);
}

static void index_string(Gen *g) {
  sb_puts(g->s, "\"");
  unsigned n = 1 + pick(g, 3);
  for (unsigned i = 0; i < n; i++) {
    if (i) sb_puts(g->s, ", ");
    sb_puts(g->s, ONE(g, ":", "::-1", "1:", ":-1", "0", "-1", "1::2", "None", "...", "2:0:-1",
                      "::3", "-2:"));
  }
  sb_puts(g->s, "\"");
}

/* one expression of the API's vocabulary over the variables */
static void expr(Gen *g) {
  switch (pick(g, 20)) {
  case 0: source(g); break;
  case 1:
    operand(g), sb_printf(g->s, " %s ", ONE(g, "+", "-", "*", "/", "//", "%", "^", "&", "|", "~")),
        operand(g);
    break;
  case 2:
    sb_printf(g->s, "da.%s(",
              ONE(g, "maximum", "minimum", "add", "power", "logical_and", "logical_xor",
                  "floor_divide", "remainder", "equal"));
    operand(g), sb_puts(g->s, ", "), operand(g), sb_puts(g->s, ")");
    break;
  case 3:
    var(g), sb_printf(g->s, ":%s(", ONE(g, "lt", "le", "gt", "ge", "eq", "ne")), operand(g);
    sb_puts(g->s, ")");
    break;
  case 4:
    sb_printf(g->s, "da.%s(",
              ONE(g, "sin", "cos", "tan", "exp", "log", "sqrt", "abs", "floor", "ceil", "negative",
                  "logical_not", "isnan", "isfinite", "real", "imag", "conj", "angle"));
    var(g), sb_puts(g->s, ")");
    break;
  case 5:
    var(g), sb_printf(
                g->s, ":astype(\"%s\")",
                ONE(g, "float64", "float32", "int32", "int64", "bool", "complex64", "complex128"));
    break;
  case 6:
    sb_puts(g->s, "da.where("), var(g), sb_puts(g->s, ", "), operand(g);
    sb_puts(g->s, ", "), operand(g), sb_puts(g->s, ")");
    break;
  case 7: var(g), sb_puts(g->s, "["), index_string(g), sb_puts(g->s, "]"); break;
  case 8:
    var(g), sb_puts(g->s, ONE(g, ".T", ":transpose()", ":squeeze()", ":ravel()", ":flatten()",
                              ":reshape(-1)", ":rechunk(2)", ":rechunk(-1)", ".real", ".imag",
                              "[0]", ":transpose({1, 0})", ":reshape({2, -1})"));
    break;
  case 9:
    sb_printf(g->s, "da.%s(", ONE(g, "expand_dims", "squeeze")), var(g);
    sb_printf(g->s, ", %d)", (int)pick(g, 5) - 2);
    break;
  case 10:
    sb_puts(g->s, "da.broadcast_to("), var(g), sb_puts(g->s, ", "), shape(g), sb_puts(g->s, ")");
    break;
  case 11:
    sb_printf(g->s, "da.%s({", ONE(g, "concatenate", "stack"));
    for (unsigned k = 1 + pick(g, 3), i = 0; i < k; i++) i ? sb_puts(g->s, ", ") : (void)0, var(g);
    sb_printf(g->s, "}, %d)", (int)pick(g, 4) - 1);
    break;
  case 12:
  case 13:
    var(g), sb_printf(g->s, ":%s(",
                      ONE(g, "sum", "mean", "min", "max", "prod", "std", "var", "argmin", "argmax",
                          "any", "all", "nansum", "nanmean", "nanmax", "nanmin"));
    if (pick(g, 2)) {
      axis(g);
    } else {
      sb_puts(g->s, "{axis = "), axis(g);
      sb_printf(g->s, ", keepdims = %s, ddof = %u}", pick(g, 2) ? "true" : "false", pick(g, 2));
    }
    sb_puts(g->s, ")");
    break;
  case 14:
    var(g), sb_printf(g->s, ":%s(", ONE(g, "cumsum", "cumprod")), axis(g), sb_puts(g->s, ")");
    break;
  case 15:
    sb_puts(g->s, "da.clip("), var(g), sb_puts(g->s, ", "), operand(g), sb_puts(g->s, ", "),
        operand(g), sb_puts(g->s, ")");
    break;
  case 16:
  case 17:
    sb_printf(g->s, "da.fft.%s(",
              ONE(g, "fft", "ifft", "rfft", "irfft", "fft2", "ifft2", "rfft2", "irfft2", "fftn",
                  "ifftn", "rfftn", "irfftn", "fftshift", "ifftshift"));
    var(g);
    if (pick(g, 2))
      sb_printf(
          g->s, ", %s",
          ONE(g, "nil", "4", "1", "{2, 3}", "nil, nil, \"ortho\"", "nil, -1, \"forward\"", "5, 0"));
    sb_puts(g->s, ")");
    break;
  case 18:
    sb_printf(g->s, "da.fft.%s(%u, %s)", ONE(g, "fftfreq", "rfftfreq"), pick(g, 8),
              ONE(g, "nil", "0.5", "2"));
    break;
  default: sb_puts(g->s, "-"), var(g); break;
  }
}

static void statement(Gen *g) {
  unsigned k = pick(g, 10);
  bool protected = pick(g, 8) != 0;
  if (protected) sb_puts(g->s, "pcall(function() ");
  if (k < 7) {
    var(g), sb_puts(g->s, " = "), expr(g);
  } else if (k == 7) {
    sb_puts(g->s, "da.print("), var(g), sb_printf(g->s, ", \"p%u\")", pick(g, 4));
  } else if (k == 8) {
    sb_puts(g->s, "da.to_npy("), var(g), sb_printf(g->s, ", \"out%u\")", pick(g, 4));
  } else {
    sb_puts(g->s, "local t = "), var(g),
        sb_puts(g->s, ONE(g, ".shape", ".ndim", ".dtype", ".size", ".nbytes", ".chunksize"));
  }
  if (protected) sb_puts(g->s, " end)");
  sb_puts(g->s, "\n");
}

/* A version 1.0 .npy file in memory; its path goes to path (64 bytes). */
static void npy_memfd(char *path, const char *descr, const char *shape, const void *data,
                      size_t len) {
  char head[128];
  int n = snprintf(head + 10, sizeof head - 10,
                   "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape);
  int total = (10 + n + 1 + 63) / 64 * 64;
  memset(head + 10 + n, ' ', (size_t)(total - 10 - n - 1));
  head[total - 1] = '\n';
  memcpy(head, "\x93NUMPY\x01\x00", 8);
  head[8] = (char)((total - 10) & 0xff), head[9] = (char)((total - 10) >> 8);
  char *file = malloc((size_t)total + len);
  memcpy(file, head, (size_t)total);
  memcpy(file + total, data, len);
  if (fuzz_memfd("input.npy", file, (size_t)total + len, path, 64) < 0) abort();
  free(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char inputs[3][64];
  if (!inputs[0][0]) { /* three small arrays, for the whole run */
    static const double f[12] = {1, -2, 3.5, 0, 5, -0.25, 7, 8, 9, 10, 11, 1e300};
    static const int32_t i[4] = {3, -1, 0, 2147483647};
    static const double z[12] = {1, 2, 3, 4, 5, 6, -1, -2, 0, 0, 7, 8};
    npy_memfd(inputs[0], "<f8", "(3, 4)", f, sizeof f);
    npy_memfd(inputs[1], "<i4", "(4,)", i, sizeof i);
    npy_memfd(inputs[2], "<c16", "(2, 3)", z, sizeof z);
  }
  FuzzBytes b = {data, size, 0};
  StrBuf s;
  sb_init(&s);
  Gen g = {&b, &s};
  sb_printf(&s, "local da = require(\"cdask.array\")\nlocal inputs = {\"%s\", \"%s\", \"%s\"}\n",
            inputs[0], inputs[1], inputs[2]);
  for (int v = 0; v < NVARS; v++) {
    sb_printf(&s, "local v%d = ", v);
    source(&g);
    sb_puts(&s, "\n");
  }
  for (int k = 0; k < MAX_STATEMENTS && b.pos < b.size; k++) statement(&g);
  if (getenv("CDASK_FUZZ_SHOW")) fputs(s.data, stderr);
  fuzz_compile_script(s.data, s.len);
  sb_free(&s);
  return 0;
}
