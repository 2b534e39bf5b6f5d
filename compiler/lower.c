/* lower.c: the pass table and lower(). The table is the one list of passes: lower() runs
 * them in its order, --help lists them and --dump-after takes their names. Each entry
 * wraps one pass in the same signature; what each requires and guarantees is written in
 * cdask.h ("The passes"), and step() checks it after each one. */
#include "cdask.h"

#include <stdlib.h>
#include <string.h>

static int run_frontend(Lowering *l) {
  const Options *o = l->o;
  l->g = graph_new(o->arena);
  Frontend fe = {.graph = l->g,
                 .script = o->script,
                 .unsafe_lua = o->unsafe_lua,
                 .lua_time_limit = o->lua_time_limit,
                 .lua_memory_limit = o->lua_memory_limit};
  if (fe_run(&fe) == 0) return 1;
  memcpy(l->err, fe.err, sizeof l->err);
  return -1;
}

static int run_simplify(Lowering *l) {
  return pass_simplify(l->g);
}

static int run_hermitian(Lowering *l) {
  int rewritten = pass_hermitian(l->g);
  /* hermitian adds views and renumbers: simplify again */
  if (rewritten) pass_simplify(l->g);
  return rewritten;
}

static int run_cull(Lowering *l) {
  return pass_cull(l->g);
}

/* What fuse may spend on storing intermediates (instead of recomputing them): the
 * explicit --memory-limit, else a constant, so that the C is the same on every machine. */
#define DEFAULT_STORE_BUDGET ((int64_t)8 << 30)

static int run_fuse(Lowering *l) {
  int64_t limit = l->o->memory_limit;
  l->f = pass_fuse(l->g, limit == CDRT_MEMORY_LIMIT_DEFAULT ? DEFAULT_STORE_BUDGET : limit);
  return 1;
}

static int run_chunk(Lowering *l) {
  pass_chunk(l->g, l->f);
  return 1;
}

static int run_memplan(Lowering *l) {
  pass_memplan(l->g, l->f, l->o->mpi);
  return 1;
}

/* rewrites: the pass changes the graph's nodes (step() verifies them when it did).
 * says_unchanged: only simplify and cull mark their dumps "(unchanged)" (tests compare
 * the texts). */
const Pass passes[PASS_COUNT] = {
    /* name, summary (for --help), run, rewrites, says_unchanged, dump */
    [PASS_FRONTEND] = {"frontend", "the graph the script built", run_frontend, true, false, NULL},
    [PASS_SIMPLIFY] = {"simplify", "views composed, constants folded, common terms merged",
                       run_simplify, true, true, NULL},
    [PASS_HERMITIAN] = {"hermitian", "real inverse FFTs of Hermitian spectra made c2r",
                        run_hermitian, true, false, NULL},
    [PASS_CULL] = {"cull", "the box of each node that the outputs need", run_cull, false, true,
                   NULL},
    [PASS_FUSE] = {"fuse", "nodes grouped into tiled loops, one per stored array", run_fuse, false,
                   false, NULL},
    [PASS_CHUNK] = {"chunk", "each group's task tiles", run_chunk, false, false, dump_tiles},
    [PASS_MEMPLAN] = {"memplan", "buffer lives, writes in place, peak memory", run_memplan, false,
                      false, dump_memory},
};

int pass_find(const char *name) {
  for (int p = 0; p < PASS_COUNT; p++)
    if (strcmp(passes[p].name, name) == 0) return p;
  return -1;
}

const char *pass_names(Arena *a) {
  const char *s = passes[0].name;
  for (int p = 1; p < PASS_COUNT; p++) s = arena_printf(a, "%s, %s", s, passes[p].name);
  return s;
}

/* After pass p: what it guarantees is checked (a failure is a bug in cdaskc), then the
 * graph is printed if --dump-after names p. Every build checks what p changed: the graph
 * after the passes that rewrite it (cull only adds boxes: fuse's check bounds them), the
 * groups' new fields after the fusion passes. The graph check reads every node, 0.5 s for
 * 10^6 of them: debug builds also repeat every check that still applies after each pass. */
static void step(Lowering *l, PassId p, int changed) {
  bool all = false;
#ifndef NDEBUG
  all = true;
#endif
  if (!l->f && (all || (passes[p].rewrites && changed))) pass_verify(l->g);
  for (PassId q = all ? PASS_FUSE : p; l->f && q <= p; q++) {
    char why[512];
    if (verify_fusion(l->g, l->f, q, why, sizeof why) != 0) {
      fprintf(stderr, "cdaskc: internal error after %s: %s\n", passes[p].name, why);
      exit(70);
    }
  }
  const char *dump = l->o->dump_after;
  if (!dump || strcmp(dump, passes[p].name) != 0) return;
  fprintf(stderr, "== after %s%s\n", passes[p].name,
          passes[p].says_unchanged && !changed ? " (unchanged)" : "");
  dump_text(stderr, l->g, l->f);
  if (passes[p].dump) passes[p].dump(stderr, l->g, l->f);
}

int lower(Lowering *l, PassId from, PassId to) {
  for (PassId p = from; p < to; p++) {
    int changed = passes[p].run(l);
    if (changed < 0) return 1;
    step(l, p, changed);
  }
  return 0;
}
