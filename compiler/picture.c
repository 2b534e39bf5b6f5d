/* picture.c: pictures of the graph (da.visualize, cdaskc --visualize), drawn at the end of
 * the compile: dump.c writes the Graphviz text; for .svg, .png and .pdf, Graphviz's dot
 * (found on PATH) runs as a program, without a shell, reading the text from a pipe and
 * writing the picture into the output's temporary file (runtime/outfile.c), which is
 * renamed into place once every picture is drawn: nothing is ever half-written. */
#include "cdask.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *picture_format(const char *path) {
  static const char *const formats[] = {"svg", "png", "pdf", "dot"};
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (!dot || (slash && dot < slash) || dot == path || dot[-1] == '/') return NULL;
  for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
    if (strcmp(dot + 1, formats[i]) == 0) return formats[i];
  return NULL;
}

bool picture_rankdir_ok(const char *r) {
  return !strcmp(r, "TB") || !strcmp(r, "LR") || !strcmp(r, "BT") || !strcmp(r, "RL");
}

/* The path of Graphviz's dot on $PATH, or NULL. */
static const char *find_dot(Arena *a) {
  const char *path = getenv("PATH");
  if (!path || !*path) return NULL;
  for (const char *p = path;;) {
    const char *e = strchr(p, ':');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    const char *file = arena_printf(a, "%.*s%sdot", (int)n, p, n ? "/" : "./");
    struct stat st;
    if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && access(file, X_OK) == 0) return file;
    if (!e) return NULL;
    p = e + 1;
  }
}

int picture_check(Arena *a, const char *path, const char *format, char *err, size_t n) {
  if (strcmp(format, "dot") != 0 && !find_dot(a)) {
    snprintf(err, n,
             "cannot draw %s: Graphviz's dot is not on PATH (install Graphviz, or write a .dot "
             "file and render it elsewhere: dot -T%s FILE.dot -o %s)",
             path, format, path);
    return -1;
  }
  cdrt_outfile f; /* fails now, before any work, if the path cannot be written */
  if (cdrt_outfile_open(&f, path, err, n) != 0) return -1;
  cdrt_outfile_abort(&f);
  return 0;
}

/* Runs dot -T<format> with text on its standard input and out's file as its standard
 * output; 0, or -1 with why. */
static int run_dot(Arena *a, const char *format, const char *text, size_t len, cdrt_outfile *out,
                   char *err, size_t n) {
  const char *dot = find_dot(a);
  if (!dot) {
    snprintf(err, n, "Graphviz's dot is not on PATH (write a .dot file instead)");
    return -1;
  }
  if (cdrt_outfile_write(out, "", 0, err, n) != 0) return -1; /* opens its file */
  int pipefd[2];
  if (pipe(pipefd) != 0) {
    snprintf(err, n, "cannot make a pipe: %s", strerror(errno));
    return -1;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pipefd[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out->fd, 1);
  posix_spawn_file_actions_addclose(&fa, pipefd[1]);
  const char *argv[] = {dot, arena_printf(a, "-T%s", format), NULL};
  pid_t pid;
  int e = posix_spawn(&pid, dot, &fa, NULL, (char *const *)argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(pipefd[0]);
  if (e != 0) {
    close(pipefd[1]);
    snprintf(err, n, "cannot run %s: %s", dot, strerror(e));
    return -1;
  }
  /* dot may exit before reading everything: a write error, not SIGPIPE */
  struct sigaction ign = {.sa_handler = SIG_IGN}, old;
  sigaction(SIGPIPE, &ign, &old);
  bool written = true;
  for (size_t done = 0; done < len;) {
    ssize_t w = write(pipefd[1], text + done, len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      written = false;
      break;
    }
    done += (size_t)w;
  }
  close(pipefd[1]);
  sigaction(SIGPIPE, &old, NULL);
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) {
      snprintf(err, n, "cannot wait for %s: %s", dot, strerror(errno));
      return -1;
    }
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || !written) {
    snprintf(err, n, "%s -T%s failed (%s %d)", dot, format, WIFEXITED(st) ? "exit code" : "signal",
             WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    return -1;
  }
  return 0;
}

void pictures_before(Graph *g, Picture *extra) {
  for (int i = 0; i < g->npictures + (extra != NULL); i++) {
    Picture *p = i < g->npictures ? &g->pictures[i] : extra;
    if (p->optimize) continue;
    char err[256];
    char *text = dump_picture(g, NULL, p, &p->len, err, sizeof err);
    if (!text) cdaskc_say("%s", err), exit(1);
    char *copy = arena_alloc(g->arena, p->len + 1);
    memcpy(copy, text, p->len);
    free(text);
    p->text = copy;
  }
}

int pictures_draw(Graph *g, Fusion *f, const Picture *extra) {
  int total = g->npictures + (extra != NULL);
  if (total == 0) return 0;
  cdrt_outfile *outs = arena_alloc(g->arena, sizeof *outs * (size_t)total);
  int opened = 0, rc = 0;
  for (int i = 0; i < total && rc == 0; i++) {
    const Picture *p = i < g->npictures ? &g->pictures[i] : extra;
    const char *where = p->script ? arena_printf(g->arena, "%s:%d: error: ", p->script, p->line)
                                  : "cdaskc: --visualize: ";
    char err[1024];
    size_t len = 0;
    char *text = p->text ? NULL : dump_picture(g, f, p, &len, err, sizeof err);
    const char *t = p->text ? p->text : text;
    if (p->text) len = p->len;
    if (t && cdrt_outfile_open(&outs[i], p->path, err, sizeof err) == 0) {
      opened = i + 1;
      int bad = strcmp(p->format, "dot") == 0
                    ? cdrt_outfile_write(&outs[i], t, len, err, sizeof err)
                    : run_dot(g->arena, p->format, t, len, &outs[i], err, sizeof err);
      if (bad) fprintf(stderr, "%scannot draw %s: %s\n", where, p->path, err), rc = 1;
    } else {
      fprintf(stderr, "%s%s\n", where, err);
      rc = 1;
    }
    free(text);
  }
  for (int i = 0; i < opened; i++) { /* all or none */
    char err[512];
    if (rc == 0 && cdrt_outfile_commit(&outs[i], 0, err, sizeof err) != 0) {
      fprintf(stderr, "cdaskc: %s\n", err);
      rc = 1;
    } else if (rc != 0) {
      cdrt_outfile_abort(&outs[i]);
    }
  }
  return rc;
}
