/* test_kernels.c: compiler/kernels.c reads C files with libclang: the signatures (kinds,
 * dtypes, what is refused and why), the purity walk (each kind of side effect, calls
 * between the file's functions, declared attributes), the diagnostics and the errors. */
#include "cdask.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/cdask_test_kernelsXXXXXX";

/* Writes text to dir/name; returns the path. */
static const char *write_file(Arena *a, const char *name, const char *text) {
  const char *path = arena_printf(a, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) abort();
  fputs(text, f);
  fclose(f);
  return path;
}

/* Reads text as a kernel file into g: the file's index; diagnostics into diag (n bytes). */
static int read_text(Graph *g, const char *name, const char *text, char *diag, size_t n,
                     char *err) {
  const char *path = write_file(g->arena, name, text);
  FILE *d = fmemopen(diag, n, "w");
  int cf = kernels_read(g, path, "", "", "p.lua", 3, d, err, 256);
  fclose(d);
  return cf;
}

static const Kernel *find(Graph *g, const char *name) {
  int k = kernel_find(g, -1, name);
  return k >= 0 ? &g->kernels[k] : NULL;
}

static const char purity_file[] =
    "#include <math.h>\n"
    "#include <stdio.h>\n"
    "#include <string.h>\n"
    "#include <unistd.h>\n"
    "static double gscale = 2.0;\n"
    "const double kPi = 3.14159;\n"
    "static const double table[3] = {1, 2, 3};\n"
    "static inline double sq(double x) { return x * x; }\n"
    "static double logged(double x) { printf(\"%g\", x); return x; }\n"
    "double hyp(double x, double y) { return sqrt(sq(x) + sq(y)) * kPi + table[1]; }\n"
    "double scaled(double x) { return gscale * x; }\n"
    "double counter(double x) { static int n; n++; return x + n; }\n"
    "double noisy(double x) { printf(\"%g\\n\", x); return x; }\n"
    "double indirect(double x) { return logged(x); }\n"
    "double viaptr(double x, double (*f)(double)) { return f(x); }\n"
    "double wcast(const double *x) { double *y = (double *)x; y[0] = 1; return 0; }\n"
    "__attribute__((const)) double declared(double x) { return gscale * x; }\n"
    "double sleepy(double x) { usleep(10); return x + 1; }\n"
    "void copy(const double *x, double *out, const cdask_block *b) {\n"
    "  memcpy(out, x, sizeof *x * (size_t)b[0].shape[0]);\n"
    "}\n";

static void test_purity(void) {
  Arena *a = arena_new();
  Graph *g = graph_new(a);
  char diag[4096] = "", err[256] = "";
  int cf = read_text(g, "purity.c", purity_file, diag, sizeof diag, err);
  ASSERT(cf == 0);
  ASSERT(g->ncfiles == 1 && strstr(g->cfiles[0].text, "double hyp("));
  ASSERT(strcmp(g->cfiles[0].script, "p.lua") == 0 && g->cfiles[0].line == 3);
  /* static functions are helpers, not kernels */
  ASSERT(find(g, "sq") == NULL && find(g, "logged") == NULL);
  const Kernel *k;
  ASSERT((k = find(g, "hyp")) && k->pure && strcmp(k->why, "no side effects") == 0);
  ASSERT(k && k->line == 10 && k->nparams == 2 && k->ret == CDRT_FLOAT64);
  ASSERT((k = find(g, "scaled")) && !k->pure && strstr(k->why, "uses the global 'gscale'"));
  ASSERT((k = find(g, "counter")) && !k->pure && strstr(k->why, "static variable 'n'"));
  ASSERT((k = find(g, "noisy")) && !k->pure && strstr(k->why, "calls printf (stdio.h)"));
  ASSERT((k = find(g, "indirect")) && !k->pure &&
         strstr(k->why, "calls logged, which calls printf"));
  ASSERT((k = find(g, "viaptr")) && k->unsupported && strstr(k->unsupported, "function pointer"));
  ASSERT(k && !k->pure && strstr(k->why, "function pointer"));
  ASSERT((k = find(g, "wcast")) && !k->pure && strstr(k->why, "casts a pointer to const"));
  ASSERT((k = find(g, "declared")) && k->pure && strstr(k->why, "__attribute__((const))"));
  ASSERT((k = find(g, "sleepy")) && k->pure);
  ASSERT((k = find(g, "copy")) && k->pure && k->ret == -1 && k->nparams == 3);
  ASSERT(k && k->params[0].kind == KP_IN && k->params[1].kind == KP_OUT &&
         k->params[2].kind == KP_BLOCK && !k->unsupported);
  ASSERT(strcmp(kernel_signature(a, k),
                "void copy(const double *, double *, const cdask_block *)") == 0);
  arena_free(a);
}

static const char types_file[] =
    "#include <stdint.h>\n"
    "#include <stddef.h>\n"
    "#include <stdbool.h>\n"
    "#include <complex.h>\n"
    "struct pt { double x, y; };\n"
    "float f32(float x, int32_t i, int64_t l, bool b) { return x + i + l + b; }\n"
    "double complex c128(double complex z) { return z; }\n"
    "int64_t count(const double *x, size_t n) { (void)x; return (int64_t)n; }\n"
    "double byval(struct pt p) { return p.x; }\n"
    "double va(double x, ...) { return x; }\n"
    "double pp(double **p) { return **p; }\n"
    "double *retptr(double *p) { return p; }\n"
    "unsigned short us(unsigned short x) { return x; }\n";

static void test_types(void) {
  Arena *a = arena_new();
  Graph *g = graph_new(a);
  char diag[4096] = "", err[256] = "";
  ASSERT(read_text(g, "types.c", types_file, diag, sizeof diag, err) == 0);
  const Kernel *k;
  ASSERT((k = find(g, "f32")) && !k->unsupported && k->ret == CDRT_FLOAT32);
  ASSERT(k && k->params[0].dtype == CDRT_FLOAT32 && k->params[1].dtype == CDRT_INT32 &&
         k->params[2].dtype == CDRT_INT64 && k->params[3].dtype == CDRT_BOOL);
  ASSERT(k && k->params[1].integer && !k->params[0].integer);
  ASSERT((k = find(g, "c128")) && !k->unsupported && k->ret == CDRT_COMPLEX128);
  /* size_t has no dtype but may carry a count */
  ASSERT((k = find(g, "count")) && !k->unsupported && k->params[1].integer &&
         k->params[1].dtype == -1 && k->params[0].kind == KP_IN);
  ASSERT((k = find(g, "byval")) && k->unsupported &&
         strstr(k->unsupported, "struct passed by value"));
  ASSERT((k = find(g, "va")) && k->unsupported && strstr(k->unsupported, "variable number"));
  ASSERT((k = find(g, "pp")) && k->unsupported && strstr(k->unsupported, "pointer to a pointer"));
  ASSERT((k = find(g, "retptr")) && k->unsupported && strstr(k->unsupported, "returns double *"));
  ASSERT((k = find(g, "us")) && k->unsupported);
  arena_free(a);
}

static void test_errors(void) {
  Arena *a = arena_new();
  Graph *g = graph_new(a);
  char diag[4096] = "", err[256] = "";
  /* the three warnings C99 allows are errors, with file:line:col */
  int cf = read_text(g, "bad.c",
                     "double f(double x) { return undeclared_fn(x); }\n"
                     "int h(double *p) { int i = p; return i; }\n"
                     "void k(int *p) { double *q = p; (void)q; }\n",
                     diag, sizeof diag, err);
  ASSERT(cf == -1 && strcmp(err, "3 errors (above)") == 0);
  ASSERT(strstr(diag, "bad.c:1:29: error: implicit declaration of function 'undeclared_fn'"));
  ASSERT(strstr(diag, "bad.c:2:24: error: incompatible pointer to integer conversion"));
  ASSERT(strstr(diag, "bad.c:3:26: error: incompatible pointer types"));
  /* a warning passes through and does not fail */
  diag[0] = '\0';
  cf = read_text(g, "warn.c", "double w(double x) { int unused; return x; }\n", diag, sizeof diag,
                 err);
  ASSERT(cf >= 0 && strstr(diag, "warn.c:1:26: warning: unused variable 'unused'"));
  /* reserved names and names defined twice */
  cf = read_text(g, "main.c", "int main(void) { return 0; }\n", diag, sizeof diag, err);
  ASSERT(cf == -1 && strstr(diag, "main.c:1: error: the name 'main' is reserved"));
  cf = read_text(g, "again.c", "double w(double x) { return x; }\n", diag, sizeof diag, err);
  ASSERT(cf == -1 && strstr(diag, "'w' is also defined at"));
  /* static helpers clash too (one C file), and a file's macros are listed (#undef'd) */
  cf = read_text(g, "ma.c",
                 "#define SCALE 3\nstatic double helper(double x) { return x * SCALE; }\n"
                 "double ka(double x) { return helper(x); }\n",
                 diag, sizeof diag, err);
  ASSERT(cf >= 0 && g->cfiles[cf].nmacros == 1 && strcmp(g->cfiles[cf].macros[0], "SCALE") == 0);
  ASSERT(cf >= 0 && g->cfiles[cf].nnames == 2);
  cf = read_text(g, "mb.c",
                 "static double helper(double x) { return x; }\n"
                 "double kb(double x) { return helper(x); }\n",
                 diag, sizeof diag, err);
  ASSERT(cf == -1 && strstr(diag, "mb.c:1: error: 'helper' is also defined at"));
  ASSERT(strstr(diag, "ma.c:2 (the kernel files share one C file"));
  /* a header of the user's is warned about (the program needs it too), a system one not */
  write_file(a, "mine.h", "#define MINE 2.0\n");
  diag[0] = '\0';
  cf = read_text(g, "inc.c",
                 "#include <math.h>\n#include \"mine.h\"\n"
                 "double inc(double x) { return sqrt(x) * MINE; }\n",
                 diag, sizeof diag, err);
  ASSERT(cf >= 0 && strstr(diag, "inc.c:2: warning: '") && strstr(diag, "mine.h' is the user's"));
  ASSERT(!strstr(diag, "math.h"));
  cf = kernels_read(g, "/nonexistent/k.c", "", "", "p.lua", 1, stderr, err, sizeof err);
  ASSERT(cf == -1 && strstr(err, "cannot read it: No such file"));
  /* the cflags reach the parser */
  cf = read_text(g, "flags.c", "double fl(double x) { return x * SCALE; }\n", diag, sizeof diag,
                 err);
  ASSERT(cf == -1);
  const char *path = write_file(a, "flags2.c", "double fl2(double x) { return x * SCALE; }\n");
  FILE *d = fmemopen(diag, sizeof diag, "w");
  cf = kernels_read(g, path, "-DSCALE=2.0", "-lm", "p.lua", 1, d, err, sizeof err);
  fclose(d);
  ASSERT(cf >= 0 && strcmp(g->cfiles[cf].libs, "-lm") == 0);
  arena_free(a);
}

int main(void) {
  if (!mkdtemp(dir)) return 2;
  test_purity();
  test_types();
  test_errors();
  /* the files written, then the directory */
  static const char *const names[] = {"purity.c", "types.c", "bad.c",   "warn.c",
                                      "main.c",   "again.c", "flags.c", "flags2.c",
                                      "ma.c",     "mb.c",    "mine.h",  "inc.c"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, names[i]);
    unlink(p);
  }
  rmdir(dir);
  TEST_END();
}
