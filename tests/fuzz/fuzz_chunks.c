/* fuzz_chunks: chunk specifications (frontend/lua_args.c: fe_parse_chunks and Dask's
 * explicit tuples) as a script passes them to sources, rechunk and from_npy: numbers,
 * "auto", -1, tables of them and of tuples, and values of every other Lua type. The
 * script then runs through every pass up to the emitted C, where the chunks become tiles. */
#include "cdask.h"
#include "fuzz_passes.h"

#include <stdlib.h>
#include <string.h>

static void number(FuzzBytes *b, StrBuf *s) {
  static const char *const odd[] = {"0.5",
                                    "1.5",
                                    "-0.0",
                                    "0/0",
                                    "1/0",
                                    "-1/0",
                                    "1e300",
                                    "2^63",
                                    "math.maxinteger",
                                    "math.mininteger",
                                    "3.0"};
  if (fuzz_pick(b, 4) == 0)
    sb_puts(s, odd[fuzz_pick(b, sizeof odd / sizeof odd[0])]);
  else
    sb_printf(s, "%lld", (long long)fuzz_int(b));
}

static void spec(FuzzBytes *b, StrBuf *s, int ndim, int depth) {
  switch (fuzz_pick(b, depth ? 4 : 8)) {
  case 0: number(b, s); return;
  case 1: sb_puts(s, "-1"); return;
  case 2: sb_puts(s, fuzz_pick(b, 2) ? "\"auto\"" : "nil"); return;
  case 3:
    sb_puts(s, (const char *[]){"true", "\"x\"", "{}", "da.ones(2)"}[fuzz_pick(b, 4)]);
    return;
  default: break;
  }
  /* a table: usually one entry per axis, each a number or an explicit tuple */
  int n = fuzz_pick(b, 4) ? ndim : (int)fuzz_pick(b, MAXDIM + 2);
  sb_puts(s, "{");
  for (int d = 0; d < n; d++) {
    if (d) sb_puts(s, ", ");
    if (depth == 0 && fuzz_pick(b, 3) == 0) {
      int k = (int)fuzz_pick(b, 5);
      sb_puts(s, "{");
      for (int i = 0; i < k; i++) {
        if (i) sb_puts(s, ", ");
        number(b, s);
      }
      sb_puts(s, "}");
    } else {
      spec(b, s, ndim, depth + 1);
    }
  }
  sb_puts(s, "}");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzBytes b = {data, size, 0};
  StrBuf s;
  sb_init(&s);
  int ndim = (int)fuzz_pick(&b, 4);
  sb_puts(&s, "local da = require(\"cdask.array\")\nlocal shape = {");
  for (int d = 0; d < ndim; d++) {
    int64_t v = fuzz_pick(&b, 8) ? (int64_t)fuzz_pick(&b, 12) : fuzz_int(&b);
    sb_printf(&s, d ? ", %lld" : "%lld", (long long)v);
  }
  sb_puts(&s, "}\n");
  static const char *const sources[] = {"da.ones(shape, {chunks = %s})",
                                        "da.random.uniform(0, 1, shape, {chunks = %s})",
                                        "da.full(shape, 3, {chunks = %s, dtype = \"int32\"})",
                                        "da.zeros(shape, {chunks = %s}):rechunk(%s)"};
  const char *src = sources[fuzz_pick(&b, 4)];
  StrBuf a, c;
  sb_init(&a), sb_init(&c);
  spec(&b, &a, ndim, 0);
  spec(&b, &c, ndim, 0);
  sb_printf(&s, "local x = ");
  sb_printf(&s, src, a.data, c.data);
  sb_puts(&s, "\n");
  for (int k = fuzz_pick(&b, 3); k > 0; k--) {
    StrBuf r;
    sb_init(&r);
    spec(&b, &r, ndim, 0);
    sb_printf(&s, "x = x:rechunk(%s)\n", r.data);
    sb_free(&r);
  }
  const char *tails[] = {"da.print(x:sum(), \"s\")\n", "da.to_npy(x, \"x.npy\")\n",
                         "da.print(x:cumsum(), \"c\")\n", "da.to_npy(x:reshape(-1), \"r\")\n"};
  sb_puts(&s, tails[fuzz_pick(&b, 4)]);
  fuzz_compile_script(s.data, s.len);
  sb_free(&s), sb_free(&a), sb_free(&c);
  return 0;
}
