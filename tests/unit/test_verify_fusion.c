/* verify_fusion (compiler/verify.c) and the pass table (compiler/lower.c): a small script
 * is lowered through every pass; the groups it makes are sound, and each way of breaking
 * them (members out of order, a dependency that runs later, tiles that do not cover the
 * box, a buffer freed while a later group reads it...) is caught by the check of the pass
 * that decided it, naming the group. */
#include "test.h"

#include "cdask.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The groups it makes (the dumps of --dump-after=memplan, read by hand):
 *   0: y = sin(x) * 2 + 1, stored (an output): members t0 t1 t2 t3 t4 t5
 *   1: y:sum(0), reads 0        2: cumsum(y, 1), a scan, reads 0
 *   3: ((x + 1) * 3):mean(1)    4: z = (x * x):sum(1)
 *   5: z * 2 + z, in place over 4 (z dies there)
 *   6: v = cumsum(x, 0)         7: v:sum(1), frees 6
 *   8: rfft(x), r2c in place    9: real of it, frees 8 */
static const char script[] =
    "local da = require(\"cdask.array\")\n"
    "local x = da.random.normal(0, 1, {200, 300}, {chunks = {50, 100}, seed = 1})\n"
    "local y = da.sin(x) * 2 + 1\n"
    "da.to_npy(y, \"y.npy\")\n"
    "da.to_npy(y:sum(0), \"s.npy\")\n"
    "da.to_npy(da.cumsum(y, 1), \"c.npy\")\n"
    "local t = (x + 1) * 3\n"
    "da.to_npy(t:mean(1), \"m.npy\")\n"
    "local z = (x * x):sum(1)\n"
    "da.to_npy(z * 2 + z, \"w.npy\")\n"
    "local v = da.cumsum(x, 0)\n"
    "da.to_npy(v:sum(1), \"v.npy\")\n"
    "local f = da.fft.rfft(x)\n"
    "da.to_npy(da.real(f), \"f.npy\")\n";

typedef struct {
  Options o;
  Lowering l;
} Run;

/* The script through every pass, in a fresh arena. */
static void lower_script(Run *r, const char *path) {
  memset(r, 0, sizeof *r);
  r->o = (Options){.arena = arena_new(), .script = path, .memory_limit = CDRT_MEMORY_LIMIT_DEFAULT};
  r->l = (Lowering){.o = &r->o};
  int rc = lower(&r->l, PASS_FRONTEND, PASS_COUNT);
  ASSERT(rc == 0);
  if (rc) fprintf(stderr, "%s\n", r->l.err);
}

static char why[512];

/* verify_fusion's verdict on what pass decided: 1, with a message that starts by naming
 * group k (k < 0: no group) and holds words. */
static bool caught(Run *r, PassId pass, int k, const char *words) {
  why[0] = 0;
  int rc = verify_fusion(r->l.g, r->l.f, pass, why, sizeof why);
  char name[32];
  snprintf(name, sizeof name, "group %d (sink t", k);
  bool named = k < 0 ? strncmp(why, "group ", 6) != 0 : strncmp(why, name, strlen(name)) == 0;
  bool ok = rc == 1 && named && strstr(why, words);
  if (!ok) fprintf(stderr, "verdict %d: %s (wanted group %d, '%s')\n", rc, why, k, words);
  return ok;
}

static Group *group_of_sink(Run *r, int sink) {
  return &r->l.f->groups[r->l.f->group_of[sink]];
}

int main(void) {
  char dir[] = "/tmp/cdask_test_verify_XXXXXX";
  ASSERT(mkdtemp(dir) != NULL);
  char path[64];
  snprintf(path, sizeof path, "%s/v.lua", dir);
  FILE *fp = fopen(path, "w");
  ASSERT(fp && fputs(script, fp) >= 0 && fclose(fp) == 0);

  /* the table: every pass by name, in order */
  ASSERT(pass_find("frontend") == PASS_FRONTEND && pass_find("chunk") == PASS_CHUNK &&
         pass_find("memplan") == PASS_MEMPLAN && pass_find("schedule") == -1);
  Arena *a = arena_new();
  ASSERT(strcmp(pass_names(a), "frontend, simplify, hermitian, cull, fuse, chunk, memplan") == 0);
  arena_free(a);
  for (int p = 0; p < PASS_COUNT; p++) ASSERT(passes[p].run && passes[p].summary[0]);

  Run r;
  lower_script(&r, path);
  Fusion *f = r.l.f;
  ASSERT(f->ngroups == 10);
  for (PassId p = PASS_FUSE; p <= PASS_MEMPLAN; p++)
    ASSERT(verify_fusion(r.l.g, f, p, why, sizeof why) == 0);
  ASSERT(f->groups[5].donor == 4 && f->groups[7].nfrees == 1 && f->groups[7].frees[0] == 6);
  ASSERT(f->groups[8].r2c_in_place && f->groups[2].kind == G_SCAN);
  arena_free(r.o.arena);

  /* members out of topological order: group 0 lists t5 = t3 + t4 before t4 */
  lower_script(&r, path);
  Group *g0 = &r.l.f->groups[0];
  ASSERT(g0->nmembers == 6 && g0->members[4] == 4 && g0->members[5] == 5);
  g0->members[4] = 5, g0->members[5] = 4;
  ASSERT(caught(&r, PASS_FUSE, 0, "before its input"));
  arena_free(r.o.arena);

  /* the sink is not the last member */
  lower_script(&r, path);
  r.l.f->groups[0].nmembers--;
  ASSERT(caught(&r, PASS_FUSE, 0, "does not end with t5"));
  arena_free(r.o.arena);

  /* a member reads a node neither computed in the group nor read from a dependency */
  lower_script(&r, path);
  r.l.f->groups[0].members[0] = 2; /* t0 (x) left out, t2 listed twice */
  ASSERT(caught(&r, PASS_FUSE, 0, "lists t2 twice"));
  r.l.f->groups[0].members[0] = r.l.f->groups[0].members[1]; /* t1 twice */
  r.l.f->groups[0].members++, r.l.f->groups[0].nmembers--;   /* t1 t2 t3 t4 t5: no t0 */
  ASSERT(caught(&r, PASS_FUSE, 0, "t1 reads t0, neither computed here"));
  arena_free(r.o.arena);

  /* a dependency that does not run before the group: group 1 reads group 0 */
  lower_script(&r, path);
  ASSERT(r.l.f->groups[1].ndeps == 1 && r.l.f->groups[1].deps[0] == 0);
  r.l.f->groups[1].deps[0] = 1;
  ASSERT(caught(&r, PASS_FUSE, 1, "depends on group 1, which does not run before it"));
  arena_free(r.o.arena);

  /* tiles that do not cover the box: one tile more, or a tile size that makes fewer */
  lower_script(&r, path);
  Group *g3 = &r.l.f->groups[3]; /* (200,300) in tiles of (50,100): 4 * 3 */
  ASSERT(g3->ntiles == 12 && g3->chunk[0] == 50 && g3->chunk[1] == 100);
  g3->ntiles = 13;
  ASSERT(caught(&r, PASS_CHUNK, 3, "13 tiles, but its tiles over its box are 12"));
  g3->ntiles = 12, g3->chunk[0] = 100; /* 2 * 3 tiles of (100,100) */
  ASSERT(caught(&r, PASS_CHUNK, 3, "12 tiles, but its tiles over its box are 6"));
  g3->chunk[0] = 50, g3->hi[1] = 301; /* past the domain */
  ASSERT(caught(&r, PASS_FUSE, 3, "computed box [0, 301) on axis 1 of length 300"));
  arena_free(r.o.arena);

  /* a scan's tiles cut its axis (consistent counts otherwise) */
  lower_script(&r, path);
  Group *g2 = &r.l.f->groups[2]; /* cumsum along axis 1: tiles (50,300) */
  ASSERT(g2->chunk[1] == 300);
  g2->chunk[1] = 100, g2->ntiles = tiles_over(2, g2->lo, g2->hi, g2->chunk);
  ASSERT(verify_fusion(r.l.g, r.l.f, PASS_FUSE, why, sizeof why) == 0); /* fuse's tiles may */
  ASSERT(caught(&r, PASS_CHUNK, 2, "cut the scanned axis"));
  arena_free(r.o.arena);

  /* an output's array materialised by no group */
  lower_script(&r, path);
  Graph *g = r.l.g;
  int out_y = g->outputs[0]; /* to_npy(y): y is t5 */
  ASSERT(g->nodes[out_y].in[0] == 5);
  g->nodes[out_y].in[0] = 3; /* t3, computed inline in group 0 only */
  ASSERT(caught(&r, PASS_FUSE, -1, "t3, written by output"));
  arena_free(r.o.arena);

  /* a node materialised by a group whose sink it is not */
  lower_script(&r, path);
  r.l.f->group_of[3] = 0;
  ASSERT(caught(&r, PASS_FUSE, -1, "t3 is said to be materialised by group 0"));
  arena_free(r.o.arena);

  /* memplan: a buffer freed while a later group reads it, or written over */
  lower_script(&r, path);
  Group *g1 = group_of_sink(&r, 7); /* y:sum(0), reads group 0 like group 2 after it */
  ASSERT(g1->id == 1 && g1->nfrees == 0 && g1->ndeps == 1);
  g1->frees[g1->nfrees++] = 0;
  ASSERT(caught(&r, PASS_MEMPLAN, 2, "reads group 0, gone after group 1"));
  ASSERT(verify_fusion(r.l.g, r.l.f, PASS_CHUNK, why, sizeof why) == 0); /* memplan's field */
  g1->nfrees = 0, g1->donor = 0;
  ASSERT(caught(&r, PASS_MEMPLAN, 2, "reads group 0, gone after group 1"));
  g1->donor = 3; /* not one it reads */
  ASSERT(caught(&r, PASS_MEMPLAN, 1, "writes over group 3, which it does not read"));
  g1->donor = -1;
  r.l.f->groups[7].frees[0] = 4; /* group 7 reads group 6, not 4 */
  ASSERT(caught(&r, PASS_MEMPLAN, 7, "frees group 4, which it does not read"));
  r.l.f->groups[7].frees[0] = 6;
  ASSERT(verify_fusion(r.l.g, r.l.f, PASS_MEMPLAN, why, sizeof why) == 0);
  Group *g2b = &r.l.f->groups[2]; /* the last reader of y (group 0), which an output writes */
  g2b->frees[g2b->nfrees++] = 0;
  ASSERT(caught(&r, PASS_MEMPLAN, 0, "an output writes it, but it is gone after group 2"));
  arena_free(r.o.arena);

  unlink(path);
  rmdir(dir);
  TEST_END();
}
