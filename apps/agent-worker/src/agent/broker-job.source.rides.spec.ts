import { eventually } from '@millrace/testing';
import type { ExecutionResult } from '@millrace/executor';
import { FakeBroker, fakeBroker, pullReply, sourceFor, workerJob } from '../testing/fake-broker';
import type { BrokerJobSource } from './broker-job.source';

const ok: ExecutionResult = { success: true, result: null, durationMs: 3 };

/**
 * Job j1 has just finished and the loop asked for its prefetch in the same turn, so the pull
 * rides on j1's result (`send_result?next=true`). The broker answers every request at once,
 * except that ride: it stays in flight until `release`.
 */
async function rideOnJ1InFlight(): Promise<{ broker: FakeBroker; src: BrokerJobSource; reported1: Promise<void>; pulled: ReturnType<BrokerJobSource['pull']>; release: () => void }> {
  let hold: (() => void) | undefined;
  const broker = await fakeBroker((s, respond) => {
    const answer = () => respond(200, s.route === 'send_result' ? { repeated: false, next: s.next ? pullReply(`after-${s.id}`) : null } : pullReply('unexpected-pull'));
    if (s.id === 'j1') hold = answer;
    else answer();
  });
  const src = sourceFor(broker.url);
  const reported1 = src.complete(workerJob('j1'), ok);
  const pulled = src.pull(new AbortController().signal, { prefetch: true });
  await eventually(() => hold !== undefined, "j1's result to reach the broker", 5_000, 5);
  return { broker, src, reported1, pulled, release: () => hold!() };
}

describe('BrokerJobSource: a prefetch rides on a result (send_result?next=true)', () => {
  it('holds a result finished while a ride is in flight, so the prefetch asked for when that ride brings a job rides on it: one exchange per job, no pull_job', async () => {
    const { broker, src, reported1, pulled, release } = await rideOnJ1InFlight();
    try {
      // j2 finishes while the ride is still in flight: its result waits.
      const reported2 = src.complete(workerJob('j2'), ok);
      await new Promise((r) => setTimeout(r, 30));
      expect(broker.seen.map((s) => s.id)).toEqual(['j1']);
      // The ride comes back with a job; the loop starts it and prefetches in the same turn.
      release();
      expect((await pulled)?.id).toBe('after-j1');
      const pulledAgain = src.pull(new AbortController().signal, { prefetch: true });
      await Promise.all([reported1, reported2]);
      expect((await pulledAgain)?.id).toBe('after-j2');
      expect(broker.seen).toEqual([
        { route: 'send_result', id: 'j1', next: true },
        { route: 'send_result', id: 'j2', next: true },
      ]);
    } finally {
      await broker.close();
    }
  });

  it('sends a held result alone once the ride is answered and no prefetch takes it', async () => {
    const { broker, src, reported1, pulled, release } = await rideOnJ1InFlight();
    try {
      const reported2 = src.complete(workerJob('j2'), ok);
      release();
      expect((await pulled)?.id).toBe('after-j1');
      await Promise.all([reported1, reported2]);
      expect(broker.seen).toEqual([
        { route: 'send_result', id: 'j1', next: true },
        { route: 'send_result', id: 'j2', next: false },
      ]);
    } finally {
      await broker.close();
    }
  });

  it('does not hold a result behind a ride that stays unanswered: it goes alone after a bounded wait', async () => {
    const { broker, src, reported1, pulled, release } = await rideOnJ1InFlight();
    try {
      // j2's result reaches the broker while j1's ride is still unanswered.
      await src.complete(workerJob('j2'), ok);
      expect(broker.seen).toEqual([
        { route: 'send_result', id: 'j1', next: true },
        { route: 'send_result', id: 'j2', next: false },
      ]);
      release();
      expect((await pulled)?.id).toBe('after-j1');
      await reported1;
    } finally {
      await broker.close();
    }
  });
});
