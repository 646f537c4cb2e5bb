// Draws a laid-out sandbox timeline (lib/timeline_layout.js) as SVG: one row per sandbox, its
// invocations as bars (cold-start phases inside), idle and frozen gaps, how it ended; a row of
// throttled invocations; a time axis. Wheel zooms around the pointer, dragging pans, a double
// click shows everything again.
import { color, PHASE_COLORS, STATUS_COLORS } from '../charts.js';
import { h, s } from '../dom.js';
import { clock, ms, offset, shortId, span, usd } from '../lib/format.js';
import { timeTicks } from '../lib/timeline_layout.js';

const LABEL_WIDTH = 210;
const ROW = 32;
const BAR = 14;
const AXIS = 30;
const MAX_ROWS = 400;

const END_REASONS = {
  idle: 'reclaimed (idle)',
  timeout: 'killed: timeout',
  error: 'crashed / init failed',
  'function changed': 'discarded: function changed',
  stale: 'discarded: stale',
  shutdown: 'emulator shut down',
};

export function endReasonText(reason) {
  if (!reason) return '';
  return END_REASONS[reason] ?? reason;
}

let tooltip = null;
function showTooltip(event, lines) {
  if (!tooltip) {
    tooltip = h('div.tooltip');
    document.body.append(tooltip);
  }
  tooltip.replaceChildren(...lines.map((line) => (typeof line === 'string' ? h('div', [line]) : line)));
  tooltip.hidden = false;
  const x = Math.min(event.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
  const y = Math.min(event.clientY + 14, window.innerHeight - tooltip.offsetHeight - 8);
  tooltip.style.left = `${x}px`;
  tooltip.style.top = `${y}px`;
}
export function hideTooltip() {
  if (tooltip) tooltip.hidden = true;
}

function invocationLines(inv, phases) {
  return [
    h('b', [`${inv.status}${inv.cold ? ' · cold start' : ''}${inv.errorType ? ` · ${inv.errorType}` : ''}`]),
    h('div.dim', [inv.requestId]),
    `${inv.function}${inv.variant ? ` · variant ${inv.variant}` : ''}`,
    `started ${clock(inv.startMs, true)}, answered after ${ms(inv.endMs - inv.startMs)}`,
    inv.status !== 'throttled' ? `Duration ${ms(inv.durationMs)} · billed ${inv.billedMs} ms · ${usd(inv.costUsd)}` : null,
    ...phases.map((p) => `${p.label}: ${ms(p.ms)}`),
    inv.initMs !== null && inv.initMs !== undefined ? `Init Duration ${ms(inv.initMs)}` : null,
    inv.status !== 'throttled' ? `memory ${inv.maxMemoryUsedMb} / ${inv.memoryMb} MB` : null,
  ].filter(Boolean);
}

/**
 * Renders `layout` into `container` for the view [view.from, view.to]. options: { colorBy:
 * 'status' | 'variant', variantColor(name), onView({from, to}) }.
 */
export function renderTimeline(container, layout, view, options = {}) {
  const width = Math.max(900, container.clientWidth || 1200);
  const plot = width - LABEL_WIDTH - 16;
  const rows = layout.rows.slice(0, MAX_ROWS);
  const hasThrottled = layout.throttled.length > 0;
  const height = AXIS + (rows.length + (hasThrottled ? 1 : 0)) * ROW + 8;
  const span_ = Math.max(1, view.to - view.from);
  const x = (t) => LABEL_WIDTH + ((t - view.from) / span_) * plot;
  const clampX = (t) => Math.max(LABEL_WIDTH, Math.min(LABEL_WIDTH + plot, x(t)));
  const barColor = (inv) => (options.colorBy === 'variant' && options.variantColor ? options.variantColor(inv.variant) : STATUS_COLORS[inv.status] ?? '#888');

  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Sandbox timeline' });
  const defs = s('defs', {}, [
    s('pattern', { id: 'frozen-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, [
      s('rect', { width: 6, height: 6, fill: '#e6edf5' }),
      s('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#b6c6d8', 'stroke-width': 2 }),
    ]),
    s('clipPath', { id: 'plot-clip' }, [s('rect', { x: LABEL_WIDTH, y: 0, width: plot, height })]),
  ]);
  svg.append(defs);

  // Axis: offsets from the start of the view, and vertical grid lines.
  const { step, ticks } = timeTicks(0, span_, Math.max(4, Math.floor(plot / 110)));
  const axis = s('g', { class: 'axis' });
  for (const t of ticks) {
    const px = LABEL_WIDTH + (t / span_) * plot;
    axis.append(s('line', { x1: px, x2: px, y1: AXIS - 6, y2: height }));
    axis.append(s('text', { x: px, y: AXIS - 11, 'text-anchor': 'middle' }, [offset(t, step)]));
  }
  axis.append(s('text', { x: 8, y: AXIS - 11, 'font-weight': 600 }, [`${clock(view.from, true)} + (${step >= 1000 ? 's' : 'ms'})`]));
  svg.append(axis);

  const plotLayer = s('g', { 'clip-path': 'url(#plot-clip)' });
  const labels = s('g');
  rows.forEach((row, i) => {
    const y = AXIS + i * ROW;
    const mid = y + ROW / 2;
    if (i % 2 === 1) plotLayer.append(s('rect', { x: LABEL_WIDTH, y, width: plot, height: ROW, fill: '#fafafa' }));
    const sub = row.live ? `live · ${row.state ?? ''}` : row.ended ? endReasonText(row.endReason) : 'end not recorded';
    labels.append(s('g', { 'data-sandbox': row.id, 'data-state': row.state ?? '', 'data-end-reason': row.endReason ?? '' }, [
      s('title', {}, [`sandbox ${row.id}\n${row.sandbox.function ?? ''} · ${row.sandbox.memoryMb ?? '?'} MB\ncreated ${clock(row.start, true)}${row.ended ? `\nended ${clock(row.ended, true)}: ${endReasonText(row.endReason)}` : ''}\nlived ${span(row.end - row.start)}`]),
      s('text', { class: 'row-label', x: 8, y: mid - 2 }, [`${shortId(row.id)} · ${row.sandbox.memoryMb ?? '?'} MB · ${row.invocations.length} inv.`]),
      s('text', { class: 'row-sub', x: 8, y: mid + 11 }, [sub]),
    ]));
    // Lifetime.
    plotLayer.append(s('line', { x1: clampX(row.start), x2: clampX(row.end), y1: mid, y2: mid, stroke: '#c7ccd4', 'stroke-width': 1 }));
    for (const seg of row.segments) {
      if (seg.to < view.from || seg.from > view.to) continue;
      const x0 = clampX(seg.from);
      const w = Math.max(seg.type === 'invocation' ? 1.5 : 0, clampX(seg.to) - x0);
      if (seg.type === 'gap') {
        if (w < 0.5) continue;
        plotLayer.append(s('rect', { x: x0, y: mid - 4, width: w, height: 8, fill: seg.kind === 'frozen' ? 'url(#frozen-hatch)' : '#cdebd3', 'data-gap': seg.kind },
          [s('title', {}, [`${seg.kind === 'frozen' ? 'frozen (idle, processes stopped)' : 'idle, warm'}: ${span(seg.to - seg.from)}`])]));
        continue;
      }
      const inv = seg.inv;
      const group = s('g', {
        class: 'bar', 'data-request': inv.requestId, 'data-cold': inv.cold ? '1' : '0', 'data-status': inv.status,
        onmousemove: (e) => showTooltip(e, invocationLines(inv, seg.phases)), onmouseleave: hideTooltip,
      });
      group.append(s('rect', { x: x0, y: mid - BAR / 2, width: w, height: BAR, fill: barColor(inv), rx: w > 4 ? 2 : 0 }));
      for (const p of seg.phases) {
        const px = clampX(p.from);
        const pw = clampX(p.to) - px;
        if (pw < 0.3) continue;
        group.append(s('rect', { x: px, y: mid - BAR / 2, width: pw, height: BAR, fill: PHASE_COLORS[p.kind] }));
      }
      if (inv.cold) group.append(s('path', { d: `M${x0},${mid - BAR / 2 - 5} l4,0 l-4,5 z`, fill: '#5b21b6' }));
      plotLayer.append(group);
    }
    if (row.ended && row.ended >= view.from && row.ended <= view.to) {
      const ex = x(row.ended);
      plotLayer.append(s('g', { 'data-end': row.endReason ?? '' }, [
        s('path', { d: `M${ex - 4},${mid - 4} l8,8 M${ex + 4},${mid - 4} l-8,8`, stroke: row.endReason === 'timeout' || row.endReason === 'error' ? '#d62728' : '#6b7280', 'stroke-width': 2 }),
        s('title', {}, [`${endReasonText(row.endReason)} at ${clock(row.ended, true)}`]),
      ]));
    }
  });
  if (hasThrottled) {
    const y = AXIS + rows.length * ROW;
    const mid = y + ROW / 2;
    labels.append(s('text', { class: 'row-label', x: 8, y: mid - 2, fill: '#991b1b' }, [`throttled: ${layout.throttled.length}`]));
    labels.append(s('text', { class: 'row-sub', x: 8, y: mid + 11 }, ['429, no sandbox']));
    for (const inv of layout.throttled) {
      if (inv.startMs < view.from || inv.startMs > view.to) continue;
      plotLayer.append(s('rect', { class: 'bar', x: x(inv.startMs) - 1, y: mid - 7, width: 2, height: 14, fill: STATUS_COLORS.throttled, 'data-status': 'throttled',
        onmousemove: (e) => showTooltip(e, invocationLines(inv, [])), onmouseleave: hideTooltip }));
    }
  }
  svg.append(plotLayer, labels);
  svg.append(s('line', { x1: LABEL_WIDTH, x2: LABEL_WIDTH, y1: AXIS - 6, y2: height, stroke: '#9ca3af' }));

  // Zoom and pan.
  if (options.onView) {
    svg.addEventListener('wheel', (event) => {
      const rect = svg.getBoundingClientRect();
      const px = event.clientX - rect.left;
      if (px < LABEL_WIDTH) return;
      event.preventDefault();
      const at = view.from + ((px - LABEL_WIDTH) / plot) * span_;
      const factor = event.deltaY > 0 ? 1.25 : 0.8;
      const from = at - (at - view.from) * factor;
      const to = at + (view.to - at) * factor;
      options.onView({ from, to: Math.max(to, from + 1) });
    }, { passive: false });
    // The drag outlives the SVG: every move re-renders into a new one.
    svg.addEventListener('mousedown', (event) => {
      container.drag = { x: event.clientX, from: view.from, to: view.to };
    });
    const endDrag = () => {
      container.drag = null;
    };
    svg.addEventListener('mouseup', endDrag);
    svg.addEventListener('mouseleave', endDrag);
    svg.addEventListener('mousemove', (event) => {
      const drag = container.drag;
      if (!drag || !(event.buttons & 1)) return;
      const dt = ((event.clientX - drag.x) / plot) * (drag.to - drag.from);
      if (Math.abs(event.clientX - drag.x) > 3) options.onView({ from: drag.from - dt, to: drag.to - dt });
    });
    svg.addEventListener('dblclick', () => options.onView(null));
  }
  container.replaceChildren(svg);
  if (layout.rows.length > MAX_ROWS) container.append(h('p.notice', [`Showing the first ${MAX_ROWS} of ${layout.rows.length} sandboxes.`]));
}

/** The legend under the timeline. */
export function timelineLegend(colorBy, variants = []) {
  const key = (fill, text, extra = {}) => h('span.key', [h('span.box', { style: { background: fill, ...extra } }), text]);
  const bars = colorBy === 'variant'
    ? variants.map((v, i) => key(color(i), v || '(untagged)'))
    : [key(STATUS_COLORS.success, 'invocation (success)'), key(STATUS_COLORS.error, 'error / throttled'), key(STATUS_COLORS.timeout, 'timeout')];
  return h('div.legend', [
    ...bars,
    key(PHASE_COLORS.boot, 'sandbox boot'), key(PHASE_COLORS.download, 'code download'), key(PHASE_COLORS.vpc, 'VPC'),
    key(PHASE_COLORS.runtimeStart, 'runtime start'), key(PHASE_COLORS.functionInit, 'function init'),
    key('#cdebd3', 'idle (warm)'), key('#e6edf5', 'frozen', { backgroundImage: 'repeating-linear-gradient(45deg, #b6c6d8 0 2px, transparent 2px 5px)' }),
    h('span.key', [h('b', { style: { color: '#5b21b6' } }, ['◤']), 'cold start']),
    h('span.key', [h('b', { style: { color: '#6b7280' } }, ['✕']), 'reclaimed / ended']),
  ]);
}
