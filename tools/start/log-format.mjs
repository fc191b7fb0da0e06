// Turns one pino JSON log line into something a person can read in a terminal. Anything that
// is not a pino line (PostgreSQL, Nx, a crash trace) passes through unchanged.

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const SHOWN_ELSEWHERE = new Set(['level', 'time', 'pid', 'hostname', 'app', 'context', 'msg', 'err', 'req', 'res', 'responseTime']);

/** @param {string} line */
export function formatLine(line) {
  if (!line.startsWith('{')) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || typeof entry.level !== 'number') return line;
  const parts = [(LEVELS[entry.level] ?? String(entry.level)).padEnd(5)];
  if (entry.context) parts.push(`${entry.context}:`);
  if (entry.msg !== undefined) parts.push(String(entry.msg));
  if (entry.req && entry.res) {
    parts.push(`${entry.req.method} ${entry.req.url} -> ${entry.res.statusCode} (${entry.responseTime ?? '?'}ms)`);
  }
  const extra = Object.fromEntries(Object.entries(entry).filter(([k]) => !SHOWN_ELSEWHERE.has(k)));
  if (Object.keys(extra).length > 0) parts.push(JSON.stringify(extra));
  if (entry.err) parts.push(`\n${entry.err.stack ?? entry.err.message ?? JSON.stringify(entry.err)}`);
  return parts.join(' ');
}
