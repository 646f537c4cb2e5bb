// Reading what the Invoke API answers with X-Amz-Log-Type: Tail: the base64 log tail in
// X-Amz-Log-Result and its REPORT line (tab-separated "Key: value unit" fields, as Lambda prints).

/** Decodes base64 (the header's value) into UTF-8 text; a cut multi-byte sequence becomes U+FFFD. */
export function decodeLogResult(base64) {
  if (!base64) return '';
  const binary = atob(base64.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** The last REPORT line of a log, or null. */
export function reportLine(log) {
  const lines = log.split('\n').filter((line) => line.startsWith('REPORT '));
  return lines.length ? lines[lines.length - 1] : null;
}

/**
 * The figures of a REPORT line: { requestId, fields: [{ key, value, unit }], durationMs, billedMs,
 * memorySizeMb, maxMemoryUsedMb, initMs } (missing ones null), or null if it is not one.
 */
export function parseReport(line) {
  if (!line || !line.startsWith('REPORT ')) return null;
  const out = { requestId: null, fields: [], durationMs: null, billedMs: null, memorySizeMb: null, maxMemoryUsedMb: null, initMs: null };
  for (const part of line.slice('REPORT '.length).split('\t')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const key = part.slice(0, colon).trim();
    const text = part.slice(colon + 1).trim();
    if (key === 'RequestId') {
      out.requestId = text;
      continue;
    }
    const match = /^(-?[\d.]+)\s*(\S*)$/.exec(text);
    const value = match ? Number(match[1]) : null;
    const unit = match ? match[2] : '';
    out.fields.push({ key, value: match ? value : text, unit });
    if (key === 'Duration') out.durationMs = value;
    else if (key === 'Billed Duration') out.billedMs = value;
    else if (key === 'Memory Size') out.memorySizeMb = value;
    else if (key === 'Max Memory Used') out.maxMemoryUsedMb = value;
    else if (key === 'Init Duration') out.initMs = value;
  }
  return out;
}
