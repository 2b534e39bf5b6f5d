/* outputs.c: cdaskc's files, as one transaction. Every one is opened before the script runs
 * (its temporary file made: runtime/outfile.c), so a path that cannot be written fails
 * before any work; they are written and committed only after the whole compile succeeded;
 * on an error or a signal their temporary files go. The program comes last: the C compiler
 * writes it into its temporary name (or, for a device or FIFO, into a scratch file that is
 * then copied in place), from OUT.c (or a scratch copy when OUT.c is not a regular file). */
#include "cdask.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Nothing is left behind, then the message and exit code 1. */
static _Noreturn void fail(Outputs *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static _Noreturn void fail(Outputs *w, const char *fmt, ...) {
  outputs_abort(w);
  va_list ap;
  va_start(ap, fmt);
  cdaskc_vquit(1, fmt, ap);
}

static void open_one(Outputs *w, cdrt_outfile *f, const char *path) {
  char err[512];
  if (cdrt_outfile_open(f, path, err, sizeof err) != 0) fail(w, "%s", err);
}

/* A file in $TMPDIR (else /tmp) ending in suffix, removed on exit or a signal. */
static char *scratch(Outputs *w, const char *suffix, void **entry) {
  const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  size_t n = strlen(dir) + strlen(suffix) + 32;
  char *p = malloc(n);
  if (!p) fail(w, "out of memory");
  snprintf(p, n, "%s/cdaskc-XXXXXX%s", dir, suffix);
  /* the name is random, so it is registered after it exists: the signals wait until then */
  sigset_t stop, old;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT), sigaddset(&stop, SIGTERM), sigaddset(&stop, SIGHUP);
  sigprocmask(SIG_BLOCK, &stop, &old);
  int fd = mkstemps(p, (int)strlen(suffix));
  int e = errno;
  if (fd >= 0) close(fd), *entry = cdrt_cleanup_add(p);
  sigprocmask(SIG_SETMASK, &old, NULL);
  if (fd < 0) {
    free(p);
    fail(w, "cannot make a scratch file in %s: %s", dir, strerror(e));
  }
  if (!*entry) {
    unlink(p);
    free(p);
    fail(w, "out of memory");
  }
  return p;
}

static void drop_scratch(char **p, void **entry) {
  if (!*p) return;
  unlink(*p);
  cdrt_cleanup_drop(*entry);
  *entry = NULL;
  free(*p);
  *p = NULL;
}

void outputs_open(Outputs *w, const Options *o) {
  memset(w, 0, sizeof *w);
  w->graph.fd = w->fused.fd = w->c.fd = w->program.fd = w->job.fd = -1;
  const char *cfile = o->emit_c ? o->emit_c : arena_printf(o->arena, "%s.c", o->out);
  const char *names[5] = {o->dump_graph, o->dump_fused, cfile, o->emit_c ? NULL : o->out,
                          o->job_path};
  for (int i = 0; i < 5; i++)
    for (int j = i + 1; j < 5; j++)
      if (names[i] && names[j] && strcmp(names[i], names[j]) == 0)
        fail(w, "%s is named for two outputs", names[i]);
  for (int i = 0; i < 2; i++)
    if (names[i] && !dump_name_ok(names[i]))
      fail(w, "%s: the dump's name must end in .dot or .json", names[i]);
  if (o->dump_graph) open_one(w, &w->graph, o->dump_graph);
  if (o->dump_fused) open_one(w, &w->fused, o->dump_fused);
  if (o->job_path) { /* a script is a regular file: not written into a device or FIFO */
    open_one(w, &w->job, o->job_path);
    if (w->job.in_place) fail(w, "cannot write %s: it is not a regular file", o->job_path);
  }
  if (o->emit_c) {
    open_one(w, &w->c, o->emit_c);
    return;
  }
  open_one(w, &w->program, o->out);
  /* OUT a device or FIFO: no OUT.c beside it (/dev/null.c); the C compiler's output goes
   * to a scratch file, copied in place */
  if (w->program.in_place)
    w->scratch_prog = scratch(w, "", &w->scratch_prog_entry);
  else
    open_one(w, &w->c, cfile);
  if (w->program.in_place || w->c.in_place) w->scratch_c = scratch(w, ".c", &w->scratch_c_entry);
}

static int write_commit(cdrt_outfile *f, const char *text, size_t len) {
  char err[512];
  if (f->fd < 0 && !f->tmp) return 0; /* not asked for */
  if (cdrt_outfile_write(f, text, len, err, sizeof err) == 0 &&
      cdrt_outfile_commit(f, 0, err, sizeof err) == 0)
    return 0;
  cdaskc_say("%s", err);
  return 1;
}

/* The program the C compiler wrote into a scratch file, copied into a device or FIFO. */
static int copy_in_place(cdrt_outfile *f, const char *from) {
  char err[512];
  FILE *in = fopen(from, "rb");
  char buf[1 << 16];
  size_t n;
  int rc = in ? 0 : -1;
  while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
    rc = cdrt_outfile_write(f, buf, n, err, sizeof err);
  if (!in || ferror(in)) snprintf(err, sizeof err, "cannot read %s: %s", from, strerror(errno));
  if (in && (ferror(in) || fclose(in) != 0)) rc = -1;
  if (rc == 0) rc = cdrt_outfile_commit(f, 0, err, sizeof err);
  if (rc != 0) cdaskc_say("%s", err);
  return rc;
}

int outputs_commit(Outputs *w, const Options *o, const Graph *g, const char *c, size_t len) {
  if (write_commit(&w->graph, w->graph_text, w->graph_len) ||
      write_commit(&w->fused, w->fused_text, w->fused_len) || write_commit(&w->c, c, len))
    return 1;
  if (o->emit_c) return write_commit(&w->job, o->job_text, o->job_text ? strlen(o->job_text) : 0);
  const char *cfile = w->scratch_c ? w->scratch_c : arena_printf(o->arena, "%s.c", o->out);
  char err[512];
  if (w->scratch_c && cdrt_write_file(w->scratch_c, c, len, 0, err, sizeof err) != 0) {
    cdaskc_say("%s", err);
    return 1;
  }
  const char *built = w->scratch_prog ? w->scratch_prog : w->program.tmp;
  if (run_cc(o, g, cfile, built) != 0) return 1;
  if (w->scratch_prog) return copy_in_place(&w->program, w->scratch_prog) != 0;
  if (cdrt_outfile_commit(&w->program, 0, err, sizeof err) != 0) {
    cdaskc_say("%s", err);
    return 1;
  }
  return write_commit(&w->job, o->job_text, o->job_text ? strlen(o->job_text) : 0);
}

void outputs_abort(Outputs *w) {
  cdrt_outfile_abort(&w->graph);
  cdrt_outfile_abort(&w->fused);
  cdrt_outfile_abort(&w->c);
  cdrt_outfile_abort(&w->program);
  cdrt_outfile_abort(&w->job);
  drop_scratch(&w->scratch_c, &w->scratch_c_entry);
  drop_scratch(&w->scratch_prog, &w->scratch_prog_entry);
  free(w->graph_text), free(w->fused_text);
  w->graph_text = w->fused_text = NULL;
}
