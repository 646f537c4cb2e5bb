// Runs: every bench and tune run, newest first, with status and headline; live while one runs.
import { api } from '../api.js';
import { badge, h, replace } from '../dom.js';
import { count, dateTime, ms, span, usd } from '../lib/format.js';

// A run without a headline (tune runs have none) shows Power Tuning's answer, read once per run.
const summaries = new Map();
async function tuningSummary(run) {
  if (summaries.has(run.id)) return summaries.get(run.id);
  const full = await api.run(run.id, false);
  const tuned = full.result?.powerTuning ?? {};
  const text = Object.entries(tuned).map(([fn, t]) => (t.error ? `${fn}: ${t.error}`
    : `${fn}: ${t.power} MB (${full.suite?.analysis?.powerTuning?.strategy ?? 'cost'}), ${ms(t.duration)}, ${usd(t.cost)} per invocation`)).join('; ');
  if (full.status !== 'running') summaries.set(run.id, text);
  return text;
}

export function mount(root, _params, ctx) {
  const body = h('div', [h('p.empty', ['Loading…'])]);
  root.append(h('div.page-head', [h('h1', ['Runs']), h('span.hint', ['lambdalab bench and lambdalab tune runs, newest first'])]),
    h('div.card', [body]));

  const refresh = async () => {
    const { runs } = await api.runs(200);
    if (!runs.length) {
      replace(body, [h('div.empty', [h('p', ['No runs yet.']), h('p', [h('code', ['lambdalab bench bench/suites/smoke.json --endpoint ' + location.origin])]),
        h('p', [h('code', [`lambdalab tune hello --memory 128,512,1769 --num 5 --endpoint ${location.origin}`])])])]);
      return;
    }
    const now = Date.now();
    const figures = new Map();
    await Promise.all(runs.slice(0, 40).filter((r) => !r.headline && r.kind === 'tune').map(async (r) => {
      figures.set(r.id, await tuningSummary(r).catch(() => ''));
    }));
    replace(body, [h('div.table-wrap', [h('table', { 'data-testid': 'runs-table' }, [
      h('thead', [h('tr', [h('th.num', ['Run']), h('th', ['Name']), h('th', ['Kind']), h('th', ['Status']), h('th', ['Started']),
        h('th.num', ['Took']), h('th.num', ['Variants']), h('th.num', ['Invocations']), h('th', ['Headline']), h('th', [''])])]),
      h('tbody', runs.map((run) => h('tr.clickable', { dataset: { run: run.id, status: run.status }, onclick: (e) => {
        if (e.target.closest('a')) return;
        ctx.navigate(`runs/${run.id}`);
      } }, [
        h('td.num', [h('a', { href: `#/runs/${run.id}` }, [`#${run.id}`])]),
        h('td', { style: { whiteSpace: 'nowrap' } }, [h('b', [run.name])]),
        h('td', [badge(run.kind)]),
        h('td', [run.status === 'running' ? h('span.live-dot') : null, badge(run.status)]),
        h('td', { style: { whiteSpace: 'nowrap' } }, [dateTime(run.startedAtMs)]),
        h('td.num', [span((run.endedAtMs ?? now) - run.startedAtMs)]),
        h('td.num', [count(run.variants)]),
        h('td.num', [run.invocations === null ? '…' : count(run.invocations)]),
        h('td', { 'data-testid': 'headline' }, [run.headline || figures.get(run.id) || h('span.hint', ['–'])]),
        h('td', { style: { whiteSpace: 'nowrap' } }, [
          h('a.button.small', { href: `#/compare?runs=${run.id}` }, ['Compare']), ' ',
          h('a.button.small', { href: `#/timeline?run=${run.id}` }, ['Timeline']),
        ]),
      ]))),
    ])])]);
  };
  return ctx.poll(refresh, 3000);
}
