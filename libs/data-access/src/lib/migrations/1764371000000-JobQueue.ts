import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The job queue (libs/queue), split the way graphile-worker and Windmill v2 split it so the
 * table every claim scans stays small:
 * - `job`: what to run, written once at push and never updated;
 * - `job_queue`: the hot, narrow lifecycle row of a queued or running job; it is deleted on
 *   completion, so it holds only live work (plus whatever backlog is waiting);
 * - `job_completed`: the outcome, one row per finished job;
 * - `job_logs`: log chunks, appended by byte offset per attempt;
 * - `worker_ping`: one row per worker (normal or agent), upserted by its pings.
 *
 * No foreign keys between them on purpose: each FK check would lock the referenced `job` row
 * on every queue insert and completion (the hot path); the library keeps them consistent
 * and the monitor's retention deletes a job's rows together.
 */
export class JobQueue1764371000000 implements MigrationInterface {
  name = 'JobQueue1764371000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job (
        id            uuid PRIMARY KEY,
        seq           bigint GENERATED ALWAYS AS IDENTITY,
        workspace_id  text NOT NULL,
        kind          text NOT NULL CHECK (kind IN ('script', 'preview', 'flow', 'flowstep', 'dependency', 'init')),
        path          text,
        language      text CHECK (language IN ('bash', 'python3', 'nodejs', 'typescript')),
        content       text,
        lock          text,
        args          jsonb NOT NULL DEFAULT '{}'::jsonb,
        tag           text NOT NULL,
        priority      smallint NOT NULL DEFAULT 0,
        timeout_s     integer CHECK (timeout_s > 0),
        parent_job    uuid,
        root_job      uuid,
        flow_step_id  text,
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        scheduled_for timestamptz NOT NULL DEFAULT now()
      )`);
    // Listing a workspace's jobs newest first (seq is creation order, unique within a batch).
    await q.query(`CREATE INDEX job_workspace_seq_idx ON job (workspace_id, seq DESC)`);

    // fillfactor leaves room on each page so heartbeat updates (unindexed column) stay HOT.
    // The claim plan depends on per-tag row estimates (see libs/queue claim-jobs.sql.ts):
    // re-analyze after 2 % of rows change instead of 10 %, so a sudden backlog is seen soon.
    await q.query(`
      CREATE TABLE job_queue (
        id              uuid PRIMARY KEY,
        seq             bigint NOT NULL,
        workspace_id    text NOT NULL,
        kind            text NOT NULL,
        tag             text NOT NULL,
        priority        smallint NOT NULL,
        scheduled_for   timestamptz NOT NULL,
        running         boolean NOT NULL DEFAULT false,
        worker          text,
        claim_id        uuid,
        started_at      timestamptz,
        last_heartbeat  timestamptz,
        canceled_by     text,
        canceled_reason text,
        restarts        integer NOT NULL DEFAULT 0,
        CONSTRAINT job_queue_claim_when_running CHECK (running = (claim_id IS NOT NULL))
      ) WITH (fillfactor = 80, autovacuum_analyze_scale_factor = 0.02)`);
    // The claim path (PERFORMANCE.md): each requested tag is read through its own range of
    // this index, already in claim order, so no sort and no walk past other tags' backlog.
    await q.query(`CREATE INDEX job_queue_claim_idx ON job_queue (tag, priority DESC, scheduled_for, seq) WHERE NOT running`);
    // The monitor's zombie and timeout scans touch only running rows. Keyed on started_at,
    // which changes only at claim, so heartbeats do not have to update this index.
    await q.query(`CREATE INDEX job_queue_running_idx ON job_queue (started_at) WHERE running`);

    await q.query(`
      CREATE TABLE job_completed (
        id              uuid PRIMARY KEY,
        workspace_id    text NOT NULL,
        success         boolean NOT NULL,
        result          jsonb,
        error           jsonb,
        duration_ms     bigint,
        mem_peak        bigint,
        canceled_by     text,
        canceled_reason text,
        worker          text,
        claim_id        uuid,
        started_at      timestamptz,
        completed_at    timestamptz NOT NULL DEFAULT now(),
        restarts        integer NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX job_completed_completed_at_idx ON job_completed (completed_at)`);

    // Append-only chunks keyed by their byte offset: an append is one small insert (no
    // rewrite of the log so far), and a repeated chunk collides on the key. bytea because a
    // script may print NUL bytes, which text cannot hold; offsets count UTF-8 bytes.
    await q.query(`
      CREATE TABLE job_logs (
        job_id      uuid NOT NULL,
        attempt     integer NOT NULL,
        byte_offset bigint NOT NULL,
        chunk       bytea NOT NULL,
        PRIMARY KEY (job_id, attempt, byte_offset)
      )`);

    await q.query(`
      CREATE TABLE worker_ping (
        worker          text PRIMARY KEY,
        worker_instance text NOT NULL,
        worker_group    text NOT NULL,
        kind            text NOT NULL CHECK (kind IN ('normal', 'agent')),
        tags            text[] NOT NULL DEFAULT '{}',
        started_at      timestamptz NOT NULL DEFAULT now(),
        last_ping       timestamptz NOT NULL DEFAULT now(),
        current_job_id  uuid,
        jobs_executed   integer NOT NULL DEFAULT 0,
        memory_bytes    bigint,
        version         text NOT NULL,
        ip              text,
        occupancy       real
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE worker_ping`);
    await q.query(`DROP TABLE job_logs`);
    await q.query(`DROP TABLE job_completed`);
    await q.query(`DROP TABLE job_queue`);
    await q.query(`DROP TABLE job`);
  }
}
