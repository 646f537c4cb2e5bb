import assert from 'node:assert/strict';
import { test } from 'node:test';

import { recommend, recommendations, tuningGroups, variantPoint } from '../src/lib/tuning.js';

// Power Tuning's README example shape: a CPU-bound function gets faster with memory.
const stats = [
  { value: 128, averagePrice: 5.1e-6, averageDuration: 2160.3 },
  { value: 512, averagePrice: 4.2e-6, averageDuration: 480.0 },
  { value: 1769, averagePrice: 3.5e-6, averageDuration: 171.2 },
  { value: 3008, averagePrice: 5.6e-6, averageDuration: 160.0 },
];

test('each strategy picks as the analyzer does', () => {
  assert.equal(recommend(stats, 'cost').value, 1769);
  assert.equal(recommend(stats, 'speed').value, 3008);
  // balanced 0.5: 1769 scores 0.5*3.5/5.6 + 0.5*171.2/2160.3 = 0.352; 3008 scores 0.537.
  assert.equal(recommend(stats, 'balanced', 0.5).value, 1769);
  // All weight on speed is the speed strategy; all on cost the cost one.
  assert.equal(recommend(stats, 'balanced', 0).value, 3008);
  assert.equal(recommend(stats, 'balanced', 1).value, 1769);
  assert.throws(() => recommend(stats, 'fastest'));
});

test('ties break by the other figure, then by input order; zero durations are dropped', () => {
  const tied = [
    { value: 128, averagePrice: 1e-6, averageDuration: 300 },
    { value: 256, averagePrice: 1e-6, averageDuration: 200 },
    { value: 512, averagePrice: 2e-6, averageDuration: 200 },
  ];
  assert.equal(recommend(tied, 'cost').value, 256);
  assert.equal(recommend(tied, 'speed').value, 256);
  assert.equal(recommend([{ value: 128, averagePrice: 0, averageDuration: 0 }], 'cost'), null);
  const all = recommendations(tied);
  assert.deepEqual(Object.keys(all), ['cost', 'speed', 'balanced']);
});

const tuneRun = {
  id: 7,
  suite: { analysis: { powerTuning: { strategy: 'cost', balancedWeight: 0.5 } } },
  result: { powerTuning: { hello: { power: 512 } } },
};
const variant = (memory, averageDuration, averagePrice, extra = {}) => ({
  name: String(memory),
  config: { function: 'hello', memory, payload: {}, load: { num: 5 }, ...extra },
  result: { value: memory, averageDuration, averagePrice },
  stats: { duration: { mean: 99 }, cost: { perInvocation: 9e-6 }, memorySizeMb: memory },
});

test('variants differing only in memory form one curve with Power Tuning figures', () => {
  const groups = tuningGroups([
    { run: tuneRun, variant: variant(1769, 0.2, 2.9e-8) },
    { run: tuneRun, variant: variant(128, 4.6, 1.26e-8) },
    { run: tuneRun, variant: variant(512, 0.28, 8.4e-9) },
  ]);
  assert.equal(groups.length, 1);
  assert.deepEqual(groups[0].points.map((p) => p.value), [128, 512, 1769]);
  assert.equal(groups[0].points[0].source, 'powerTuning');
  assert.equal(groups[0].recommended.cost.value, 512);
  assert.equal(groups[0].recommended.speed.value, 1769);
  assert.equal(groups[0].stored.power, 512);
  assert.equal(groups[0].strategy, 'cost');
});

test('variants of another shape are groups of their own, with nothing to recommend', () => {
  const suite = { id: 3, suite: {} };
  const warm = variant(128, 1, 1e-7, { start: 'warm' });
  const cold = variant(128, 50, 2e-7, { start: 'cold' });
  delete warm.result;
  delete cold.result;
  const groups = tuningGroups([{ run: suite, variant: warm }, { run: suite, variant: cold }]);
  assert.equal(groups.length, 2);
  assert.ok(groups.every((g) => g.single && g.recommended.cost === null));
  // Without Power Tuning figures a point comes from the lab's statistics.
  assert.deepEqual(variantPoint(warm), { value: 128, averageDuration: 99, averagePrice: 9e-6, source: 'stats' });
  assert.equal(variantPoint({ name: 'x', config: {}, stats: {} }), null);
});
