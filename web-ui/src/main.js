// lambdalab's web UI: a hash router over five pages (Functions, Runs and a run, Compare, Timeline),
// the header with the emulator's settings, and polling for live pages.
import './styles.css';

import { api } from './api.js';
import { destroyCharts } from './charts.js';
import { h, replace } from './dom.js';
import * as compare from './pages/compare.js';
import * as functions from './pages/functions.js';
import * as run from './pages/run.js';
import * as runs from './pages/runs.js';
import * as timeline from './pages/timeline.js';

const NAV = [
  { path: 'functions', label: 'Functions' },
  { path: 'runs', label: 'Runs' },
  { path: 'compare', label: 'Compare' },
  { path: 'timeline', label: 'Sandbox timeline' },
];

/** Parses "#/runs/3?x=1" into { parts: ['runs', '3'], query: URLSearchParams }. */
export function parseHash(hash) {
  const text = hash.replace(/^#\/?/, '');
  const [path, search = ''] = text.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

export function navigate(path, query) {
  const search = query && [...new URLSearchParams(query)].length ? `?${new URLSearchParams(query)}` : '';
  location.hash = `#/${path}${search}`;
}

/** Runs `task` now and then every `intervalMs` after it finishes, while the tab is visible; returns stop(). */
export function poll(task, intervalMs) {
  let stopped = false;
  let timer = null;
  const tick = async () => {
    if (stopped) return;
    if (!document.hidden) {
      try {
        await task();
      } catch (error) {
        console.error(error);
      }
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const info = document.getElementById('emulator-info');
let cleanup = null;

function renderNav(active) {
  replace(nav, NAV.map((item) => h(`a.nav-link${item.path === active ? '.active' : ''}`, { href: `#/${item.path}` }, [item.label])));
}

async function loadEmulatorInfo() {
  try {
    const e = await api.emulator();
    const cores = `${e.hostCores} host core${e.hostCores === 1 ? '' : 's'}`;
    const mechanism = (e.resourceControl || '').split(' ')[0];
    replace(info, [
      h('span.chip', { title: 'Simulation profile' }, [`profile ${e.profile}`]),
      e.timeScale !== 1 ? h('span.chip', { title: 'Simulated waits are divided by this' }, [`time scale ${e.timeScale}`]) : null,
      h('span.chip', { title: e.resourceControl }, [mechanism]),
      h('span.chip', [cores]),
      h('span.chip', [e.region]),
      h('span.chip.muted', [`v${e.version}`]),
    ]);
    info.title = `data in ${e.dataDir}`;
  } catch {
    replace(info, [h('span.chip.error', ['emulator unreachable'])]);
  }
}

function route() {
  const { parts, query } = parseHash(location.hash);
  if (!parts.length) {
    location.replace('#/functions');
    return;
  }
  if (cleanup) cleanup();
  cleanup = null;
  destroyCharts(main);
  main.replaceChildren();
  window.scrollTo(0, 0);
  const [page, ...rest] = parts;
  const ctx = { navigate, poll, query };
  let module = null;
  let params = {};
  if (page === 'functions') [module, params] = [functions, { name: rest[0] }];
  else if (page === 'runs' && rest.length) [module, params] = [run, { id: Number(rest[0]) }];
  else if (page === 'runs') module = runs;
  else if (page === 'compare') module = compare;
  else if (page === 'timeline') module = timeline;
  renderNav(page === 'runs' && rest.length ? 'runs' : page);
  if (!module) {
    main.append(h('div.card', [h('h2', ['Not found']), h('p', ['There is no page ', h('code', [location.hash]), '.'])]));
    return;
  }
  document.title = `${NAV.find((n) => n.path === page)?.label ?? 'lambdalab'} - lambdalab`;
  cleanup = module.mount(main, params, ctx) || null;
}

window.addEventListener('hashchange', route);
loadEmulatorInfo();
route();
