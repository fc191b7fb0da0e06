import { Injectable } from '@nestjs/common';
import { Waiter, WaitOutcome } from './waiter';

/** Agents waiting with the same tag set: the dispatcher claims for all of them in one query. */
export interface WaitGroup {
  key: string;
  tags: readonly string[];
  /** Insertion order is arrival order: the longest-waiting agent is served first. */
  waiters: Set<Waiter>;
  /** A claim round should run for this group. */
  dirty: boolean;
  /** The last claim found fewer jobs than waiters and nothing was pushed since: new waiters need not claim. */
  knownEmpty: boolean;
  /** A claim for this group is in flight (never two at once: they would claim for the same agents). */
  busy: boolean;
  /** Bumped on every wake-up (NOTIFY or poll), so a claim can tell whether one came during it. */
  wakes: number;
}

/**
 * In-memory index of long-polling agents by tag set, with a tag → groups index so a NOTIFY
 * naming some tags wakes only the groups that serve them. Holds no database connection.
 */
@Injectable()
export class WaiterRegistry {
  private readonly groups = new Map<string, WaitGroup>();
  private readonly groupsByTag = new Map<string, Set<string>>();

  get waiting(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.waiters.size;
    return n;
  }

  /** Registers a waiter; returns true when its group should claim now. */
  add(waiter: Waiter): boolean {
    const { tagsKey, tags } = waiter.agent;
    let group = this.groups.get(tagsKey);
    if (!group) {
      group = { key: tagsKey, tags, waiters: new Set(), dirty: false, knownEmpty: false, busy: false, wakes: 0 };
      this.groups.set(tagsKey, group);
      for (const tag of tags) {
        let keys = this.groupsByTag.get(tag);
        if (!keys) this.groupsByTag.set(tag, (keys = new Set()));
        keys.add(tagsKey);
      }
    }
    group.waiters.add(waiter);
    if (!group.knownEmpty) group.dirty = true;
    return group.dirty;
  }

  remove(waiter: Waiter): void {
    const group = this.groups.get(waiter.agent.tagsKey);
    if (!group) return;
    group.waiters.delete(waiter);
    this.dropIfIdle(group);
  }

  /** Jobs were pushed for these tags: every group serving one of them claims again. */
  wakeTags(tags: readonly string[]): boolean {
    let any = false;
    for (const tag of tags) {
      for (const key of this.groupsByTag.get(tag) ?? []) {
        const group = this.groups.get(key);
        if (group) any = this.wake(group) || any;
      }
    }
    return any;
  }

  /** The fallback poll: every group claims again. */
  wakeAll(): boolean {
    let any = false;
    for (const group of this.groups.values()) any = this.wake(group) || any;
    return any;
  }

  /** Groups due for a claim round, marked busy; the caller calls `done` for each. */
  takeDue(): WaitGroup[] {
    const due: WaitGroup[] = [];
    for (const group of this.groups.values()) {
      if (!group.dirty || group.busy) continue;
      group.dirty = false;
      if (this.live(group, 1).length === 0) continue;
      group.busy = true;
      due.push(group);
    }
    return due;
  }

  /**
   * Ends a claim round: `exhausted` (fewer jobs than asked) marks the group known-empty unless
   * a wake-up came while the claim ran; otherwise it claims again if agents still wait.
   */
  done(group: WaitGroup, wakesBefore: number, exhausted: boolean): void {
    group.busy = false;
    if (exhausted && group.wakes === wakesBefore) {
      // Nothing claimable when the claim ran and nothing pushed since: agents that arrived
      // meanwhile wait for the next NOTIFY or poll instead of repeating an empty claim.
      group.knownEmpty = true;
      group.dirty = false;
    } else {
      group.dirty = true;
    }
    this.dropIfIdle(group);
  }

  /**
   * Live waiters of a group, longest waiting first, idle agents before prefetching ones (a
   * busy agent's prefetch never takes a job an idle agent is waiting for). At most `max`.
   */
  live(group: WaitGroup, max = Infinity): Waiter[] {
    const idle: Waiter[] = [];
    const prefetching: Waiter[] = [];
    for (const w of group.waiters) {
      if (!w.live) group.waiters.delete(w);
      else if (idle.length >= max) break;
      else (w.prefetch ? prefetching : idle).push(w);
    }
    return idle.concat(prefetching).slice(0, max);
  }

  /** Is an idle (not prefetching) agent with exactly these tags waiting? */
  hasIdleWaiter(tagsKey: string): boolean {
    const group = this.groups.get(tagsKey);
    // live() puts idle agents first.
    return group !== undefined && this.live(group, 1)[0]?.prefetch === false;
  }

  /** Ends the polls of agents whose token was just revoked. */
  dropJtis(jtis: ReadonlySet<string>): number {
    let n = 0;
    for (const group of [...this.groups.values()]) {
      for (const w of [...group.waiters]) {
        if (jtis.has(w.agent.jti)) {
          group.waiters.delete(w);
          if (w.settle({ kind: 'revoked' })) n++;
        }
      }
      this.dropIfIdle(group);
    }
    return n;
  }

  /**
   * Ends the open polls of one agent (`end_poll`, sent by a stopping agent): they answer no
   * job. A poll already handed a job is no longer here; its reply carries that job.
   */
  endPollsOf(agent: { worker: string; tagsKey: string }): number {
    const group = this.groups.get(agent.tagsKey);
    if (!group) return 0;
    let n = 0;
    for (const w of [...group.waiters]) {
      if (w.agent.worker !== agent.worker) continue;
      group.waiters.delete(w);
      if (w.settle({ kind: 'no_job' })) n++;
    }
    this.dropIfIdle(group);
    return n;
  }

  /** Answers every poll (shutdown). */
  settleAll(outcome: WaitOutcome): void {
    for (const group of [...this.groups.values()]) {
      for (const w of group.waiters) w.settle(outcome);
      group.waiters.clear();
      this.dropIfIdle(group);
    }
  }

  private wake(group: WaitGroup): boolean {
    group.wakes++;
    group.knownEmpty = false;
    group.dirty = true;
    return !group.busy;
  }

  private dropIfIdle(group: WaitGroup): void {
    if (group.waiters.size > 0 || group.busy) return;
    this.groups.delete(group.key);
    for (const tag of group.tags) {
      const keys = this.groupsByTag.get(tag);
      keys?.delete(group.key);
      if (keys?.size === 0) this.groupsByTag.delete(tag);
    }
  }
}
