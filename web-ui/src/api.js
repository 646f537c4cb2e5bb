// The emulator's HTTP APIs as the pages use them: the JSON API under /api/ (docs/api.md) and the
// real Lambda Invoke API.
import { decodeLogResult, parseReport, reportLine } from './lib/report.js';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export async function getJSON(path, { signal } = {}) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, signal });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { message: text.slice(0, 200) };
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export const api = {
  emulator: () => getJSON('/api/emulator'),
  functions: () => getJSON('/api/functions'),
  func: (name, limit = 25) => getJSON(`/api/functions/${encodeURIComponent(name)}?limit=${limit}`),
  logs: (name, limit = 10) => getJSON(`/api/functions/${encodeURIComponent(name)}/logs?limit=${limit}`),
  runs: (limit = 200) => getJSON(`/api/runs?limit=${limit}`),
  run: (id, stats = true) => getJSON(`/api/runs/${id}${stats ? '' : '?stats=false'}`),
  series: (run, variant) => getJSON(`/api/series?run=${run}&variant=${encodeURIComponent(variant)}`),
  timeline: (params) => getJSON(`/api/timeline?${new URLSearchParams(params)}`),
};

/**
 * Invokes a function through the real Invoke API, asking for the log tail as the AWS CLI's
 * --log-type Tail does. Returns { status, ok, functionError, requestId, executedVersion, body,
 * json, log, report, elapsedMs }.
 */
export async function invoke(name, payload, invocationType = 'RequestResponse') {
  const started = performance.now();
  const response = await fetch(`/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Amz-Log-Type': 'Tail', 'X-Amz-Invocation-Type': invocationType },
    body: payload,
  });
  const body = await response.text();
  const elapsedMs = performance.now() - started;
  let json = null;
  try {
    json = body ? JSON.parse(body) : null;
  } catch {
    json = null;
  }
  const log = decodeLogResult(response.headers.get('X-Amz-Log-Result'));
  return {
    status: response.status,
    ok: response.ok && !response.headers.get('X-Amz-Function-Error'),
    functionError: response.headers.get('X-Amz-Function-Error'),
    errorType: response.headers.get('X-Amzn-ErrorType'),
    requestId: response.headers.get('X-Amzn-RequestId'),
    executedVersion: response.headers.get('X-Amz-Executed-Version'),
    body,
    json,
    log,
    report: parseReport(reportLine(log)),
    elapsedMs,
  };
}
