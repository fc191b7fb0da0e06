import { AGENT_TOKEN_PREFIX } from '@millrace/contracts';
import { hostname, networkInterfaces } from 'node:os';
import { randomBytes } from 'node:crypto';

/**
 * The worker group named in the token, read without verifying it: only for this worker's
 * own name in logs. The broker is what verifies the token and decides what the agent gets.
 */
export function workerGroupOf(agentToken: string): string {
  try {
    const jwt = agentToken.slice(AGENT_TOKEN_PREFIX.length);
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { worker_group?: unknown };
    return typeof payload.worker_group === 'string' ? payload.worker_group : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Default suffix: the host name (made safe) plus a random part, so two agents on one host differ. */
export function defaultWorkerSuffix(host = hostname()): string {
  const safe = host.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 48) || 'agent';
  return `${safe}-${randomBytes(3).toString('hex')}`;
}

/** This host's first external IPv4 address, for pings (null when it has none). */
export function primaryIp(): string | null {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}
