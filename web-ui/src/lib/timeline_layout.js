// Lays out a sandbox timeline (GET /api/timeline) as rows of segments, without drawing anything:
// one row per sandbox with its invocations as bars (the cold starts' phases inside the first bar),
// the idle and frozen gaps between them, and how it ended; throttled invocations (no sandbox) on a
// row of their own.

export const PHASES = [
  { key: 'bootMs', kind: 'boot', label: 'Sandbox boot' },
  { key: 'downloadMs', kind: 'download', label: 'Code download' },
  { key: 'vpcMs', kind: 'vpc', label: 'VPC set-up' },
  { key: 'runtimeStartMs', kind: 'runtimeStart', label: 'Runtime start' },
  { key: 'functionInitMs', kind: 'functionInit', label: 'Function init' },
];

/**
 * The phases of a cold start, laid end to end from its start: [{ kind, label, from, to, ms }].
 * Without a runtime-start figure the whole Init Duration counts as function init.
 */
export function coldPhases(inv) {
  if (!inv.cold) return [];
  const phases = [];
  let at = inv.startMs;
  for (const phase of PHASES) {
    let ms = inv[phase.key];
    if (phase.kind === 'functionInit' && (ms === null || ms === undefined) && inv.runtimeStartMs == null) ms = inv.initMs;
    if (typeof ms !== 'number' || !(ms > 0)) continue;
    const to = Math.min(at + ms, inv.endMs);
    phases.push({ kind: phase.kind, label: phase.label, from: at, to, ms });
    at = to;
  }
  return phases;
}

/** The gap between two moments on a sandbox: idle (warm) for `freezeDelayMs`, then frozen. */
export function gapSegments(from, to, freezeDelayMs) {
  if (!(to > from)) return [];
  const thaw = Math.min(to, from + Math.max(0, freezeDelayMs || 0));
  const out = [];
  if (thaw > from) out.push({ type: 'gap', kind: 'idle', from, to: thaw });
  if (to > thaw) out.push({ type: 'gap', kind: 'frozen', from: thaw, to });
  return out;
}

/**
 * { from, to, rows: [{ id, sandbox, invocations, segments, start, end, ended, endReason, live, state }],
 *   throttled: [invocation], stats: { sandboxes, invocations, coldStarts, reclaimed } }
 */
export function layoutTimeline(data) {
  const now = data.nowMs ?? Date.now();
  const freezeDelay = data.freezeDelayMs ?? 0;
  const byId = new Map();
  for (const s of data.sandboxes || []) byId.set(s.id, { sandbox: s, invocations: [] });
  const throttled = [];
  for (const inv of data.invocations || []) {
    if (!inv.sandboxId) {
      throttled.push(inv);
      continue;
    }
    if (!byId.has(inv.sandboxId)) {
      // Its sandbox row is not in the store yet (written a moment later) or fell outside the limit.
      byId.set(inv.sandboxId, { sandbox: { id: inv.sandboxId, function: inv.function, memoryMb: inv.memoryMb, createdAtMs: inv.startMs, endedAtMs: null, endReason: null, live: false, unknown: true }, invocations: [] });
    }
    byId.get(inv.sandboxId).invocations.push(inv);
  }

  // The view fits the sandboxes and invocations; the requested window matters only when it is empty.
  let from = Infinity;
  let to = -Infinity;
  const rows = [];
  let coldStarts = 0;
  let reclaimed = 0;
  for (const { sandbox, invocations } of byId.values()) {
    invocations.sort((a, b) => a.startMs - b.startMs || a.id - b.id);
    const start = Math.min(sandbox.createdAtMs, invocations.length ? invocations[0].startMs : Infinity);
    const lastEnd = invocations.reduce((m, inv) => Math.max(m, inv.endMs), start);
    const ended = sandbox.endedAtMs ?? null;
    // Alive: up to now while it lives; otherwise up to its end, or its last invocation if unknown.
    const end = ended ?? (sandbox.live ? Math.max(now, lastEnd) : lastEnd);
    const segments = [];
    let cursor = start;
    for (const inv of invocations) {
      if (inv.startMs > cursor) segments.push(...gapSegments(cursor, inv.startMs, freezeDelay));
      const phases = coldPhases(inv);
      if (inv.cold) coldStarts++;
      segments.push({ type: 'invocation', from: inv.startMs, to: Math.max(inv.endMs, inv.startMs), inv, phases });
      cursor = Math.max(cursor, inv.endMs);
    }
    if (end > cursor) segments.push(...gapSegments(cursor, end, freezeDelay));
    if (ended !== null && sandbox.endReason === 'idle') reclaimed++;
    rows.push({ id: sandbox.id, sandbox, invocations, segments, start, end, ended, endReason: sandbox.endReason ?? null, live: !!sandbox.live, state: sandbox.state ?? null });
    from = Math.min(from, start);
    to = Math.max(to, end);
  }
  for (const inv of throttled) {
    from = Math.min(from, inv.startMs);
    to = Math.max(to, inv.endMs);
  }
  rows.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  if (!Number.isFinite(from) || !Number.isFinite(to)) {
    from = data.from ?? now - 60000;
    to = data.to ?? now;
  }
  if (to <= from) to = from + 1;
  return {
    from, to, rows, throttled,
    stats: { sandboxes: rows.length, invocations: (data.invocations || []).length, coldStarts, reclaimed, throttles: throttled.length },
  };
}

/** Tick marks for a time axis over [from, to] (epoch ms): about `target` ticks at a round step. */
export function timeTicks(from, to, target = 8) {
  const span = to - from;
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 900000, 1800000, 3600000, 7200000, 21600000, 86400000];
  const step = steps.find((s) => span / s <= target) ?? steps[steps.length - 1];
  const ticks = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return { step, ticks };
}
