import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * api-gateway's identity and script store:
 * - `app_user`: people; passwords as scrypt hashes with a per-user salt;
 * - `user_token`: login sessions and API tokens, only as SHA-256 of the token (the tokens
 *   are 192-bit random, so a fast hash is enough and a lookup is one index probe);
 * - `workspace` and `workspace_member` (role admin | developer | operator);
 * - `script`: immutable versions; a create adds a row with the next `version` of its path.
 */
export class Identity1764372000000 implements MigrationInterface {
  name = 'Identity1764372000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email         text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
        password_hash text NOT NULL,
        super_admin   boolean NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE user_token (
        token_hash   text PRIMARY KEY,
        token_prefix text NOT NULL,
        user_id      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        kind         text NOT NULL CHECK (kind IN ('session', 'api')),
        label        text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz,
        revoked_at   timestamptz
      )`);
    await q.query(`CREATE INDEX user_token_user_idx ON user_token (user_id, token_prefix)`);

    await q.query(`
      CREATE TABLE workspace (
        id         text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,49}$'),
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE workspace_member (
        workspace_id text NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
        user_id      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        role         text NOT NULL CHECK (role IN ('admin', 'developer', 'operator')),
        added_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, user_id)
      )`);
    await q.query(`CREATE INDEX workspace_member_user_idx ON workspace_member (user_id)`);

    await q.query(`
      CREATE TABLE script (
        workspace_id     text NOT NULL REFERENCES workspace (id) ON DELETE CASCADE,
        hash             text NOT NULL CHECK (hash ~ '^[0-9a-f]{16}$'),
        path             text NOT NULL CHECK (path ~ '^[uf]/[a-z0-9_-]+(/[a-z0-9_.-]+)+$' AND length(path) <= 255),
        version          integer NOT NULL CHECK (version >= 1),
        parent_hash      text,
        language         text NOT NULL CHECK (language IN ('bash', 'python3', 'nodejs', 'typescript')),
        content          text NOT NULL,
        compiled_content text,
        schema           jsonb NOT NULL,
        summary          text NOT NULL DEFAULT '',
        tag              text,
        timeout_s        integer CHECK (timeout_s BETWEEN 1 AND 86400),
        priority         smallint CHECK (priority BETWEEN -1000 AND 1000),
        lock             text,
        created_by       text NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, hash),
        UNIQUE (workspace_id, path, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE script`);
    await q.query(`DROP TABLE workspace_member`);
    await q.query(`DROP TABLE workspace`);
    await q.query(`DROP TABLE user_token`);
    await q.query(`DROP TABLE app_user`);
  }
}
