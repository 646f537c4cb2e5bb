import assert from 'node:assert/strict';
import { test } from 'node:test';

import { coldPhases, gapSegments, layoutTimeline, timeTicks } from '../src/lib/timeline_layout.js';

const inv = (id, sandboxId, startMs, endMs, extra = {}) => ({
  id, requestId: `r${id}`, sandboxId, function: 'f', memoryMb: 128, startMs, endMs, cold: false, status: 'success',
  durationMs: endMs - startMs, initMs: null, bootMs: null, downloadMs: null, vpcMs: null, runtimeStartMs: null, functionInitMs: null, ...extra,
});

test('a cold start lays its phases end to end from its start', () => {
  const phases = coldPhases(inv(1, 's', 1000, 1200, { cold: true, bootMs: 100, downloadMs: 0, vpcMs: null, runtimeStartMs: 40, functionInitMs: 10, initMs: 50 }));
  assert.deepEqual(phases.map((p) => [p.kind, p.from, p.to]), [['boot', 1000, 1100], ['runtimeStart', 1100, 1140], ['functionInit', 1140, 1150]]);
  // Without the split, Init Duration is all function init.
  const custom = coldPhases(inv(2, 's', 0, 100, { cold: true, initMs: 30 }));
  assert.deepEqual(custom.map((p) => [p.kind, p.ms]), [['functionInit', 30]]);
  assert.deepEqual(coldPhases(inv(3, 's', 0, 10)), []);
});

test('a gap is idle until the freeze delay, then frozen', () => {
  assert.deepEqual(gapSegments(0, 100, 2), [{ type: 'gap', kind: 'idle', from: 0, to: 2 }, { type: 'gap', kind: 'frozen', from: 2, to: 100 }]);
  assert.deepEqual(gapSegments(0, 1, 5), [{ type: 'gap', kind: 'idle', from: 0, to: 1 }]);
  assert.deepEqual(gapSegments(5, 5, 1), []);
});

test('rows follow sandboxes, with gaps, ends and throttles apart', () => {
  const data = {
    from: 0, to: 10000, nowMs: 20000, freezeDelayMs: 2,
    sandboxes: [
      { id: 'b', function: 'f', memoryMb: 128, createdAtMs: 500, endedAtMs: 9000, endReason: 'idle', live: false },
      { id: 'a', function: 'f', memoryMb: 128, createdAtMs: 100, endedAtMs: null, endReason: null, live: true, state: 'frozen' },
    ],
    invocations: [
      inv(1, 'a', 100, 300, { cold: true, initMs: 150 }),
      inv(2, 'b', 500, 700, { cold: true, initMs: 100 }),
      inv(3, 'a', 1000, 1010),
      inv(4, null, 1005, 1006, { status: 'throttled' }),
      inv(5, 'c', 2000, 2010),  // its sandbox row is not written yet
    ],
  };
  const layout = layoutTimeline(data);
  assert.deepEqual(layout.rows.map((r) => r.id), ['a', 'b', 'c']);
  const [a, b, c] = layout.rows;
  assert.equal(a.end, 20000);  // alive: up to now
  assert.deepEqual(a.segments.map((s) => s.type === 'gap' ? s.kind : 'inv'), ['inv', 'idle', 'frozen', 'inv', 'idle', 'frozen']);
  assert.equal(b.ended, 9000);
  assert.equal(b.endReason, 'idle');
  assert.equal(c.sandbox.unknown, true);
  assert.equal(layout.throttled.length, 1);
  assert.deepEqual(layout.stats, { sandboxes: 3, invocations: 5, coldStarts: 2, reclaimed: 1, throttles: 1 });
  assert.equal(layout.from, 100);
  assert.equal(layout.to, 20000);
});

test('an empty timeline spans the requested window', () => {
  const layout = layoutTimeline({ from: 5, to: 50, sandboxes: [], invocations: [] });
  assert.equal(layout.from, 5);
  assert.equal(layout.to, 50);
});

test('time ticks fall on round steps', () => {
  const { step, ticks } = timeTicks(0, 1000, 5);
  assert.equal(step, 200);
  assert.deepEqual(ticks, [0, 200, 400, 600, 800, 1000]);
});
