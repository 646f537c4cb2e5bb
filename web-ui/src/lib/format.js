// Formatting for tables, tooltips and axes: milliseconds, dollars, megabytes, times of day.
import { formatNumber } from './stats.js';

export function ms(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 10000) return `${(value / 1000).toFixed(1)} s`;
  return `${formatNumber(value)} ms`;
}

/** US dollars with enough significant digits for tiny per-invocation prices ($0.0000002083). */
export function usd(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value === 0) return '$0';
  if (Math.abs(value) >= 1) return `$${value.toFixed(2)}`;
  const decimals = Math.min(12, Math.max(2, digits - 1 - Math.floor(Math.log10(Math.abs(value)))));
  return `$${value.toFixed(decimals)}`;
}

export function mb(value) {
  return value === null || value === undefined ? 'n/a' : `${value} MB`;
}

export function count(value) {
  if (value === null || value === undefined) return 'n/a';
  return Number(value).toLocaleString('en-US');
}

export function percent(part, whole) {
  if (!whole) return 'n/a';
  return `${((100 * part) / whole).toFixed(part === whole || part === 0 ? 0 : 1)}%`;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** 14:03:07 (local), with .123 when `millis`. */
export function clock(epochMs, millis = false) {
  if (!epochMs) return 'n/a';
  const d = new Date(epochMs);
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return millis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

/** 2026-11-23 14:03 (local). */
export function dateTime(epochMs) {
  if (!epochMs) return 'n/a';
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A span of time: 850 ms, 12.3 s, 4 min 05 s, 2 h 10 min. */
export function span(msValue) {
  if (msValue === null || msValue === undefined || !Number.isFinite(msValue)) return 'n/a';
  if (msValue < 1000) return `${Math.round(msValue)} ms`;
  if (msValue < 60000) return `${(msValue / 1000).toFixed(1)} s`;
  if (msValue < 3600000) return `${Math.floor(msValue / 60000)} min ${pad(Math.floor((msValue % 60000) / 1000))} s`;
  return `${Math.floor(msValue / 3600000)} h ${pad(Math.floor((msValue % 3600000) / 60000))} min`;
}

/** "12 s ago", "3 min ago". */
export function ago(epochMs, now = Date.now()) {
  if (!epochMs) return 'never';
  const d = Math.max(0, now - epochMs);
  if (d < 1500) return 'just now';
  return `${span(d).replace(/ \d+ (s|min)$/, '')} ago`;
}

/** A relative offset on a time axis: +0 s, +1.5 s, +2 min. */
export function offset(msValue, step) {
  if (step >= 60000) return `+${formatNumber(msValue / 60000)} min`;
  if (step >= 1000) return `+${formatNumber(msValue / 1000)} s`;
  return `+${formatNumber(msValue)} ms`;
}

export function shortId(id) {
  return id ? id.slice(0, 8) : '';
}
