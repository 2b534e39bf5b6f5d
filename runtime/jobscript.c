/* jobscript.c: the SLURM and PBS Pro job scripts that run a program (templates/job.sbatch
 * and templates/job.pbs, embedded as cdrt_job_sbatch_template and cdrt_job_pbs_template).
 * The options are read and checked here, and the template filled here, for both cdaskc
 * (--job, which writes PIPELINE.sbatch or .pbs) and the program (--job-script, which prints
 * it): the two give the same text. */
#include "cdrt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cdrt_job_init(cdrt_job *j) {
  memset(j, 0, sizeof *j);
  j->nodes = j->ntasks_per_node = j->cpus_per_task = 1;
  j->time = "00:30:00"; /* dask-jobqueue's default walltime */
}

static int job_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int job_error(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return -1;
}

int cdrt_job_set_kind(cdrt_job *j, const char *option, const char *v, char *err, size_t errlen) {
  if (v && strcmp(v, "slurm") == 0)
    j->kind = CDRT_JOB_SLURM;
  else if (v && strcmp(v, "pbs") == 0)
    j->kind = CDRT_JOB_PBS;
  else
    return job_error(err, errlen, "%s needs slurm or pbs, got '%s'", option, v ? v : "");
  return 0;
}

/* A count: a whole number from 1 to 100000. */
static int job_count(const char *option, const char *v, int *out, char *err, size_t errlen) {
  long n = 0;
  const char *p = v;
  for (; *p >= '0' && *p <= '9' && n <= 100000; p++) n = n * 10 + (*p - '0');
  if (p == v || *p || n < 1 || n > 100000)
    return job_error(err, errlen, "%s needs a whole number from 1 to 100000, got '%s'", option, v);
  *out = (int)n;
  return 0;
}

static int job_digits(const char *s, int n) {
  for (int i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

/* HH:MM:SS (hours of any number of digits, minutes and seconds below 60), not all zero:
 * the walltime syntax SLURM's -t and PBS's walltime both read. */
static int job_time_ok(const char *v) {
  size_t n = strlen(v);
  if (n < 7 || v[n - 3] != ':' || v[n - 6] != ':') return 0;
  if (!job_digits(v, (int)n - 6) || !job_digits(v + n - 5, 2) || !job_digits(v + n - 2, 2))
    return 0;
  if (v[n - 5] > '5' || v[n - 2] > '5') return 0;
  for (const char *p = v; *p; p++)
    if (*p != '0' && *p != ':') return 1;
  return 0;
}

/* A size with a unit, K, M, G or T, and an optional B, in any case ("8G", "32GB",
 * "8000M"): both SLURM and PBS read these units as powers of 1024. The number and the
 * unit's letter, upper case, go to *num and *unit. */
static int job_mem_ok(const char *v, long long *num, char *unit) {
  const char *p = v;
  long long n = 0;
  for (; *p >= '0' && *p <= '9' && n < (1LL << 40); p++) n = n * 10 + (*p - '0');
  if (p == v || n < 1 || n >= (1LL << 40) || !*p || !strchr("KMGTkmgt", *p)) return 0;
  char u = (char)(*p >= 'a' ? *p - 32 : *p);
  p++;
  if (*p == 'B' || *p == 'b') p++;
  if (*p) return 0;
  *num = n, *unit = u;
  return 1;
}

/* Characters a name may hold where it goes into the script: no blank, newline, quote or
 * shell metacharacter (the directives are read by the scheduler, the rest by bash). */
static const char job_name_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-";
static const char job_value_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-/@%:,=";

static int job_chars_ok(const char *v, const char *allowed, int blanks) {
  if (!*v || strlen(v) > 200) return 0;
  for (const char *p = v; *p; p++)
    if (!strchr(allowed, *p) && !(blanks && *p == ' ')) return 0;
  return blanks ? v[0] != ' ' : 1;
}

static int job_text(const char *option, const char *v, const char **out, const char *allowed,
                    int blanks, char *err, size_t errlen) {
  if (!job_chars_ok(v, allowed, blanks))
    return job_error(err, errlen,
                     "%s: '%s' must be 1 to 200 of the characters %s%s (it goes into the job "
                     "script)",
                     option, v,
                     allowed == job_name_chars ? "A-Z a-z 0-9 . _ + -"
                                               : "A-Z a-z 0-9 . _ + - / @ % : , =",
                     blanks ? " and blanks" : "");
  *out = v;
  return 0;
}

static int job_list(const char *option, const char *v, const char **list, int *n, int blanks,
                    char *err, size_t errlen) {
  if (*n >= CDRT_JOB_MAX_LIST)
    return job_error(err, errlen, "%s: at most %d of them", option, CDRT_JOB_MAX_LIST);
  return job_text(option, v, &list[(*n)++], job_value_chars, blanks, err, errlen);
}

/* "--name VALUE" or "--name=VALUE": 0 if argv[*i] is not the option; -1 if it has no value */
static int job_value(const char *name, int argc, char **argv, int *i, const char **value) {
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (strncmp(a, name, n) != 0 || (a[n] && a[n] != '=')) return 0;
  *value = a[n] == '=' ? a + n + 1 : *i + 1 < argc ? argv[++*i] : NULL;
  return *value ? 1 : -1;
}

int cdrt_job_option(cdrt_job *j, int argc, char **argv, int *i, char *err, size_t errlen) {
  static const char *const names[] = {
      "--nodes",     "--ntasks-per-node", "--cpus-per-task", "--time",     "--mem",
      "--account",   "--partition",       "--project",       "--job-name", "--job-extra",
      "--mail-user", "--mail-type",       "--module"};
  const char *a = argv[*i], *v = NULL;
  if (strcmp(a, "--job-build") == 0) {
    j->build = 1;
    if (!j->given) j->given = "--job-build";
    return 1;
  }
  int k = 0, found = 0;
  for (; k < (int)(sizeof names / sizeof *names); k++)
    if ((found = job_value(names[k], argc, argv, i, &v)) != 0) break;
  if (!found) return 0;
  const char *name = names[k];
  if (found < 0) return job_error(err, errlen, "%s needs a value", name);
  if (!j->given) j->given = name;
  long long num;
  char unit;
  switch (k) {
  case 0: return job_count(name, v, &j->nodes, err, errlen) ? -1 : 1;
  case 1: return job_count(name, v, &j->ntasks_per_node, err, errlen) ? -1 : 1;
  case 2: return job_count(name, v, &j->cpus_per_task, err, errlen) ? -1 : 1;
  case 3:
    if (!job_time_ok(v))
      return job_error(err, errlen, "--time needs a walltime HH:MM:SS (e.g. 00:30:00), got '%s'",
                       v);
    j->time = v;
    return 1;
  case 4:
    if (!job_mem_ok(v, &num, &unit))
      return job_error(err, errlen,
                       "--mem needs a size per node with a unit, K, M, G or T and an optional "
                       "B (e.g. 8G, 32GB, 8000M), got '%s'",
                       v);
    j->mem = v;
    return 1;
  case 5: return job_text(name, v, &j->account, job_value_chars, 0, err, errlen) ? -1 : 1;
  case 6: return job_text(name, v, &j->partition, job_value_chars, 0, err, errlen) ? -1 : 1;
  case 7: return job_text(name, v, &j->project, job_value_chars, 0, err, errlen) ? -1 : 1;
  case 8: return job_text(name, v, &j->job_name, job_name_chars, 0, err, errlen) ? -1 : 1;
  case 9: return job_list(name, v, j->extra, &j->nextra, 1, err, errlen) ? -1 : 1;
  case 10: return job_text(name, v, &j->mail_user, job_value_chars, 0, err, errlen) ? -1 : 1;
  case 11: return job_text(name, v, &j->mail_type, job_value_chars, 0, err, errlen) ? -1 : 1;
  default: return job_list(name, v, j->modules, &j->nmodules, 0, err, errlen) ? -1 : 1;
  }
}

/* SLURM's --mail-type: a comma-separated list of its event names. */
static int job_slurm_mail_ok(const char *v) {
  static const char *const events[] = {
      "NONE",          "BEGIN",          "END",        "FAIL",       "REQUEUE",
      "ALL",           "INVALID_DEPEND", "STAGE_OUT",  "TIME_LIMIT", "TIME_LIMIT_90",
      "TIME_LIMIT_80", "TIME_LIMIT_50",  "ARRAY_TASKS"};
  for (const char *p = v;;) {
    size_t n = strcspn(p, ",");
    int ok = 0;
    for (size_t e = 0; e < sizeof events / sizeof *events; e++)
      ok |= strlen(events[e]) == n && strncmp(events[e], p, n) == 0;
    if (!ok) return 0;
    if (!p[n]) return 1;
    p += n + 1;
  }
}

/* PBS's -m: n, or some of a (aborted), b (began), e (ended), each once. */
static int job_pbs_mail_ok(const char *v) {
  if (strcmp(v, "n") == 0) return 1;
  for (const char *p = v; *p; p++)
    if (!strchr("abe", *p) || strchr(p + 1, *p)) return 0;
  return *v != 0;
}

/* A growing text (the filled template). */
typedef struct {
  char *data;
  size_t len, cap;
  int failed;
} job_buf;

static void job_put(job_buf *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = (b->len + n + 1) * 2;
    char *d = realloc(b->data, cap);
    if (!d) {
      b->failed = 1;
      return;
    }
    b->data = d, b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

/* A placeholder's values: none (its lines are dropped), one, or a list (each of its lines
 * is repeated once per value). */
typedef struct {
  const char *name;
  const char *const *v;
  int n;
} job_slot;

/* The slot named by "@NAME@" at s, or NULL. */
static const job_slot *job_slot_at(const char *s, const job_slot *slots, int nslots) {
  if (*s != '@') return NULL;
  size_t n = strspn(s + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
  if (!n || s[1 + n] != '@') return NULL;
  for (int k = 0; k < nslots; k++)
    if (strlen(slots[k].name) == n && strncmp(slots[k].name, s + 1, n) == 0) return &slots[k];
  return NULL;
}

/* Fills a template line by line: a line with a placeholder that has no value is left out,
 * a line with a list placeholder is repeated for each of its values. */
static void job_fill(job_buf *b, const char *t, const job_slot *slots, int nslots) {
  while (*t) {
    size_t len = strcspn(t, "\n");
    int copies = 1, dropped = 0;
    for (size_t i = 0; i < len; i++) {
      const job_slot *s = job_slot_at(t + i, slots, nslots);
      if (!s) continue;
      dropped |= s->n == 0;
      if (s->n > 1) copies = s->n;
      i += strlen(s->name) + 1;
    }
    if (dropped) copies = 0;
    for (int c = 0; c < copies; c++) {
      for (size_t i = 0; i < len; i++) {
        const job_slot *s = job_slot_at(t + i, slots, nslots);
        if (!s) {
          job_put(b, t + i, 1);
          continue;
        }
        const char *v = s->v[s->n > 1 ? c : 0];
        job_put(b, v, strlen(v));
        i += strlen(s->name) + 1;
      }
      job_put(b, "\n", 1);
    }
    t += len + (t[len] == '\n');
  }
}

/* The checks that need the scheduler; then the template filled. */
char *cdrt_job_script(const cdrt_job *j, const char *program, const char *script, char *err,
                      size_t errlen) {
  int slurm = j->kind == CDRT_JOB_SLURM;
  if (!job_chars_ok(program, job_name_chars, 0)) {
    job_error(err, errlen,
              "the program's name '%s' cannot go into a job script: it must be 1 to 200 of "
              "A-Z a-z 0-9 . _ + -",
              program);
    return NULL;
  }
  if (slurm && j->project) {
    job_error(err, errlen, "--project is PBS's -P: SLURM has no project, use --account");
    return NULL;
  }
  if (j->mail_type && !(slurm ? job_slurm_mail_ok(j->mail_type) : job_pbs_mail_ok(j->mail_type))) {
    job_error(err, errlen,
              slurm ? "--mail-type for SLURM needs a comma-separated list of NONE, BEGIN, END, "
                      "FAIL, REQUEUE, ALL, INVALID_DEPEND, STAGE_OUT, TIME_LIMIT, "
                      "TIME_LIMIT_90, TIME_LIMIT_80, TIME_LIMIT_50, ARRAY_TASKS, got '%s'"
                    : "--mail-type for PBS needs n, or some of a, b and e (e.g. be), got '%s'",
              j->mail_type);
    return NULL;
  }
  char nodes[16], tasks[16], cpus[16], ncpus[32], nranks[32], mem[64] = "", pbs_mem[64] = "";
  snprintf(nodes, sizeof nodes, "%d", j->nodes);
  snprintf(tasks, sizeof tasks, "%d", j->ntasks_per_node);
  snprintf(cpus, sizeof cpus, "%d", j->cpus_per_task);
  snprintf(ncpus, sizeof ncpus, "%lld", (long long)j->ntasks_per_node * j->cpus_per_task);
  snprintf(nranks, sizeof nranks, "%lld", (long long)j->nodes * j->ntasks_per_node);
  long long num;
  char unit;
  if (j->mem && job_mem_ok(j->mem, &num, &unit)) {
    snprintf(mem, sizeof mem, "%lld%c", num, unit);                            /* SLURM: 8G */
    snprintf(pbs_mem, sizeof pbs_mem, ":mem=%lld%cb", num, (char)(unit + 32)); /* PBS: 8gb */
  }
  char shown[208]; /* the script's name in a comment: printable characters only */
  size_t k = 0;
  for (const char *p = script; *p && k < 200; p++) shown[k++] = *p >= 32 && *p < 127 ? *p : '?';
  snprintf(shown + k, sizeof shown - k, "%s", strlen(script) > 200 ? "..." : "");
  const char *script_p = shown;
  const char *mem_p = mem, *pbs_mem_p = pbs_mem, *empty = "", *version = CDRT_VERSION;
  const char *name = j->job_name ? j->job_name : program;
  const job_slot slots[] = {
      {"PROGRAM", &program, 1},
      {"SCRIPT", &script_p, 1},
      {"VERSION", &version, 1},
      {"JOB_NAME", &name, 1},
      {"NODES", (const char *const[]){nodes}, 1},
      {"NTASKS_PER_NODE", (const char *const[]){tasks}, 1},
      {"CPUS_PER_TASK", (const char *const[]){cpus}, 1},
      {"NCPUS", (const char *const[]){ncpus}, 1},
      {"NRANKS", (const char *const[]){nranks}, 1},
      {"MEM", &mem_p, j->mem ? 1 : 0},
      {"PBS_MEM", &pbs_mem_p, 1},
      {"TIME", &j->time, 1},
      {"ACCOUNT", &j->account, j->account ? 1 : 0},
      {"PARTITION", &j->partition, j->partition ? 1 : 0},
      {"PROJECT", &j->project, j->project ? 1 : 0},
      {"MAIL_USER", &j->mail_user, j->mail_user ? 1 : 0},
      {"MAIL_TYPE", &j->mail_type, j->mail_type ? 1 : 0},
      {"JOB_EXTRA", j->extra, j->nextra},
      {"MODULE", j->modules, j->nmodules},
      {"BUILD", &empty, j->build ? 1 : 0},
  };
  job_buf b = {0};
  job_fill(&b, slurm ? cdrt_job_sbatch_template : cdrt_job_pbs_template, slots,
           (int)(sizeof slots / sizeof *slots));
  if (b.failed || !b.data) {
    free(b.data);
    job_error(err, errlen, "out of memory");
    return NULL;
  }
  return b.data;
}
