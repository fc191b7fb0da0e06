import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const tpl = globalThis.__MILLRACE_TEMPLATE__;
  if (tpl) {
    const admin = new Client({ connectionString: tpl.adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(tpl.name)} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await globalThis.__MILLRACE_PG__?.stop();
}
