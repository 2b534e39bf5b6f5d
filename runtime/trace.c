/* trace.c: the files a run's record (diag.c) is written to: the Chrome Trace Event Format
 * object of --profile (its "cdask" member is what the --report page shows), the memory
 * profile and the resource samples (TSV). Times in the trace are microseconds since the
 * run began; every number is a plain JSON number. Under --mpi rank 0 writes one trace of
 * every rank (ranks.c gathered them): pid = rank, tid = thread, and a track "mpi" per rank. */
#include "cdrt.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* The box of a tile task, and its elements (0 and no box for the other kinds). */
static int64_t trace_box(const cdrt_group *g, const cdrt_task_event *e, int64_t *lo, int64_t *hi) {
  if (e->kind != CDRT_TASK_TILE || g->ndim == 0) return 0;
  cdrt_tile_cell(e->index, g->ndim, g->lo, g->hi, g->chunk, lo, hi);
  int64_t n = 1;
  for (int d = 0; d < g->ndim; d++) n *= hi[d] - lo[d];
  return n;
}

static void trace_ints(FILE *out, int n, const int64_t *v) {
  fputc('[', out);
  for (int d = 0; d < n; d++) fprintf(out, d ? ", %lld" : "%lld", (long long)v[d]);
  fputc(']', out);
}

static void trace_task(FILE *out, const cdrt_record *r, const cdrt_task_event *e, int pid) {
  const cdrt_group *g = &r->p->groups[e->group];
  char key[160];
  int64_t lo[CDRT_MAXDIM], hi[CDRT_MAXDIM];
  int64_t n = trace_box(g, e, lo, hi);
  int nd = n || (e->kind == CDRT_TASK_TILE && g->ndim) ? g->ndim : 0;
  cdrt_task_key(key, sizeof key, g, (cdrt_task_kind)e->kind, e->index);
  fputs(",\n{\"name\": ", out);
  cdrt_json_write_string(out, key);
  fputs(", \"cat\": ", out);
  cdrt_json_write_string(out, g->name);
  fprintf(out,
          ", \"ph\": \"X\", \"ts\": %.3f, \"dur\": %.3f, \"pid\": %d, \"tid\": %d, \"args\": "
          "{\"group\": %d, \"tile\": %lld, \"line\": ",
          e->start * 1e6, (e->end - e->start) * 1e6, pid, e->thread, e->group, (long long)e->index);
  cdrt_json_write_string(out, g->where);
  fputs(", \"lo\": ", out);
  trace_ints(out, nd, lo);
  fputs(", \"hi\": ", out);
  trace_ints(out, nd, hi);
  fprintf(out, ", \"elements\": %lld, \"bytes_read\": %lld, \"bytes_written\": %lld}}",
          (long long)n, (long long)(n * g->bytes_read), (long long)(n * g->bytes_written));
}

static void trace_counters(FILE *out, const cdrt_record *r);

static void trace_events(FILE *out, const cdrt_record *r) {
  fputs("{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 0, \"tid\": 0, \"args\": {\"name\": ",
        out);
  char name[512];
  snprintf(name, sizeof name, "cdask %s", r->p->script);
  cdrt_json_write_string(out, name);
  fputs("}}", out);
  for (int t = 0; t < r->nthreads; t++)
    fprintf(out,
            ",\n{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 0, \"tid\": %d, \"args\": "
            "{\"name\": \"thread %d\"}}",
            t, t);
  for (int64_t i = 0; i < r->nevents; i++) trace_task(out, r, &r->events[i], 0);
  trace_counters(out, r);
}

/* --mpi: group k's exchanges on a rank as one event "gK:S mpi" on the rank's track "mpi"
 * (tid = its threads): its time in MPI, placed after the group's last tile (or delayed
 * task) on that rank, since the exchange follows them (the counters keep no start time). */
static void trace_mpi_events(FILE *out, const cdrt_record *r, const cdrt_rank_record *rk) {
  const cdrt_program *p = r->p;
  if (!rk->traffic) return;
  double *after = calloc((size_t)p->ngroups + 1, sizeof *after);
  if (!after) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (writing the trace)");
  for (int64_t i = 0; i < rk->nevents; i++) {
    const cdrt_task_event *e = &rk->events[i];
    if ((e->kind == CDRT_TASK_TILE || e->kind == CDRT_TASK_DELAYED) && e->end > after[e->group])
      after[e->group] = e->end;
  }
  double at = 0;
  for (int k = 0; k < p->ngroups; k++) {
    const cdrt_mpi_traffic *t = &rk->traffic[k];
    if (after[k] > at) at = after[k];
    if (!t->sent && !t->received && t->seconds <= 0) continue;
    char name[192];
    snprintf(name, sizeof name, "%s mpi", p->groups[k].name);
    fputs(",\n{\"name\": ", out);
    cdrt_json_write_string(out, name);
    fprintf(out,
            ", \"cat\": \"mpi\", \"ph\": \"X\", \"ts\": %.3f, \"dur\": %.3f, \"pid\": %d, "
            "\"tid\": %d, \"args\": {\"group\": %d, \"line\": ",
            at * 1e6, t->seconds * 1e6, rk->rank, rk->nthreads, k);
    cdrt_json_write_string(out, p->groups[k].where);
    fprintf(out, ", \"sent\": %lld, \"received\": %lld}}", (long long)t->sent,
            (long long)t->received);
    at += t->seconds;
  }
  free(after);
}

/* --mpi: one process per rank (pid = rank), its threads, its tasks and its exchanges. */
static void trace_rank_events(FILE *out, const cdrt_record *r) {
  for (int k = 0; k < r->nranks; k++) {
    const cdrt_rank_record *rk = &r->ranks[k];
    fprintf(out,
            "%s{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": %d, \"tid\": 0, \"args\": "
            "{\"name\": \"rank %d\"}}",
            k ? ",\n" : "", rk->rank, rk->rank);
    fprintf(out,
            ",\n{\"name\": \"process_sort_index\", \"ph\": \"M\", \"pid\": %d, \"tid\": 0, "
            "\"args\": {\"sort_index\": %d}}",
            rk->rank, rk->rank);
    for (int t = 0; t <= rk->nthreads; t++) { /* its threads, then its track "mpi" */
      char name[32];
      snprintf(name, sizeof name, t < rk->nthreads ? "thread %d" : "mpi", t);
      fprintf(out,
              ",\n{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": %d, \"tid\": %d, "
              "\"args\": {\"name\": \"%s\"}}",
              rk->rank, t, name);
    }
    for (int64_t i = 0; i < rk->nevents; i++) trace_task(out, r, &rk->events[i], rk->rank);
    trace_mpi_events(out, r, rk);
  }
  trace_counters(out, r);
}

/* The samples as counters (rank 0's under --mpi). */
static void trace_counters(FILE *out, const cdrt_record *r) {
  for (int i = 0; i < r->nsamples; i++) {
    const cdrt_sample *s = &r->samples[i];
    fprintf(out,
            ",\n{\"name\": \"memory\", \"ph\": \"C\", \"ts\": %.3f, \"pid\": 0, \"args\": "
            "{\"rss_mb\": %.6f, \"plan_mb\": %.6f}}",
            s->t * 1e6, s->rss_mb, s->plan_mb);
    fprintf(out,
            ",\n{\"name\": \"cpu\", \"ph\": \"C\", \"ts\": %.3f, \"pid\": 0, \"args\": "
            "{\"cpu_percent\": %.3f}}",
            s->t * 1e6, s->cpu_percent);
  }
}

/* "simd": the members cdrt_vmath_manifest prints, as an object. */
static void trace_simd(FILE *out) {
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (m) {
    cdrt_vmath_manifest(m);
    fclose(m);
  }
  fprintf(out, "{%s}", text && len > 2 ? text + 2 : ""); /* past its leading ", " */
  free(text);
}

static void trace_groups(FILE *out, const cdrt_record *r) {
  const cdrt_program *p = r->p;
  double *busy = calloc((size_t)p->ngroups + 1, sizeof *busy);
  int64_t *n = calloc((size_t)p->ngroups + 1, sizeof *n);
  if (!busy || !n) cdrt_fatal(CDRT_EXIT_MEMORY, "out of memory (writing the trace)");
  for (int64_t i = 0; i < r->nevents && !r->nranks; i++) {
    const cdrt_task_event *e = &r->events[i];
    busy[e->group] += e->end - e->start, n[e->group]++;
  }
  for (int k = 0; k < r->nranks; k++) /* --mpi: every rank's tasks */
    for (int64_t i = 0; i < r->ranks[k].nevents; i++) {
      const cdrt_task_event *e = &r->ranks[k].events[i];
      busy[e->group] += e->end - e->start, n[e->group]++;
    }
  for (int k = 0; k < p->ngroups; k++) {
    const cdrt_group *g = &p->groups[k];
    fprintf(out, "%s\n  {\"id\": %d, \"name\": ", k ? "," : "", k);
    cdrt_json_write_string(out, g->name);
    fputs(", \"line\": ", out);
    cdrt_json_write_string(out, g->where);
    fprintf(out, ", \"tasks\": %lld, \"busy_s\": %.9f}", (long long)n[k], busy[k]);
  }
  free(busy);
  free(n);
}

static void trace_buffers(FILE *out, const cdrt_record *r) {
  const cdrt_program *p = r->p;
  const char *sep = "";
  for (int i = 0; i < p->nbuffers; i++) {
    const cdrt_buffer_life *l = &r->lives[i];
    if (!l->allocated) continue;
    fprintf(out, "%s\n  {\"name\": ", sep);
    cdrt_json_write_string(out, p->buffers[i].name);
    fputs(", \"line\": ", out);
    cdrt_json_write_string(out, p->buffers[i].where ? p->buffers[i].where : "");
    fprintf(out,
            ", \"bytes\": %.0f, \"alloc_s\": %.9f, \"free_s\": ", cdrt_buffer_bytes(&p->buffers[i]),
            l->alloc_s);
    if (l->free_s < 0)
      fputs("null}", out);
    else
      fprintf(out, "%.9f}", l->free_s);
    sep = ",";
  }
}

/* One rank's traffic of group k (k = ngroups: outside the groups), as an object. */
static void trace_traffic(FILE *out, const cdrt_program *p, int k, const cdrt_mpi_traffic *t) {
  fprintf(out, "{\"group\": %d, \"name\": ", k < p->ngroups ? k : -1);
  cdrt_json_write_string(out, k < p->ngroups ? p->groups[k].name : "outside the groups");
  fputs(", \"line\": ", out);
  cdrt_json_write_string(out, k < p->ngroups ? p->groups[k].where : "");
  fprintf(out, ", \"sent\": %lld, \"received\": %lld, \"mpi_s\": %.9f}", (long long)t->sent,
          (long long)t->received, t->seconds);
}

/* --mpi: "ranks", each rank's tasks, tiles, busy time, peak RSS and traffic per group
 * (the groups that moved bytes), with its totals. */
static void trace_ranks(FILE *out, const cdrt_record *r) {
  const cdrt_program *p = r->p;
  for (int k = 0; k < r->nranks; k++) {
    const cdrt_rank_record *rk = &r->ranks[k];
    double busy = 0;
    for (int64_t i = 0; i < rk->nevents; i++) busy += rk->events[i].end - rk->events[i].start;
    cdrt_mpi_traffic sum = {0, 0, 0};
    fprintf(out,
            "%s\n  {\"rank\": %d, \"threads\": %d, \"tasks\": %lld, \"tiles\": %lld, "
            "\"busy_s\": %.9f, \"duration_s\": %.9f, \"peak_rss_bytes\": %.0f, \"traffic\": [",
            k ? "," : "", rk->rank, rk->nthreads, (long long)rk->nevents, (long long)rk->tiles,
            busy, rk->duration, rk->peak_rss_bytes);
    const char *sep = "";
    for (int g = 0; rk->traffic && g <= p->ngroups; g++) {
      const cdrt_mpi_traffic *t = &rk->traffic[g];
      sum.sent += t->sent, sum.received += t->received, sum.seconds += t->seconds;
      if (!t->sent && !t->received) continue;
      fputs(sep, out);
      trace_traffic(out, p, g, t);
      sep = ", ";
    }
    fprintf(out, "], \"sent\": %lld, \"received\": %lld, \"mpi_s\": %.9f}", (long long)sum.sent,
            (long long)sum.received, sum.seconds);
  }
}

static double trace_peak_rss(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_maxrss * 1024; /* Linux: kilobytes */
}

void cdrt_trace_write(FILE *out, void *arg) {
  const cdrt_record *r = arg;
  const cdrt_program *p = r->p;
  fputs("{\"traceEvents\": [\n", out);
  if (r->nranks)
    trace_rank_events(out, r);
  else
    trace_events(out, r);
  fputs("\n],\n\"displayTimeUnit\": \"ms\",\n\"cdask\": {\"script\": ", out);
  cdrt_json_write_string(out, p->script);
  char cpu[128];
  cdrt_cpu_model(cpu, sizeof cpu);
  int64_t tasks = r->nevents;
  if (r->nranks) tasks = 0;
  for (int k = 0; k < r->nranks; k++) tasks += r->ranks[k].nevents;
  fprintf(out,
          ", \"threads\": %d, \"tasks\": %lld, \"duration_s\": %.9f, \"cpu_model\": ", r->nthreads,
          (long long)tasks, r->duration);
  cdrt_json_write_string(out, cpu);
  fputs(",\n\"simd\": ", out);
  trace_simd(out);
  fprintf(out, ",\n\"manifest\": %s,\n", p->manifest);
  fprintf(out,
          "\"peak_bytes_predicted\": %lld, \"peak_bytes_observed\": %.0f, \"peak_rss_bytes\": "
          "%.0f,\n\"groups\": [",
          (long long)p->peak_bytes, r->peak_bytes_observed, trace_peak_rss());
  trace_groups(out, r);
  fputs("],\n\"buffers\": [", out);
  trace_buffers(out, r);
  fputs("],\n", out);
  if (r->nranks) { /* --mpi */
    fprintf(out, "\"program_tasks\": %lld, \"progress_tasks\": %lld,\n\"ranks\": [",
            (long long)p->ntasks, (long long)r->progress_tasks);
    trace_ranks(out, r);
    fputs("],\n", out);
  }
  fputs("\"samples\": [", out);
  for (int i = 0; i < r->nsamples; i++)
    fprintf(out, "%s\n  {\"t\": %.6f, \"rss_mb\": %.6f, \"cpu_percent\": %.3f}", i ? "," : "",
            r->samples[i].t, r->samples[i].rss_mb, r->samples[i].cpu_percent);
  fputs("]}}\n", out);
}

void cdrt_memory_profile_write(FILE *out, void *arg) {
  const cdrt_record *r = arg;
  const cdrt_program *p = r->p;
  fputs("name\tline\tbytes\talloc_s\tfree_s\n", out);
  for (int i = 0; i < p->nbuffers; i++) {
    const cdrt_buffer_life *l = &r->lives[i];
    if (!l->allocated) continue;
    fprintf(out, "%s\t%s\t%.0f\t%.9f\t", p->buffers[i].name,
            p->buffers[i].where ? p->buffers[i].where : "", cdrt_buffer_bytes(&p->buffers[i]),
            l->alloc_s);
    if (l->free_s < 0)
      fputs("\n", out);
    else
      fprintf(out, "%.9f\n", l->free_s);
  }
}

void cdrt_resources_write(FILE *out, void *arg) {
  const cdrt_record *r = arg;
  fputs("time_s\trss_mb\tcpu_percent\n", out);
  for (int i = 0; i < r->nsamples; i++)
    fprintf(out, "%.6f\t%.6f\t%.3f\n", r->samples[i].t, r->samples[i].rss_mb,
            r->samples[i].cpu_percent);
}
