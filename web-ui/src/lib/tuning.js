// Power tuning over runs and variants: the points (memory size, duration, cost) of each function
// in each run, and the size AWS Lambda Power Tuning's analyzer recommends for each strategy (the
// same rules as emulator/lab/power_tuning.cpp: cost, speed, balanced).

export const STRATEGIES = ['cost', 'speed', 'balanced'];

/**
 * The analyzer's choice among `stats` ([{ value, averagePrice, averageDuration }]), or null:
 * results with a zero or NaN duration are dropped; cost: cheapest, ties by duration; speed: fastest,
 * ties by cost; balanced: the smallest w * cost / maxCost + (1 - w) * duration / maxDuration. A
 * stable sort, so remaining ties keep the input order.
 */
export function recommend(stats, strategy, weight = 0.5) {
  const kept = stats.filter((s) => s.averageDuration && !Number.isNaN(s.averageDuration));
  if (!kept.length) return null;
  let compare;
  if (strategy === 'cost') {
    compare = (a, b) => (a.averagePrice === b.averagePrice ? a.averageDuration - b.averageDuration : a.averagePrice - b.averagePrice);
  } else if (strategy === 'speed') {
    compare = (a, b) => (a.averageDuration === b.averageDuration ? a.averagePrice - b.averagePrice : a.averageDuration - b.averageDuration);
  } else if (strategy === 'balanced') {
    const maxCost = Math.max(...kept.map((s) => s.averagePrice));
    const maxDuration = Math.max(...kept.map((s) => s.averageDuration));
    const score = (s) => weight * (maxCost ? s.averagePrice / maxCost : 0) + (1 - weight) * s.averageDuration / maxDuration;
    compare = (a, b) => score(a) - score(b);
  } else {
    throw new Error(`unknown strategy ${strategy}`);
  }
  return [...kept].sort(compare)[0];
}

/** Every strategy's recommendation: { cost, speed, balanced } (each a stats entry or null). */
export function recommendations(stats, weight = 0.5) {
  return Object.fromEntries(STRATEGIES.map((s) => [s, recommend(stats, s, weight)]));
}

function memoryOf(variant) {
  const stats = variant.stats || {};
  const result = variant.result || {};
  return result.value ?? variant.config?.memory ?? stats.memorySizeMb ?? null;
}

/**
 * A variant's point: Power Tuning's figures when the run computed them (variant.result: the trimmed
 * mean of Duration + Init Duration, the price of the mean billed duration without the request
 * charge), else the lab's statistics (mean Duration; mean cost per invocation, request included).
 */
export function variantPoint(variant) {
  const result = variant.result || {};
  const value = memoryOf(variant);
  if (typeof result.averageDuration === 'number' && typeof result.averagePrice === 'number') {
    return { value, averageDuration: result.averageDuration, averagePrice: result.averagePrice, source: 'powerTuning' };
  }
  const stats = variant.stats || {};
  const duration = stats.duration?.mean;
  const price = stats.cost?.perInvocation;
  if (typeof duration !== 'number' || typeof price !== 'number') return null;
  return { value, averageDuration: duration, averagePrice: price, source: 'stats' };
}

/** A variant's configuration without its memory size, as a stable key (object keys sorted). */
function shapeKey(config) {
  const stable = (value) => {
    if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
    if (value && typeof value === 'object') {
      return `{${Object.keys(value).sort().filter((k) => k !== 'memory').map((k) => `${JSON.stringify(k)}:${stable(value[k])}`).join(',')}}`;
    }
    return JSON.stringify(value);
  };
  return stable(config ?? {});
}

/**
 * Groups selected variants into tuning curves: the variants of a run that differ in memory size
 * only (same function, payload, load, start mode...), their points by memory size. `selection` is
 * [{ run, variant }] (run objects as GET /api/runs/{id} answers). A variant alike no other is a
 * group of one point, with nothing to recommend.
 */
export function tuningGroups(selection) {
  const byKey = new Map();
  for (const { run, variant } of selection) {
    const point = variantPoint(variant);
    if (!point || point.value === null) continue;
    const fn = variant.config?.function ?? '?';
    const key = `${run.id}\u0000${fn}\u0000${shapeKey(variant.config)}`;
    if (!byKey.has(key)) {
      const analysis = run.suite?.analysis?.powerTuning || {};
      byKey.set(key, {
        key, run, function: fn, points: [],
        strategy: analysis.strategy ?? null,
        weight: typeof analysis.balancedWeight === 'number' ? analysis.balancedWeight : 0.5,
        stored: run.result?.powerTuning?.[fn] ?? null,
      });
    }
    byKey.get(key).points.push({ ...point, variant: variant.name });
  }
  const groups = [...byKey.values()];
  // Functions measured under several shapes get the variant named when the group has one point.
  for (const group of groups) {
    group.points.sort((a, b) => a.value - b.value);
    group.single = group.points.length === 1;
    group.recommended = group.single ? { cost: null, speed: null, balanced: null } : recommendations(group.points, group.weight);
  }
  return groups;
}
