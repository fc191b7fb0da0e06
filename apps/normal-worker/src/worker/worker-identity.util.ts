import { randomBytes, randomUUID } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';

/** Who this worker process is, as pings and claims name it. */
export interface WorkerIdentity {
  group: string;
  /** `wk-<group>-<suffix>`: claims, pings and `canceledBy` on shutdown carry it. */
  name: string;
  /** New on every start, so a restarted worker of the same name is told apart. */
  instance: string;
  ip: string | null;
  version: string;
}

export const WORKER_VERSION = '0.1.0';

/** Builds the identity; `suffix` defaults to the hostname plus a random part. */
export function workerIdentity(group: string, suffix?: string): WorkerIdentity {
  const host = hostname().replace(/[^A-Za-z0-9-]/g, '-').slice(0, 40) || 'host';
  const name = `wk-${group}-${suffix ?? `${host}-${randomBytes(3).toString('hex')}`}`;
  return { group, name, instance: randomUUID(), ip: firstExternalIpv4(), version: WORKER_VERSION };
}

function firstExternalIpv4(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}
