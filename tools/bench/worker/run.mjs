#!/usr/bin/env node
// `node tools/bench/worker/run.mjs [--runs N] [--cancels N] [--heartbeat-ms N]`: timing of
// the script executor and of cancellation through the worker loop (see bench.ts). The last
// line is the summary.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, cancels: { type: 'string', default: '5' }, 'heartbeat-ms': { type: 'string', default: '2000' } },
});
const out = path.join(here, '.build/bench.js');
// Rebuilt every run: it must measure the code as it is in the tree now.
execFileSync(process.execPath, [path.join(root, 'tools/build/bundle.mjs'), '--entry', 'tools/bench/worker/bench.ts', '--outfile', path.relative(root, out)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const spec = { runs: Number(values.runs), cancels: Number(values.cancels), heartbeatMs: Number(values['heartbeat-ms']) };
execFileSync(process.execPath, ['--enable-source-maps', out, JSON.stringify(spec)], { cwd: root, stdio: 'inherit' });
