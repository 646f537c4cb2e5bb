// The web UI in a real browser (Debian's Chromium, headless, driven by playwright-core), as a person
// uses it: the runs list, Compare with two and then three variants of a power tuning (memory sizes
// on the chart, the recommended size), a suite's distributions, the sandbox timeline of a run (its
// sandbox rows and cold starts), and an invocation from the Functions page. Screenshots go to the
// directory given. tests/ui/test_web_ui.py starts the emulator, seeds the runs and runs this with:
//
//   node web_ui_test.mjs '{"url": ..., "screenshots": DIR, "tune": {...}, "suite": {...}, "function": ...}'
//
// Prints one JSON line of results; exits 1 on the first failed check.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

const spec = JSON.parse(process.argv[2]);
const shots = spec.screenshots;
mkdirSync(shots, { recursive: true });
const checks = [];
const errors = [];

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  checks.push(message);
}

const profile = mkdtempSync(path.join(tmpdir(), 'lambdalab-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1440, height: 900 },
  timeout: 30000,
});
const page = await context.newPage();
page.setDefaultTimeout(15000);
page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
page.on('console', (message) => {
  if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
});
// Everything comes from the emulator: a request elsewhere would be a CDN the UI must not need.
const origin = new URL(spec.url).origin;
page.on('request', (request) => {
  if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) errors.push(`request off origin: ${request.url()}`);
});

const go = async (hash) => {
  await page.goto(`${spec.url}/${hash}`);
  await page.waitForLoadState('domcontentloaded');
};
const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

try {
  // Live: a run in progress (started by the Python side just before) updates on its own.
  if (spec.live) {
    for (let i = 0; i < 100 && !(await fetch(`${spec.url}/api/runs/${spec.live.run}?stats=false`)).ok; i++) await new Promise((r) => setTimeout(r, 100));
    await go(`#/runs/${spec.live.run}`);
    await page.waitForSelector('[data-testid=run-status][data-status=running]');
    const counted = () => page.getByTestId('run-invocations').getAttribute('data-count').then(Number);
    const before = await counted();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=run-invocations]')?.dataset.count) > n, before, { timeout: 10000 });
    await shot('run-live');
    check(true, `a running run's page updates by itself (${before} → ${await counted()} invocations)`);
    await page.waitForSelector('[data-testid=run-status][data-status=complete]', { timeout: 30000 });
    const final = await (await fetch(`${spec.url}/api/runs/${spec.live.run}?stats=false`)).json();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=run-invocations]')?.dataset.count) === n, final.invocations);
    check(final.invocations >= spec.live.atLeast, `then shows it complete with its ${final.invocations} invocations`);
  }

  // Runs: newest first, the seeded runs with their status.
  await go('#/runs');
  const rows = page.locator('[data-testid=runs-table] tbody tr');
  await rows.first().waitFor();
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.run)));
  check(ids.every((id, i) => i === 0 || ids[i - 1] > id) && ids.includes(spec.suite.run) && ids.includes(spec.tune.run), `runs listed newest first: ${ids}`);
  check(await page.locator(`tr[data-run="${spec.tune.run}"] [data-testid=headline]`).innerText().then((t) => t.includes(`${spec.tune.power} MB`)),
    'the tune run shows its recommended size');
  await shot('runs');

  // Compare: pick two variants of the tuning one by one.
  await go('#/compare');
  await page.locator(`.run-pick[data-run="${spec.tune.run}"] .name`).click();
  const pick = (variant) => page.locator(`.run-pick[data-run="${spec.tune.run}"] label[data-variant="${variant}"] input`).check();
  const [first, second] = spec.tune.pair;
  await pick(first);
  await pick(second);
  const tuning = page.locator('[data-testid=tuning-card]');
  const pairSizes = [first, second].map(Number).sort((a, b) => a - b).join(',');
  await page.waitForFunction((sizes) => document.querySelector('[data-testid=tuning-card]')?.dataset.sizes === sizes, pairSizes);
  check(await page.locator('[data-testid=tuning-card] canvas').getAttribute('data-labels') === pairSizes, `the chart's memory axis is ${pairSizes}`);
  const recommended = async (strategy) => Number(await tuning.locator(`[data-testid=recommendations] td[data-strategy=${strategy}]`).first().getAttribute('data-memory'));
  for (const strategy of ['cost', 'speed', 'balanced']) {
    const got = await recommended(strategy);
    check(got === spec.tune.pairRecommended[strategy], `two variants: ${strategy} recommends ${got} MB (expected ${spec.tune.pairRecommended[strategy]})`);
  }
  await shot('compare-two-variants');

  // All sizes: the cost recommendation is the one the tuning stored.
  await page.locator(`.run-pick[data-run="${spec.tune.run}"] .run-pick-head input`).check();
  await page.waitForFunction((sizes) => document.querySelector('[data-testid=tuning-card]')?.dataset.sizes === sizes, spec.tune.sizes.join(','));
  check(await recommended('cost') === spec.tune.power, `all sizes: cost recommends the stored ${spec.tune.power} MB`);
  check(await tuning.locator('td.best[data-strategy=cost]').count() === 1, "the run's own strategy is highlighted");
  const warmRows = await page.locator('[data-testid=percentiles] tbody tr').count();
  check(warmRows === spec.tune.sizes.length, `a percentile row per variant (${warmRows})`);
  await shot('compare-tuning');

  // A suite: distributions, cost, init phases, throttles over time.
  await go(`#/compare?runs=${spec.suite.run}`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=percentiles] tbody tr').length === n, spec.suite.variants.length);
  const labels = await page.locator('[data-testid=percentiles] tbody tr b').allInnerTexts();
  check(spec.suite.variants.every((v) => labels.includes(v)), `the suite's variants are compared: ${labels}`);
  await page.waitForTimeout(300);
  await shot('compare-suite');

  // Sandbox timeline of the tuning: one row per sandbox (each memory change discards the warm ones).
  await go(`#/timeline?run=${spec.tune.run}`);
  const sandboxRows = page.locator('[data-testid=timeline] g[data-sandbox]');
  await sandboxRows.first().waitFor();
  const rendered = await sandboxRows.count();
  check(rendered === spec.tune.sandboxes, `the timeline has ${rendered} sandbox rows (expected ${spec.tune.sandboxes})`);
  const bars = await page.locator('[data-testid=timeline] g.bar[data-request]').count();
  check(bars === spec.tune.invocations, `${bars} invocation bars (expected ${spec.tune.invocations})`);
  const cold = await page.locator('[data-testid=timeline] g.bar[data-cold="1"]').count();
  check(cold === spec.tune.coldStarts, `${cold} cold starts marked (expected ${spec.tune.coldStarts})`);
  check(await page.getByTestId('sandbox-count').innerText() === String(spec.tune.sandboxes), 'the sandbox tile agrees');
  await shot('timeline-tuning');

  await go(`#/timeline?run=${spec.suite.run}`);
  await sandboxRows.first().waitFor();
  check(await sandboxRows.count() === spec.suite.sandboxes, `the suite's timeline has ${spec.suite.sandboxes} sandbox rows`);
  if (spec.suite.throttles) check(await page.locator('[data-testid=timeline] rect[data-status=throttled]').count() === spec.suite.throttles, 'throttles on their own row');
  if (spec.suite.reclaimed) check(await page.locator('[data-testid=timeline] g[data-end=idle]').count() >= 1, 'idle sandboxes are seen reclaimed');
  await shot('timeline-suite');
  // Hover a bar: its tooltip tells the invocation and its cold-start phases.
  const bar = page.locator('[data-testid=timeline] g.bar[data-cold="1"]').first();
  await bar.hover({ force: true });
  const tip = await page.locator('.tooltip').innerText();
  check(tip.includes('cold start') && tip.includes('Sandbox boot'), 'a cold bar explains itself on hover');

  // Functions: invoke from the page through the Invoke API, with the log tail.
  await go(`#/functions/${spec.function}`);
  const payload = page.getByTestId('payload');
  await payload.waitFor();
  await payload.fill('{"name": "from the browser"}');
  await page.getByTestId('invoke-button').click();
  const result = page.getByTestId('invoke-result');
  await result.waitFor();
  check(await result.getAttribute('data-status') === '200', 'the invocation answered 200');
  const body = JSON.parse(await page.getByTestId('response-body').innerText());
  check(body.event?.name === 'from the browser' && body.function === spec.function, 'the response echoes the payload');
  const figures = await page.getByTestId('report-figures').innerText();
  check(/Duration/.test(figures) && /Billed Duration/.test(figures) && /Max Memory Used/.test(figures), 'the REPORT figures are shown');
  const tail = await page.getByTestId('log-tail').innerText();
  check(tail.includes('START RequestId:') && tail.includes('REPORT RequestId:'), 'the decoded log tail is shown');
  // The invocation appears in the recent list, and its sandbox among the live ones.
  const requestId = (await result.locator('.result-head .mono').innerText()).trim();
  await page.locator(`[data-testid=invocation-table] tr[data-request="${requestId}"]`).waitFor();
  await page.locator('[data-testid=sandbox-table] tr[data-sandbox]').first().waitFor();
  checks.push('the invocation and its live sandbox are listed');
  await shot('functions');

  if (errors.length) throw new Error(errors.join('\n'));
  console.log(JSON.stringify({ ok: true, checks }));
} catch (error) {
  await shot('failure').catch(() => {});
  console.log(JSON.stringify({ ok: false, checks, error: error.message, errors }));
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
