import { Logger } from '@nestjs/common';
import { Clock, TimerHandle } from '@millrace/executor';
import { DEFAULT_GROUP_CONFIG, GroupConfig, parseGroupConfig } from './group-config.util';
import type { GroupConfigRepository } from './group-config.repository';

/**
 * Keeps this worker's view of its group's config current by re-reading it periodically, so
 * a change (tags, env) applies without a restart. A failed read keeps the last known config.
 */
export class GroupConfigWatcher {
  private readonly logger = new Logger('GroupConfig');
  private config: GroupConfig = DEFAULT_GROUP_CONFIG;
  private lastProblems = '';
  private timer: TimerHandle | undefined;
  private refreshing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly repository: GroupConfigRepository,
    private readonly group: string,
    private readonly refreshMs: number,
    private readonly clock: Clock = new Clock(),
  ) {}

  get current(): GroupConfig {
    return this.config;
  }

  /** The first read; a database error here fails the worker's start. */
  async load(): Promise<GroupConfig> {
    this.apply(await this.repository.read(this.group));
    return this.config;
  }

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clear(this.timer);
    await this.refreshing;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.after(this.refreshMs, () => {
      this.refreshing = this.refresh().finally(() => {
        this.refreshing = null;
        this.schedule();
      });
    });
  }

  private async refresh(): Promise<void> {
    try {
      this.apply(await this.repository.read(this.group));
    } catch (err) {
      this.logger.warn(`could not re-read the config of group ${this.group} (keeping the last one): ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private apply(raw: unknown): void {
    const { config, problems } = raw === undefined ? { config: DEFAULT_GROUP_CONFIG, problems: [] } : parseGroupConfig(raw);
    const problemText = problems.join('; ');
    if (problemText && problemText !== this.lastProblems) this.logger.warn(`config of group ${this.group}: ${problemText}`);
    this.lastProblems = problemText;
    if (config.tags.join(',') !== this.config.tags.join(',')) this.logger.log(`serving tags ${config.tags.join(', ') || '(none)'}`);
    this.config = config;
  }
}
