/* frame_window.c (with CDRT_WITH_CSV): pandas' window operations of a computed frame's rows, column
 * by column: cumsum, cumprod, cummax, cummin (missing values skipped and kept missing), diff,
 * shift and pct_change by a number of rows, ffill and bfill, rolling(w) sums, means, variances,
 * extremes, counts, medians and quantiles, and ewm means, sums, variances and deviations. The
 * rolling sums and variances add and remove values as pandas' window aggregations do
 * (Kahan-compensated sums, Welford's variance, runs of one value kept exact), so the results are
 * pandas' own roundings, not merely close to them. Rows keep their index. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static double win_f64(const cdrt_column *c, int64_t i) {
  switch (c->type) {
  case CDRT_COL_FLOAT64: return ((const double *)c->data)[i];
  case CDRT_COL_BOOL: return ((const uint8_t *)c->data)[i];
  default: return (double)((const int64_t *)c->data)[i];
  }
}
/* A value as pandas' window operations see it (rolling, expanding, ewm: _prep_values):
 * an infinity is missing */
static double win_prep(const cdrt_column *c, int64_t i) {
  double v = win_f64(c, i);
  return isinf(v) ? NAN : v;
}
static int64_t win_i64(const cdrt_column *c, int64_t i) { /* ints, bools, datetimes */
  return c->type == CDRT_COL_BOOL ? ((const uint8_t *)c->data)[i] : ((const int64_t *)c->data)[i];
}

/* cumsum and the others: NumPy's accumulate over the present values (float NaN and NaT
 * stay missing in place, as pandas' skipna); a groupby's float cumsum is Kahan-compensated,
 * as pandas' group_cumsum */
static void cumulate(const cdrt_column *x, int64_t n, int kind, int type, bool kahan, void *out) {
  if (type == CDRT_COL_FLOAT64) {
    double acc = kind == CDRT_WIN_CUMPROD ? 1 : kind == CDRT_WIN_CUMSUM ? 0 : NAN, comp = 0;
    for (int64_t i = 0; i < n; i++) {
      double y = win_f64(x, i);
      if (isnan(y)) {
        ((double *)out)[i] = NAN;
        continue;
      }
      if (kahan && kind == CDRT_WIN_CUMSUM) {
        double u = y - comp, t = acc + u;
        comp = t - acc - u;
        ((double *)out)[i] = acc = t;
        continue;
      }
      acc = kind == CDRT_WIN_CUMSUM    ? acc + y
            : kind == CDRT_WIN_CUMPROD ? acc * y
            : isnan(acc)               ? y
            : kind == CDRT_WIN_CUMMAX  ? (y > acc ? y : acc)
                                       : (y < acc ? y : acc);
      ((double *)out)[i] = acc;
    }
    return;
  }
  bool nat = cdrt_col_nat(type), started = false;
  int64_t acc = kind == CDRT_WIN_CUMPROD ? 1 : 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t y = win_i64(x, i);
    if (nat && y == CDRT_NAT) {
      ((int64_t *)out)[i] = CDRT_NAT;
      continue;
    }
    acc = kind == CDRT_WIN_CUMSUM    ? cdrt_add_i64(acc, y)
          : kind == CDRT_WIN_CUMPROD ? cdrt_mul_i64(acc, y)
          : !started                 ? y
          : kind == CDRT_WIN_CUMMAX  ? (y > acc ? y : acc)
                                     : (y < acc ? y : acc);
    started = true;
    if (type == CDRT_COL_BOOL)
      ((uint8_t *)out)[i] = (uint8_t)acc;
    else
      ((int64_t *)out)[i] = acc;
  }
}

/* shift(p): row i takes row i - p's value, missing (or fill) where there is none; diff(p):
 * row i minus row i - p (ints subtract as int64, as pandas, then become float64; a groupby's
 * subtract as float64, as pandas' obj - shifted) */
static void shift_or_diff(const cdrt_column *x, int64_t n, int kind, int64_t p, int type,
                          double fill, int filled, bool float_diff, void *out) {
  size_t z = cdrt_col_bytes(type);
  for (int64_t i = 0; i < n; i++) {
    int64_t j = i - p;
    bool none = j < 0 || j >= n;
    char *dst = (char *)out + (size_t)i * z;
    if (kind == CDRT_WIN_DIFF && type == CDRT_COL_TIMEDELTA) { /* of datetimes: NaT in, out */
      int64_t a = none ? CDRT_NAT : win_i64(x, i), b = none ? CDRT_NAT : win_i64(x, j);
      int64_t v = a == CDRT_NAT || b == CDRT_NAT ? CDRT_NAT : cdrt_sub_i64(a, b);
      memcpy(dst, &v, 8);
    } else if (kind == CDRT_WIN_DIFF) {
      double d = NAN;
      if (!none)
        d = x->type == CDRT_COL_FLOAT64 || float_diff
                ? win_f64(x, i) - win_f64(x, j)
                : (double)cdrt_sub_i64(win_i64(x, i), win_i64(x, j));
      memcpy(dst, &d, 8);
    } else if (type == CDRT_COL_STR) {
      cdrt_str s = none ? (cdrt_str){0} : ((const cdrt_str *)x->data)[j];
      memcpy(dst, &s, sizeof s);
    } else if (type == CDRT_COL_FLOAT64) {
      double d = none ? (filled ? fill : NAN) : win_f64(x, j);
      memcpy(dst, &d, 8);
    } else { /* int64 with an integer fill, or datetime (NaT) */
      int64_t v = none ? (filled ? (int64_t)fill : CDRT_NAT) : win_i64(x, j);
      memcpy(dst, &v, 8);
    }
  }
}

/* The running state of one window of present values */
typedef struct {
  int64_t nobs, same, neg;
  double sum, comp_add, comp_rem, prev;
  double mean, ssq; /* Welford's */
} win_state;

static void win_add(win_state *w, double v, int kind) {
  if (isnan(v)) return;
  w->nobs++;
  w->same = v == w->prev ? w->same + 1 : 1; /* a run of one value is exact (pandas GH 42064) */
  if (kind == CDRT_WIN_ROLL_VAR || kind == CDRT_WIN_ROLL_STD) {
    double prev_mean = w->mean - w->comp_add, y = v - w->comp_add, t = y - w->mean;
    w->comp_add = t + w->mean - y;
    w->mean = w->nobs ? w->mean + t / (double)w->nobs : 0;
    w->ssq += (v - prev_mean) * (v - w->mean);
  } else {
    double y = v - w->comp_add, t = w->sum + y;
    w->comp_add = t - w->sum - y;
    w->sum = t;
    w->neg += signbit(v) != 0;
  }
  w->prev = v;
}
static void win_remove(win_state *w, double v, int kind) {
  if (isnan(v)) return;
  w->nobs--;
  if (kind == CDRT_WIN_ROLL_VAR || kind == CDRT_WIN_ROLL_STD) {
    if (!w->nobs) {
      w->mean = w->ssq = 0;
      return;
    }
    double prev_mean = w->mean - w->comp_rem, y = v - w->comp_rem, t = y - w->mean;
    w->comp_rem = t + w->mean - y;
    w->mean -= t / (double)w->nobs;
    w->ssq -= (v - prev_mean) * (v - w->mean);
  } else {
    double y = -v - w->comp_rem, t = w->sum + y;
    w->comp_rem = t - w->sum - y;
    w->sum = t;
    w->neg -= signbit(v) != 0;
  }
}
static double win_value(const win_state *w, int kind, int64_t minp) {
  int64_t n = w->nobs;
  switch (kind) {
  case CDRT_WIN_ROLL_SUM:
    if (n == 0 && minp == 0) return 0;
    if (n < minp) return NAN;
    return w->same >= n ? w->prev * (double)n : w->sum;
  case CDRT_WIN_ROLL_MEAN: {
    if (n < minp || n == 0) return NAN;
    double m = w->sum / (double)n;
    if (w->same >= n) return w->prev;
    if (w->neg == 0 && m < 0) return 0; /* all positive: a rounding's sign */
    if (w->neg == n && m > 0) return 0;
    return m;
  }
  default: { /* var, std: ddof 1 */
    if (n < minp || n < 2) return NAN;
    double v = w->same >= n ? 0 : w->ssq / (double)(n - 1);
    return kind == CDRT_WIN_ROLL_STD ? (v < 0 ? 0 : sqrt(v)) : v;
  }
  }
}

/* Rolling min and max: a deque of the rows whose values may still be a window's extreme;
 * cnt[i] the present values of rows [0, i) */
static void roll_extreme(const cdrt_column *x, int64_t n, int kind, const int64_t *lo,
                         const int64_t *hi, int64_t minp, double *out) {
  int64_t *dq = cdrt_frame_alloc(n, sizeof *dq), *cnt = cdrt_frame_alloc(n + 1, sizeof *cnt);
  int64_t head = 0, tail = 0, next = 0;
  cnt[0] = 0;
  for (int64_t i = 0; i < n; i++) cnt[i + 1] = cnt[i] + !isnan(win_prep(x, i));
  bool max = kind == CDRT_WIN_ROLL_MAX;
  for (int64_t i = 0; i < n; i++) {
    for (; next < hi[i]; next++) {
      double v = win_prep(x, next);
      if (isnan(v)) continue;
      while (tail > head && (max ? win_prep(x, dq[tail - 1]) <= v : win_prep(x, dq[tail - 1]) >= v))
        tail--;
      dq[tail++] = next;
    }
    while (head < tail && dq[head] < lo[i]) head++;
    int64_t present = cnt[hi[i]] - cnt[lo[i]];
    out[i] = head < tail && present >= minp ? win_prep(x, dq[head]) : NAN;
  }
  cdrt_frame_free(dq, n, sizeof *dq);
  cdrt_frame_free(cnt, n + 1, sizeof *cnt);
}

/* pandas' fixed window bounds [lo, hi) of each row: the w rows ending at it, or (center)
 * around it, offset (w - 1) / 2 rows ahead */
static void window_bounds(int64_t n, int64_t w, int center, int closed, int64_t *lo, int64_t *hi) {
  int64_t off = center ? (w - 1) / 2 : 0;
  for (int64_t i = 0; i < n; i++) { /* closed: pandas' FixedWindowIndexer moves the ends */
    int64_t e = i + 1 + off, st = w == INT64_MAX ? 0 : e - w;
    st -= (closed & 1) != 0, e -= (closed & 2) == 0;
    hi[i] = e < 0 ? 0 : e < n ? e : n;
    lo[i] = st < 0 ? 0 : st < n ? st : n;
  }
}

/* pandas' variable window bounds (calculate_variable_window_bounds) over the timestamps ts
 * (monotonic, no NaT; decreasing ones mirrored by sign): row i's window holds the rows from
 * the first whose time is within span of its own (closed & 1: at most span, else less), up
 * to itself where the right end is closed (closed & 2), else up to the row before it; equal
 * timestamps after row i are not in its window, as pandas'. Centered, it reaches half the
 * span either way, the halves computed in doubles as pandas computes them. */
static int64_t half_from(int64_t t, int64_t sign, int64_t span, int dir) {
  return (int64_t)((double)t + dir * (double)(sign * span) / 2);
}
static void time_bounds(const int64_t *ts, int64_t n, int64_t span, int closed, int center,
                        int64_t *lo, int64_t *hi) {
  int64_t sign = n && ts[n - 1] < ts[0] ? -1 : 1;
  bool left = closed & 1, right = closed & 2;
  for (int64_t i = 0; i < n; i++) {
    int64_t start = center ? half_from(ts[i], sign, span, -1) : ts[i] - sign * span;
    if (left) start -= sign;
    lo[i] = i;
    for (int64_t j = i ? lo[i - 1] : 0; j < i; j++)
      if ((ts[j] - start) * sign > 0) {
        lo[i] = j;
        break;
      }
    if (!center) {
      hi[i] = right ? i + 1 : i;
      continue;
    }
    int64_t end = half_from(ts[i], sign, span, 1);
    hi[i] = n;
    for (int64_t j = i ? hi[i - 1] : 0; j < n; j++) {
      int64_t d = (ts[j] - end) * sign;
      if (d < 0 || (d == 0 && right)) {
        hi[i] = j + 1;
      } else {
        hi[i] = j;
        break;
      }
    }
  }
}

static void roll_order(const cdrt_column *x, int64_t n, const cdrt_window *w, const int64_t *lo,
                       const int64_t *hi, double *out);

static void roll(const cdrt_column *x, int64_t n, const cdrt_window *win, const int64_t *ts,
                 double *out) {
  int kind = win->kind;
  int64_t w = win->n, minp = win->minp;
  int64_t *lo = cdrt_frame_alloc(n, sizeof *lo), *hi = cdrt_frame_alloc(n, sizeof *hi);
  if (ts)
    time_bounds(ts, n, win->span, win->closed, win->center, lo, hi);
  else
    window_bounds(n, w, win->center, win->closed, lo, hi);
  if (kind == CDRT_WIN_ROLL_QUANTILE && (win->fill == 0 || win->fill == 1)) /* pandas' choice */
    kind = win->fill == 0 ? CDRT_WIN_ROLL_MIN : CDRT_WIN_ROLL_MAX;
  if (kind == CDRT_WIN_ROLL_MIN || kind == CDRT_WIN_ROLL_MAX) {
    roll_extreme(x, n, kind, lo, hi, minp, out);
  } else if (kind == CDRT_WIN_ROLL_MEDIAN || kind == CDRT_WIN_ROLL_QUANTILE) {
    roll_order(x, n, win, lo, hi, out);
  } else {
    win_state s = {0};
    /* count counts an infinity, as pandas' (of notna, not of _prep_values) */
    double (*get)(const cdrt_column *, int64_t) = kind == CDRT_WIN_ROLL_COUNT ? win_f64 : win_prep;
    for (int64_t i = 0; i < n; i++) {
      if (i == 0 || lo[i] >= hi[i - 1]) { /* a window sharing no row with the last */
        s = (win_state){.prev = get(x, lo[i])};
        for (int64_t j = lo[i]; j < hi[i]; j++) win_add(&s, get(x, j), kind);
      } else {
        for (int64_t j = lo[i - 1]; j < lo[i]; j++) win_remove(&s, get(x, j), kind);
        for (int64_t j = hi[i - 1]; j < hi[i]; j++) win_add(&s, get(x, j), kind);
      }
      out[i] = kind != CDRT_WIN_ROLL_COUNT ? win_value(&s, kind, minp)
               : hi[i] - lo[i] >= minp     ? (double)s.nobs
                                           : NAN; /* pandas: a sum of notna's 0s and 1s */
    }
  }
  cdrt_frame_free(lo, n, sizeof *lo);
  cdrt_frame_free(hi, n, sizeof *hi);
}

/* pandas' ewm mean (aggregations.pyx's ewm, one window of every row): the weighted mean
 * of the values so far, the older's weights (1 - alpha) times smaller per row; its sum
 * (normalize off): the older values' sum (1 - alpha) times smaller per row */
static void ewm_mean(const cdrt_column *x, int64_t n, const cdrt_window *w, double *out) {
  double alpha = 1 / (1 + w->com), old_factor = 1 - alpha, new_wt = w->adjust ? 1 : alpha;
  double weighted = n ? win_prep(x, 0) : 0, old_wt = 1;
  bool normalize = w->kind == CDRT_WIN_EWM_MEAN;
  int64_t nobs = !isnan(weighted);
  for (int64_t i = 0; i < n; i++) {
    if (i) {
      double cur = win_prep(x, i);
      bool obs = !isnan(cur);
      nobs += obs;
      if (!isnan(weighted)) {
        if (obs || !w->ignore_na) {
          if (normalize)
            old_wt *= old_factor;
          else
            weighted = old_factor * weighted;
          if (obs && !normalize) {
            weighted += cur;
          } else if (obs) {
            if (weighted != cur) /* a constant series stays exact */
              weighted = (old_wt * weighted + new_wt * cur) / (old_wt + new_wt);
            old_wt = w->adjust ? old_wt + new_wt : 1;
          }
        }
      } else if (obs) {
        weighted = cur;
      }
    }
    out[i] = nobs >= w->minp ? weighted : NAN;
  }
}

/* pandas' ewm var and std (aggregations.pyx's ewmcov of a column with itself): the
 * weighted variance, debiased by the weights' sums unless bias */
/* pandas' ewmcov kernel of x and y (bias: the biased covariance), a row being observed
 * where both are present; x = y is ewm's var */
static void ewm_cov(const cdrt_column *x, const cdrt_column *y, int64_t n, const cdrt_window *w,
                    int bias, double *out) {
  if (!n) return;
  double alpha = 1 / (1 + w->com), old_factor = 1 - alpha, new_wt = w->adjust ? 1 : alpha;
  double mean_x = win_prep(x, 0), mean_y = win_prep(y, 0), cov = 0, sum_wt = 1, sum_wt2 = 1,
         old_wt = 1;
  bool seen = !isnan(mean_x) && !isnan(mean_y);
  int64_t nobs = seen;
  if (!seen) mean_x = mean_y = NAN;
  out[0] = nobs >= w->minp && bias ? 0 : NAN;
  for (int64_t i = 1; i < n; i++) {
    double cur_x = win_prep(x, i), cur_y = win_prep(y, i);
    bool obs = !isnan(cur_x) && !isnan(cur_y);
    nobs += obs;
    if (!isnan(mean_x)) {
      if (obs || !w->ignore_na) {
        sum_wt *= old_factor;
        sum_wt2 *= old_factor * old_factor;
        old_wt *= old_factor;
        if (obs) {
          double old_mean_x = mean_x, old_mean_y = mean_y;
          if (mean_x != cur_x) mean_x = (old_wt * old_mean_x + new_wt * cur_x) / (old_wt + new_wt);
          if (mean_y != cur_y) mean_y = (old_wt * old_mean_y + new_wt * cur_y) / (old_wt + new_wt);
          cov = (old_wt * (cov + (old_mean_x - mean_x) * (old_mean_y - mean_y)) +
                 new_wt * ((cur_x - mean_x) * (cur_y - mean_y))) /
                (old_wt + new_wt);
          sum_wt += new_wt;
          sum_wt2 += new_wt * new_wt;
          old_wt += new_wt;
          if (!w->adjust) {
            sum_wt /= old_wt;
            sum_wt2 /= old_wt * old_wt;
            old_wt = 1;
          }
        }
      }
    } else if (obs) {
      mean_x = cur_x, mean_y = cur_y;
    }
    double v = NAN;
    if (nobs >= w->minp) {
      double num = sum_wt * sum_wt, den = num - sum_wt2;
      v = bias ? cov : den > 0 ? num / den * cov : NAN;
    }
    out[i] = v;
  }
}

/* ewm's var and std: the covariance of a column with itself (std: pandas' zsqrt) */
static void ewm_var(const cdrt_column *x, int64_t n, const cdrt_window *w, double *out) {
  ewm_cov(x, x, n, w, w->bias, out);
  for (int64_t i = 0; w->kind == CDRT_WIN_EWM_STD && i < n; i++)
    out[i] = out[i] < 0 ? 0 : sqrt(out[i]);
}

/* ewm's corr: the biased covariance over the root of the biased variances' product, each
 * column missing where the other is (pandas' flex_binary_moment: x + 0 * y) */
static void ewm_corr(const cdrt_column *x, const cdrt_column *y, int64_t n, const cdrt_window *w,
                     double *out) {
  double *vx = cdrt_frame_alloc(n, sizeof *vx), *vy = cdrt_frame_alloc(n, sizeof *vy);
  double *px = cdrt_frame_alloc(n, sizeof *px), *py = cdrt_frame_alloc(n, sizeof *py);
  for (int64_t i = 0; i < n; i++) {
    double a = win_prep(x, i), b = win_prep(y, i);
    px[i] = isnan(b) ? NAN : a, py[i] = isnan(a) ? NAN : b;
  }
  cdrt_column cx = {CDRT_COL_FLOAT64, NULL, px, NULL}, cy = {CDRT_COL_FLOAT64, NULL, py, NULL};
  ewm_cov(&cx, &cy, n, w, 1, out);
  ewm_cov(&cx, &cx, n, w, 1, vx);
  ewm_cov(&cy, &cy, n, w, 1, vy);
  for (int64_t i = 0; i < n; i++) {
    double p = vx[i] * vy[i];
    out[i] /= p < 0 ? 0 : sqrt(p); /* zsqrt */
  }
  cdrt_frame_free(vx, n, sizeof *vx), cdrt_frame_free(vy, n, sizeof *vy);
  cdrt_frame_free(px, n, sizeof *px), cdrt_frame_free(py, n, sizeof *py);
}

/* Rolling medians and quantiles: each present value gets its rank among all of them (ties
 * by row), and a Fenwick tree over the ranks counts the window's values, so adding,
 * removing and finding the k-th smallest take log n steps, whatever the window */
typedef struct {
  double v;
  int64_t row;
} win_ranked;
static int win_ranked_cmp(const void *a, const void *b) {
  const win_ranked *x = a, *y = b;
  if (x->v != y->v) return x->v < y->v ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}
typedef struct {
  int64_t m, top, nobs; /* ranks, the highest power of 2 <= m, values in the window */
  int64_t *tree, *rank; /* tree[1..m]; rank of each row (-1: missing) */
  double *sorted;       /* the values by rank */
} win_order;
static void order_add(win_order *o, int64_t row, int64_t d) {
  int64_t r = o->rank[row];
  if (r < 0) return;
  o->nobs += d;
  for (int64_t k = r + 1; k <= o->m; k += k & -k) o->tree[k] += d;
}
static double order_kth(const win_order *o, int64_t k) { /* 0-based */
  int64_t pos = 0;
  for (int64_t step = o->top; step; step >>= 1)
    if (pos + step <= o->m && o->tree[pos + step] <= k) pos += step, k -= o->tree[pos];
  return o->sorted[pos];
}
/* pandas' roll_median_c and roll_quantile of the window's present values */
static double order_value(const win_order *o, const cdrt_window *w) {
  int64_t n = o->nobs;
  if (n < w->minp || n == 0) return NAN;
  if (w->kind == CDRT_WIN_ROLL_MEDIAN)
    return n % 2 ? order_kth(o, n / 2) : (order_kth(o, n / 2) + order_kth(o, n / 2 - 1)) / 2;
  if (n == 1) return order_kth(o, 0);
  double at = w->fill * (double)(n - 1), frac = at - (double)(int64_t)at;
  int64_t i = (int64_t)at;
  if (frac == 0) return order_kth(o, i);
  double lo = order_kth(o, i), hi = order_kth(o, i + 1);
  switch (w->method) {
  case CDRT_INTERP_LOWER: return lo;
  case CDRT_INTERP_HIGHER: return hi;
  case CDRT_INTERP_NEAREST: return frac == 0.5 ? (i % 2 == 0 ? lo : hi) : frac < 0.5 ? lo : hi;
  case CDRT_INTERP_MIDPOINT: return (lo + hi) / 2;
  default: return lo + (hi - lo) * frac;
  }
}
static void roll_order(const cdrt_column *x, int64_t n, const cdrt_window *w, const int64_t *lo,
                       const int64_t *hi, double *out) {
  win_order o = {0};
  win_ranked *by = cdrt_frame_alloc(n, sizeof *by);
  for (int64_t i = 0; i < n; i++)
    if (!isnan(win_prep(x, i))) by[o.m++] = (win_ranked){win_f64(x, i), i};
  qsort(by, (size_t)o.m, sizeof *by, win_ranked_cmp);
  o.tree = cdrt_frame_alloc(o.m + 1, sizeof *o.tree);
  o.rank = cdrt_frame_alloc(n, sizeof *o.rank);
  o.sorted = cdrt_frame_alloc(o.m, sizeof *o.sorted);
  memset(o.tree, 0, (size_t)(o.m + 1) * sizeof *o.tree);
  for (int64_t i = 0; i < n; i++) o.rank[i] = -1;
  for (int64_t r = 0; r < o.m; r++) o.rank[by[r].row] = r, o.sorted[r] = by[r].v;
  o.top = 1;
  while (o.top * 2 <= o.m) o.top *= 2;
  int64_t was_lo = 0, was_hi = 0; /* the bounds move forward only */
  for (int64_t i = 0; i < n; i++) {
    for (int64_t j = was_lo; j < lo[i] && j < was_hi; j++) order_add(&o, j, -1);
    for (int64_t j = was_hi > lo[i] ? was_hi : lo[i]; j < hi[i]; j++) order_add(&o, j, 1);
    was_lo = lo[i], was_hi = hi[i];
    out[i] = order_value(&o, w);
  }
  cdrt_frame_free(by, n, sizeof *by);
  cdrt_frame_free(o.tree, o.m + 1, sizeof *o.tree);
  cdrt_frame_free(o.rank, n, sizeof *o.rank);
  cdrt_frame_free(o.sorted, o.m, sizeof *o.sorted);
}

/* ffill and bfill (pandas' pad and backfill): a missing value (NaN, NaT, a missing
 * string) takes the last (next) present one's, at most limit in a row (0: any number);
 * ints and bools have none */
static void fill_missing(const cdrt_column *x, int64_t n, int type, bool forward, int64_t limit,
                         void *out) {
  size_t z = cdrt_col_bytes(type);
  if (n) memcpy(out, x->data, (size_t)n * z);
  int64_t from = -1, run = 0; /* the row whose value fills, and how many it filled */
  for (int64_t k = 0; k < n; k++) {
    int64_t i = forward ? k : n - 1 - k;
    if (!cdrt_cell_missing(x, i)) {
      from = i, run = 0;
    } else if (from >= 0 && (limit == 0 || run < limit)) {
      memcpy((char *)out + (size_t)i * z, (const char *)x->data + (size_t)from * z, z);
      run++;
    }
  }
}

/* pct_change(p): row i over row i - p, less 1, of the values filled first as pandas 1.5
 * does (fill_method "pad" by default) */
static void pct_change(const cdrt_column *x, int64_t n, const cdrt_window *w, double *out) {
  double *d = cdrt_frame_alloc(n, sizeof *d);
  if (x->type == CDRT_COL_FLOAT64 && w->method)
    fill_missing(x, n, CDRT_COL_FLOAT64, w->method == CDRT_WIN_FFILL, w->limit, d);
  else
    for (int64_t i = 0; i < n; i++) d[i] = win_f64(x, i);
  for (int64_t i = 0; i < n; i++) {
    int64_t j = i - w->n;
    out[i] = j < 0 || j >= n ? NAN : d[i] / d[j] - 1;
  }
  cdrt_frame_free(d, n, sizeof *d);
}

/* value_counts(normalize = True): each count over their sum (an exact int64 sum), as pandas
 * divides them */
static void normalize(const cdrt_column *x, int64_t n, double *out) {
  int64_t sum = 0;
  for (int64_t i = 0; i < n; i++) sum += win_i64(x, i);
  for (int64_t i = 0; i < n; i++) out[i] = (double)win_i64(x, i) / (double)sum;
}

/* transform(what): the aggregation of all n rows, in every row */
static void transform(const cdrt_column *x, int64_t n, int what, int type, void *out) {
  if (!n) return;
  int64_t *rows = cdrt_frame_alloc(n, sizeof *rows);
  for (int64_t i = 0; i < n; i++) rows[i] = i;
  cdrt_column cell = {type, NULL, out, NULL};
  cdrt_frame_group_agg(&cell, 0, what, x, rows, n);
  size_t z = cdrt_col_bytes(type);
  for (int64_t i = 1; i < n; i++) memcpy((char *)out + (size_t)i * z, out, z);
  cdrt_frame_free(rows, n, sizeof *rows);
}

/* rank: the present values ordered (ties by row), each run of equal ones ranked by the
 * method, as pandas' rank_1d: with na_option "keep" a missing value's rank is NaN; "top"
 * and "bottom" put the missing values first or last (either direction), as one run of
 * equal values, and count them in pct's total */
typedef struct {
  const cdrt_column *x;
  int descending;
} rank_order;
static int rank_less(const void *ctx, int64_t a, int64_t b) {
  const rank_order *o = ctx;
  int c = cdrt_cell_cmp(o->x, a, b);
  return o->descending ? c > 0 : c < 0;
}
static void rank(const cdrt_column *x, int64_t n, const cdrt_window *w, double *out) {
  int64_t *order = cdrt_frame_alloc(n, sizeof *order), m = 0;
  for (int64_t i = 0; i < n; i++) {
    out[i] = NAN;
    if (!cdrt_cell_missing(x, i)) order[m++] = i;
  }
  rank_order o = {x, w->descending};
  cdrt_stable_sort(order, m, rank_less, &o);
  int64_t hi = m; /* the ranked rows order[0, hi) */
  if (w->na != CDRT_NA_KEEP && m < n) {
    int64_t missing = n - m;
    if (w->na == CDRT_NA_TOP) memmove(order + missing, order, (size_t)m * sizeof *order);
    for (int64_t i = 0, k = w->na == CDRT_NA_TOP ? 0 : m; i < n; i++)
      if (cdrt_cell_missing(x, i)) order[k++] = i;
    hi = n;
  }
  int64_t dense = 0;
  for (int64_t s = 0, e; s < hi; s = e) {
    bool na = cdrt_cell_missing(x, order[s]);
    e = s + 1;
    while (e < hi && cdrt_cell_missing(x, order[e]) == na &&
           (na || cdrt_cell_cmp(x, order[s], order[e]) == 0))
      e++;
    dense++;
    for (int64_t j = s; j < e; j++)
      out[order[j]] = w->method == CDRT_RANK_MIN     ? (double)(s + 1)
                      : w->method == CDRT_RANK_MAX   ? (double)e
                      : w->method == CDRT_RANK_FIRST ? (double)(j + 1)
                      : w->method == CDRT_RANK_DENSE ? (double)dense
                                                     : (double)(s + 1 + e) / 2;
  }
  double total = w->method == CDRT_RANK_DENSE ? (double)dense : (double)hi;
  for (int64_t i = 0; i < n && w->pct; i++) out[i] /= total;
  cdrt_frame_free(order, n, sizeof *order);
}

/* Column x's n rows (a group's, where grouped) by the operation w into out, of type type
 * (ts: a time window's timestamps) */
static void window_column(const cdrt_column *x, int64_t n, const cdrt_window *w, int type,
                          bool grouped, const int64_t *ts, void *out) {
  int kind = w->kind;
  if (kind <= CDRT_WIN_CUMMIN)
    cumulate(x, n, kind, type, grouped, out);
  else if (kind == CDRT_WIN_DIFF || kind == CDRT_WIN_SHIFT)
    shift_or_diff(x, n, kind, w->n, type, w->fill, w->filled, grouped, out);
  else if (kind == CDRT_WIN_EWM_MEAN || kind == CDRT_WIN_EWM_SUM)
    ewm_mean(x, n, w, out);
  else if (kind == CDRT_WIN_EWM_VAR || kind == CDRT_WIN_EWM_STD)
    ewm_var(x, n, w, out);
  else if (kind == CDRT_WIN_NORMALIZE)
    normalize(x, n, out);
  else if (kind == CDRT_WIN_FFILL || kind == CDRT_WIN_BFILL)
    fill_missing(x, n, type, kind == CDRT_WIN_FFILL, w->limit, out);
  else if (kind == CDRT_WIN_PCT_CHANGE)
    pct_change(x, n, w, out);
  else if (kind == CDRT_WIN_CUMCOUNT)
    for (int64_t i = 0; i < n; i++) ((int64_t *)out)[i] = i;
  else if (kind == CDRT_WIN_TRANSFORM)
    transform(x, n, w->method, type, out);
  else if (kind == CDRT_WIN_RANK)
    rank(x, n, w, out);
  else
    roll(x, n, w, ts, out);
}

static cdrt_frame *window_frame(const cdrt_frame *a, int ncols) {
  cdrt_frame *g = cdrt_calloc(1, sizeof *g);
  *g = *a;
  g->ncols = ncols, g->cats = NULL;
  g->cols = cdrt_calloc((size_t)(ncols ? ncols : 1), sizeof *g->cols);
  return g;
}

/* A time window's timestamps (the index's, or column on - 1's), checked as pandas checks
 * them */
static const int64_t *window_times(const cdrt_frame *a, const cdrt_window *w) {
  const cdrt_column *c = w->on ? &a->cols[w->on - 1] : &a->index;
  const int64_t *ts = c->data;
  const char *what = w->on && c->name ? c->name : "index";
  bool up = true, down = true;
  for (int64_t i = 0; i < a->n; i++) {
    if (ts[i] == CDRT_NAT)
      cdrt_fatal(CDRT_EXIT_INPUT, "rolling: ValueError: %s values must not have NaT (row %lld)",
                 what, (long long)i);
    if (i) up &= ts[i - 1] <= ts[i], down &= ts[i - 1] >= ts[i];
  }
  if (!up && !down)
    cdrt_fatal(CDRT_EXIT_INPUT,
               "rolling: ValueError: %s values must be monotonic (a time window needs them "
               "sorted: sort_values first)",
               what);
  return ts;
}

cdrt_frame *cdrt_frame_window(const cdrt_frame *a, const cdrt_window *w, const int *types) {
  int64_t n = a->n;
  if (w->kind == CDRT_WIN_EWM_COV || w->kind == CDRT_WIN_EWM_CORR) { /* of two columns: one */
    cdrt_frame *g = window_frame(a, 1);
    const cdrt_column *x = &a->cols[0], *y = &a->cols[1];
    double *v = cdrt_frame_alloc(n, sizeof *v);
    if (w->kind == CDRT_WIN_EWM_COV)
      ewm_cov(x, y, n, w, w->bias, v);
    else
      ewm_corr(x, y, n, w, v);
    bool same = x->name && y->name && strcmp(x->name, y->name) == 0; /* pandas' name */
    g->cols[0] = (cdrt_column){CDRT_COL_FLOAT64, same ? x->name : NULL, v, NULL};
    g->series = 1;
    return g;
  }
  cdrt_frame *g = window_frame(a, a->ncols);
  const int64_t *ts = w->span ? window_times(a, w) : NULL;
  /* each column on its own (a thread's), the same way whichever thread takes it */
#pragma omp parallel for schedule(dynamic, 1) if (a->ncols > 1 && n > 1024)
  for (int k = 0; k < a->ncols; k++) {
    const cdrt_column *x = &a->cols[k];
    void *v = cdrt_frame_alloc(n, cdrt_col_bytes(types[k]));
    if (w->span && k == w->on - 1) { /* the timestamps: kept as they are */
      memcpy(v, x->data, (size_t)n * cdrt_col_bytes(types[k]));
      g->cols[k] = (cdrt_column){types[k], x->name, v, x->sub};
      continue;
    }
    window_column(x, n, w, types[k], false, ts, v);
    g->cols[k] =
        (cdrt_column){types[k], w->kind == CDRT_WIN_NORMALIZE ? "proportion" : x->name, v, x->sub};
  }
  return g;
}

/* A missing value of type (NaN, NaT, a missing string) at dst; false for types without */
static bool put_missing(int type, void *dst) {
  if (type == CDRT_COL_FLOAT64) {
    double d = NAN;
    memcpy(dst, &d, sizeof d);
  } else if (cdrt_col_nat(type)) {
    int64_t t = CDRT_NAT;
    memcpy(dst, &t, sizeof t);
  } else if (type == CDRT_COL_STR) {
    memset(dst, 0, sizeof(cdrt_str));
  } else {
    return false;
  }
  return true;
}

/* The rows gathered group by group (groups in order of first appearance, rows in order in
 * each), each group's run by the window operation, and the results put back in place */
cdrt_frame *cdrt_frame_gb_window(const cdrt_frame *a, int nkeys, const int *keys, int ncols,
                                 const int *cols, const char *const *names, int dropna, int series,
                                 const cdrt_window *w, const int *types) {
  int64_t n = a->n, m = 0;
  int64_t *group = cdrt_frame_key_groups(a, nkeys, keys, dropna);
  int64_t *at = cdrt_frame_alloc(n, sizeof *at), *rows = cdrt_frame_alloc(n, sizeof *rows);
  memset(at, 0, (size_t)n * sizeof *at);
  for (int64_t i = 0; i < n; i++)
    if (group[i] >= 0) at[group[i]]++, m++;
  for (int64_t i = 0, pos = 0; i < n; i++) /* at[first row]: where its group starts */
    if (group[i] == i) {
      int64_t c = at[i];
      at[i] = pos, pos += c;
    }
  for (int64_t i = 0; i < n; i++)
    if (group[i] >= 0) rows[at[group[i]]++] = i;
  int64_t ngroups = 0, *start = cdrt_frame_alloc(m + 1, sizeof *start); /* group j: rows */
  for (int64_t j = 0; j < m; j++) /* [start[j], start[j + 1]) of `rows` */
    if (j == 0 || group[rows[j]] != group[rows[j - 1]]) start[ngroups++] = j;
  start[ngroups] = m;
  cdrt_frame *g = window_frame(a, ncols);
  g->series = series;
  for (int k = 0; k < ncols; k++) {
    const cdrt_column *x = &a->cols[cols[k]];
    size_t zx = cdrt_col_bytes(x->type), z = cdrt_col_bytes(types[k]);
    char *in = cdrt_frame_alloc(m, zx), *res = cdrt_frame_alloc(m, z);
    char *v = cdrt_frame_alloc(n, z);
    for (int64_t j = 0; j < m; j++) {
      memcpy(in + (size_t)j * zx, (const char *)x->data + (size_t)rows[j] * zx, zx);
    }
    /* each group on its own: the threads share the groups, each made the same way */
#pragma omp parallel for schedule(dynamic, 64) if (ngroups > 1 && m > 1024)
    for (int64_t j = 0; j < ngroups; j++) {
      int64_t s = start[j], e = start[j + 1];
      cdrt_column part = {x->type, x->name, in + (size_t)s * zx, x->sub};
      window_column(&part, e - s, w, types[k], true, NULL, res + (size_t)s * z);
    }
    for (int64_t j = 0; j < m; j++) memcpy(v + (size_t)rows[j] * z, res + (size_t)j * z, z);
    for (int64_t i = 0; i < n; i++)
      if (group[i] < 0 && w->kind == CDRT_WIN_SHIFT && w->filled) /* pandas' fill_value */
        shift_or_diff(x, 1, CDRT_WIN_SHIFT, 1, types[k], w->fill, 1, true, v + (size_t)i * z);
      else if (group[i] < 0 && !put_missing(types[k], v + (size_t)i * z))
        cdrt_fatal(
            CDRT_EXIT_INPUT,
            "%s: row %lld (from 0) has a missing key, which pandas leaves out of every group "
            "and makes this %s column float64; pass dropna = false to keep it as a "
            "group, or fillna the key first",
            cdrt_frame_op_what ? cdrt_frame_op_what : "a groupby window operation", (long long)i,
            types[k] == CDRT_COL_BOOL ? "bool" : "int64");
    cdrt_frame_free(in, m, zx), cdrt_frame_free(res, m, z);
    g->cols[k] = (cdrt_column){types[k], names[k], v, x->sub};
  }
  cdrt_frame_free(group, n, sizeof *group), cdrt_frame_free(start, m + 1, sizeof *start);
  cdrt_frame_free(at, n, sizeof *at), cdrt_frame_free(rows, n, sizeof *rows);
  return g;
}
#endif
