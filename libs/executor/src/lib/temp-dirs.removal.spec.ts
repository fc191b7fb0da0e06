import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { job, Scratch } from '../spec-support/executor.fixture';
import { SYNC_REMOVE_BUDGET } from './temp-dirs.service';

const scratch = new Scratch();
const executor = scratch.executor();

afterAll(() => scratch.remove());

it('removes a job directory of a few files (the synchronous path)', async () => {
  expect(await executor.run(job('bash', 'echo a > a.txt; mkdir -p d/e; echo b > d/e/b.txt'))).toMatchObject({ success: true });
  expect(scratch.leftoverJobDirs()).toEqual([]);
});

it(`removes a job directory of more than ${SYNC_REMOVE_BUDGET} entries (handed over to an async rm)`, async () => {
  const n = SYNC_REMOVE_BUDGET * 3;
  const r = await executor.run(job('bash', `mkdir -p x/y; for i in $(seq 1 ${n}); do : > "x/y/f$i"; : > "g$i"; done; ls x/y | wc -l`));
  expect(r).toMatchObject({ success: true, result: n });
  expect(scratch.leftoverJobDirs()).toEqual([]);
});

it('unlinks symbolic links the job left without following them', async () => {
  const outside = scratch.file('outside');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'keep.txt'), 'still here');
  const r = await executor.run(job('bash', `ln -s ${outside} link-to-dir; ln -s ${path.join(outside, 'keep.txt')} link-to-file; echo ok`));
  expect(r).toMatchObject({ success: true, result: 'ok' });
  expect(scratch.leftoverJobDirs()).toEqual([]);
  expect(readdirSync(outside)).toEqual(['keep.txt']);
  expect(existsSync(path.join(outside, 'keep.txt'))).toBe(true);
});
