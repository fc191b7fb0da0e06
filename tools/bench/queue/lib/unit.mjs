// Runs one driver in its own Node process and returns the result it reports. A process per
// unit keeps each system's pools, timers and JIT state away from the others'.
import { spawn } from 'node:child_process';

/**
 * @param {string} script   driver file (.mjs, or the bundled Millrace .js)
 * @param {object} spec     passed to the driver as one JSON argument
 * @param {{ timeoutMs: number, verbose: boolean, label: string }} opts
 */
export function runUnit(script, spec, { timeoutMs, verbose, label }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : []), '--enable-source-maps', script, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // graphile-worker formats a log line per successful job unless this is set, even when
      // the logger drops it.
      env: { ...process.env, NO_LOG_SUCCESS: '1' },
    });
    let stdout = '';
    const stderr = [];
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr.push(String(d));
      if (stderr.length > 200) stderr.shift();
      if (verbose) process.stderr.write(`[${label}] ${d}`);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label}: no result after ${timeoutMs} ms\n${stderr.join('').slice(-4000)}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('BENCH_RESULT '.length)));
      else reject(new Error(`${label}: driver exited with ${signal ?? code}\n${stderr.join('').slice(-4000)}`));
    });
  });
}
