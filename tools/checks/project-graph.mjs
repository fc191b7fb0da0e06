#!/usr/bin/env node
// Checks the Nx project graph: the five apps and the libs exist, and nothing depends on an
// app (no app→app, no lib→app edges). Run by .ci/run; lint enforces the same per import.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'millrace-graph-'));
const file = path.join(dir, 'graph.json');
try {
  execFileSync('npx', ['nx', 'graph', `--file=${file}`], { stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' } });
  const { graph } = JSON.parse(readFileSync(file, 'utf8'));
  const type = Object.fromEntries(Object.entries(graph.nodes).map(([name, node]) => [name, node.type]));
  const apps = ['api-gateway', 'job-queue', 'agent-broker', 'normal-worker', 'agent-worker'];
  const problems = apps.filter((a) => type[a] !== 'app').map((a) => `app ${a} is missing`);
  for (const [source, deps] of Object.entries(graph.dependencies)) {
    for (const { target } of deps) if (type[target] === 'app') problems.push(`${source} (${type[source]}) depends on app ${target}`);
  }
  const libs = Object.keys(type).filter((n) => type[n] === 'lib').sort();
  if (problems.length) {
    console.error(`project graph: ${problems.join('; ')}`);
    process.exit(1);
  }
  console.log(`project graph: ${apps.length} apps, ${libs.length} libs (${libs.join(', ')}), no edge into an app`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
