/* main.c: the cdaskc command line, and compile(), the one ordered list of passes. */
#include "cdask.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage[] =
    "usage: cdaskc [options] PIPELINE.lua\n"
    "\n"
    "Compiles a Lua pipeline written with cdask.array into one C file with OpenMP tasks and\n"
    "builds it into a standalone program.\n"
    "\n"
    "  -o OUT              the program to build (default: the script's name without .lua)\n"
    "  --emit-c FILE       write the generated C to FILE and stop (no C compiler run)\n"
    "  --dump-graph FILE   write the graph before fusion (.dot for Graphviz, .json for tools)\n"
    "  --dump-fused FILE   write the graph after fusion, with its groups (.dot or .json)\n"
    "  --dump-after=PASS   print the graph after PASS (frontend, simplify, hermitian,\n"
    "                      cull, fuse)\n"
    "  --explain           print one line per fused group: what it fuses, its tiles, why\n"
    "  --cc CC             the C compiler (default: $CC, else cc)\n"
    "  --cflags FLAGS      extra flags for the C compiler\n"
    "  --native            add -march=native (faster, not portable to other CPUs)\n"
    "  --fft-wisdom FILE   FFTW wisdom (from a program's --fft-wisdom-out) embedded in the\n"
    "                      program: its FFTs are planned from it, the same plans every run\n"
    "  --memory-limit SIZE the most memory the arrays kept in memory may take, e.g. 4G\n"
    "                      (default: 75% of this machine's memory; the program can override)\n"
    "  --unsafe-lua        run the script with Lua's whole standard library (processes,\n"
    "                      C modules, writing files): only for scripts you trust\n"
    "  --lua-time-limit SECONDS\n"
    "                      the most CPU time the script may run (default 60; none: no limit)\n"
    "  --lua-memory-limit SIZE\n"
    "                      the most memory the script's Lua may hold (default 4G; none: no\n"
    "                      limit)\n"
    "  --version           print the version\n"
    "  --help              print this help\n";

static const char base_flags[] = "-std=c11 -O3 -fopenmp -ffp-contract=off -fno-math-errno";

const char *cc_flags(const Options *o) {
  const char *f = base_flags;
  if (o->native) f = arena_printf(o->arena, "%s -march=native", f);
  if (o->cflags && *o->cflags) f = arena_printf(o->arena, "%s %s", f, o->cflags);
  return f;
}

bool graph_has_fft(const Graph *g) {
  for (int i = 0; g && i < g->nnodes; i++)
    if (g->nodes[i].op == OP_FFT) return true;
  return false;
}

/* FFTW only for the pipelines that transform */
const char *cc_libs(const Graph *g) {
  return graph_has_fft(g) ? "-lfftw3 -lfftw3f -lsleef -lm" : "-lsleef -lm";
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("cdaskc: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\n", stderr);
  va_end(ap);
  exit(1);
}

static void maybe_dump(const Options *o, const char *pass, Graph *g, Fusion *f, int changed) {
  if (!o->dump_after || strcmp(o->dump_after, pass) != 0) return;
  fprintf(stderr, "== after %s%s\n", pass, changed ? "" : " (unchanged)");
  dump_text(stderr, g, f);
}

/* Runs the C compiler on the emitted file, writing OUT through a temporary name. */
static int run_cc(const Options *o, const Graph *g, const char *cfile) {
  const char *tmp = arena_printf(o->arena, "%s.tmp%ld", o->out, (long)getpid());
  const char *cmd =
      arena_printf(o->arena, "%s %s -o '%s' '%s' %s", o->cc, cc_flags(o), tmp, cfile, cc_libs(g));
  int st = system(cmd);
  if (st != 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    unlink(tmp);
    fprintf(stderr, "cdaskc: the C compiler failed: %s\n", cmd);
    return -1;
  }
  if (rename(tmp, o->out) != 0) {
    unlink(tmp);
    fprintf(stderr, "cdaskc: cannot write %s: %s\n", o->out, strerror(errno));
    return -1;
  }
  return 0;
}

/* The arrays the program holds at once (memplan.c's peak) must fit the memory limit:
 * otherwise a compile-time error at the line that made the largest. */
static int check_memory(const Options *o, Graph *g, Fusion *f) {
  double total = f->peak_bytes, largest = -1;
  const Node *big = NULL;
  for (int k = 0; k < f->ngroups; k++) {
    const Node *x = &g->nodes[f->groups[k].sink];
    double n = (double)node_size(x) * (double)cdrt_dtype_size(x->dtype);
    if (n > largest) largest = n, big = x;
  }
  if (!big || o->memory_limit <= 0 || total <= (double)o->memory_limit) return 0;
  char t[32], l[32], m[32];
  cdrt_format_bytes(t, sizeof t, total);
  cdrt_format_bytes(l, sizeof l, (double)o->memory_limit);
  cdrt_format_bytes(m, sizeof m, largest);
  fprintf(stderr,
          "%s:%d: error: the arrays kept in memory need %s, over the memory limit of %s "
          "(largest: %s %s%s, %s, made here); raise it with --memory-limit\n",
          big->file, big->line, t, l,
          big->op == OP_REDUCE ? rop_names[big->rop] : op_names[big->op],
          cdrt_dtype_name(big->dtype), shape_str(g->arena, big->ndim, big->shape), m);
  return 1;
}

/* The passes, in order. */
static int compile(Options *o) {
  Arena *a = o->arena;
  Graph *g = graph_new(a);
  Frontend fe = {.graph = g,
                 .script = o->script,
                 .unsafe_lua = o->unsafe_lua,
                 .lua_time_limit = o->lua_time_limit,
                 .lua_memory_limit = o->lua_memory_limit};
  if (fe_run(&fe) != 0) {
    fprintf(stderr, "%s\n", fe.err);
    return 1;
  }
  maybe_dump(o, "frontend", g, NULL, 1);
  pass_verify(g);
  int changed = pass_simplify(g);
  pass_verify(g);
  maybe_dump(o, "simplify", g, NULL, changed);
  if (pass_hermitian(g)) {
    pass_simplify(g);
    pass_verify(g);
  }
  maybe_dump(o, "hermitian", g, NULL, 1);
  char err[512];
  int partial = pass_cull(g);
  maybe_dump(o, "cull", g, NULL, partial);
  if (o->dump_graph && dump_file(o->dump_graph, g, NULL, err, sizeof err) != 0) die("%s", err);
  Fusion *f = pass_fuse(g, o->memory_limit);
  maybe_dump(o, "fuse", g, f, 1);
  pass_chunk(g, f);
  pass_memplan(g, f);
  if (check_memory(o, g, f)) return 1;
  if (o->dump_fused && dump_file(o->dump_fused, g, f, err, sizeof err) != 0) die("%s", err);
  if (o->explain) explain(stdout, g, f);
  if (g->noutputs == 0)
    fprintf(stderr, "%s: warning: the pipeline has no outputs (da.to_npy or da.print)\n",
            o->script);
  o->script_sha256 = sha256_file_hex(a, o->script);
  const char *cpath = o->emit_c ? o->emit_c : arena_printf(a, "%s.c", o->out);
  o->c_name = strrchr(cpath, '/') ? strrchr(cpath, '/') + 1 : cpath;
  size_t len;
  char *c = emit_program(g, f, o, &len);
  int rc = 0;
  if (o->emit_c) {
    if (write_file_atomic(o->emit_c, c, len, err, sizeof err) != 0) {
      fprintf(stderr, "cdaskc: %s\n", err);
      rc = 1;
    }
  } else {
    const char *cfile = arena_printf(a, "%s.c", o->out);
    if (write_file_atomic(cfile, c, len, err, sizeof err) != 0) {
      fprintf(stderr, "cdaskc: %s\n", err);
      rc = 1;
    } else {
      rc = run_cc(o, g, cfile) == 0 ? 0 : 1;
    }
  }
  free(c);
  return rc;
}

/* --fft-wisdom: the file must hold wisdom FFTW accepts; it is embedded as text. */
static void read_wisdom(Options *o) {
  const char *path = o->fft_wisdom_file;
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot read the FFTW wisdom %s: %s", path, strerror(errno));
  StrBuf b;
  sb_init(&b);
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (memchr(chunk, 0, n)) die("%s is not FFTW wisdom (it holds a NUL byte)", path);
    sb_printf(&b, "%.*s", (int)n, chunk);
  }
  bool bad = ferror(f);
  fclose(f);
  if (bad) die("cannot read the FFTW wisdom %s", path);
  if (!b.data || !strstr(b.data, "fftw") || cdrt_fft_import_wisdom(b.data) != 0)
    die("%s is not FFTW wisdom (make it with a program's --fft-plan=measure --fft-wisdom-out "
        "FILE)",
        path);
  o->fft_wisdom = arena_strdup(o->arena, b.data);
  sb_free(&b);
}

static const char *option_value(int argc, char **argv, int *i, const char *name) {
  size_t n = strlen(name);
  if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=') return argv[*i] + n + 1;
  if (*i + 1 >= argc) die("%s needs a value (try --help)", name);
  return argv[++*i];
}

/* --lua-time-limit: positive seconds, or "none" (0) */
static double parse_seconds(const char *v) {
  if (strcmp(v, "none") == 0) return 0;
  char *end;
  errno = 0;
  double s = strtod(v, &end);
  if (errno || end == v || *end || !(s > 0) || s > 1e9)
    die("--lua-time-limit needs a positive number of seconds or none, got '%s'", v);
  return s;
}

int main(int argc, char **argv) {
  Options o = {.arena = arena_new(), .lua_time_limit = 60, .lua_memory_limit = INT64_C(4) << 30};
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  o.memory_limit = pages > 0 && page > 0 ? (int64_t)((double)pages * (double)page * 0.75) : 0;
  o.cc = getenv("CC") && *getenv("CC") ? getenv("CC") : "cc";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
#define IS(name) (strcmp(a, name) == 0 || (strncmp(a, name "=", sizeof(name)) == 0))
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage, stdout);
      return 0;
    } else if (strcmp(a, "--version") == 0) {
      printf("cdaskc %s\n", CDRT_VERSION);
      return 0;
    } else if (strcmp(a, "-o") == 0) {
      o.out = option_value(argc, argv, &i, "-o");
    } else if (IS("--emit-c")) {
      o.emit_c = option_value(argc, argv, &i, "--emit-c");
    } else if (IS("--dump-graph")) {
      o.dump_graph = option_value(argc, argv, &i, "--dump-graph");
    } else if (IS("--dump-fused")) {
      o.dump_fused = option_value(argc, argv, &i, "--dump-fused");
    } else if (IS("--dump-after")) {
      o.dump_after = option_value(argc, argv, &i, "--dump-after");
      if (strcmp(o.dump_after, "frontend") && strcmp(o.dump_after, "simplify") &&
          strcmp(o.dump_after, "hermitian") && strcmp(o.dump_after, "cull") &&
          strcmp(o.dump_after, "fuse"))
        die("unknown pass '%s' for --dump-after (frontend, simplify, hermitian, cull, fuse)",
            o.dump_after);
    } else if (strcmp(a, "--explain") == 0) {
      o.explain = true;
    } else if (strcmp(a, "--native") == 0) {
      o.native = true;
    } else if (IS("--memory-limit")) {
      const char *v = option_value(argc, argv, &i, "--memory-limit");
      if ((o.memory_limit = cdrt_parse_size(v)) < 0)
        die("--memory-limit needs a size like 4G or 512M, got '%s'", v);
    } else if (strcmp(a, "--unsafe-lua") == 0) {
      o.unsafe_lua = true;
    } else if (IS("--lua-time-limit")) {
      o.lua_time_limit = parse_seconds(option_value(argc, argv, &i, "--lua-time-limit"));
    } else if (IS("--lua-memory-limit")) {
      const char *v = option_value(argc, argv, &i, "--lua-memory-limit");
      o.lua_memory_limit = strcmp(v, "none") == 0 ? 0 : cdrt_parse_size(v);
      if (o.lua_memory_limit < 0 || (o.lua_memory_limit == 0 && strcmp(v, "none") != 0))
        die("--lua-memory-limit needs a size like 4G or 512M, or none, got '%s'", v);
    } else if (IS("--fft-wisdom")) {
      o.fft_wisdom_file = option_value(argc, argv, &i, "--fft-wisdom");
    } else if (IS("--cc")) {
      o.cc = option_value(argc, argv, &i, "--cc");
    } else if (IS("--cflags")) {
      o.cflags = option_value(argc, argv, &i, "--cflags");
    } else if (a[0] == '-' && a[1]) {
      die("unknown option '%s' (try --help)", a);
    } else if (o.script) {
      die("more than one script given ('%s' and '%s')", o.script, a);
    } else {
      o.script = a;
    }
#undef IS
  }
  if (!o.script) die("no script given (try --help)");
  struct stat st;
  if (stat(o.script, &st) != 0) die("cannot open %s: %s", o.script, strerror(errno));
  if (!S_ISREG(st.st_mode)) die("%s is not a file", o.script);
  if (!o.out) {
    size_t n = strlen(o.script);
    o.out = n > 4 && strcmp(o.script + n - 4, ".lua") == 0
                ? arena_printf(o.arena, "%.*s", (int)(n - 4), o.script)
                : arena_printf(o.arena, "%s.out", o.script);
  }
  if (o.fft_wisdom_file) read_wisdom(&o);
  int rc = compile(&o);
  arena_free(o.arena);
  return rc;
}
