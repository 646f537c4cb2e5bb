// Pure statistics for the charts: percentiles (numpy's linear interpolation, as the lab computes
// them), histograms with bins shared across series, and per-interval counts over time.

/** The p-th percentile (0..100) of ascending `sorted`, interpolating between the closest ranks. */
export function percentile(sorted, p) {
  if (!sorted.length) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** count, mean, min, p50, p90, p99, max of finite numbers (nulls skipped); null when there are none. */
export function summarize(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

/**
 * Bin edges covering [min, max]: `count` bins, logarithmic when the values span more than
 * `logRatio` (latencies from 0.2 ms to 2 s read better so), else linear. Returns count + 1 edges.
 */
export function binEdges(min, max, count = 30, { logRatio = 50 } = {}) {
  if (!(count >= 1)) throw new Error('count must be at least 1');
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max <= min) {
    // One value: one bin around it.
    const pad = Math.abs(min) * 0.05 || 0.5;
    return [min - pad, max + pad];
  }
  const log = min > 0 && max / min > logRatio;
  const edges = [];
  for (let i = 0; i <= count; i++) {
    const f = i / count;
    edges.push(log ? min * Math.pow(max / min, f) : min + (max - min) * f);
  }
  edges[count] = max;
  return edges;
}

/** How many of `values` fall in each bin [edges[i], edges[i+1]) (the last bin includes its right edge). */
export function histogram(values, edges) {
  const counts = new Array(Math.max(0, edges.length - 1)).fill(0);
  if (!counts.length) return counts;
  const last = edges[edges.length - 1];
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < edges[0] || v > last) continue;
    // Binary search for the bin.
    let lo = 0;
    let hi = counts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    counts[lo]++;
  }
  return counts;
}

/**
 * Histograms of several series over shared bins, as fractions of each series' count (so series of
 * different sizes compare). Returns { edges, series: [{ counts, fractions, total }] }.
 */
export function sharedHistograms(seriesValues, count = 30) {
  let min = Infinity;
  let max = -Infinity;
  for (const values of seriesValues) {
    for (const v of values) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min === Infinity) return { edges: [], series: seriesValues.map(() => ({ counts: [], fractions: [], total: 0 })) };
  const edges = binEdges(min, max, count);
  return {
    edges,
    series: seriesValues.map((values) => {
      const counts = histogram(values, edges);
      const total = counts.reduce((a, b) => a + b, 0);
      return { counts, fractions: counts.map((c) => (total ? c / total : 0)), total };
    }),
  };
}

/** A short label for a bin: its centre (geometric for log bins) with sensible precision. */
export function binLabel(lo, hi) {
  const centre = lo > 0 && hi / lo > 1.5 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
  return formatNumber(centre);
}

export function formatNumber(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 100) return value.toFixed(1).replace(/\.0$/, '');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(2);
}

/**
 * Counts per interval of `bucketMs` from `startMs`: for each time in `times` whose matching entry of
 * `keys` passes `accept`, increments its bucket. Returns { starts: [ms offsets], counts }.
 */
export function countPerInterval(times, keys, accept, startMs, endMs, bucketMs) {
  const buckets = Math.max(1, Math.ceil((endMs - startMs) / bucketMs));
  const counts = new Array(buckets).fill(0);
  for (let i = 0; i < times.length; i++) {
    if (!accept(keys[i])) continue;
    const index = Math.floor((times[i] - startMs) / bucketMs);
    if (index >= 0 && index < buckets) counts[index]++;
    else if (index === buckets) counts[buckets - 1]++;  // the very end of the span
  }
  return { starts: counts.map((_, i) => i * bucketMs), counts };
}

/** A readable interval for `spanMs` cut into about `target` buckets: 100 ms, 1 s, 5 s, 1 min... */
export function niceBucket(spanMs, target = 60) {
  const steps = [10, 50, 100, 250, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000];
  const raw = spanMs / target;
  return steps.find((s) => s >= raw) ?? steps[steps.length - 1];
}

/** The mean of the finite numbers of `values`, or null. */
export function mean(values) {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (typeof v === 'number' && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : null;
}
