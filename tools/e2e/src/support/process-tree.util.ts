import { readdirSync, readFileSync } from 'node:fs';

/** A process as /proc shows it; `startTime` tells a live process from a reused pid. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  startTime: string;
  state: string;
  cmdline: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const [state = '', ppid = '', ...rest] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    // proc(5): field 22 is the start time; `rest` begins at field 5.
    return { pid, state, ppid: Number(ppid), startTime: rest[17] ?? '', cmdline };
  } catch {
    return undefined; // gone between listing and reading
  }
}

export function allProcesses(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== undefined);
}

/** Every process below `rootPid` (children, grandchildren …), as of now. */
export function descendantsOf(rootPid: number): ProcessInfo[] {
  const all = allProcesses();
  const found: ProcessInfo[] = [];
  const parents = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** The processes of `snapshot` that still run (same pid and start time, not a zombie). */
export function stillRunning(snapshot: ProcessInfo[]): ProcessInfo[] {
  return snapshot.filter((p) => {
    const now = readProcess(p.pid);
    return now !== undefined && now.startTime === p.startTime && now.state !== 'Z';
  });
}
