/** Injection token for the raw `pg.Pool` behind the app's DataSource (hot-path SQL). */
export const PG_POOL = Symbol('PG_POOL');
