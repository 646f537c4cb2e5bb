// Chart.js, registered with only what the pages draw (tree-shaken by esbuild), the palette, and the
// chart configurations of the Compare page. Charts are updated in place when a page polls.
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement,
  LogarithmicScale, PointElement, Tooltip,
} from 'chart.js';

import { binLabel, formatNumber } from './lib/stats.js';
import { ms, usd } from './lib/format.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement,
  LogarithmicScale, PointElement, Tooltip);

Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
Chart.defaults.font.size = 12;
Chart.defaults.color = '#374151';
Chart.defaults.borderColor = '#e5e7eb';
Chart.defaults.animation = false;  // polling redraws must not replay animations
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.plugins.legend.labels.boxWidth = 14;
Chart.defaults.plugins.legend.labels.usePointStyle = true;

// Tableau 10: distinct, readable on white, and kind to most colour-blind readers.
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#79706e'];
export const color = (i) => PALETTE[i % PALETTE.length];

export const PHASE_COLORS = {
  boot: '#9467bd', download: '#bcbd22', vpc: '#17becf', runtimeStart: '#8c564b', functionInit: '#e377c2',
};
export const STATUS_COLORS = { success: '#4e79a7', error: '#d62728', timeout: '#ff7f0e', throttled: '#d62728', rejected: '#7f7f7f' };
export const STRATEGY_MARKERS = {
  cost: { pointStyle: 'star', symbol: '★', label: 'cheapest (cost)' },
  speed: { pointStyle: 'triangle', symbol: '▲', label: 'fastest (speed)' },
  balanced: { pointStyle: 'rectRot', symbol: '◆', label: 'balanced' },
};

function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

const axisTitle = (text) => ({ display: true, text, font: { weight: '600' } });

// Writes each bar's value at its end (cost per million, init phases' totals).
const barValues = {
  id: 'barValues',
  afterDatasetsDraw(chart, _args, options) {
    if (!options?.format) return;
    const { ctx } = chart;
    ctx.save();
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#111827';
    const horizontal = chart.options.indexAxis === 'y';
    const last = chart.data.datasets.length - 1;
    chart.data.datasets.forEach((dataset, di) => {
      if (options.stackedTotal && di !== last) return;
      const meta = chart.getDatasetMeta(di);
      if (meta.hidden) return;
      meta.data.forEach((bar, i) => {
        const value = options.stackedTotal
          ? chart.data.datasets.reduce((sum, d, k) => sum + (chart.getDatasetMeta(k).hidden ? 0 : d.data[i] || 0), 0)
          : dataset.data[i];
        if (value === null || value === undefined) return;
        const text = options.format(value);
        if (horizontal) {
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(text, bar.x + 4, bar.y);
        } else {
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          ctx.fillText(text, bar.x, bar.y - 3);
        }
      });
    });
    ctx.restore();
  },
};
Chart.register(barValues);

/** Creates the chart on `canvas`, or updates the one already there in place. */
export function upsertChart(canvas, config) {
  const existing = Chart.getChart(canvas);
  if (existing && existing.config.type === config.type) {
    existing.data = config.data;
    existing.options = config.options;
    existing.update('none');
    return existing;
  }
  existing?.destroy();
  return new Chart(canvas, config);
}

export function destroyCharts(root) {
  for (const canvas of root.querySelectorAll('canvas')) Chart.getChart(canvas)?.destroy();
}

// Dashed vertical guides at recommended sizes, labelled above the plot ("★ cost ◆ balanced"). Its
// options are plain data ({ guides: [{ index, text, color, row }] }) so updating a chart updates them.
const recommendationGuides = {
  id: 'recommendationGuides',
  afterDatasetsDraw(chart, _args, options) {
    const guides = options?.guides;
    if (!guides?.length) return;
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.font = '600 11.5px system-ui, sans-serif';
    ctx.textBaseline = 'bottom';
    for (const guide of guides) {
      const x = scales.x.getPixelForValue(guide.index);
      ctx.strokeStyle = withAlpha(guide.color, 0.7);
      ctx.setLineDash([4, 4]);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      const width = ctx.measureText(guide.text).width;
      const tx = Math.min(Math.max(x - width / 2, chartArea.left), chartArea.right - width);
      ctx.fillStyle = guide.color;
      ctx.fillText(guide.text, tx, chartArea.top - 4 - 16 * guide.row);
    }
    ctx.restore();
  },
};
Chart.register(recommendationGuides);

function guidesFor(groups, sizes) {
  const guides = [];
  groups.filter((g) => g.points.length > 1).slice(0, 3).forEach((group, row) => {
    const bySize = new Map();
    for (const strategy of Object.keys(STRATEGY_MARKERS)) {
      const best = group.recommended[strategy];
      if (!best) continue;
      if (!bySize.has(best.value)) bySize.set(best.value, []);
      bySize.get(best.value).push(strategy);
    }
    for (const [size, strategies] of bySize) {
      guides.push({ index: sizes.indexOf(size), row, color: color(groups.indexOf(group)),
        text: strategies.map((st) => `${STRATEGY_MARKERS[st].symbol} ${st}`).join('  ') });
    }
  });
  return guides;
}

/**
 * The power-tuning chart: memory sizes on x, average duration (ms, left axis, solid) and cost per
 * invocation (USD, right axis, dashed) per group, and each strategy's recommended size marked.
 */
export function tuningChart(groups) {
  const sizes = [...new Set(groups.flatMap((g) => g.points.map((p) => p.value)))].sort((a, b) => a - b);
  const datasets = [];
  groups.forEach((group, gi) => {
    const c = color(gi);
    const at = (key) => sizes.map((size) => group.points.find((p) => p.value === size)?.[key] ?? null);
    datasets.push({ type: 'line', label: `${group.label}: duration`, data: at('averageDuration'), yAxisID: 'duration',
      borderColor: c, backgroundColor: c, borderWidth: 2.5, pointRadius: 4, spanGaps: true, pointStyle: 'circle' });
    datasets.push({ type: 'line', label: `${group.label}: cost`, data: at('averagePrice'), yAxisID: 'cost',
      borderColor: c, backgroundColor: '#fff', borderDash: [6, 4], borderWidth: 2, pointRadius: 4, spanGaps: true, pointStyle: 'rect' });
    if (group.points.length < 2) return;  // one size: nothing to recommend
    for (const [strategy, marker] of Object.entries(STRATEGY_MARKERS)) {
      const best = group.recommended[strategy];
      if (!best) continue;
      // The cheapest is marked on the cost curve, the others on the duration curve.
      const onCost = strategy === 'cost';
      datasets.push({ type: 'line', label: `recommended: ${marker.label}`, strategyMarker: strategy, groupIndex: gi,
        data: sizes.map((size) => (size === best.value ? (onCost ? best.averagePrice : best.averageDuration) : null)),
        yAxisID: onCost ? 'cost' : 'duration', showLine: false,
        pointStyle: marker.pointStyle, pointRadius: strategy === 'balanced' ? 9 : 11, pointHoverRadius: 13,
        borderColor: strategy === 'cost' ? c : '#111827', borderWidth: strategy === 'cost' ? 3 : 1.5,
        backgroundColor: withAlpha(c, 0.85) });
    }
  });
  return {
    type: 'line',
    data: { labels: sizes.map(String), datasets },
    options: {
      layout: { padding: { top: 6 + 16 * Math.min(groups.filter((g) => g.points.length > 1).length, 3) } },
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { title: axisTitle('Memory size (MB)') },
        duration: { type: 'linear', position: 'left', beginAtZero: true, title: axisTitle('Average duration (ms)'),
          ticks: { callback: (v) => formatNumber(v) } },
        cost: { type: 'linear', position: 'right', beginAtZero: true, title: axisTitle('Cost per invocation (USD)'),
          grid: { drawOnChartArea: false }, ticks: { callback: (v) => usd(v, 2) } },
      },
      plugins: {
        recommendationGuides: { guides: guidesFor(groups, sizes) },
        legend: {
          position: 'bottom',
          labels: {
            // One legend entry per strategy marker, not one per group.
            filter: (item, data) => {
              const d = data.datasets[item.datasetIndex];
              return !d.strategyMarker || d.groupIndex === data.datasets.find((x) => x.strategyMarker === d.strategyMarker).groupIndex;
            },
          },
        },
        tooltip: {
          callbacks: {
            title: (items) => `${items[0].label} MB`,
            label: (item) => {
              const d = item.dataset;
              if (d.yAxisID === 'cost') return `${d.label}: ${usd(item.parsed.y)}`;
              if (d.strategyMarker) return `${groups[d.groupIndex].label}: ${d.label}`;
              return `${d.label}: ${ms(item.parsed.y)}`;
            },
          },
        },
      },
    },
  };
}

/** Overlaid histograms (as % of each series' invocations) over shared bins. */
export function histogramChart(hist, labels, unitTitle) {
  const binLabels = hist.edges.slice(0, -1).map((lo, i) => binLabel(lo, hist.edges[i + 1]));
  return {
    type: 'bar',
    data: {
      labels: binLabels,
      datasets: hist.series.map((series, i) => ({
        label: `${labels[i]} (n=${series.total})`,
        data: series.fractions.map((f) => 100 * f),
        backgroundColor: withAlpha(color(i), 0.55),
        borderColor: color(i),
        borderWidth: 1,
        grouped: hist.series.length <= 3,
        barPercentage: 1,
        categoryPercentage: 0.95,
      })),
    },
    options: {
      scales: {
        x: { title: axisTitle(unitTitle), ticks: { maxRotation: 0, autoSkipPadding: 8 } },
        y: { beginAtZero: true, title: axisTitle('Share of invocations (%)'), ticks: { callback: (v) => `${v}%` } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            title: (items) => {
              const i = items[0].dataIndex;
              return `${formatNumber(hist.edges[i])} – ${formatNumber(hist.edges[i + 1])} ms`;
            },
            label: (item) => `${item.dataset.label}: ${item.parsed.y.toFixed(1)}% (${hist.series[item.datasetIndex].counts[item.dataIndex]})`,
          },
        },
      },
    },
  };
}

/** Horizontal bars, one per variant, with their values written at the ends. */
export function barChart(labels, values, { title, format, colors }) {
  return {
    type: 'bar',
    data: { labels, datasets: [{ label: title, data: values, backgroundColor: colors ?? labels.map((_, i) => color(i)) }] },
    options: {
      indexAxis: 'y',
      layout: { padding: { right: 70 } },
      scales: { x: { beginAtZero: true, title: axisTitle(title), ticks: { maxTicksLimit: 6, maxRotation: 0, callback: (v) => format(v) } }, y: { ticks: { autoSkip: false } } },
      plugins: { legend: { display: false }, barValues: { format }, tooltip: { callbacks: { label: (item) => format(item.parsed.x) } } },
    },
  };
}

/** Stacked horizontal bars: one bar per variant, one stack per phase. */
export function stackedPhaseChart(labels, phases) {
  return {
    type: 'bar',
    data: {
      labels,
      datasets: phases.map((p) => ({ label: p.label, data: p.values, backgroundColor: PHASE_COLORS[p.kind], stack: 'init' })),
    },
    options: {
      indexAxis: 'y',
      layout: { padding: { right: 70 } },
      scales: {
        x: { stacked: true, beginAtZero: true, title: axisTitle('Mean time per cold start (ms)'), ticks: { callback: (v) => formatNumber(v) } },
        y: { stacked: true, ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { position: 'bottom' },
        barValues: { format: (v) => ms(v), stackedTotal: true },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${ms(item.parsed.x)}` } },
      },
    },
  };
}

/**
 * Counts per interval over time (seconds from each run's start): throttles and errors on the left
 * axis, and the invocations sent, thin, on the right one for context.
 */
export function overTimeChart(series, bucketMs) {
  const per = bucketMs >= 1000 ? `${formatNumber(bucketMs / 1000)} s` : `${bucketMs} ms`;
  return {
    type: 'line',
    data: {
      datasets: series.map((s) => ({
        label: s.kind === 'throttles' ? s.variantLabel : `${s.variantLabel} ${s.kind}`,
        kind: s.kind,
        variantLabel: s.variantLabel,
        variantIndex: s.variantIndex,
        data: s.points,
        yAxisID: s.axis ?? 'y',
        borderColor: s.axis === 'rate' ? withAlpha(s.color, 0.45) : s.color,
        backgroundColor: withAlpha(s.color, 0.12),
        borderDash: s.dashed ? [5, 4] : undefined,
        borderWidth: s.axis === 'rate' ? 1.25 : 2.25,
        pointRadius: 0,
        stepped: 'before',
        fill: false,
      })),
    },
    options: {
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', beginAtZero: true, title: axisTitle('Time since the run started (s)'), ticks: { callback: (v) => formatNumber(v) } },
        y: { beginAtZero: true, suggestedMax: 1, title: axisTitle(`Throttles and errors per ${per}`), ticks: { precision: 0 } },
        rate: { position: 'right', beginAtZero: true, title: axisTitle(`Invocations per ${per}`), grid: { drawOnChartArea: false }, ticks: { precision: 0 } },
      },
      plugins: {
        legend: {
          position: 'bottom',
          // One entry per variant; clicking it shows or hides its three lines together.
          labels: { filter: (item, data) => data.datasets[item.datasetIndex].kind === 'throttles', usePointStyle: false },
          onClick: (_event, item, legend) => {
            const chart = legend.chart;
            const index = chart.data.datasets[item.datasetIndex].variantIndex;
            const visible = chart.isDatasetVisible(item.datasetIndex);
            chart.data.datasets.forEach((d, i) => {
              if (d.variantIndex === index) chart.setDatasetVisibility(i, !visible);
            });
            chart.update();
          },
        },
        tooltip: { callbacks: { title: (items) => `+${formatNumber(items[0].parsed.x)} s`, label: (item) => `${item.dataset.variantLabel} ${item.dataset.kind}: ${item.parsed.y}` } },
      },
    },
  };
}
