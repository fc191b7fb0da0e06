import { Init1764370000000 } from './1764370000000-Init';
import { WorkerGroupConfig1764370500000 } from './1764370500000-WorkerGroupConfig';
import { JobQueue1764371000000 } from './1764371000000-JobQueue';
import { Identity1764372000000 } from './1764372000000-Identity';
import { AgentTokens1764374000000 } from './1764374000000-AgentTokens';
import { CompletionNotify1764375000000 } from './1764375000000-CompletionNotify';
import { CompletedAtBrin1764376000000 } from './1764376000000-CompletedAtBrin';
import { QueueParentJob1764377000000 } from './1764377000000-QueueParentJob';

/** Every migration, oldest first. Never edit one that has shipped; add a new one. */
export const MIGRATIONS = [Init1764370000000, WorkerGroupConfig1764370500000, JobQueue1764371000000, Identity1764372000000, AgentTokens1764374000000, CompletionNotify1764375000000, CompletedAtBrin1764376000000, QueueParentJob1764377000000];
