import assert from 'node:assert/strict';
import { test } from 'node:test';

import { binEdges, countPerInterval, histogram, niceBucket, percentile, sharedHistograms, summarize } from '../src/lib/stats.js';

test('percentiles interpolate between the closest ranks, as numpy and the lab do', () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(percentile(sorted, 50), 5.5);
  assert.equal(percentile(sorted, 90), 9.1);
  assert.ok(Math.abs(percentile(sorted, 99) - 9.91) < 1e-12);
  assert.equal(percentile([42], 99), 42);
  assert.equal(percentile([], 50), null);
});

test('summarize skips nulls and sorts', () => {
  assert.deepEqual(summarize([3, null, 1, 2, undefined, NaN]), { count: 3, mean: 2, min: 1, p50: 2, p90: 2.8, p99: 2.98, max: 3 });
  assert.equal(summarize([null]), null);
});

test('bin edges are linear for a narrow range and logarithmic for a wide one', () => {
  assert.deepEqual(binEdges(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  const log = binEdges(1, 1000, 3);
  assert.equal(log.length, 4);
  assert.ok(Math.abs(log[1] - 10) < 1e-9 && Math.abs(log[2] - 100) < 1e-9);
  assert.equal(log[3], 1000);
  // One distinct value still gets a bin around it.
  const single = binEdges(5, 5, 10);
  assert.equal(single.length, 2);
  assert.ok(single[0] < 5 && single[1] > 5);
});

test('histogram counts half-open bins, the last one closed', () => {
  const edges = [0, 1, 2, 3];
  assert.deepEqual(histogram([0, 0.5, 1, 2.999, 3, 3.1, -1, null], edges), [2, 1, 2]);
  assert.deepEqual(histogram([], []), []);
});

test('shared histograms use the same bins and give fractions per series', () => {
  const { edges, series } = sharedHistograms([[1, 2, 3, 4], [4, 4]], 3);
  assert.equal(edges[0], 1);
  assert.equal(edges[edges.length - 1], 4);
  assert.deepEqual(series[0].counts, [1, 1, 2]);
  assert.deepEqual(series[1].fractions, [0, 0, 1]);
  assert.equal(series[1].total, 2);
  const empty = sharedHistograms([[], []]);
  assert.deepEqual(empty.edges, []);
  assert.equal(empty.series[0].total, 0);
});

test('counts per interval bucket the accepted events', () => {
  const times = [1000, 1500, 2100, 2900, 4000];
  const status = ['throttled', 'success', 'throttled', 'throttled', 'throttled'];
  const out = countPerInterval(times, status, (s) => s === 'throttled', 1000, 4000, 1000);
  assert.deepEqual(out.counts, [1, 2, 1]);  // the event at the very end goes to the last bucket
  assert.deepEqual(out.starts, [0, 1000, 2000]);
  assert.equal(niceBucket(60000, 60), 1000);
  assert.equal(niceBucket(900, 80), 50);
});
