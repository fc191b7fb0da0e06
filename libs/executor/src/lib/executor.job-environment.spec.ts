import { job, Scratch } from '../spec-support/executor.fixture';

const scratch = new Scratch();
const executor = scratch.executor({ baseInternalUrl: 'http://broker.internal:8002' });

afterAll(() => scratch.remove());

async function envOf(extra: Parameters<typeof job>[3] = {}): Promise<Record<string, string>> {
  // Node, not python3: pyenv's python3 shim rewrites PATH on its way in.
  const r = await executor.run(job('nodejs', 'export function main() { return { ...process.env }; }', {}, extra));
  if (!r.success) throw new Error(r.error.message);
  return r.result as Record<string, string>;
}

it('gives the job its identity, the base URL and the group env', async () => {
  const env = await envOf({ env: { REGION: 'eu-west', HTTP_PROXY: 'http://proxy:3128' } });
  expect(env).toMatchObject({
    WM_JOB_ID: '0b6a3f1e-0000-4000-8000-000000000001',
    WM_WORKSPACE: 'test-ws',
    WM_TOKEN: 'job-token-1',
    BASE_INTERNAL_URL: 'http://broker.internal:8002',
    REGION: 'eu-west',
    HTTP_PROXY: 'http://proxy:3128',
    PATH: process.env['PATH'],
  });
});

it("never passes on the worker's own environment (DATABASE_URL must not leak)", async () => {
  process.env['DATABASE_URL'] = 'postgres://worker:secret@db/millrace';
  process.env['MILLRACE_SPEC_SECRET'] = 'do-not-leak';
  try {
    const env = await envOf();
    expect(env['DATABASE_URL']).toBeUndefined();
    expect(env['MILLRACE_SPEC_SECRET']).toBeUndefined();
    expect(JSON.stringify(env)).not.toContain('secret@db');
  } finally {
    delete process.env['DATABASE_URL'];
    delete process.env['MILLRACE_SPEC_SECRET'];
  }
});

it('does not let the group env override the job identity', async () => {
  const env = await envOf({ env: { WM_TOKEN: 'forged', WM_JOB_ID: 'other' } });
  expect(env['WM_TOKEN']).toBe('job-token-1');
  expect(env['WM_JOB_ID']).toBe('0b6a3f1e-0000-4000-8000-000000000001');
});

it('runs the job in its own empty working directory, which is also HOME', async () => {
  const r = await executor.run(job('bash', 'ls -A > /dev/stderr; echo "{\\"cwd\\": \\"$PWD\\", \\"home\\": \\"$HOME\\", \\"files\\": \\"$(ls -A)\\"}"'));
  expect(r.success).toBe(true);
  if (!r.success) return;
  const out = r.result as { cwd: string; home: string; files: string };
  expect(out.cwd.startsWith(scratch.jobs)).toBe(true);
  expect(out.home).toBe(out.cwd);
  // Only the script itself: wrapper files and results live outside the working directory.
  expect(out.files).toBe('main.sh');
});
