// Sandbox timeline: for a run (its invocations) or a function over a time window, one row per
// sandbox with its invocations as bars, cold starts and their phases, idle and frozen gaps and
// reclamation, so a user sees how requests were packed onto sandboxes and whether a warmer worked.
import { api } from '../api.js';
import { color } from '../charts.js';
import { hideTooltip, renderTimeline, timelineLegend } from '../components/timeline_view.js';
import { badge, h, replace } from '../dom.js';
import { count, dateTime, span } from '../lib/format.js';
import { layoutTimeline } from '../lib/timeline_layout.js';

const WINDOWS = [
  { ms: 60000, label: 'last minute' },
  { ms: 300000, label: 'last 5 minutes' },
  { ms: 900000, label: 'last 15 minutes' },
  { ms: 3600000, label: 'last hour' },
  { ms: 21600000, label: 'last 6 hours' },
  { ms: 86400000, label: 'last 24 hours' },
];

/** The most invocations in flight at once (a sweep over starts and ends). */
export function peakConcurrency(invocations) {
  const events = [];
  for (const inv of invocations) {
    if (!inv.sandboxId) continue;
    events.push([inv.startMs, 1], [inv.endMs, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, delta] of events) {
    now += delta;
    peak = Math.max(peak, now);
  }
  return peak;
}

export function mount(root, _params, ctx) {
  const q = ctx.query;
  const state = {
    source: q.get('function') ? 'function' : 'run',
    run: q.get('run') ? Number(q.get('run')) : null,
    variant: q.get('variant') || '',
    helpers: q.get('helpers') !== 'false',
    fn: q.get('function') || '',
    window: Number(q.get('window')) || 900000,
    from: q.get('from') ? Number(q.get('from')) : null,
    to: q.get('to') ? Number(q.get('to')) : null,
    colorBy: q.get('color') || 'status',
  };
  let view = null;     // zoomed view [from, to], or null for everything
  let data = null;
  let layout = null;
  let runs = [];
  let functions = [];
  let runDetail = null;

  const controls = h('div.toolbar');
  const tiles = h('div.tiles');
  const legend = h('div');
  const canvas = h('div.timeline', { 'data-testid': 'timeline' });
  const status = h('div');
  const title = h('h1', ['Sandbox timeline']);
  const liveMark = h('span');
  root.append(h('div.page-head', [title, liveMark, h('span.spacer'), h('span.hint', ['wheel: zoom · drag: pan · double click: everything'])]),
    h('div.card', [controls, status, tiles, h('div.timeline-wrap', [canvas]), legend]));

  function syncUrl() {
    const params = new URLSearchParams();
    if (state.source === 'run' && state.run) {
      params.set('run', state.run);
      if (state.variant) params.set('variant', state.variant);
      if (!state.helpers) params.set('helpers', 'false');
    } else if (state.source === 'function' && state.fn) {
      params.set('function', state.fn);
      if (state.from !== null) {
        params.set('from', state.from);
        params.set('to', state.to);
      } else {
        params.set('window', state.window);
      }
    }
    if (state.colorBy !== 'status') params.set('color', state.colorBy);
    history.replaceState(null, '', `#/timeline?${params}`);
  }

  function select(options, value, onchange, attrs = {}) {
    const el = h('select', { ...attrs, onchange: (e) => onchange(e.target.value) }, options.map(([v, label]) => h('option', { value: v }, [label])));
    el.value = String(value);
    return el;
  }

  function renderControls() {
    const items = [
      select([['run', 'A run'], ['function', 'A function']], state.source, (v) => {
        state.source = v;
        view = null;
        reload();
      }, { 'aria-label': 'Source' }),
    ];
    if (state.source === 'run') {
      items.push(select(runs.length ? runs.map((r) => [r.id, `#${r.id} ${r.name} (${r.status})`]) : [['', 'no runs yet']], state.run ?? '', (v) => {
        state.run = Number(v);
        state.variant = '';
        view = null;
        runDetail = null;
        reload();
      }, { 'aria-label': 'Run', 'data-testid': 'run-select' }));
      const variants = runDetail?.variants ?? [];
      items.push(select([['', 'all variants'], ...variants.map((v) => [v.name, v.name])], state.variant, (v) => {
        state.variant = v;
        view = null;
        reload();
      }, { 'aria-label': 'Variant' }));
      const helpers = h('input', { type: 'checkbox', checked: state.helpers, onchange: (e) => {
        state.helpers = e.target.checked;
        reload();
      } });
      items.push(h('label.inline.hint', [helpers, 'with its warm-up and warmer invocations']));
    } else {
      items.push(select(functions.map((f) => [f.name, f.name]), state.fn, (v) => {
        state.fn = v;
        view = null;
        reload();
      }, { 'aria-label': 'Function', 'data-testid': 'function-select' }));
      items.push(select([...WINDOWS.map((w) => [w.ms, w.label]), ...(state.from !== null ? [['custom', `${dateTime(state.from)} – ${dateTime(state.to)}`]] : [])],
        state.from !== null ? 'custom' : state.window, (v) => {
          if (v === 'custom') return;
          state.window = Number(v);
          state.from = null;
          state.to = null;
          view = null;
          reload();
        }, { 'aria-label': 'Window' }));
    }
    items.push(h('span.spacer'));
    items.push(h('label.inline.hint', ['Colour bars by ', select([['status', 'status'], ['variant', 'variant']], state.colorBy, (v) => {
      state.colorBy = v;
      draw();
      syncUrl();
    })]));
    items.push(h('button.small', { type: 'button', onclick: () => { view = null; draw(); } }, ['Show all']));
    replace(controls, items);
  }

  function variantNames() {
    const names = [];
    for (const inv of data?.invocations ?? []) if (!names.includes(inv.variant ?? '')) names.push(inv.variant ?? '');
    return names;
  }

  function draw() {
    if (!layout) return;
    const names = variantNames();
    const range = view ?? { from: layout.from, to: layout.to + Math.max(1, (layout.to - layout.from) * 0.01) };
    renderTimeline(canvas, layout, range, {
      colorBy: state.colorBy,
      variantColor: (name) => color(Math.max(0, names.indexOf(name ?? ''))),
      onView: (v) => {
        view = v;
        draw();
      },
    });
    replace(legend, [timelineLegend(state.colorBy, names)]);
  }

  function renderTiles() {
    const st = layout.stats;
    const perSandbox = st.sandboxes ? (st.invocations - st.throttles) / st.sandboxes : 0;
    replace(tiles, [
      h('div.tile', [h('b', { 'data-testid': 'sandbox-count' }, [count(st.sandboxes)]), h('span', ['sandboxes'])]),
      h('div.tile', [h('b', [count(st.invocations)]), h('span', ['invocations'])]),
      h('div.tile', [h('b', [count(st.coldStarts)]), h('span', [`cold starts (${st.invocations ? ((100 * st.coldStarts) / st.invocations).toFixed(1) : 0}%)`])]),
      h('div.tile', [h('b', [perSandbox.toFixed(1)]), h('span', ['invocations per sandbox'])]),
      h('div.tile', [h('b', [count(peakConcurrency(data.invocations))]), h('span', ['peak concurrency'])]),
      h('div.tile', [h('b', [count(st.reclaimed)]), h('span', ['reclaimed while idle'])]),
      h('div.tile', [h('b', [count(st.throttles)]), h('span', ['throttled'])]),
      h('div.tile', [h('b', [span(layout.to - layout.from)]), h('span', ['time span'])]),
    ]);
  }

  async function fetchData() {
    if (state.source === 'run') {
      if (!state.run) return null;
      if (!runDetail || runDetail.id !== state.run || runDetail.status === 'running') runDetail = await api.run(state.run, false);
      const params = { run: state.run };
      if (state.variant) params.variant = state.variant;
      if (!state.helpers) params.helpers = 'false';
      return api.timeline(params);
    }
    if (!state.fn) return null;
    const params = { function: state.fn };
    if (state.from !== null) Object.assign(params, { from: state.from, to: state.to });
    else Object.assign(params, { from: Date.now() - state.window, to: Date.now() });
    return api.timeline(params);
  }

  function isLive() {
    if (state.source === 'run') return runDetail?.status === 'running';
    return state.from === null;
  }

  async function refresh() {
    try {
      data = await fetchData();
    } catch (error) {
      replace(status, [h('div.error-box', [error.message])]);
      return;
    }
    renderControls();
    if (!data) {
      replace(status, [h('p.empty', [state.source === 'run' ? 'No runs yet: run lambdalab bench or tune against this emulator.' : 'No functions.'])]);
      replace(tiles, []);
      canvas.replaceChildren();
      return;
    }
    const src = data.source;
    title.textContent = src.run ? `Sandbox timeline: run #${src.run.id} ${src.run.name}${src.variant ? ` · ${src.variant}` : ''}` : `Sandbox timeline: ${src.function}`;
    replace(liveMark, isLive() ? [h('span.live-dot'), h('span.hint', ['live'])] : src.run ? [badge(src.run.status)] : []);
    replace(status, data.truncated ? [h('div.notice', [`Showing ${count(data.limit)} invocations: there are more. Pick a variant or a shorter window.`])] : []);
    layout = layoutTimeline(data);
    renderTiles();
    if (!data.invocations.length && !data.sandboxes.length) {
      canvas.replaceChildren(h('p.empty', ['No invocations in this window.']));
      replace(legend, []);
      return;
    }
    draw();
  }

  let stop = null;
  let generation = 0;
  async function reload() {
    syncUrl();
    stop?.();
    const mine = ++generation;
    stop = ctx.poll(async () => {
      if (mine !== generation) return;
      await refresh();
      // A finished run does not change: stop polling it.
      if (!isLive()) stop?.();
    }, 2000);
  }

  (async () => {
    try {
      [runs, functions] = await Promise.all([api.runs(100).then((r) => r.runs), api.functions().then((f) => f.functions)]);
    } catch (error) {
      replace(status, [h('div.error-box', [error.message])]);
    }
    if (state.source === 'run' && !state.run && runs.length) state.run = runs[0].id;
    if (state.source === 'function' && !state.fn && functions.length) state.fn = functions[0].name;
    reload();
  })();
  window.addEventListener('resize', draw);
  return () => {
    generation++;
    stop?.();
    hideTooltip();
    window.removeEventListener('resize', draw);
  };
}
