import type { ExecutionResult } from '@millrace/executor';
import { fakeBroker, pullReply, sourceFor, until, workerJob } from '../testing/fake-broker';

const ok: ExecutionResult = { success: true, result: null, durationMs: 3 };

describe('BrokerJobSource: a prefetch rides on a result (send_result?next=true)', () => {
  it('holds a result finished while a ride is in flight, so the prefetch asked for when that ride brings a job rides on it: one exchange per job, no pull_job', async () => {
    let holdRide: (() => void) | undefined;
    const broker = await fakeBroker((s, respond) => {
      if (s.route !== 'send_result') return respond(200, pullReply('unexpected'));
      const answer = () => respond(200, { repeated: false, next: s.next ? pullReply(`after-${s.id}`) : null });
      // The first ride stays in flight until the test lets it go.
      if (s.id === 'j1') holdRide = answer;
      else answer();
    });
    try {
      const src = sourceFor(broker.url);
      const signal = new AbortController().signal;
      // j1 finishes; the loop asks for its prefetch in the same turn: it rides on j1's result.
      const reported1 = src.complete(workerJob('j1'), ok);
      const pulled = src.pull(signal, { prefetch: true });
      await until(() => holdRide !== undefined, "j1's result to reach the broker");
      // j2 finishes while that ride is still in flight.
      const reported2 = src.complete(workerJob('j2'), ok);
      await new Promise((r) => setTimeout(r, 30));
      expect(broker.seen.map((s) => s.id)).toEqual(['j1']);
      // The ride comes back with a job; the loop starts it and prefetches in the same turn.
      holdRide!();
      const next = await pulled;
      expect(next?.id).toBe('after-j1');
      const pulledAgain = src.pull(signal, { prefetch: true });
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
    let holdRide: (() => void) | undefined;
    const broker = await fakeBroker((s, respond) => {
      const answer = () => respond(200, { repeated: false, next: s.next ? pullReply(`after-${s.id}`) : null });
      if (s.id === 'j1') holdRide = answer;
      else answer();
    });
    try {
      const src = sourceFor(broker.url);
      const reported1 = src.complete(workerJob('j1'), ok);
      const pulled = src.pull(new AbortController().signal, { prefetch: true });
      await until(() => holdRide !== undefined, "j1's result to reach the broker");
      const reported2 = src.complete(workerJob('j2'), ok);
      holdRide!();
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
    let holdRide: (() => void) | undefined;
    const broker = await fakeBroker((s, respond) => {
      const answer = () => respond(200, { repeated: false, next: s.next ? pullReply(`after-${s.id}`) : null });
      if (s.id === 'j1') holdRide = answer;
      else answer();
    });
    try {
      const src = sourceFor(broker.url);
      const reported1 = src.complete(workerJob('j1'), ok);
      const pulled = src.pull(new AbortController().signal, { prefetch: true });
      await until(() => holdRide !== undefined, "j1's result to reach the broker");
      // j2's result reaches the broker while j1's ride is still unanswered.
      await src.complete(workerJob('j2'), ok);
      expect(broker.seen).toEqual([
        { route: 'send_result', id: 'j1', next: true },
        { route: 'send_result', id: 'j2', next: false },
      ]);
      holdRide!();
      expect((await pulled)?.id).toBe('after-j1');
      await reported1;
    } finally {
      await broker.close();
    }
  });
});
