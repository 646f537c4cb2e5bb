// Compare: pick runs or variants and see them side by side: the power-tuning chart (duration and
// cost against memory size, each strategy's recommended size marked), cold and warm latency
// distributions, cost per million invocations, the init-phase breakdown of cold starts, and
// throttles and errors over time. Live while a selected run is in progress.
import { api } from '../api.js';
import { barChart, color, histogramChart, overTimeChart, stackedPhaseChart, STRATEGY_MARKERS, tuningChart, upsertChart } from '../charts.js';
import { badge, h, replace } from '../dom.js';
import { count, mb, ms, usd } from '../lib/format.js';
import { countPerInterval, mean, niceBucket, sharedHistograms, summarize } from '../lib/stats.js';
import { PHASES } from '../lib/timeline_layout.js';
import { STRATEGIES, tuningGroups } from '../lib/tuning.js';

const keyOf = (runId, variant) => `${runId}:${variant}`;
function parseKey(key) {
  const colon = key.indexOf(':');
  return { runId: Number(key.slice(0, colon)), variant: key.slice(colon + 1) };
}

/** Warm Duration, cold (Init + Duration) and the phases of each cold start, from a variant's series. */
export function splitSeries(columns) {
  const warm = [];
  const cold = [];
  const phases = Object.fromEntries(PHASES.map((p) => [p.kind, []]));
  const n = columns.startMs.length;
  for (let i = 0; i < n; i++) {
    const status = columns.status[i];
    if (status === 'throttled' || status === 'rejected') continue;
    if (columns.cold[i]) {
      cold.push((columns.initMs[i] ?? 0) + columns.durationMs[i]);
      for (const p of PHASES) {
        let v = columns[p.key][i];
        if (p.kind === 'functionInit' && v == null && columns.runtimeStartMs[i] == null) v = columns.initMs[i];
        phases[p.kind].push(v ?? 0);
      }
    } else {
      warm.push(columns.durationMs[i]);
    }
  }
  return { warm, cold, phases };
}

function chartBox(kind = '') {
  const canvas = h('canvas');
  return { box: h(`div.chart-box${kind ? `.${kind}` : ''}`, [canvas]), canvas };
}

export function mount(root, _params, ctx) {
  const runsCache = new Map();     // id -> run with stats
  const seriesCache = new Map();   // key -> { columns, truncated }
  const expanded = new Set();
  const selected = new Set((ctx.query.get('sel') || '').split(',').filter(Boolean).map(decodeURIComponent));
  const preselectRuns = (ctx.query.get('runs') || '').split(',').filter(Boolean).map(Number);
  preselectRuns.forEach((id) => expanded.add(id));
  for (const key of selected) expanded.add(parseKey(key).runId);
  let runList = [];

  const picker = h('div', [h('p.hint', ['Loading runs…'])]);
  const view = h('div');
  root.append(h('div.page-head', [h('h1', ['Compare']), h('span.hint', ['pick runs or variants on the left'])]),
    h('div.split', [h('div.card.sticky', [h('h2', ['Runs and variants']), picker]), view]));

  // Charts are created once and updated in place.
  const tuning = chartBox('tall');
  const warmHist = chartBox();
  const coldHist = chartBox();
  const costChart = chartBox('short');
  const initChart = chartBox('short');
  const timeChart = chartBox();
  const tuningTable = h('div');
  const tuningNote = h('p.hint');
  const percentileTable = h('div');
  const selectionBar = h('div.legend');
  const timeNote = h('p.hint');
  const initNote = h('p.hint');
  const liveMark = h('span');
  const tuningCard = h('div.card', { 'data-testid': 'tuning-card' }, [
    h('div.card-head', [h('h2', ['Power tuning: duration and cost against memory size']), liveMark]),
    tuningNote, tuning.box, tuningTable]);
  const charts = h('div', [
    h('div.card', [selectionBar]),
    tuningCard,
    h('div.card', [h('div.card-head', [h('h2', ['Cold and warm latency']), h('span.hint', ['warm: Duration; cold: Init Duration + Duration, from the REPORT lines'])]),
      percentileTable,
      h('div.grid-2', [h('div', [h('h3', ['Warm invocations: Duration (ms)']), warmHist.box]), h('div', [h('h3', ['Cold starts: Init Duration + Duration (ms)']), coldHist.box])])]),
    h('div.grid-2', [
      h('div.card', [h('div.card-head', [h('h2', ['Cost per million invocations']), h('span.hint', ['USD, mean billed cost with the request charge'])]), costChart.box]),
      h('div.card', [h('div.card-head', [h('h2', ['Init phases of a cold start'])]), initNote, initChart.box]),
    ]),
    h('div.card', [h('div.card-head', [h('h2', ['Throttles and errors over time'])]), timeNote, timeChart.box]),
  ]);

  function syncUrl() {
    const sel = [...selected].map(encodeURIComponent).join(',');
    history.replaceState(null, '', `#/compare${sel ? `?sel=${sel}` : ''}`);
  }

  async function loadRun(id, force = false) {
    if (!force && runsCache.has(id)) return runsCache.get(id);
    const run = await api.run(id);
    runsCache.set(id, run);
    return run;
  }

  function renderPicker() {
    if (!runList.length) {
      replace(picker, [h('p.empty', ['No runs yet. Run lambdalab bench or lambdalab tune with --endpoint ', h('code', [location.origin]), '.'])]);
      return;
    }
    replace(picker, runList.map((summary) => {
      const run = runsCache.get(summary.id);
      const keys = run ? run.variants.map((v) => keyOf(run.id, v.name)) : [];
      const chosen = keys.filter((k) => selected.has(k)).length;
      const box = h('input', { type: 'checkbox', 'aria-label': `select all variants of run ${summary.id}`, dataset: { run: summary.id } });
      box.checked = keys.length > 0 && chosen === keys.length;
      box.indeterminate = chosen > 0 && chosen < keys.length;
      box.addEventListener('change', async () => {
        const full = await loadRun(summary.id);
        const all = full.variants.map((v) => keyOf(full.id, v.name));
        const on = box.checked;
        for (const k of all) on ? selected.add(k) : selected.delete(k);
        expanded.add(summary.id);
        changed();
      });
      const isOpen = expanded.has(summary.id);
      const head = h('div.run-pick-head', [
        box,
        h('span.name', {
          title: summary.headline || summary.name,
          onclick: async () => {
            isOpen ? expanded.delete(summary.id) : expanded.add(summary.id);
            if (!isOpen) await loadRun(summary.id);
            renderPicker();
          },
        }, [`#${summary.id} ${summary.name}`]),
        summary.status === 'running' ? h('span.live-dot') : null,
        badge(summary.kind),
      ]);
      const variants = isOpen && run ? h('div.variant-picks', run.variants.map((v) => {
        const key = keyOf(run.id, v.name);
        const input = h('input', { type: 'checkbox', dataset: { key } });
        input.checked = selected.has(key);
        input.addEventListener('change', () => {
          input.checked ? selected.add(key) : selected.delete(key);
          changed();
        });
        const memory = v.result?.value ?? v.config?.memory ?? v.stats?.memorySizeMb;
        return h('label', { dataset: { variant: v.name } }, [input, h('span', [v.name]),
          h('span.muted', [[v.config?.function, memory ? `${memory} MB` : null].filter(Boolean).join(' · ')]),
          v.status !== 'complete' ? badge(v.status) : null]);
      })) : isOpen ? h('p.hint', ['Loading…']) : null;
      return h('div.run-pick', { dataset: { run: summary.id } }, [head, variants]);
    }));
  }

  function selection() {
    const out = [];
    for (const key of selected) {
      const { runId, variant } = parseKey(key);
      const run = runsCache.get(runId);
      const v = run?.variants.find((x) => x.name === variant);
      if (run && v) out.push({ key, run, variant: v });
    }
    out.sort((a, b) => b.run.id - a.run.id || a.variant.position - b.variant.position);
    return out;
  }

  async function loadSeries(items) {
    await Promise.all(items.map(async ({ key, run, variant }) => {
      if (seriesCache.has(key) && run.status !== 'running') return;
      const data = await api.series(run.id, variant.name);
      seriesCache.set(key, data);
    }));
  }

  function renderTuning(items) {
    const groups = tuningGroups(items.map(({ run, variant }) => ({ run, variant })));
    const multiRun = new Set(items.map((i) => i.run.id)).size > 1;
    for (const g of groups) {
      g.label = `${multiRun ? `#${g.run.id} ` : ''}${g.function}${g.single ? ` (${g.points[0].variant})` : ''}`;
    }
    const sizes = [...new Set(groups.flatMap((g) => g.points.map((p) => p.value)))].sort((a, b) => a - b);
    tuningCard.dataset.sizes = sizes.join(',');
    if (!groups.length) {
      tuning.box.hidden = true;
      replace(tuningTable, [h('p.empty', ['The selected variants have no measured durations yet.'])]);
      return;
    }
    if (groups.every((g) => g.single)) {
      // Nothing varies memory size alone: no curve to draw, just each variant's figures.
      tuning.box.hidden = true;
      tuningNote.textContent = 'The selected variants differ in more than memory size, so there is no tuning curve: '
        + 'select variants that differ only in memory (a tune run, or a suite with a memory matrix).';
      replace(tuningTable, [h('table', { 'data-testid': 'recommendations' }, [
        h('thead', [h('tr', [h('th', ['Variant']), h('th.num', ['Memory']), h('th.num', ['Mean duration']), h('th.num', ['Cost per invocation'])])]),
        h('tbody', groups.map((g) => h('tr', [h('td', [g.label]), h('td.num', [mb(g.points[0].value)]),
          h('td.num', [ms(g.points[0].averageDuration)]), h('td.num', [usd(g.points[0].averagePrice)])]))),
      ])]);
      return;
    }
    tuning.box.hidden = false;
    const sources = new Set(groups.flatMap((g) => g.points.map((p) => p.source)));
    tuningNote.textContent = sources.has('powerTuning') && !sources.has('stats')
      ? 'Power Tuning\'s figures: trimmed mean of Duration + Init Duration; price of the mean billed duration, without the request charge.'
      : sources.has('powerTuning')
        ? 'Power Tuning\'s figures where the run computed them, else the lab\'s: mean Duration and mean cost per invocation.'
        : 'From the lab\'s statistics: mean Duration (ms) and mean cost per invocation (USD, request charge included).';
    upsertChart(tuning.canvas, tuningChart(groups));
    tuning.canvas.dataset.labels = sizes.join(',');
    const cell = (group, strategy) => {
      const best = group.recommended[strategy];
      if (!best) return h('td.hint', [group.single ? 'one size measured' : 'n/a']);
      const own = group.strategy === strategy;
      return h(`td${own ? '.best' : ''}`, { dataset: { strategy, memory: best.value, group: group.key } }, [
        h('span.marker', [strategy === 'cost' ? '★' : strategy === 'speed' ? '▲' : '◆']),
        `${best.value} MB`, h('div.hint', [`${ms(best.averageDuration)} · ${usd(best.averagePrice)}`]),
      ]);
    };
    replace(tuningTable, [h('div.table-wrap', [h('table.recommend-table', { 'data-testid': 'recommendations' }, [
      h('thead', [h('tr', [h('th', ['Function']), h('th', ['Memory sizes (MB)']),
        ...STRATEGIES.map((s) => h('th', [`Recommended: ${STRATEGY_MARKERS[s].label}`])), h('th', ['Stored result'])])]),
      h('tbody', groups.map((g, i) => h('tr', { dataset: { group: g.key } }, [
        h('td', [h('span.swatch', { style: { background: color(i) } }), h('b', [g.label]), g.strategy ? h('div.hint', [`run's strategy: ${g.strategy}${g.strategy === 'balanced' ? ` (weight ${g.weight})` : ''}`]) : null]),
        h('td', { dataset: { sizes: g.points.map((p) => p.value).join(',') } }, [g.points.map((p) => p.value).join(', ')]),
        ...STRATEGIES.map((s) => cell(g, s)),
        h('td', [g.stored?.power ? `${mb(g.stored.power)} (${g.strategy ?? 'cost'})` : h('span.hint', ['–'])]),
      ]))),
    ])])]);
  }

  function renderLatency(items, labels, splits) {
    const row = (label, i, values) => {
      const w = summarize(values.warm);
      const c = summarize(values.cold);
      const cells = (s) => (s ? [h('td.num', [count(s.count)]), h('td.num', [ms(s.p50)]), h('td.num', [ms(s.p90)]), h('td.num', [ms(s.p99)]), h('td.num', [ms(s.max)])]
        : [h('td.num', ['0']), h('td.num', ['–']), h('td.num', ['–']), h('td.num', ['–']), h('td.num', ['–'])]);
      return h('tr', { dataset: { key: items[i].key } }, [h('td', [h('span.swatch', { style: { background: color(i) } }), h('b', [label])]), ...cells(w), ...cells(c),
        h('td.num', [ms(items[i].variant.stats?.clientLatency?.p50)])]);
    };
    const sub = ['n', 'p50', 'p90', 'p99', 'max'];
    replace(percentileTable, [h('div.table-wrap', [h('table', { 'data-testid': 'percentiles' }, [
      h('thead', [
        h('tr', [h('th', ['']), h('th.group', { colspan: 5 }, ['Warm: Duration']), h('th.group', { colspan: 5 }, ['Cold: Init + Duration']), h('th.group', ['Client'])]),
        h('tr', [h('th', ['Variant']), ...sub.map((x) => h('th.num', [x])), ...sub.map((x) => h('th.num', [x])), h('th.num', ['p50'])]),
      ]),
      h('tbody', labels.map((label, i) => row(label, i, splits[i]))),
    ])])]);
    upsertChart(warmHist.canvas, histogramChart(sharedHistograms(splits.map((s) => s.warm), 30), labels, 'Duration (ms), bin centre'));
    upsertChart(coldHist.canvas, histogramChart(sharedHistograms(splits.map((s) => s.cold), 20), labels, 'Init Duration + Duration (ms), bin centre'));
  }

  function renderCostAndInit(items, labels, splits) {
    const perMillion = items.map(({ variant }) => variant.stats?.cost?.perMillion ?? null);
    upsertChart(costChart.canvas, barChart(labels, perMillion, { title: 'USD per million invocations', format: (v) => usd(v), colors: labels.map((_, i) => color(i)) }));
    const withCold = splits.map((s) => s.cold.length);
    const phases = PHASES.map((p) => ({ kind: p.kind, label: p.label, values: splits.map((s) => mean(s.phases[p.kind]) ?? 0) }))
      .filter((p) => p.values.some((v) => v > 0));
    initNote.textContent = withCold.some((n) => n)
      ? `Mean per cold start; cold starts: ${labels.map((l, i) => `${l} ${withCold[i]}`).join(', ')}. Boot, download and VPC are simulated; runtime start and function init are measured.`
      : 'No cold starts among the selected variants.';
    upsertChart(initChart.canvas, stackedPhaseChart(labels, phases));
  }

  function renderOverTime(items, labels) {
    let longest = 1000;
    for (const { key, run } of items) {
      const s = seriesCache.get(key);
      if (!s?.count) continue;
      const last = Math.max(...s.columns.endMs);
      longest = Math.max(longest, last - run.startedAtMs);
    }
    const bucket = niceBucket(longest, 80);
    const series = [];
    let problems = 0;
    items.forEach(({ key, run }, i) => {
      const s = seriesCache.get(key);
      if (!s?.count) return;
      const c = s.columns;
      const end = run.startedAtMs + longest;
      const toPoints = (counts) => counts.starts.map((t, k) => ({ x: t / 1000, y: counts.counts[k] }));
      const throttles = countPerInterval(c.startMs, c.status, (st) => st === 'throttled', run.startedAtMs, end, bucket);
      const errors = countPerInterval(c.startMs, c.status, (st) => st === 'error' || st === 'timeout' || st === 'rejected', run.startedAtMs, end, bucket);
      const all = countPerInterval(c.startMs, c.status, () => true, run.startedAtMs, end, bucket);
      problems += throttles.counts.reduce((a, b) => a + b, 0) + errors.counts.reduce((a, b) => a + b, 0);
      const base = { variantLabel: labels[i], variantIndex: i, color: color(i) };
      series.push({ ...base, kind: 'throttles', points: toPoints(throttles) });
      series.push({ ...base, kind: 'errors', points: toPoints(errors), dashed: true });
      series.push({ ...base, kind: 'invocations', points: toPoints(all), axis: 'rate' });
    });
    const per = bucket >= 1000 ? `${bucket / 1000} s` : `${bucket} ms`;
    timeNote.textContent = `${problems ? '' : 'No throttles or errors in the selected variants. '}Per ${per} from each run's start: `
      + 'solid lines are throttles (429), dashed lines errors (function errors, timeouts, rejections), thin lines the invocations sent (right axis).';
    upsertChart(timeChart.canvas, overTimeChart(series, bucket));
  }

  async function renderView() {
    const items = selection();
    if (!items.length) {
      replace(view, [h('div.card', [h('div.empty', [h('p', ['Pick one or more runs or variants on the left to compare them.']),
        h('p.hint', ['A run\'s checkbox selects all its variants; click its name to pick variants one by one.'])])])]);
      return;
    }
    await loadSeries(items);
    if (view.firstChild !== charts) replace(view, [charts]);
    const multiRun = new Set(items.map((i) => i.run.id)).size > 1;
    const labels = items.map(({ run, variant }) => (multiRun ? `#${run.id} ${variant.name}` : variant.name));
    const running = items.some((i) => i.run.status === 'running');
    replace(liveMark, running ? [h('span.live-dot'), h('span.hint', ['live'])] : []);
    replace(selectionBar, [h('b', [`${items.length} variant${items.length === 1 ? '' : 's'}`]),
      ...items.map((item, i) => h('span.key', { dataset: { key: item.key } }, [h('span.box', { style: { background: color(i) } }), labels[i], ' ', badge(item.variant.status)])),
      ...[...new Set(items.map((i) => i.run.id))].map((id) => h('a.button.small', { href: `#/timeline?run=${id}` }, [`Timeline of #${id}`]))]);
    const truncated = items.filter((i) => seriesCache.get(i.key)?.truncated);
    if (truncated.length) selectionBar.append(h('span.notice', [`Distributions use the first ${count(seriesCache.get(truncated[0].key).count)} invocations of ${truncated.map((t) => t.variant.name).join(', ')}`]));
    const splits = items.map((i) => splitSeries(seriesCache.get(i.key)?.columns ?? { startMs: [] }));
    renderTuning(items);
    renderLatency(items, labels, splits);
    renderCostAndInit(items, labels, splits);
    renderOverTime(items, labels);
  }

  let busy = false;
  async function changed() {
    syncUrl();
    renderPicker();
    if (busy) return;
    busy = true;
    try {
      await renderView();
    } finally {
      busy = false;
    }
  }

  let first = true;
  let listSignature = '';
  const refresh = async () => {
    runList = (await api.runs(100)).runs;
    // Runs in progress (and those not loaded yet) are fetched again: their statistics move.
    const wanted = new Set([...expanded, ...[...selected].map((k) => parseKey(k).runId)]);
    let dirty = first;
    await Promise.all([...wanted].map(async (id) => {
      const summary = runList.find((r) => r.id === id);
      if (!summary) return;
      const cached = runsCache.get(id);
      if (cached && cached.status !== 'running' && summary.status === cached.status) return;
      await loadRun(id, true).catch(() => null);
      dirty = true;
    }));
    for (const id of preselectRuns.splice(0)) {
      const run = runsCache.get(id);
      if (run) run.variants.forEach((v) => selected.add(keyOf(id, v.name)));
    }
    first = false;
    const signature = JSON.stringify(runList.map((r) => [r.id, r.status]));
    if (dirty) syncUrl();
    if (dirty || signature !== listSignature) renderPicker();
    listSignature = signature;
    if (!dirty || busy) return;
    busy = true;
    try {
      await renderView();
    } finally {
      busy = false;
    }
  };
  return ctx.poll(refresh, 3000);
}
