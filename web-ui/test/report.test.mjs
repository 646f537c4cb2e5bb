import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decodeLogResult, parseReport, reportLine } from '../src/lib/report.js';

const log = [
  'INIT_START Runtime Version: python:3.12.v1\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:x',
  'START RequestId: 4f1c Version: $LATEST',
  'héllo from the handler',
  'END RequestId: 4f1c',
  'REPORT RequestId: 4f1c\tDuration: 1.23 ms\tBilled Duration: 62 ms\tMemory Size: 128 MB\tMax Memory Used: 19 MB\tInit Duration: 60.12 ms\t',
  '',
].join('\n');

test('the log tail decodes from base64 as UTF-8', () => {
  const encoded = Buffer.from(log, 'utf8').toString('base64');
  assert.equal(decodeLogResult(encoded), log);
  assert.equal(decodeLogResult(null), '');
});

test('the REPORT line gives its figures', () => {
  const report = parseReport(reportLine(log));
  assert.equal(report.requestId, '4f1c');
  assert.equal(report.durationMs, 1.23);
  assert.equal(report.billedMs, 62);
  assert.equal(report.memorySizeMb, 128);
  assert.equal(report.maxMemoryUsedMb, 19);
  assert.equal(report.initMs, 60.12);
  assert.deepEqual(report.fields.map((f) => f.key), ['Duration', 'Billed Duration', 'Memory Size', 'Max Memory Used', 'Init Duration']);
  assert.equal(parseReport('START RequestId: x'), null);
  assert.equal(reportLine('no report here'), null);
  assert.equal(parseReport('REPORT RequestId: w\tDuration: 0.50 ms\tBilled Duration: 1 ms').initMs, null);
});
