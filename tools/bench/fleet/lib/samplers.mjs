// Samplers that watch the broker from outside, as an operator would: its PostgreSQL
// connections (pg_stat_activity), CPU, RSS and open fds of processes (/proc), and how fast
// it answers a trivial HTTP route.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime in seconds, or NaN once the process is gone. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function openFds(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineJiffies() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * The machine's count of connections dropped because a listen queue was full
 * (TcpExt ListenOverflows): a dropped SYN is retried by the client after 1 s, then 3 s...
 * Machine-wide, so other processes' listeners count too.
 */
export function listenOverflows() {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
  const [names, values] = lines.map((l) => l.trim().split(/\s+/));
  return Number(values?.[names?.indexOf('ListenOverflows') ?? -1] ?? NaN);
}

/**
 * Samples every `intervalMs`: CPU seconds and RSS of each named pid (a name may stand for
 * several pids, e.g. all agent client processes: they are summed), open fds of `fdPid`, and
 * the machine's CPU. `window(t0, t1)` summarises the samples between two epoch times.
 */
export function procSampler({ pids, fdPid, intervalMs = 500 }) {
  const samples = [];
  const take = () => {
    const s = { t: Date.now(), cpu: {}, rss: {}, machine: machineJiffies(), fds: fdPid ? openFds(fdPid) : NaN };
    for (const [name, list] of Object.entries(pids)) {
      s.cpu[name] = list.reduce((a, pid) => a + cpuSeconds(pid), 0);
      s.rss[name] = list.reduce((a, pid) => a + rssMb(pid), 0);
    }
    samples.push(s);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
    },
    /** Per name: average CPU (% of one core), peak CPU over one interval, max RSS (MB); max fds; machine busy %. */
    window(t0, t1) {
      const w = samples.filter((s) => s.t >= t0 && s.t <= t1);
      const out = { fdsMax: Math.max(...w.map((s) => s.fds).filter(Number.isFinite)), procs: {} };
      if (w.length < 2) return out;
      const [a, b] = [w[0], w[w.length - 1]];
      const dt = (b.t - a.t) / 1000;
      out.machineBusyPct = (100 * (b.machine.busy - a.machine.busy)) / (b.machine.total - a.machine.total);
      for (const name of Object.keys(pids)) {
        let peak = 0;
        for (let i = 1; i < w.length; i++) {
          const d = (w[i].cpu[name] - w[i - 1].cpu[name]) / ((w[i].t - w[i - 1].t) / 1000);
          if (Number.isFinite(d)) peak = Math.max(peak, d);
        }
        out.procs[name] = {
          cpuPct: (100 * (b.cpu[name] - a.cpu[name])) / dt,
          cpuPeakPct: 100 * peak,
          rssMaxMb: Math.max(...w.map((s) => s.rss[name]).filter(Number.isFinite)),
        };
      }
      return out;
    },
  };
}

/**
 * Counts the broker's PostgreSQL connections every `intervalMs`: the pool's
 * (application_name exactly `poolName`) and all of the app's (`LIKE poolName%`, which also
 * matches the dedicated LISTEN connection `<poolName>-listen`). Keeps the maxima.
 */
export async function dbConnectionSampler(url, { poolName = 'millrace-agent-broker', intervalMs = 200 } = {}) {
  const client = new pg.Client({ connectionString: url, application_name: 'fleet-bench-sampler' });
  await client.connect();
  const max = { all: 0, pool: 0, samples: 0, errors: 0 };
  let busy = false;
  const take = async () => {
    if (busy) return;
    busy = true;
    try {
      const { rows } = await client.query(
        `SELECT count(*)::int AS all, count(*) FILTER (WHERE application_name = $1)::int AS pool
           FROM pg_stat_activity WHERE application_name LIKE $1 || '%'`,
        [poolName],
      );
      max.all = Math.max(max.all, rows[0].all);
      max.pool = Math.max(max.pool, rows[0].pool);
      max.samples++;
    } catch {
      max.errors++;
    } finally {
      busy = false;
    }
  };
  await take();
  const timer = setInterval(() => void take(), intervalMs);
  return {
    max,
    async stop() {
      clearInterval(timer);
      while (busy) await new Promise((resolve) => setTimeout(resolve, 10));
      await client.end();
    },
  };
}

/**
 * GETs the broker's /health/live every `intervalMs` on its own keep-alive connection: a
 * route that touches nothing, so its latency is the broker's HTTP responsiveness (event
 * loop lag, CPU starvation) as an agent would feel it, apart from any database wait.
 */
export function livenessProbe(baseUrl, { intervalMs = 100 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples = [];
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const t = Date.now();
    const t0 = performance.now();
    const req = http.get(`${baseUrl}/health/live`, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        samples.push({ t, ms: performance.now() - t0 });
        busy = false;
      });
    });
    req.on('error', () => (busy = false));
  }, intervalMs);
  return {
    /** Latencies (ms) of the probes started between two epoch times. */
    window(t0, t1) {
      return samples.filter((s) => s.t >= t0 && s.t <= t1).map((s) => s.ms);
    },
    stop() {
      clearInterval(timer);
      agent.destroy();
    },
  };
}
