import { testAdminUrl } from '@millrace/testing';
import { Client } from 'pg';

/** Runs `fn` with a client on the test server's maintenance database (create or drop databases). */
export async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
