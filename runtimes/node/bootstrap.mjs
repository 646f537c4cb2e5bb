// lambdalab Node.js runtime: a stdlib-only AWS Lambda Runtime API client.
//
// Started by the emulator as `node bootstrap.mjs` with cwd = LAMBDA_TASK_ROOT and
// the Lambda environment. Mirrors aws-lambda-nodejs-runtime-interface-client (the
// official Node RIC): handler loading, error shapes, context, TEXT log format.

import { Agent, request } from 'node:http';
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { format, types } from 'node:util';
import path from 'node:path';

const API_PREFIX = '/2018-06-01/runtime';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';
const RETRYABLE_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE']);
const NODEJS_EXIT_MESSAGE =
  'The Lambda runtime client detected an unexpected Node.js exit code. This is most ' +
  'commonly caused by a Promise that was never settled. For more information, see ' +
  'https://nodejs.org/docs/latest/api/process.html#exit-codes';

// Before the first invoke this stays undefined, and log lines say "undefined",
// exactly like the official runtime's init-phase logs.
let currentRequestId;
// The invocation waiting for its handler to finish (see Invocation).
let currentInvocation = null;

// ----------------------------------------------------------------------- errors

// The official runtime's Runtime.* error classes: the name is on the prototype so
// the stack's first line reads "Runtime.X: message".
const RUNTIME_ERRORS = Object.fromEntries(
  [
    'HandlerNotFound',
    'ImportModuleError',
    'JSONStringifyError',
    'MalformedHandlerName',
    'NodeJsExit',
    'UnhandledPromiseRejection',
    'UserCodeSyntaxError',
  ].map((name) => {
    const RuntimeError = class extends Error {};
    RuntimeError.prototype.name = `Runtime.${name}`;
    return [name, RuntimeError];
  }),
);

function runtimeError(name, message, stack) {
  const error = new RUNTIME_ERRORS[name](message);
  if (stack !== undefined) error.stack = stack;
  return error;
}

// The body the official runtime posts to /error and /init/error (src/utils/error.ts).
function formatError(error) {
  try {
    if (error instanceof Error || types.isNativeError(error)) {
      return {
        errorType: error.name?.replaceAll('\x7F', '%7F'),
        errorMessage: error.message?.replaceAll('\x7F', '%7F'),
        trace: error.stack?.replaceAll('\x7F', '%7F').split('\n') || [],
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

// The JSON the official runtime appends to "Invoke Error" and similar log records.
function toFormatted(error) {
  const withProperties = (_key, value) => {
    if (!(value instanceof Error)) return value;
    const copy = { errorType: value.name, errorMessage: value.message, code: value.code, ...value };
    if (typeof value.stack === 'string') copy.stack = value.stack.split('\n');
    return copy;
  };
  try {
    return '\t' + JSON.stringify(error, withProperties);
  } catch {
    return '\t' + JSON.stringify(formatError(error));
  }
}

function logError(label, error) {
  console.error(label, toFormatted(error instanceof Error ? error : new Error(String(error))));
}

// ---------------------------------------------------------------------- logging

const LOG_LEVELS = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
const pipeFullWait = new Int32Array(new SharedArrayBuffer(4));

// Synchronous, so every line is in the pipe before the result is posted. fd 1 may
// have been made non-blocking by Node's own process.stdout; wait out EAGAIN.
function writeStdout(text) {
  const buffer = Buffer.from(text);
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(1, buffer, offset);
    } catch (e) {
      if (e.code !== 'EAGAIN') return; // stdout is gone; logging must not kill the invoke
      Atomics.wait(pipeFullWait, 0, 0, 1);
    }
  }
}

// TEXT format of the official runtime: newlines become \r so one call is one record.
function writeLog(level, message, ...params) {
  const line = `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(message, ...params)}`;
  writeStdout(line.replace(/\n/g, '\r') + '\n');
}

function patchConsole() {
  const threshold = LOG_LEVELS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()] ?? LOG_LEVELS.TRACE;
  const logger = (level) =>
    LOG_LEVELS[level] >= threshold ? (message, ...params) => writeLog(level, message, ...params) : () => {};
  console.trace = logger('TRACE');
  console.debug = logger('DEBUG');
  console.info = logger('INFO');
  console.log = console.info;
  console.warn = logger('WARN');
  console.error = logger('ERROR');
  console.fatal = (message, ...params) => writeLog('FATAL', message, ...params);
}

// ------------------------------------------------------------------------- HTTP

const [apiHost, apiPort] = (process.env.AWS_LAMBDA_RUNTIME_API ?? '').split(':');
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function sendOnce(method, urlPath, body, headers) {
  return new Promise((resolve, reject) => {
    const req = request({ host: apiHost, port: apiPort, method, path: urlPath, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
    req.end(body);
  });
}

// A kept-alive socket the server closed while idle fails on reuse; retry once.
async function send(method, urlPath, body, headers = {}) {
  try {
    return await sendOnce(method, urlPath, body, headers);
  } catch (error) {
    if (!error.reusedSocket || !RETRYABLE_SOCKET_ERRORS.has(error.code)) throw error;
    return sendOnce(method, urlPath, body, headers);
  }
}

async function post(urlPath, body, errorType) {
  const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
  // Header values must be printable; error names need not be.
  if (errorType) headers[ERROR_TYPE_HEADER] = String(errorType).replace(/[^\x20-\x7e]/g, '?');
  const res = await send('POST', API_PREFIX + urlPath, body, headers);
  if (res.status < 200 || res.status > 299) {
    // The Runtime API owns the invoke's fate (e.g. 413); carry on with /next.
    process.stderr.write(`lambdalab runtime: POST ${urlPath} returned ${res.status}: ${res.body.subarray(0, 200)}\n`);
  }
}

async function nextInvocation(headers = {}) {
  const res = await send('GET', API_PREFIX + '/invocation/next', undefined, headers);
  if (res.status !== 200) throw new Error(`/invocation/next returned ${res.status}: ${res.body.subarray(0, 200)}`);
  if (!res.headers['lambda-runtime-aws-request-id']) throw new Error('/invocation/next returned no request id');
  return res;
}

function postInitError(error) {
  const response = formatError(error);
  return post('/init/error', JSON.stringify(response), response.errorType);
}

function postInvocationError(requestId, error) {
  const response = formatError(error);
  return post(`/invocation/${encodeURIComponent(requestId)}/error`, JSON.stringify(response), response.errorType);
}

// --------------------------------------------------------------- handler load

// Mirrors src/UserFunction.js: `[dir/]module.path.to.fn`, module resolved as an
// extensionless file, .js (CommonJS or ESM by the nearest package.json), .mjs,
// .cjs, then as a package via require.resolve from the task root.
async function loadHandler(taskRoot, handlerString) {
  if (handlerString.includes('..')) {
    throw runtimeError(
      'MalformedHandlerName',
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const base = path.basename(handlerString);
  const moduleRoot = handlerString.substring(0, handlerString.indexOf(base));
  const match = base.match(/^([^.]*)\.(.*)$/);
  if (!match) throw runtimeError('MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = match;

  const userModule = await loadModule(taskRoot, moduleRoot, moduleName);
  const handler = findIn(userModule, handlerPath) ?? findIn(userModule?.default, handlerPath);
  if (!handler) throw runtimeError('HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw runtimeError('HandlerNotFound', `${handlerString} is not a function`);
  return handler;
}

function findIn(object, dottedPath) {
  return dottedPath.split('.').reduce((nested, key) => nested?.[key], object);
}

async function loadModule(taskRoot, moduleRoot, moduleName) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const file = path.resolve(taskRoot, moduleRoot, moduleName);
  try {
    if (existsSync(file)) return require(file);
    const isEsm = nearestPackageIsModule(path.dirname(file));
    if (existsSync(file + '.js')) return isEsm ? await importFile(file + '.js') : require(file + '.js');
    if (existsSync(file + '.mjs')) return await importFile(file + '.mjs');
    if (existsSync(file + '.cjs')) return require(file + '.cjs');
    return require(require.resolve(moduleName, { paths: [taskRoot, path.join(taskRoot, moduleRoot)] }));
  } catch (error) {
    if (error instanceof SyntaxError) throw runtimeError('UserCodeSyntaxError', String(error), error.stack);
    if (error?.code === 'MODULE_NOT_FOUND') throw runtimeError('ImportModuleError', String(error));
    throw error;
  }
}

async function importFile(file) {
  const { pathToFileURL } = await import('node:url');
  return import(pathToFileURL(file).href);
}

// As the official runtime: walk up to the first package.json; stop at node_modules or /.
function nearestPackageIsModule(folder) {
  if (folder.endsWith('/node_modules')) return false;
  const packageJson = path.join(folder, 'package.json');
  if (existsSync(packageJson)) {
    try {
      return JSON.parse(readFileSync(packageJson, 'utf8'))?.type === 'module';
    } catch (error) {
      console.warn(`${packageJson} cannot be read, it will be ignored for ES module detection purposes.`, error);
      return false;
    }
  }
  return folder === '/' ? false : nearestPackageIsModule(path.resolve(folder, '..'));
}

// ---------------------------------------------------------------------- context

function parseJsonHeader(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new Error(`Cannot parse ${name} as json: ${error.toString()}`);
  }
}

function buildContext(headers, invocation) {
  const env = process.env;
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  return {
    get callbackWaitsForEmptyEventLoop() {
      return invocation.waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      invocation.waitForEmptyEventLoop = value;
    },
    succeed: (result) => invocation.complete(null, result),
    fail: (error) => invocation.complete(error ?? 'handled'),
    done: (error, result) => invocation.complete(error, result),
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJsonHeader(headers['lambda-runtime-client-context'], 'ClientContext'),
    identity: parseJsonHeader(headers['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    tenantId: headers['lambda-runtime-aws-tenant-id'],
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

// -------------------------------------------------------------------- invoking

// One invoke of the handler. `done` resolves with {error} or {result}. As in the
// official runtime only the first of callback, context.done/succeed/fail and the
// returned promise counts; callback(null, x) answers once the event loop is empty
// unless callbackWaitsForEmptyEventLoop is false; a handler that never answers
// gets null (or Runtime.NodeJsExit if it returned a promise) when the loop empties.
class Invocation {
  constructor() {
    this.waitForEmptyEventLoop = true;
    this.returnedPromise = false;
    this.claimed = false;
    this.settled = false;
    this.pendingResult = null;
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  complete(error, result) {
    if (this.claim()) this.settle(error, result);
  }

  callback(error, result) {
    if (!this.claim()) return;
    if (isError(error) || !this.waitForEmptyEventLoop) this.settle(error, result);
    else this.pendingResult = { result };
  }

  onEmptyEventLoop() {
    if (this.settled) return;
    if (this.pendingResult) this.settle(null, this.pendingResult.result);
    else if (this.returnedPromise) this.settle(runtimeError('NodeJsExit', NODEJS_EXIT_MESSAGE));
    else this.settle(null, null);
  }

  claim() {
    const first = !this.claimed;
    this.claimed = true;
    return first;
  }

  settle(error, result) {
    this.settled = true;
    this.resolve(isError(error) ? { error } : { result });
  }
}

function isError(error) {
  return error !== undefined && error !== null;
}

function runHandler(handler, res) {
  const invocation = new Invocation();
  try {
    const context = buildContext(res.headers, invocation);
    const body = res.body.toString('utf8');
    const event = body === '' ? {} : JSON.parse(body); // real Lambda turns an empty payload into {}
    const returned = handler(event, context, (error, result) => invocation.callback(error, result));
    if (typeof returned?.then === 'function') {
      invocation.returnedPromise = true;
      returned.then(
        (result) => invocation.complete(null, result),
        (error) => invocation.complete(error ?? 'handled'),
      );
    } else if (returned !== undefined && handler.length < 3) {
      invocation.complete(null, returned);
    }
  } catch (error) {
    invocation.complete(error ?? 'handled');
  }
  return invocation;
}

function serialize(result) {
  try {
    return JSON.stringify(result === undefined ? null : result) ?? 'null';
  } catch {
    throw runtimeError('JSONStringifyError', 'Unable to stringify response body');
  }
}

async function report(requestId, outcome) {
  let error = outcome.error;
  if (!('error' in outcome)) {
    try {
      const body = serialize(outcome.result);
      return await post(`/invocation/${encodeURIComponent(requestId)}/response`, body);
    } catch (serializeError) {
      if (!(serializeError instanceof RUNTIME_ERRORS.JSONStringifyError)) throw serializeError;
      error = serializeError;
    }
  }
  logError('Invoke Error', error);
  await postInvocationError(requestId, error);
}

function setInvokeEnvironment(headers) {
  currentRequestId = headers['lambda-runtime-aws-request-id'];
  const traceId = headers['lambda-runtime-trace-id'];
  if (traceId) process.env._X_AMZN_TRACE_ID = traceId;
  else delete process.env._X_AMZN_TRACE_ID;
}

async function runLoop(handler, initStartMs) {
  // lambdalab splits INIT into runtime start and function init at initStartMs (sent on the first /next).
  let first = { 'Lambdalab-Init-Start-Ms': String(initStartMs) };
  for (;;) {
    const res = await nextInvocation(first);
    first = {};
    setInvokeEnvironment(res.headers);
    currentInvocation = runHandler(handler, res);
    const outcome = await currentInvocation.done;
    currentInvocation = null;
    await report(currentRequestId, outcome);
  }
}

// ------------------------------------------------------------------------ main

// An error that escapes the handler (or init) fails the invoke and ends the
// process, as in the official runtime (exit 129 / 128).
function installProcessHandlers() {
  const fail = async (label, error, exitCode) => {
    logError(label, error);
    try {
      if (currentRequestId === undefined) await postInitError(error);
      else await postInvocationError(currentRequestId, error);
    } finally {
      process.exit(exitCode);
    }
  };
  process.on('uncaughtException', (error) => fail('Uncaught Exception', error, 129));
  process.on('unhandledRejection', (reason) =>
    fail('Unhandled Promise Rejection', runtimeError('UnhandledPromiseRejection', String(reason)), 128),
  );
  process.on('beforeExit', () => currentInvocation?.onEmptyEventLoop());
}

async function main() {
  if (!apiHost || !apiPort) {
    process.stderr.write('lambdalab runtime: AWS_LAMBDA_RUNTIME_API is not set\n');
    process.exit(1);
  }
  patchConsole();
  installProcessHandlers();
  let handler;
  const initStartMs = Date.now();
  try {
    handler = await loadHandler(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), process.env._HANDLER ?? '');
  } catch (error) {
    logError('Init Error', error);
    await postInitError(error).catch((e) => process.stderr.write(`lambdalab runtime: cannot post init error: ${e}\n`));
    process.exit(1);
  }
  try {
    await runLoop(handler, initStartMs);
  } catch (error) {
    process.stderr.write(`lambdalab runtime: Runtime API failure: ${error.stack}\n`);
    process.exit(1);
  }
}

main();
