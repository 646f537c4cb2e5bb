// Bundles the web UI with esbuild: src/main.js (and the CSS it imports) into assets/ with content
// hashes in their names (the emulator serves them as immutable), index.html pointing at them, and
// the files of src/public as they are. Only reads node_modules: works offline after `npm ci`.
//
//   node build.mjs [--outdir DIR] [--watch]     (default DIR: dist)
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--outdir');
const outdir = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(here, 'dist'));
const watch = args.includes('--watch');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('web-ui: esbuild is not installed: run `npm ci` in web-ui (scripts/install-deps.sh does)');
  process.exit(1);
}

const options = {
  absWorkingDir: here,
  entryPoints: { app: 'src/main.js' },
  bundle: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  minify: !watch,
  sourcemap: watch ? 'linked' : false,
  legalComments: 'linked',
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  write: true,
  logLevel: 'warning',
};

// Writes into a fresh directory next to the output, then swaps it in, so a running emulator never
// serves a half-written UI.
async function build() {
  const staging = `${outdir}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await esbuild.build({ ...options, outdir: path.join(staging, 'assets') });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.resolve(here, file));
  const find = (ext) => outputs.find((file) => file.endsWith(ext) && path.basename(file).startsWith('app-'));
  const js = find('.js');
  const css = find('.css');
  const template = await readFile(path.join(here, 'src', 'index.html'), 'utf8');
  const html = template
    .replace('{{APP_JS}}', `/assets/${path.basename(js)}`)
    .replace('{{APP_CSS}}', `/assets/${path.basename(css)}`);
  await writeFile(path.join(staging, 'index.html'), html);
  const publicDir = path.join(here, 'src', 'public');
  for (const name of await readdir(publicDir)) await copyFile(path.join(publicDir, name), path.join(staging, name));

  await rm(outdir, { recursive: true, force: true });
  await mkdir(path.dirname(outdir), { recursive: true });
  await rename(staging, outdir);
  const size = async (file) => (await stat(path.join(outdir, 'assets', path.basename(file)))).size;
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`web-ui: ${outdir}: ${path.basename(js)} ${kb(await size(js))}, ${path.basename(css)} ${kb(await size(css))}`);
}

if (watch) {
  // Rebuilds on every change under src/ (a simple poll-free loop over fs.watch).
  const { watch: watchDir } = await import('node:fs');
  await build();
  let pending = null;
  watchDir(path.join(here, 'src'), { recursive: true }, () => {
    clearTimeout(pending);
    pending = setTimeout(() => build().catch((error) => console.error(error.message)), 100);
  });
  console.log('web-ui: watching src/ (Ctrl-C to stop)');
} else {
  try {
    await build();
  } catch (error) {
    console.error(`web-ui: build failed: ${error.message}`);
    process.exit(1);
  }
}
