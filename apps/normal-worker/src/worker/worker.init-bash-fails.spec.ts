import { Pool } from 'pg';
import { bootWorker, setGroupConfig, testPool } from '../testing/normal-worker.fixture';

// Its own file: prom-client's registry is process-global, so one app boot per Jest file.
let pool: Pool;

beforeAll(() => {
  pool = testPool();
});

afterAll(async () => {
  await pool.end();
});

it('refuses to start when init_bash fails', async () => {
  await setGroupConfig(pool, 'broken', { worker_tags: ['x'], init_bash: 'echo "missing toolchain" >&2\nexit 4' });
  await expect(bootWorker({ WORKER_GROUP: 'broken' })).rejects.toThrow(/init_bash of group broken failed: bash exited with code 4.*missing toolchain/s);
});
