// Builds what the e2e benchmark runs: the normal-worker with the same bundle.mjs flags as
// its `nx build` target, the migrate CLI and the driver, into tools/bench/e2e/.build, so an
// engineer rebuilding dist/ mid-run cannot swap the worker under the benchmark. With
// --dist the worker is dist/apps/normal-worker/main.js as built by nx instead.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const benchDir = path.resolve(here, '..');
export const root = path.resolve(benchDir, '../../..');
export const buildDir = path.join(benchDir, '.build');

function bundle(entry, name) {
  const out = path.join(buildDir, name);
  execFileSync(process.execPath, [path.join(root, 'tools/build/bundle.mjs'), '--entry', entry, '--outfile', path.relative(root, out)], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return out;
}

export function buildAll({ useDist }) {
  let worker;
  if (useDist) {
    worker = path.join(root, 'dist/apps/normal-worker/main.js');
    if (!existsSync(worker)) throw new Error(`${worker} is missing: build it first (npx nx run-many -t build)`);
  } else {
    worker = bundle('apps/normal-worker/src/main.ts', 'normal-worker.js');
  }
  return {
    worker,
    driver: bundle('tools/bench/e2e/driver/driver.ts', 'driver.js'),
    migrate: bundle('libs/data-access/src/cli/migrate.ts', 'migrate.js'),
  };
}
