/* outfile.c: every file cdaskc and the generated programs write goes through here.
 * A regular or missing file (symlinks followed) is written to ".NAME.tmp.PID" beside it and
 * renamed over it on commit: whole or not at all. A character device, or a FIFO some process
 * reads, is written in place; other special files are refused. Temporary names are removed
 * on exit, on SIGINT, SIGTERM and SIGHUP, and, when a process died without a chance to
 * (SIGKILL), by the next open of the same name. */
#include "cdrt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the cleanup list, read by the signal handler.
 * A signal may arrive on any thread, at any time: entries are prepended with an atomic
 * store and never freed (a handler may be reading one), only marked dead; they stay
 * reachable from the list's head. It is process-wide state by nature. */
typedef struct outfile_entry {
  struct outfile_entry *next;
  int live;
  char path[];
} outfile_entry;
static outfile_entry *outfile_list;
static long outfile_child; /* a process group (the C compiler) to stop before cleaning */

static void outfile_remove_all(void) {
  for (outfile_entry *e = __atomic_load_n(&outfile_list, __ATOMIC_ACQUIRE); e; e = e->next)
    if (__atomic_load_n(&e->live, __ATOMIC_ACQUIRE)) unlink(e->path);
}

static void outfile_on_exit(void) {
  outfile_remove_all();
}

void cdrt_cleanup_now(void) {
  outfile_remove_all();
}

void *cdrt_cleanup_add(const char *path) {
  static int at_exit;
  if (!at_exit) at_exit = atexit(outfile_on_exit) == 0;
  size_t n = strlen(path) + 1;
  outfile_entry *e = malloc(sizeof *e + n);
  if (!e) return NULL;
  memcpy(e->path, path, n);
  e->live = 1;
  e->next = outfile_list;
  __atomic_store_n(&outfile_list, e, __ATOMIC_RELEASE);
  return e;
}

void cdrt_cleanup_drop(void *entry) {
  if (entry) __atomic_store_n(&((outfile_entry *)entry)->live, 0, __ATOMIC_RELEASE);
}

void cdrt_cleanup_child(long pgid) {
  __atomic_store_n(&outfile_child, pgid, __ATOMIC_RELEASE);
}

static int outfile_registered(const char *path) {
  for (outfile_entry *e = outfile_list; e; e = e->next)
    if (e->live && strcmp(e->path, path) == 0) return 1;
  return 0;
}

static void outfile_on_signal(int sig) {
  int saved = errno;
  long child = __atomic_load_n(&outfile_child, __ATOMIC_ACQUIRE);
  if (child > 0) { /* stop the C compiler's processes first: they write a temporary file */
    kill(-(pid_t)child, sig);
    waitpid((pid_t)child, NULL, 0);
    struct timespec tick = {0, 10 * 1000 * 1000};
    for (int i = 0; i < 200 && kill(-(pid_t)child, 0) == 0; i++) nanosleep(&tick, NULL);
  }
  outfile_remove_all();
  signal(sig, SIG_DFL);
  errno = saved;
  raise(sig); /* blocked until the handler returns, then the default action: the same exit */
}

void cdrt_catch_signals(void) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = outfile_on_signal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaddset(&sa.sa_mask, sigs[i]);
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
    struct sigaction old;
    /* an ignored signal (nohup) stays ignored */
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction(sigs[i], &sa, NULL);
  }
}

/* ---- names */

int cdrt_fail_msg(char *err, size_t errlen, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -1;
}

int cdrt_output_name_problem(const char *name, char *why, size_t n) {
  static const char inside[] =
      ": outputs stay inside the output directory (the program's --out chooses it)";
  if (name[0] == '/') return cdrt_fail_msg(why, n, "is an absolute path%s", inside);
  for (const char *p = name; *p;) {
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == 2 && p[0] == '.' && p[1] == '.')
      return cdrt_fail_msg(why, n, "has a '..' component%s", inside);
    if (!end && len > CDRT_NAME_MAX - CDRT_TMP_EXTRA)
      return cdrt_fail_msg(why, n,
                           "has a file name of %zu bytes: at most %d (the file system's %d, "
                           "less %d for the temporary name)",
                           len, CDRT_NAME_MAX - CDRT_TMP_EXTRA, CDRT_NAME_MAX, CDRT_TMP_EXTRA);
    if (end && len > CDRT_NAME_MAX)
      return cdrt_fail_msg(why, n, "has a directory name of %zu bytes: at most %d", len,
                           CDRT_NAME_MAX);
    p = end ? end + 1 : p + len;
  }
  return 0;
}

/* dir/name, or name alone when dir is empty. */
static char *outfile_join(const char *dir, size_t dirlen, const char *name) {
  size_t n = dirlen + strlen(name) + 2;
  char *p = malloc(n);
  bool slash = dirlen && dir[dirlen - 1] != '/';
  if (p) snprintf(p, n, "%.*s%s%s", (int)dirlen, dir, slash ? "/" : "", name);
  return p;
}

/* Follows symlinks from path to what they name (which may not exist yet); NULL with errno
 * set on failure. */
static char *outfile_resolve(const char *path) {
  char *cur = strdup(path);
  for (int hops = 0; cur && hops < 40; hops++) {
    struct stat st;
    if (lstat(cur, &st) != 0) {
      if (errno == ENOENT) return cur;
      free(cur);
      return NULL;
    }
    if (!S_ISLNK(st.st_mode)) return cur;
    char link[PATH_MAX];
    ssize_t n = readlink(cur, link, sizeof link - 1);
    if (n < 0 || n >= (ssize_t)sizeof link - 1) {
      if (n >= 0) errno = ENAMETOOLONG;
      free(cur);
      return NULL;
    }
    link[n] = 0;
    const char *slash = strrchr(cur, '/');
    char *next =
        link[0] == '/' || !slash ? strdup(link) : outfile_join(cur, (size_t)(slash - cur), link);
    free(cur);
    cur = next;
  }
  if (cur) {
    free(cur);
    errno = ELOOP;
  }
  return NULL;
}

/* Removes ".BASE.tmp.PID" in dir when PID is dead (or is this process, which has not made
 * it): the leftovers of runs killed with SIGKILL. */
static void outfile_remove_stale(const char *dir, size_t dirlen, const char *base) {
  char *d = outfile_join(dir, dirlen, ".");
  DIR *dp = d ? opendir(d) : NULL;
  size_t blen = strlen(base);
  struct dirent *e;
  while (dp && (e = readdir(dp)) != NULL) {
    const char *s = e->d_name;
    if (s[0] != '.' || strncmp(s + 1, base, blen) != 0 || strncmp(s + 1 + blen, ".tmp.", 5) != 0)
      continue;
    const char *digits = s + 1 + blen + 5;
    char *end;
    long pid = strtol(digits, &end, 10);
    if (digits[0] < '1' || digits[0] > '9' || *end || pid <= 0 || pid > INT_MAX) continue;
    char *p = outfile_join(dir, dirlen, s);
    if (p && (pid == (long)getpid() ? !outfile_registered(p)
                                    : kill((pid_t)pid, 0) != 0 && errno == ESRCH))
      unlink(p);
    free(p);
  }
  if (dp) closedir(dp);
  free(d);
}

/* ---- opening, writing, committing */

static const char *outfile_kind(mode_t m) {
  return S_ISDIR(m)    ? "a directory"
         : S_ISBLK(m)  ? "a block device"
         : S_ISSOCK(m) ? "a socket"
                       : "a special file";
}

/* A character device or a FIFO with a reader: opened for writing in place. */
static int outfile_open_special(cdrt_outfile *f, const struct stat *st, char *err, size_t errlen) {
  const char *path = f->path;
  if (S_ISCHR(st->st_mode)) {
    f->fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
  } else if (S_ISFIFO(st->st_mode)) {
    /* never block waiting for a reader: none now is an error */
    f->fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (f->fd < 0 && errno == ENXIO)
      return cdrt_fail_msg(err, errlen, "cannot write %s: it is a FIFO and no process reads it",
                           path);
    if (f->fd >= 0) fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) & ~O_NONBLOCK);
  } else {
    return cdrt_fail_msg(err, errlen,
                         "cannot write %s: it is %s (outputs are regular files, character "
                         "devices or FIFOs)",
                         path, outfile_kind(st->st_mode));
  }
  if (f->fd < 0) return cdrt_fail_msg(err, errlen, "cannot write %s: %s", path, strerror(errno));
  f->in_place = 1;
  return 0;
}

int cdrt_outfile_open(cdrt_outfile *f, const char *path, char *err, size_t errlen) {
  memset(f, 0, sizeof *f);
  f->path = path;
  f->fd = -1;
  if (!path || !*path) return cdrt_fail_msg(err, errlen, "cannot write '': empty file name");
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
    return outfile_open_special(f, &st, err, errlen);
  char *target = outfile_resolve(path);
  if (!target) return cdrt_fail_msg(err, errlen, "cannot write %s: %s", path, strerror(errno));
  const char *slash = strrchr(target, '/');
  const char *base = slash ? slash + 1 : target;
  size_t dirlen = slash ? (size_t)(slash - target) + (slash == target) : 0;
  if (!*base) {
    free(target);
    return cdrt_fail_msg(err, errlen, "cannot write %s: the name ends with '/'", path);
  }
  if (strlen(base) > CDRT_NAME_MAX - CDRT_TMP_EXTRA) {
    free(target);
    return cdrt_fail_msg(err, errlen,
                         "cannot write %s: its name is %zu bytes long, at most %d (the file "
                         "system's %d, less %d for the temporary name)",
                         path, strlen(base), CDRT_NAME_MAX - CDRT_TMP_EXTRA, CDRT_NAME_MAX,
                         CDRT_TMP_EXTRA);
  }
  outfile_remove_stale(target, dirlen, base);
  char name[CDRT_NAME_MAX + 1];
  snprintf(name, sizeof name, ".%s.tmp.%ld", base, (long)getpid());
  char *tmp = outfile_join(target, dirlen, name);
  /* registered before it exists: a signal between the open and the registration would
   * leave the file behind */
  f->cleanup = tmp ? cdrt_cleanup_add(tmp) : NULL;
  int fd = f->cleanup ? open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666) : -1;
  if (fd < 0) {
    int e = f->cleanup ? errno : ENOMEM;
    cdrt_cleanup_drop(f->cleanup);
    f->cleanup = NULL;
    free(tmp), free(target);
    return cdrt_fail_msg(err, errlen, "cannot write %s: %s", path, strerror(e ? e : ENOMEM));
  }
  close(fd); /* reopened to write: a program may have more outputs than descriptors */
  f->target = target;
  f->tmp = tmp;
  return 0;
}

int cdrt_outfile_write(cdrt_outfile *f, const void *data, size_t n, char *err, size_t errlen) {
  if (f->fd < 0 && f->tmp) f->fd = open(f->tmp, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
  if (f->fd < 0) return cdrt_fail_msg(err, errlen, "cannot write %s: %s", f->path, strerror(errno));
  const char *p = data;
  while (n > 0) {
    ssize_t w = write(f->fd, p, n > (1u << 30) ? (size_t)1 << 30 : n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0)
      return cdrt_fail_msg(err, errlen, "cannot write %s: %s", f->path,
                           strerror(w < 0 ? errno : EIO));
    p += w, n -= (size_t)w, f->written += w;
  }
  /* The commit's fsync waits for every byte still in the page cache: starting the
   * writeback of each 8 MB as it is written lets the disk work while the rest is made (a
   * result of 10^7 groups is 560 MB of CSV; its fsync took 0.6 s after the last write).
   * A hint only: the fsync reports errors. */
  enum { OUTFILE_FLUSH = 8 << 20 };
  if (!f->in_place && f->written - f->flushed >= OUTFILE_FLUSH) {
    (void)sync_file_range(f->fd, f->flushed, f->written - f->flushed, SYNC_FILE_RANGE_WRITE);
    f->flushed = f->written;
  }
  return 0;
}

static void outfile_release(cdrt_outfile *f) {
  cdrt_cleanup_drop(f->cleanup);
  f->cleanup = NULL;
  free(f->target), free(f->tmp);
  f->target = f->tmp = NULL;
  f->fd = -1;
}

int cdrt_outfile_commit(cdrt_outfile *f, int sync, char *err, size_t errlen) {
  int e = 0;
  if (f->fd >= 0) {
    if (sync && !f->in_place && fsync(f->fd) != 0) e = errno;
    if (close(f->fd) != 0 && !e) e = errno;
    f->fd = -1;
  }
  if (f->tmp && !e && rename(f->tmp, f->target) != 0) e = errno;
  if (f->tmp && e) unlink(f->tmp); /* renamed first, dropped from the list after */
  outfile_release(f);
  if (e) return cdrt_fail_msg(err, errlen, "cannot write %s: %s", f->path, strerror(e));
  return 0;
}

void cdrt_outfile_abort(cdrt_outfile *f) {
  if (f->fd >= 0) close(f->fd);
  if (f->tmp) unlink(f->tmp);
  outfile_release(f);
}

int cdrt_write_file(const char *path, const void *data, size_t n, int sync, char *err,
                    size_t errlen) {
  cdrt_outfile f;
  if (cdrt_outfile_open(&f, path, err, errlen) != 0) return -1;
  if (cdrt_outfile_write(&f, data, n, err, errlen) != 0) {
    cdrt_outfile_abort(&f);
    return -1;
  }
  return cdrt_outfile_commit(&f, sync, err, errlen);
}
