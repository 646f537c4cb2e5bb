// deps-fat / deps-slim: the dependency-size experiment (the workshop's "Dependency Management" module). The
// handler is the same in both; only the dependency tree it loads at init differs: node_modules/bundle,
// generated at build time by workloads/deps/generate.mjs (about 50 MB for deps-fat, 1 MB for deps-slim).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const loadStarted = performance.now();
const bundle = require('bundle');  // parses and runs every generated module, so INIT takes real time
const loadMs = performance.now() - loadStarted;

export const handler = async (event) => ({
  modules: bundle.modules.length,
  bytes: bundle.bytes,
  load_ms: loadMs,
  // Calls into every module: the dependencies are really loaded, and the answer is deterministic.
  checksum: bundle.checksum(Number.isInteger(event.seed) ? event.seed : 1),
});
