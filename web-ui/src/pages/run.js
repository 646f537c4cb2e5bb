// One run: its headline, environment, every variant's statistics and Power Tuning's result; polled
// while the run is in progress.
import { api } from '../api.js';
import { badge, h, replace } from '../dom.js';
import { count, dateTime, mb, ms, span, usd } from '../lib/format.js';

// A running variant's progress against its planned invocations (closed loops and open-loop plans).
function progress(variant, stats) {
  const planned = variant.config?.load?.planned;
  if (variant.status !== 'running' || !planned) return null;
  const done = Math.min(1, (stats.invocations ?? 0) / planned);
  return h('div.progress', { title: `${stats.invocations ?? 0} of ${planned} planned` }, [h('span', { style: { width: `${(100 * done).toFixed(1)}%` } })]);
}

export function variantTable(run, { selectable = false } = {}) {
  const rows = run.variants.map((v) => {
    const s = v.stats || {};
    const d = s.duration || {};
    return h('tr', { dataset: { variant: v.name } }, [
      h('td', { style: { whiteSpace: 'nowrap' } }, [h('b', [v.name]), v.message ? h('div.hint', { style: { whiteSpace: 'normal' } }, [v.message]) : null]),
      h('td', [v.status === 'running' ? h('span.live-dot') : null, badge(v.status)]),
      h('td', [v.config?.function ?? '']),
      h('td.num', [s.memorySizeMb ? mb(s.memorySizeMb) : v.config?.memory ? mb(v.config.memory) : '']),
      h('td.num', [count(s.invocations ?? 0), progress(v, s)]),
      h('td.num', [count(s.errors ?? 0)]),
      h('td.num', [count(s.throttles ?? 0)]),
      h('td.num', [count(s.coldStarts ?? 0)]),
      h('td.num', [ms(d.p50)]),
      h('td.num', [ms(d.p90)]),
      h('td.num', [ms(d.p99)]),
      h('td.num', [ms(s.warmDuration?.p50)]),
      h('td.num', [ms(s.initDuration?.mean)]),
      h('td.num', [usd(s.cost?.perInvocation)]),
      h('td.num', [usd(s.cost?.perMillion)]),
      selectable ? h('td', [h('a.button.small', { href: `#/timeline?run=${run.id}&variant=${encodeURIComponent(v.name)}` }, ['Timeline'])]) : null,
    ]);
  });
  return h('div.table-wrap', [h('table', { 'data-testid': 'variant-table' }, [
    h('thead', [h('tr', [h('th', ['Variant']), h('th', ['Status']), h('th', ['Function']), h('th.num', ['Memory']), h('th.num', ['Invocations']),
      h('th.num', ['Errors']), h('th.num', ['Throttles']), h('th.num', ['Cold']), h('th.num', ['p50']), h('th.num', ['p90']), h('th.num', ['p99']),
      h('th.num', ['Warm p50']), h('th.num', ['Init mean']), h('th.num', ['Cost / inv.']), h('th.num', ['Per 1M']), selectable ? h('th', ['']) : null])]),
    h('tbody', rows),
  ])]);
}

function tuningCards(run) {
  const tuned = run.result?.powerTuning;
  if (!tuned || !Object.keys(tuned).length) return null;
  const strategy = run.suite?.analysis?.powerTuning?.strategy ?? 'cost';
  return h('div.card', [
    h('div.card-head', [h('h2', ['Power Tuning']), h('span.hint', [`strategy: ${strategy}`])]),
    h('table', [
      h('thead', [h('tr', [h('th', ['Function']), h('th.num', ['Recommended']), h('th.num', ['Its avg. duration']), h('th.num', ['Its avg. cost']),
        h('th.num', ['Lambda cost of the tuning']), h('th.num', ['Step Functions cost']), h('th', ['Visualization'])])]),
      h('tbody', Object.entries(tuned).map(([fn, t]) => t.error
        ? h('tr', [h('td', [fn]), h('td', { colspan: 6 }, [h('span.error-box', [t.error])])])
        : h('tr', [
          h('td', [h('b', [fn])]),
          h('td.num', [h('b', [mb(t.power)])]),
          h('td.num', [ms(t.duration)]),
          h('td.num', [usd(t.cost)]),
          h('td.num', [usd(t.stateMachine?.lambdaCost)]),
          h('td.num', [usd(t.stateMachine?.executionCost)]),
          h('td', [t.stateMachine?.visualization ? h('a', { href: t.stateMachine.visualization, target: '_blank', rel: 'noreferrer' }, ['lambda-power-tuning.show']) : '']),
        ]))),
    ]),
    h('p.hint', ['The visualization link opens the public site (online); the Compare page charts the same figures offline.']),
  ]);
}

export function mount(root, params, ctx) {
  const box = h('div', [h('div.card', [h('p.empty', ['Loading…'])])]);
  root.append(box);
  let stop = null;
  const refresh = async () => {
    let run;
    try {
      run = await api.run(params.id);
    } catch (error) {
      replace(box, [h('div.card', [h('div.error-box', [error.status === 404 ? `There is no run ${params.id}.` : error.message])])]);
      stop?.();
      return;
    }
    const running = run.status === 'running';
    const done = run.variants.filter((v) => !['pending', 'running'].includes(v.status)).length;
    const env = run.environment || {};
    replace(box, [
      h('div.page-head', [
        h('h1', [`#${run.id} ${run.name}`]), badge(run.kind), running ? h('span.live-dot', { title: 'live: updated every 2 s' }) : null,
        h('span', { 'data-testid': 'run-status', dataset: { status: run.status } }, [badge(run.status)]),
        h('span.spacer'),
        h('a.button.small', { href: `#/compare?runs=${run.id}` }, ['Compare variants']),
        h('a.button.small', { href: `#/timeline?run=${run.id}` }, ['Sandbox timeline']),
      ]),
      run.headline ? h('div.card', [h('h2', ['Headline']), h('p', { 'data-testid': 'headline', style: { fontSize: '15px' } }, [run.headline])]) : null,
      run.message ? h('div.error-box', [run.message]) : null,
      h('div.tiles', [
        h('div.tile', [h('b', [dateTime(run.startedAtMs)]), h('span', ['started'])]),
        h('div.tile', [h('b', [span((run.endedAtMs ?? Date.now()) - run.startedAtMs)]), h('span', [running ? 'running for' : 'took'])]),
        h('div.tile', [h('b', [`${done} / ${run.variants.length}`]), h('span', ['variants done'])]),
        h('div.tile', [h('b', { 'data-testid': 'run-invocations', dataset: { count: run.invocations ?? 0 } }, [count(run.invocations ?? 0)]), h('span', ['invocations stored'])]),
        h('div.tile', [h('b', [env.profile ?? 'n/a']), h('span', ['profile'])]),
        h('div.tile', [h('b', [env.mode ?? 'n/a']), h('span', [`mode · ${env.hostCores ?? '?'} host cores`])]),
      ]),
      h('div.card', [h('div.card-head', [h('h2', ['Variants']), h('span.hint', ['Duration percentiles are the REPORT line\'s, over every invocation that ran; cost includes the request charge'])]),
        variantTable(run, { selectable: true })]),
      tuningCards(run),
      h('div.card', [h('details', [h('summary', [h('b', ['Suite and environment'])]),
        h('div.grid-2', [h('pre.block.light', [JSON.stringify(run.suite, null, 2)]), h('pre.block.light', [JSON.stringify(run.environment, null, 2)])])])]),
    ]);
    if (!running) stop?.();
  };
  stop = ctx.poll(refresh, 2000);
  return () => stop?.();
}
