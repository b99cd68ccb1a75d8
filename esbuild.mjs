// Bundles the extension, the emulator's node program and the extension-host test suite.
//   node esbuild.mjs               all targets, development build
//   node esbuild.mjs --production  minified extension (used by `npm run package`)
//   node esbuild.mjs --watch       rebuild the extension and the webview on change (F5 "Run Extension")
//   node esbuild.mjs --only=emulator|extension|tests|bench
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

// ssh2 (dockerode -> docker-modem, used by the extension-host tests' own Docker calls) loads two
// optional native addons inside try/catch and falls back to pure JS without them. They cannot be
// bundled, so leave the requires unresolved.
const optionalNative = ['cpu-features', './crypto/build/Release/sshcrypto.node'];

/** Problem-matcher friendly logging for `--watch` (the $esbuild-watch matcher). */
const watchLog = {
  name: 'watch-log',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((r) => {
      for (const e of r.errors) console.error(`✘ [ERROR] ${e.text}\n    ${e.location?.file}:${e.location?.line}:${e.location?.column}:`);
      console.log('[watch] build finished');
    });
  },
};

function listTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.ts')).map((f) => join(dir, String(f)));
}

const targets = {
  extension: {
    entryPoints: { extension: 'src/extension.ts', undici: 'src/api/undici.ts', create: 'src/workflows/createClusterBundle.ts', yaml: 'src/compose/yaml.ts' },
    outdir: 'dist',
    platform: 'node', format: 'cjs', target: 'node20',
    // dist/undici.js, dist/create.js and dist/yaml.js are loaded on first use (see those entry files).
    external: ['vscode', './undici.js', './create.js', './yaml.js'],
    minify: production, sourcemap: !production, sourcesContent: false,
  },
  webview: existsSync('src/webview/app/main.ts') && {
    entryPoints: ['src/webview/app/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser', format: 'iife', target: 'es2022',
    minify: production, sourcemap: !production, sourcesContent: false,
  },
  emulator: existsSync('emulator/src/main.ts') && {
    entryPoints: ['emulator/src/main.ts'],
    outfile: 'emulator/dist/main.js',
    // Debian bookworm's nodejs (18) runs it inside the emulator images.
    platform: 'node', format: 'cjs', target: 'node18',
    // mysql2 and pg have optional requires that are never reached in our use.
    external: ['pg-native', 'cloudflare:sockets'],
    sourcemap: false,
  },
  tests: listTests('test/vscode').length > 0 && {
    entryPoints: listTests('test/vscode'),
    outdir: 'dist-test/vscode', outbase: 'test/vscode',
    platform: 'node', format: 'cjs', target: 'node20', bundle: true,
    external: ['vscode', 'mocha', 'dockerode', ...optionalNative],
    sourcemap: true,
  },
  // The benchmark's extension-host side (npm run bench): bench/host/index.ts -> dist-bench/host/index.js
  bench: existsSync('bench/host/index.ts') && {
    entryPoints: ['bench/host/index.ts'],
    outfile: 'dist-bench/host/index.js',
    platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'],
    sourcemap: true,
  },
};

const selected = Object.entries(targets).filter(([name, opts]) => opts && (!only || only.split(',').includes(name)));
for (const [name, opts] of selected) {
  const options = { bundle: true, logLevel: watch ? 'silent' : 'warning', plugins: watch ? [watchLog] : [], ...opts };
  if (watch && (name === 'extension' || name === 'webview')) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  } else {
    await esbuild.build(options);
  }
}
