import type { ClaimedJob } from '@millrace/queue';
import type { AgentIdentity } from '../auth/agent-identity';

/** How a long poll ends. */
export type WaitOutcome =
  | { kind: 'job'; job: ClaimedJob }
  /** wait_s passed with no job, or the broker is shutting down: 204, the agent polls again. */
  | { kind: 'no_job' }
  /** The agent's token was revoked while it waited. */
  | { kind: 'revoked' };

/** One agent's pending pull_job request. */
export class Waiter {
  private settled = false;
  /** The HTTP request went away (client gone); the waiter must not receive a job. */
  private gone = false;
  timer?: NodeJS.Timeout;

  constructor(
    readonly agent: AgentIdentity,
    private readonly resolve: (outcome: WaitOutcome) => void,
    /**
     * A busy agent asking for its next job ahead of time (`prefetch=true`): served only with
     * jobs left over once every idle agent waiting with the same tags has one.
     */
    readonly prefetch = false,
  ) {}

  /** Still able to take a job: not answered yet and its client is still connected. */
  get live(): boolean {
    return !this.settled && !this.gone;
  }

  markGone(): void {
    this.gone = true;
  }

  /** Answers the poll once; later calls are ignored and return false. */
  settle(outcome: WaitOutcome): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    this.resolve(outcome);
    return true;
  }
}
