import type { Pool, PoolClient } from 'pg';

/** Where a statement runs: the pool (its own transaction) or a client inside one. */
export type Queryable = Pool | PoolClient;
