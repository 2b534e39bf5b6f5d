/* main.c: the cdaskc command line, and compile(): the passes (lower.c's table), then the
 * checks and outputs that follow them. */
#include "cdask.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_head[] =
    "usage: cdaskc [options] PIPELINE.lua\n"
    "\n"
    "Compiles a Lua pipeline written with cdask.array into one C file with OpenMP tasks and\n"
    "builds it into a standalone program.\n"
    "\n"
    "  -o OUT              the program to build (default: the script's name without .lua)\n"
    "  --emit-c FILE       write the generated C to FILE and stop (no C compiler run)\n"
    "  --dump-graph FILE   write the graph before fusion (.dot for Graphviz, .json for tools)\n"
    "  --dump-fused FILE   write the graph after fusion, with its groups (.dot or .json)\n"
    "  --dump-after=PASS   print the graph after PASS, one of:\n";
/* then one line per pass (lower.c's table) */
static const char usage_tail[] =
    "  --explain           print one line per fused group: what it fuses, its tiles, why,\n"
    "                      and its predicted cost (elements, bytes read and written, flops)\n"
    "  --visualize FILE    draw the graph (.svg, .png, .pdf with Graphviz's dot, or .dot)\n"
    "  --rankdir DIR       its direction: TB (default), LR, BT or RL\n"
    "  --optimize-graph    draw the fused groups instead of the operations\n"
    "  --cc CC             the C compiler (default: $CC, else cc)\n"
    "  --cflags FLAGS      extra flags for the C compiler\n"
    "  --native            add -march=native (faster, not portable to other CPUs)\n"
    "  --mpi               build an MPI program with mpicc (or --cc): run it with mpirun,\n"
    "                      the tiles shared by the ranks, the same bits for any rank count\n"
    "  --fft-wisdom FILE   FFTW wisdom (from a program's --fft-wisdom-out) embedded in the\n"
    "                      program: its FFTs are planned from it, the same plans every run\n"
    "  --memory-limit SIZE the most memory the arrays kept in memory may take, e.g. 4G,\n"
    "                      compiled into the program, or none (default: the program takes\n"
    "                      75% of the memory of the machine it runs on; it can override)\n"
    "  --unsafe-lua        run the script with Lua's whole standard library (processes,\n"
    "                      C modules, writing files): only for scripts you trust\n"
    "  --lua-time-limit SECONDS\n"
    "                      the most CPU time the script may run (default 60; none: no limit)\n"
    "  --lua-memory-limit SIZE\n"
    "                      the most memory the script's Lua may hold (default 4G; none: no\n"
    "                      limit)\n"
    "  --job slurm|pbs     also write the job script that runs the program on a cluster,\n"
    "                      OUT.sbatch or OUT.pbs (docs/clusters.md), with:\n"
    "    --nodes N --ntasks-per-node N --cpus-per-task N   (default 1 each)\n"
    "    --time HH:MM:SS (default 00:30:00)  --mem SIZE per node (e.g. 8G)\n"
    "    --account A  --partition P  --project P (PBS -P)  --job-name NAME\n"
    "    --mail-user ADDR  --mail-type TYPES  --job-extra DIRECTIVE (repeatable)\n"
    "    --job-build (build the program in the job first)  --module NAME (repeatable)\n"
    "  --version           print the version\n"
    "  --help              print this help\n";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cdaskc_vquit(1, fmt, ap);
}

/* Bad command lines exit with 2, like the programs' (docs/cli.md). */
static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cdaskc_vquit(2, fmt, ap);
}

/* The arrays the program holds at once (memplan.c's peak) must fit an explicit memory
 * limit: otherwise a compile-time error at the line that made the largest. Without one,
 * the program decides where it runs; a plan over 75% of this machine's memory is only
 * a warning (the C does not depend on the machine that compiles it). */
static int check_memory(const Options *o, Graph *g, Fusion *f) {
  double total = f->peak_bytes, largest = -1;
  const Node *big = NULL;
  for (int k = 0; k < f->ngroups; k++) {
    const Node *x = &g->nodes[f->groups[k].sink];
    double n = (double)node_size(x) * (double)cdrt_dtype_size(x->dtype);
    if (n > largest) largest = n, big = x;
  }
  bool machine = o->memory_limit == CDRT_MEMORY_LIMIT_DEFAULT;
  int64_t limit = machine ? cdrt_machine_memory_limit() : o->memory_limit;
  if (!big || limit <= 0 || total <= (double)limit) return 0;
  char t[32], l[32], m[32];
  cdrt_format_bytes(t, sizeof t, total);
  cdrt_format_bytes(l, sizeof l, (double)limit);
  cdrt_format_bytes(m, sizeof m, largest);
  const char *what = big->op == OP_REDUCE ? rop_names[big->rop] : op_names[big->op];
  const char *shape = shape_str(g->arena, big->ndim, big->shape);
  if (machine) {
    fprintf(stderr,
            "%s:%d: warning: the arrays kept in memory need %s, over 75%% of this machine's "
            "memory (%s; largest: %s %s%s, %s, made here): the program stops with exit code 5 "
            "on a machine with less memory than that, unless given --memory-limit\n",
            big->file, big->line, t, l, what, cdrt_dtype_name(big->dtype), shape, m);
    return 0;
  }
  fprintf(stderr,
          "%s:%d: error: the arrays kept in memory need %s, over the memory limit of %s "
          "(largest: %s %s%s, %s, made here); raise it with --memory-limit\n",
          big->file, big->line, t, l, what, cdrt_dtype_name(big->dtype), shape, m);
  return 1;
}

/* The passes, in order; then the outputs, opened before, are written. */
static int compile(Options *o, Outputs *w) {
  Arena *a = o->arena;
  Lowering l = {.o = o};
  if (lower(&l, PASS_FRONTEND, PASS_SIMPLIFY) != 0) {
    fprintf(stderr, "%s\n", l.err);
    return 1;
  }
  Graph *g = l.g;
  Picture cli = {.path = o->visualize, /* --visualize: the whole program */
                 .format = o->visualize ? picture_format(o->visualize) : NULL,
                 .rankdir = o->rankdir ? o->rankdir : "TB",
                 .optimize = o->optimize_graph};
  pictures_before(g, o->visualize ? &cli : NULL); /* the operations as the script made them */
  lower(&l, PASS_SIMPLIFY, PASS_FUSE);
  /* --dump-graph: the graph as fusion reads it */
  if (o->dump_graph && !(w->graph_text = dump_file(o->dump_graph, g, NULL, &w->graph_len)))
    die("out of memory");
  lower(&l, PASS_FUSE, PASS_COUNT);
  Fusion *f = l.f;
  if (check_memory(o, g, f)) return 1;
  if (o->dump_fused && !(w->fused_text = dump_file(o->dump_fused, g, f, &w->fused_len)))
    die("out of memory");
  if (o->explain && !o->mpi) explain(stdout, g, f, false);
  if (pictures_draw(g, f, o->visualize ? &cli : NULL) != 0) return 1;
  if (g->noutputs == 0 && g->tables.nout == 0 &&
      g->neffects == 0) /* effects (impure kernels) are work too */
    fprintf(stderr, "%s: warning: the pipeline has no outputs (da.to_npy or da.print)\n",
            o->script);
  o->script_sha256 = sha256_file_hex(a, o->script);
  const char *cpath = o->emit_c ? o->emit_c : arena_printf(a, "%s.c", o->out);
  o->c_name = strrchr(cpath, '/') ? strrchr(cpath, '/') + 1 : cpath;
  size_t len;
  char *c = emit_program(g, f, o, &len);
  if (o->explain && o->mpi) { /* after the emitter planned the exchanges (Group.mpi) */
    explain(stdout, g, f, true);
    puts("--mpi: the ranks share every group's tiles; no group writes in place over a dying "
         "input (a rank's copy of an array holds its own tiles' bytes and what it receives)");
  }
  int rc = outputs_commit(w, o, g, c, len);
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

/* --job: the script's text, and its path beside the program (with --emit-c X.c, the
 * program is X), checked before any work. */
static void job_script(Options *o) {
  const char *prog = o->out;
  if (o->emit_c) {
    size_t n = strlen(o->emit_c);
    if (n < 3 || strcmp(o->emit_c + n - 2, ".c") != 0)
      usage_error("--job with --emit-c needs a C file name ending in .c (the program is its "
                  "name without .c), got '%s'",
                  o->emit_c);
    prog = arena_printf(o->arena, "%.*s", (int)(n - 2), o->emit_c);
  }
  const char *base = strrchr(prog, '/') ? strrchr(prog, '/') + 1 : prog;
  char err[512], *text = cdrt_job_script(&o->job, base, o->script, err, sizeof err);
  if (!text) usage_error("%s", err);
  o->job_text = arena_strdup(o->arena, text);
  free(text);
  o->job_path =
      arena_printf(o->arena, "%s.%s", prog, o->job.kind == CDRT_JOB_SLURM ? "sbatch" : "pbs");
}

static const char *option_value(int argc, char **argv, int *i, const char *name) {
  size_t n = strlen(name);
  if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=') return argv[*i] + n + 1;
  if (*i + 1 >= argc) usage_error("%s needs a value (try --help)", name);
  return argv[++*i];
}

/* --lua-time-limit: positive seconds, or "none" (0) */
static double parse_seconds(const char *v) {
  if (strcmp(v, "none") == 0) return 0;
  char *end;
  errno = 0;
  double s = strtod(v, &end);
  if (errno || end == v || *end || !(s > 0) || s > 1e9)
    usage_error("--lua-time-limit needs a positive number of seconds or none, got '%s'", v);
  return s;
}

/* --memory-limit, --lua-memory-limit: bytes, or none; a bad value is a usage error, as in
 * the program */
static int64_t parse_size(const char *option, const char *v) {
  int64_t bytes;
  char err[160];
  if (cdrt_parse_memory_limit(v, &bytes, err, sizeof err) != 0) usage_error("%s: %s", option, err);
  return bytes;
}

int main(int argc, char **argv) {
  Options o = {.arena = arena_new(),
               .memory_limit = CDRT_MEMORY_LIMIT_DEFAULT,
               .lua_time_limit = 60,
               .lua_memory_limit = INT64_C(4) << 30};
  o.cc = getenv("CC") && *getenv("CC") ? getenv("CC") : "cc";
  cdrt_job_init(&o.job);
  char why[1024];
  int job;
  bool cc_given = false; /* --cc: also the MPI wrapper under --mpi */
  const char *no_blocks = getenv("CDASKC_NO_BLOCKS");
  o.no_blocks = no_blocks && *no_blocks && strcmp(no_blocks, "0") != 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
#define IS(name) (strcmp(a, name) == 0 || (strncmp(a, name "=", sizeof(name)) == 0))
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage_head, stdout);
      for (int p = 0; p < PASS_COUNT; p++)
        printf("                        %-10s %s\n", passes[p].name, passes[p].summary);
      fputs(usage_tail, stdout);
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
      if (pass_find(o.dump_after) < 0)
        usage_error("unknown pass '%s' for --dump-after (%s)", o.dump_after, pass_names(o.arena));
    } else if (IS("--visualize")) {
      o.visualize = option_value(argc, argv, &i, "--visualize");
      if (!picture_format(o.visualize))
        usage_error("--visualize: '%s' must end in .svg, .png, .pdf or .dot", o.visualize);
    } else if (IS("--rankdir")) {
      o.rankdir = option_value(argc, argv, &i, "--rankdir");
      if (!picture_rankdir_ok(o.rankdir))
        usage_error("--rankdir must be TB, LR, BT or RL, got '%s'", o.rankdir);
    } else if (strcmp(a, "--optimize-graph") == 0) {
      o.optimize_graph = true;
    } else if (strcmp(a, "--explain") == 0) {
      o.explain = true;
    } else if (strcmp(a, "--native") == 0) {
      o.native = true;
    } else if (strcmp(a, "--mpi") == 0) {
      o.mpi = true;
    } else if (IS("--memory-limit")) {
      o.memory_limit = parse_size("--memory-limit", option_value(argc, argv, &i, "--memory-limit"));
    } else if (strcmp(a, "--unsafe-lua") == 0) {
      o.unsafe_lua = true;
    } else if (IS("--lua-time-limit")) {
      o.lua_time_limit = parse_seconds(option_value(argc, argv, &i, "--lua-time-limit"));
    } else if (IS("--lua-memory-limit")) {
      /* "none" parses to 0: no limit, as the Lua state takes it */
      o.lua_memory_limit =
          parse_size("--lua-memory-limit", option_value(argc, argv, &i, "--lua-memory-limit"));
    } else if (IS("--fft-wisdom")) {
      o.fft_wisdom_file = option_value(argc, argv, &i, "--fft-wisdom");
    } else if (IS("--cc")) {
      o.cc = option_value(argc, argv, &i, "--cc");
      cc_given = true;
    } else if (IS("--cflags")) {
      o.cflags = option_value(argc, argv, &i, "--cflags");
    } else if (IS("--job")) {
      if (cdrt_job_set_kind(&o.job, "--job", option_value(argc, argv, &i, "--job"), why,
                            sizeof why) != 0)
        usage_error("%s", why);
    } else if ((job = cdrt_job_option(&o.job, argc, argv, &i, why, sizeof why)) != 0) {
      if (job < 0) usage_error("%s", why);
    } else if (a[0] == '-' && a[1]) {
      usage_error("unknown option '%s' (try --help)", a);
    } else if (o.script) {
      usage_error("more than one script given ('%s' and '%s')", o.script, a);
    } else {
      o.script = a;
    }
#undef IS
  }
  if (!o.script) usage_error("no script given (try --help)");
  const char *named[] = {o.out, o.emit_c, o.dump_graph, o.dump_fused};
  static const char *const flag[] = {"-o", "--emit-c", "--dump-graph", "--dump-fused"};
  for (int i = 0; i < 4; i++)
    if (named[i] && !*named[i]) usage_error("%s needs a file name, got ''", flag[i]);
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
  if (o.job.given && !o.job.kind) usage_error("%s needs --job slurm|pbs", o.job.given);
  if (o.job.kind) job_script(&o);
  if ((o.rankdir || o.optimize_graph) && !o.visualize)
    usage_error("%s needs --visualize FILE", o.rankdir ? "--rankdir" : "--optimize-graph");
  if (o.visualize && ((o.dump_graph && strcmp(o.visualize, o.dump_graph) == 0) ||
                      (o.dump_fused && strcmp(o.visualize, o.dump_fused) == 0)))
    usage_error("%s is named for two outputs (--visualize and a dump)", o.visualize);
  if (o.visualize &&
      picture_check(o.arena, o.visualize, picture_format(o.visualize), why, sizeof why) != 0)
    die("--visualize: %s", why);
  if (o.mpi && !cc_given) o.cc = "mpicc"; /* Open MPI's wrapper: cc's flags, MPI's paths */
  if (o.mpi && !o.emit_c && !cc_found(&o, o.cc))
    die("--mpi needs the MPI compiler wrapper %s, which is not found in PATH (install Open MPI: "
        "openmpi-bin and libopenmpi-dev)",
        o.cc);
  const char **words = NULL;
  int nwords = 0;
  if (cc_split_words(o.arena, o.cc, &words, &nwords) != 0 || nwords == 0)
    usage_error("the C compiler '%s' is not a command (empty, or an unterminated quote)", o.cc);
  if (o.cflags && cc_split_words(o.arena, o.cflags, &words, &nwords) != 0)
    usage_error("--cflags has an unterminated quote: %s", o.cflags);
  cdrt_catch_signals(); /* a signal removes the outputs' temporary files */
  o.cc_gcc = cc_found(&o, o.cc) && cc_is_gcc(&o);
  Outputs w;
  outputs_open(&w, &o);
  int rc = compile(&o, &w);
  outputs_abort(&w); /* what was not committed */
  arena_free(o.arena);
  return rc;
}
