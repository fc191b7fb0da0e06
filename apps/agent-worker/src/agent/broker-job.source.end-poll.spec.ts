import { eventually } from '@millrace/testing';
import { HttpClientError } from '@millrace/http-client';
import { fakeBroker, pullReply, sourceFor } from '../testing/fake-broker';

describe('BrokerJobSource: stopping during a long poll', () => {
  it('asks the broker to end the poll (end_poll) and keeps its connection: a job handed to the poll at that moment still arrives', async () => {
    let answerPoll: ((status: number, body?: unknown) => void) | undefined;
    const broker = await fakeBroker((s, respond) => {
      if (s.route === 'pull_job') answerPoll = respond;
      else if (s.route === 'end_poll') {
        // The broker had handed this poll a job just before end_poll came: nothing to end.
        answerPoll!(200, pullReply('handed-over'));
        respond(200, { ended: 0 });
      } else respond(404, { error: { code: 'not_found', message: 'no' } });
    });
    try {
      const stop = new AbortController();
      const pulled = sourceFor(broker.url).pull(stop.signal);
      await eventually(() => answerPoll !== undefined, 'the poll to reach the broker', 5_000, 5);
      stop.abort();
      expect((await pulled)?.id).toBe('handed-over');
      expect(broker.seen.map((s) => s.route)).toEqual(['pull_job', 'end_poll']);
      expect(broker.cut).toEqual([]);
    } finally {
      await broker.close();
    }
  });

  it('returns no job once the broker answers the ended poll with 204', async () => {
    let answerPoll: ((status: number, body?: unknown) => void) | undefined;
    const broker = await fakeBroker((s, respond) => {
      if (s.route === 'pull_job') answerPoll = respond;
      else {
        respond(200, { ended: 1 });
        answerPoll!(204);
      }
    });
    try {
      const stop = new AbortController();
      const pulled = sourceFor(broker.url).pull(stop.signal);
      await eventually(() => answerPoll !== undefined, 'the poll to reach the broker', 5_000, 5);
      stop.abort();
      expect(await pulled).toBeNull();
      expect(broker.cut).toEqual([]);
    } finally {
      await broker.close();
    }
  });

  it('closes the connection when the broker has no end_poll (404), saying so', async () => {
    const broker = await fakeBroker((s, respond) => {
      if (s.route === 'end_poll') respond(404, { error: { code: 'not_found', message: 'Cannot POST /api/agent_workers/end_poll' } });
      // pull_job is never answered.
    });
    const warnings: string[] = [];
    try {
      const stop = new AbortController();
      const pulled = sourceFor(broker.url, warnings).pull(stop.signal);
      await eventually(() => broker.seen.length === 1, 'the poll to reach the broker', 5_000, 5);
      stop.abort();
      await expect(pulled).rejects.toBeInstanceOf(HttpClientError);
      await eventually(() => broker.cut.length === 1, 'the poll connection to close', 5_000, 5);
      expect(broker.cut).toEqual(['pull_job']);
      expect(warnings.join('\n')).toMatch(/could not end the open poll through the broker.*404/);
    } finally {
      await broker.close();
    }
  });

  it('does not send a poll at all when already stopping', async () => {
    const broker = await fakeBroker((_s, respond) => respond(204));
    try {
      const stop = new AbortController();
      stop.abort();
      expect(await sourceFor(broker.url).pull(stop.signal)).toBeNull();
      expect(broker.seen).toEqual([]);
    } finally {
      await broker.close();
    }
  });
});
