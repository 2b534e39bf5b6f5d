/* cc.c: the C compiler cdaskc runs on the emitted file: its flags and libraries, and the
 * command, run with posix_spawnp and an argument vector (no shell: names are never
 * interpreted). --cc, --cflags and $CC are split into words as a shell would. */
#include "cdask.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char base_flags[] = "-std=c11 -O3 -fopenmp -ffp-contract=off -fno-math-errno";

/* GCC only: the emitted file is the whole program (the runtime, the kernel files and the
 * pipeline in one unit, main the only entry), so the runtime's functions it never calls
 * are dropped before they are optimized: a word count builds in half the time.
 * Clang ignores the flag with a warning and gains nothing from it. */
static const char gcc_flags[] = "-fwhole-program";

/* then the kernel files' cflags (cd.cfile), in load order */
const char *cc_flags(const Options *o, const Graph *g) {
  const char *f = base_flags;
  if (o->cc_gcc) f = arena_printf(o->arena, "%s %s", f, gcc_flags);
  if (o->native) f = arena_printf(o->arena, "%s -march=native", f);
  if (o->cflags && *o->cflags) f = arena_printf(o->arena, "%s %s", f, o->cflags);
  for (int i = 0; g && i < g->ncfiles; i++)
    if (*g->cfiles[i].cflags) f = arena_printf(o->arena, "%s %s", f, g->cfiles[i].cflags);
  return f;
}

/* The kernel files' libraries first (they may need libm), FFTW only for the pipelines
 * that transform, zlib only for those that read gzip, libunistring for str.lower/upper,
 * PCRE2 for regular expressions */
const char *cc_libs(const Graph *g) {
  const char *own = graph_has_fft(g) ? "-lfftw3 -lfftw3f -lsleef -lm" : "-lsleef -lm";
  if (graph_reads_gzip(g)) own = arena_printf(g->arena, "-lz %s", own);
  if (graph_maps_case(g)) own = arena_printf(g->arena, "-lunistring %s", own);
  if (graph_uses_regex(g)) own = arena_printf(g->arena, "-lpcre2-8 %s", own);
  const char *user = "";
  for (int i = 0; g && i < g->ncfiles; i++)
    if (*g->cfiles[i].libs) user = arena_printf(g->arena, "%s%s ", user, g->cfiles[i].libs);
  return *user ? arena_printf(g->arena, "%s%s", user, own) : own;
}

static void push(Arena *a, const char ***argv, int *argc, const char *w) {
  const char **v = arena_alloc(a, sizeof *v * (size_t)(*argc + 2)); /* room for the NULL */
  if (*argc) memcpy(v, *argv, sizeof *v * (size_t)*argc);
  v[(*argc)++] = w;
  *argv = v;
}

int cc_split_words(Arena *a, const char *s, const char ***argv, int *argc) {
  size_t n = strlen(s);
  char *word = arena_alloc(a, n + 1);
  for (size_t i = 0; i < n;) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
      i++;
      continue;
    }
    size_t k = 0;
    while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\n') {
      char c = s[i++];
      if (c == '\'') {
        while (i < n && s[i] != '\'') word[k++] = s[i++];
        if (i++ >= n) return -1;
      } else if (c == '"') {
        for (; i < n && s[i] != '"'; i++) {
          if (s[i] == '\\' && i + 1 < n && strchr("\"\\$`", s[i + 1])) i++;
          word[k++] = s[i];
        }
        if (i++ >= n) return -1;
      } else if (c == '\\' && i < n) {
        word[k++] = s[i++];
      } else {
        word[k++] = c;
      }
    }
    word[k] = 0;
    push(a, argv, argc, arena_strdup(a, word));
  }
  return 0;
}

/* A name that starts with '-' would be read as an option. */
static const char *not_an_option(Arena *a, const char *path) {
  return path[0] == '-' ? arena_printf(a, "./%s", path) : path;
}

/* The command as a shell line, for messages: words quoted when they need it. */
static const char *command_text(Arena *a, const char **argv, int argc) {
  const char *t = "";
  for (int i = 0; i < argc; i++) {
    const char *w = argv[i];
    bool plain = *w != 0;
    for (const char *p = w; *p; p++)
      if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+./,:@%", *p))
        plain = false;
    if (plain) {
      t = arena_printf(a, "%s%s%s", t, i ? " " : "", w);
      continue;
    }
    t = arena_printf(a, "%s%s'", t, i ? " " : "");
    for (const char *p = w; *p; p++)
      t = *p == '\'' ? arena_printf(a, "%s'\\''", t) : arena_printf(a, "%s%c", t, *p);
    t = arena_printf(a, "%s'", t);
  }
  return t;
}

/* Runs argv in its own process group, which the signal handler stops (outfile.c) before it
 * removes the temporary program; returns the wait status, or -1 with errno. With a pipe
 * (fa: the child's file actions, which make fds[1] its standard output), what the child
 * writes there is kept in *out; both ends are closed here. */
static int spawn_and_wait(const char **argv, const posix_spawn_file_actions_t *fa, const int *fds,
                          StrBuf *out) {
  sigset_t caught, old;
  sigemptyset(&caught);
  sigaddset(&caught, SIGINT);
  sigaddset(&caught, SIGTERM);
  sigaddset(&caught, SIGHUP);
  /* no signal between the spawn and recording the child: it would not be stopped */
  sigprocmask(SIG_BLOCK, &caught, &old);
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  posix_spawnattr_setsigmask(&at, &old); /* the mask from before; exec resets the handlers */
  posix_spawnattr_setpgroup(&at, 0);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  pid_t pid;
  int e = posix_spawnp(&pid, argv[0], fa, &at, (char *const *)argv, environ);
  if (e == 0) cdrt_cleanup_child(pid);
  sigprocmask(SIG_SETMASK, &old, NULL);
  posix_spawnattr_destroy(&at);
  if (fds) { /* the child's end closed here, reading sees the end once the child exits */
    close(fds[1]);
    char buf[4096];
    for (ssize_t n; e == 0 && (n = read(fds[0], buf, sizeof buf)) != 0;)
      if (n > 0)
        sb_printf(out, "%.*s", (int)n, buf);
      else if (errno != EINTR)
        break;
    close(fds[0]);
  }
  if (e != 0) {
    errno = e;
    return -1;
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) {
      cdrt_cleanup_child(0);
      return -1;
    }
  cdrt_cleanup_child(0);
  return st;
}

int cc_found(const Options *o, const char *cc) {
  const char **argv = NULL;
  int argc = 0;
  if (cc_split_words(o->arena, cc, &argv, &argc) != 0 || argc == 0) return 0;
  if (strchr(argv[0], '/')) return access(argv[0], X_OK) == 0;
  const char *path = getenv("PATH");
  for (const char *p = path ? path : ""; *p;) {
    size_t n = strcspn(p, ":");
    const char *f = arena_printf(o->arena, "%.*s/%s", (int)n, n ? p : ".", argv[0]);
    if (access(f, X_OK) == 0) return 1;
    p += n + (p[n] == ':');
  }
  return 0;
}

/* Whether cc is GCC: its predefined macros (`cc -dM -E`, as CMake asks), __GNUC__ without
 * __clang__ (which defines it too) or the Intel compilers'. mpicc passes the question on
 * to the compiler it wraps. Any failure: not GCC (no flag is added). */
bool cc_is_gcc(const Options *o) {
  Arena *a = o->arena;
  const char **argv = NULL;
  int argc = 0;
  if (cc_split_words(a, o->cc, &argv, &argc) != 0 || argc == 0) return false;
  cc_split_words(a, "-dM -E -x c /dev/null", &argv, &argc);
  argv[argc] = NULL;
  int fd[2];
  if (pipe(fd) != 0) return false;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addclose(&fa, fd[0]);
  posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
  posix_spawn_file_actions_addclose(&fa, fd[1]);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  StrBuf macros;
  sb_init(&macros);
  int st = spawn_and_wait(argv, &fa, fd, &macros);
  posix_spawn_file_actions_destroy(&fa);
  const char *m = macros.data ? macros.data : "";
  bool gcc = st == 0 && strstr(m, "#define __GNUC__ ") && !strstr(m, "#define __clang__ ") &&
             !strstr(m, "#define __INTEL_COMPILER ") &&
             !strstr(m, "#define __INTEL_LLVM_COMPILER ");
  sb_free(&macros);
  return gcc;
}

int run_cc(const Options *o, const Graph *g, const char *cfile, const char *out) {
  Arena *a = o->arena;
  const char **argv = NULL;
  int argc = 0;
  if (cc_split_words(a, o->cc, &argv, &argc) != 0 || argc == 0) {
    cdaskc_say("the C compiler '%s' is not a command (%s)", o->cc,
               argc ? "an unterminated quote" : "no words");
    return -1;
  }
  /* the header's flags, split as they were written (--cflags and the kernel files' are
   * checked for unterminated quotes before: main.c, kernels.c) */
  if (cc_split_words(a, cc_flags(o, g), &argv, &argc) != 0) {
    cdaskc_say("the C compiler's flags have an unterminated quote: %s", cc_flags(o, g));
    return -1;
  }
  push(a, &argv, &argc, "-o");
  push(a, &argv, &argc, not_an_option(a, out));
  push(a, &argv, &argc, not_an_option(a, cfile));
  cc_split_words(a, cc_libs(g), &argv, &argc);
  argv[argc] = NULL;
  int st = spawn_and_wait(argv, NULL, NULL, NULL);
  if (st < 0) {
    cdaskc_say("cannot run the C compiler %s: %s", argv[0], strerror(errno));
    return -1;
  }
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    cdaskc_say("the C compiler failed (%s %d): %s", WIFEXITED(st) ? "exit code" : "signal",
               WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), command_text(a, argv, argc));
    return -1;
  }
  return 0;
}
