// Functions: every function with its live sandboxes; one function's configuration, live sandboxes
// and recent invocations, and an Invoke form that calls the real Invoke API with the log tail.
import { api, invoke } from '../api.js';
import { badge, h, replace } from '../dom.js';
import { ago, clock, count, mb, ms, shortId, span, usd } from '../lib/format.js';

const STATES = ['busy', 'initializing', 'warm', 'frozen'];

function sandboxPills(sandboxes) {
  if (!sandboxes?.total) return [h('span.pill', ['no sandboxes'])];
  return STATES.filter((s) => sandboxes[s]).map((s) => h(`span.pill.${s}`, [`${sandboxes[s]} ${s}`]));
}

function functionList(list, active) {
  return h('ul.fn-list', list.map((fn) => h('li', [
    h(`a.fn-item${fn.name === active ? '.active' : ''}`, { href: `#/functions/${encodeURIComponent(fn.name)}`, dataset: { function: fn.name } }, [
      h('div.fn-name', [fn.name]),
      h('div.fn-meta', [`${fn.runtime} · ${fn.memorySize} MB · ${fn.recent.invocations ? `${count(fn.recent.invocations)} in 5 min`
        : fn.recent.lastInvocationAtMs ? `last ${ago(fn.recent.lastInvocationAtMs)}` : 'never invoked'}`]),
      h('div.pill-row', sandboxPills(fn.sandboxes)),
    ]),
  ])));
}

function configTable(fn) {
  const c = fn.configuration || {};
  const env = Object.entries(c.Environment?.Variables || {});
  const rows = [
    ['Runtime', c.Runtime],
    ['Handler', c.Handler],
    ['Memory', mb(c.MemorySize)],
    ['Timeout', `${c.Timeout} s`],
    ['Architecture', (c.Architectures || []).join(', ')],
    ['Ephemeral storage', c.EphemeralStorage ? mb(c.EphemeralStorage.Size) : null],
    ['Reserved concurrency', fn.reservedConcurrency ?? 'unreserved'],
    ['State', c.State ? badge(c.State) : null],
    ['VPC', c.VpcConfig?.SubnetIds?.length ? `${c.VpcConfig.SubnetIds.join(', ')} (${(c.VpcConfig.SecurityGroupIds || []).join(', ')})` : 'none'],
    ['Code size', c.CodeSize !== undefined ? `${count(c.CodeSize)} bytes` : null],
    ['Last modified', c.LastModified],
    ['Versions', fn.versions?.length ? fn.versions.join(', ') : 'only $LATEST'],
    ['Aliases', Object.keys(fn.aliases || {}).length ? Object.entries(fn.aliases).map(([a, v]) => `${a} → ${v}`).join(', ') : 'none'],
    ['Provisioned', Object.keys(fn.provisioned || {}).length ? Object.entries(fn.provisioned).map(([q, n]) => `${q}: ${n}`).join(', ') : 'none'],
    ['Environment', env.length ? h('div', env.map(([k, v]) => h('div.mono', [`${k}=${v}`]))) : 'none'],
    ['ARN', h('span.mono', [c.FunctionArn])],
  ];
  return h('table.kv', [h('tbody', rows.filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => h('tr', [h('th', [k]), h('td', [v])])))]);
}

function sandboxTable(sandboxes, now) {
  if (!sandboxes.length) return h('p.empty', ['No live sandboxes: the next invocation is a cold start.']);
  return h('div.table-wrap', [h('table', { 'data-testid': 'sandbox-table' }, [
    h('thead', [h('tr', [h('th', ['Sandbox']), h('th', ['State']), h('th.num', ['PID']), h('th.num', ['Invocations']), h('th.num', ['Age'])])]),
    h('tbody', sandboxes.map((s) => h('tr', { dataset: { sandbox: s.id, state: s.state } }, [
      h('td.mono', { title: s.id }, [shortId(s.id)]),
      h('td', [badge(s.state), s.state !== s.phase && s.state !== 'frozen' ? h('span.hint', [` ${s.phase}`]) : null]),
      h('td.num', [s.pid ?? '–']),
      h('td.num', [count(s.invocations)]),
      h('td.num', [span(now - s.createdAtMs)]),
    ]))),
  ])]);
}

export function invocationTable(rows, { showFunction = false } = {}) {
  if (!rows.length) return h('p.empty', ['No invocations yet.']);
  return h('div.table-wrap', [h('table.compact', { 'data-testid': 'invocation-table' }, [
    h('thead', [h('tr', [
      h('th', ['Started']), showFunction ? h('th', ['Function']) : null, h('th', ['Request']), h('th', ['Status']),
      h('th.num', ['Duration']), h('th.num', ['Billed']), h('th.num', ['Init']), h('th.num', ['Memory used']),
      h('th.num', ['Cost']), h('th', ['Sandbox']), h('th', ['Run, variant']),
    ])]),
    h('tbody', rows.map((r) => h('tr', { dataset: { request: r.requestId } }, [
      h('td', { title: new Date(r.startMs).toISOString() }, [clock(r.startMs, true)]),
      showFunction ? h('td', [r.function]) : null,
      h('td.mono', { title: r.requestId }, [shortId(r.requestId)]),
      h('td', { title: r.errorType || '' }, [badge(r.status), r.cold ? [' ', badge('cold')] : null].flat()),
      h('td.num', [r.status === 'throttled' ? '–' : ms(r.durationMs)]),
      h('td.num', [r.status === 'throttled' ? '–' : `${r.billedMs} ms`]),
      h('td.num', [r.initMs !== null ? ms(r.initMs) : '']),
      h('td.num', [r.status === 'throttled' ? '–' : `${r.maxMemoryUsedMb} / ${r.memoryMb} MB`]),
      h('td.num', [r.status === 'throttled' ? '–' : usd(r.costUsd, 2)]),
      h('td.mono', { title: r.sandboxId || '' }, [r.sandboxId ? shortId(r.sandboxId) : '–']),
      h('td', [r.runId ? h('a', { href: `#/runs/${r.runId}` }, [`#${r.runId}`]) : '', r.variant ? ` ${r.variant}` : '']),
    ]))),
  ])]);
}

function invokeResult(result, name) {
  if (result.error) return h('div.result.fail', [h('div.result-head', [badge('error', 'request failed')]), h('div.result-body', [result.error])]);
  const failed = !result.ok;
  let body = result.body;
  if (result.json !== null) body = JSON.stringify(result.json, null, 2);
  const report = result.report;
  return h(`div.result.${failed ? 'fail' : 'ok'}`, { 'data-testid': 'invoke-result', dataset: { status: result.status } }, [
    h('div.result-head', [
      h('b', [`HTTP ${result.status}`]),
      result.functionError ? badge('error', `${result.functionError} function error`) : null,
      result.errorType ? badge('error', result.errorType) : null,
      !failed ? badge('success', 'success') : null,
      report?.initMs ? badge('cold', 'cold start') : null,
      h('span.hint', [`${Math.round(result.elapsedMs)} ms round trip · ${name}${result.executedVersion ? `:${result.executedVersion}` : ''}`]),
      result.requestId ? h('span.hint.mono', [result.requestId]) : null,
    ]),
    h('div.result-body', [
      h('h3', ['Response']),
      h('pre.block.light', { 'data-testid': 'response-body' }, [body || '(empty)']),
      report ? h('h3', ['REPORT']) : null,
      report ? h('div.report-figures', { 'data-testid': 'report-figures' }, report.fields.map((f) =>
        h('div.figure', [h('b', [typeof f.value === 'number' ? `${f.value} ${f.unit}` : f.value]), h('span', [f.key])]))) : null,
      result.log ? h('h3', ['Log tail (X-Amz-Log-Result, last 4 KB)']) : null,
      result.log ? h('pre.block', { 'data-testid': 'log-tail' }, [result.log]) : null,
    ]),
  ]);
}

function invokeCard(name, onInvoked) {
  const key = `lambdalab.payload.${name}`;
  const payload = h('textarea', { 'data-testid': 'payload', spellcheck: 'false', 'aria-label': 'Payload (JSON)' });
  payload.value = localStorage.getItem(key) ?? '{}';
  const type = h('select', { 'aria-label': 'Invocation type' }, ['RequestResponse', 'Event', 'DryRun'].map((t) => h('option', { value: t }, [t])));
  const out = h('div');
  const button = h('button.primary', { 'data-testid': 'invoke-button', type: 'submit' }, ['Invoke']);
  const form = h('form', {
    onsubmit: async (event) => {
      event.preventDefault();
      const text = payload.value.trim() || '{}';
      try {
        JSON.parse(text);
      } catch (error) {
        replace(out, [h('div.error-box', [`The payload is not valid JSON: ${error.message}`])]);
        return;
      }
      localStorage.setItem(key, text);
      button.disabled = true;
      button.textContent = 'Invoking…';
      try {
        replace(out, [invokeResult(await invoke(name, text, type.value), name)]);
      } catch (error) {
        replace(out, [invokeResult({ error: error.message }, name)]);
      } finally {
        button.disabled = false;
        button.textContent = 'Invoke';
        onInvoked();
      }
    },
  }, [
    h('label.hint', ['Payload (JSON)']),
    payload,
    h('div.toolbar', { style: { marginTop: '.5rem', marginBottom: '0' } }, [button, h('label.inline.hint', ['Type ', type]),
      h('span.hint', ['POST /2015-03-31/functions/', h('b', [name]), '/invocations with X-Amz-Log-Type: Tail'])]),
  ]);
  return h('div.card', [h('div.card-head', [h('h2', ['Invoke'])]), form, out]);
}

export function mount(root, params, ctx) {
  const listBox = h('div.card.sticky', [h('h2', ['Functions']), h('p.hint', ['Loading…'])]);
  const detail = h('div', [h('div.card', [h('p.empty', ['Loading…'])])]);
  root.append(h('div.split', [listBox, detail]));
  let name = params.name;
  let built = null;

  const refreshList = async () => {
    const { functions } = await api.functions();
    if (!name && functions.length) {
      location.replace(`#/functions/${encodeURIComponent(functions[0].name)}`);
      return;
    }
    replace(listBox, [
      h('div.card-head', [h('h2', [`Functions`]), h('span.hint', [`${functions.length}`])]),
      functions.length ? functionList(functions, name) : h('p.empty', ['No functions. Create one with the AWS CLI or serve --functions FILE.']),
    ]);
  };

  const refreshDetail = async () => {
    if (!name) return;
    let fn;
    try {
      fn = await api.func(name, 25);
    } catch (error) {
      replace(detail, [h('div.card', [h('h2', [name]), h('div.error-box', [error.status === 404 ? `There is no function ${name}.` : error.message])])]);
      built = null;
      return;
    }
    if (!built) {
      built = {
        head: h('div.page-head'),
        tiles: h('div.tiles'),
        config: h('div'),
        sandboxes: h('div'),
        invocations: h('div'),
      };
      replace(detail, [
        built.head,
        built.tiles,
        h('div.grid-2', [
          h('div', [invokeCard(name, () => setTimeout(refreshAll, 150)),
            h('div.card', [h('div.card-head', [h('h2', ['Live sandboxes']), h('span.hint', ['warm, busy, frozen or initializing; polled every 2 s'])]), built.sandboxes])]),
          h('div.card', [h('h2', ['Configuration']), built.config]),
        ]),
        h('div.card', [h('div.card-head', [h('h2', ['Recent invocations']), h('span.spacer'),
          h('a.button.small', { href: `#/timeline?function=${encodeURIComponent(name)}&window=900000` }, ['Sandbox timeline, last 15 min'])]), built.invocations]),
      ]);
    }
    const c = fn.configuration || {};
    replace(built.head, [
      h('h1', [fn.name]), badge(fn.state), h('span.hint', [fn.description || '']), h('span.spacer'),
      h('a.button.small', { href: `#/timeline?function=${encodeURIComponent(name)}&window=900000` }, ['Timeline']),
    ]);
    const live = fn.sandboxes;
    const byState = (s) => live.filter((x) => x.state === s).length;
    const r = fn.recent;
    replace(built.tiles, [
      h('div.tile', [h('b', [mb(c.MemorySize)]), h('span', ['memory'])]),
      h('div.tile', [h('b', [`${c.Timeout} s`]), h('span', ['timeout'])]),
      h('div.tile', [h('b', [String(live.length)]), h('span', [`live sandboxes (${byState('busy')} busy, ${byState('warm') + byState('frozen')} idle)`])]),
      h('div.tile', [h('b', [count(r.invocations)]), h('span', ['invocations, last 5 min'])]),
      h('div.tile', [h('b', [count(r.coldStarts)]), h('span', ['cold starts, last 5 min'])]),
      h('div.tile', [h('b', [`${count(r.errors)} / ${count(r.throttles)}`]), h('span', ['errors / throttles, 5 min'])]),
    ]);
    replace(built.config, [configTable(fn)]);
    replace(built.sandboxes, [sandboxTable(live, fn.nowMs)]);
    replace(built.invocations, [invocationTable(fn.invocations)]);
  };

  const refreshAll = () => Promise.all([refreshList(), refreshDetail()]);
  const stop = ctx.poll(refreshAll, 2000);
  return stop;
}
