/**
 * Runs a Node job (nodejs, or typescript already compiled to JavaScript): imports the
 * script (ES module or CommonJS — Node detects which), calls `main` with the arguments in
 * parameter order, awaits it and writes the JSON result to a file, not stdout. A failure
 * goes to the error file as {name, message, stack} and to the log.
 *
 * Parameter order: `argOrder` when given, else parsed from `main`'s own parameter list;
 * a destructured parameter cannot be named and receives undefined.
 *
 * argv: <script.js> <call.json> <result.json> <error.json>
 */
export const NODE_WRAPPER = String.raw`
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [scriptPath, callPath, resultPath, errorPath] = process.argv.slice(2);

// stderr writes go down stdout's pipe, so the log keeps the exact order of console.log and
// console.error; the result travels in a file, not on stdout.
process.stderr.write = process.stdout.write.bind(process.stdout);
const WRAPPER = fileURLToPath(import.meta.url);

class ResultNotSerializable extends Error {
  constructor(message) {
    super(message);
    this.name = 'ResultNotSerializable';
  }
}

function writeAtomically(path, text) {
  writeFileSync(path + '.tmp', text);
  renameSync(path + '.tmp', path);
}

function pickMain(mod) {
  if (typeof mod.main === 'function') return mod.main;
  const d = mod.default;
  if (d && typeof d.main === 'function') return d.main;
  if (typeof d === 'function') return d;
  return undefined;
}

// Splits the text of a parameter list at top-level commas, skipping strings and comments.
function splitParams(src, start) {
  const parts = [];
  let depth = 0, cur = '', i = start;
  for (; i < src.length; i++) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') { const e = src.indexOf('\n', i); i = e < 0 ? src.length : e; continue; }
    if (c === '/' && src[i + 1] === '*') { const e = src.indexOf('*/', i + 2); i = e < 0 ? src.length : e + 1; continue; }
    if (c === '"' || c === "'" || c === '\x60') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      cur += src.slice(i, j + 1); i = j; continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) break;
      depth--;
    }
    if (c === ',' && depth === 0) { parts.push(cur); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim()) parts.push(cur);
  return parts;
}

function paramNames(fn) {
  const src = Function.prototype.toString.call(fn);
  const bare = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (bare) return [bare[1]];
  const open = src.indexOf('(');
  if (open < 0) return [];
  return splitParams(src, open + 1).map((p) => {
    const m = /^\s*(?:\.\.\.)?\s*([A-Za-z_$][\w$]*)/.exec(p);
    return m ? m[1] : null;
  });
}

function userStack(err) {
  if (!(err instanceof Error) || typeof err.stack !== 'string') return undefined;
  const lines = err.stack.split('\n').filter((l) => !l.includes(WRAPPER) && !l.includes('node:internal'));
  return lines.slice(0, 40).join('\n');
}

try {
  const { args, argOrder } = JSON.parse(readFileSync(callPath, 'utf8'));
  const mod = await import(pathToFileURL(scriptPath).href);
  const main = pickMain(mod);
  if (!main) throw new ReferenceError('the script exports no main function');
  const order = Array.isArray(argOrder) ? argOrder : paramNames(main);
  const result = await main(...order.map((name) => (name === null ? undefined : args[name])));
  let text;
  try {
    text = JSON.stringify(result === undefined ? null : result);
  } catch (e) {
    throw new ResultNotSerializable('the result is not JSON-serialisable: ' + (e instanceof Error ? e.message : String(e)));
  }
  if (text === undefined) throw new ResultNotSerializable('the result is not JSON-serialisable: ' + typeof result);
  writeAtomically(resultPath, text);
  process.exitCode = 0;
} catch (err) {
  const stack = userStack(err);
  process.stderr.write((stack ?? String(err)) + '\n');
  const name = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? err.message : String(err);
  writeAtomically(errorPath, JSON.stringify({ name, message: message.slice(0, 10000), stack }));
  process.exitCode = 1;
}
// main has returned: timers or sockets the script left open must not keep the job running.
// The delay lets pending writes to the log pipes go out first.
setTimeout(() => process.exit(), 200).unref();
`;
