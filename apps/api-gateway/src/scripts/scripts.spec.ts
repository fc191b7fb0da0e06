import { testDatabaseUrl } from '@millrace/testing';
import { Client } from 'pg';
import request from 'supertest';
import { bearer, bootGateway, RoleTokens, setUpWorkspace, TestGateway } from '../testing/gateway.harness';

const TS = 'export async function main(name: string, times = 2, loud?: boolean): Promise<string> {\n  return name.repeat(times);\n}\n';

describe('scripts', () => {
  let gw: TestGateway;
  let db: Client;
  let t: RoleTokens;
  let revoked: string;

  beforeAll(async () => {
    gw = await bootGateway();
    db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    t = await setUpWorkspace(gw.server, 'acme');
    revoked = (await request(gw.server).post('/api/users/tokens/create').set(bearer(t.developer)).send({ label: 'gone' }).expect(201)).text;
    await request(gw.server).delete(`/api/users/tokens/delete/${revoked.slice(0, 12)}`).set(bearer(t.developer)).expect(200);
  });

  afterAll(async () => {
    await db.end();
    await gw.close();
  });

  const create = (token: string, body: object, ws = 'acme') => request(gw.server).post(`/api/w/${ws}/scripts/create`).set(bearer(token)).send(body);
  const scriptRows = async () => (await db.query(`SELECT count(*)::int AS n FROM script`)).rows[0].n as number;

  describe('POST /api/w/{ws}/scripts/create', () => {
    it('stores a TypeScript script: source kept, CommonJS compiled once, schema inferred', async () => {
      const res = await create(t.developer, { path: 'u/dev/greet', language: 'typescript', content: TS, summary: 'greets', tag: 'gpu-$args[name]', timeout_s: 30, priority: 5 }).expect(201);
      expect(res.text).toMatch(/^[0-9a-f]{16}$/);
      const got = await request(gw.server).get('/api/w/acme/scripts/get/p/u/dev/greet').set(bearer(t.operator)).expect(200);
      expect(got.body).toMatchObject({
        path: 'u/dev/greet', hash: res.text, version: 1, parent_hash: null, language: 'typescript', content: TS, summary: 'greets',
        tag: 'gpu-$args[name]', timeout_s: 30, priority: 5, lock: null, lock_status: 'none', created_by: 'developer.acme@millrace.test',
        schema: { type: 'object', properties: { name: { type: 'string' }, times: { type: 'number', default: 2 }, loud: { type: 'boolean' } }, required: ['name'], order: ['name', 'times', 'loud'] },
      });
      const row = await db.query(`SELECT compiled_content FROM script WHERE hash = $1`, [res.text]);
      expect(row.rows[0].compiled_content).toContain('exports.main = main');
      expect(row.rows[0].compiled_content).not.toContain('name: string');
    });

    it.each([
      ['nodejs', 'export async function main(url, retries = 3) { return url; }', { url: { type: 'any' }, retries: { type: 'number', default: 3 } }, ['url']],
      ['python3', 'def main(host: str, port: int = 22, verbose: bool = False):\n    return host\n', { host: { type: 'string' }, port: { type: 'integer', default: 22 }, verbose: { type: 'boolean', default: false } }, ['host']],
      ['bash', '#!/bin/bash\nname="$1"\nregion="${2:-eu}"\necho "$name $region"\n', { name: { type: 'string' }, region: { type: 'string', default: 'eu' } }, ['name']],
    ])('infers the schema of a %s script', async (language, content, properties, required) => {
      const path = `f/lang/${language}`;
      await create(t.developer, { path, language, content }).expect(201);
      const got = await request(gw.server).get(`/api/w/acme/scripts/get/p/${path}`).set(bearer(t.operator)).expect(200);
      expect(got.body.schema.properties).toEqual(properties);
      expect(got.body.schema.required).toEqual(required);
      expect(got.body.content).toBe(content);
    });

    it('makes every create a new immutable version, identical content included', async () => {
      const body = { path: 'u/dev/versions', language: 'bash', content: 'echo one' };
      const h1 = (await create(t.developer, body).expect(201)).text;
      const h2 = (await create(t.admin, { ...body, content: 'echo two' }).expect(201)).text;
      const h3 = (await create(t.developer, { ...body, content: 'echo two' }).expect(201)).text;
      expect(new Set([h1, h2, h3]).size).toBe(3);
      const got = await request(gw.server).get('/api/w/acme/scripts/get/p/u/dev/versions').set(bearer(t.operator)).expect(200);
      expect(got.body).toMatchObject({ hash: h3, version: 3, parent_hash: h2, content: 'echo two' });
      const rows = await db.query(`SELECT version, hash, content FROM script WHERE path = 'u/dev/versions' ORDER BY version`);
      expect(rows.rows).toEqual([
        { version: 1, hash: h1, content: 'echo one' },
        { version: 2, hash: h2, content: 'echo two' },
        { version: 3, hash: h3, content: 'echo two' },
      ]);
    });

    it('gives concurrent creates of one path distinct consecutive versions', async () => {
      const body = { path: 'u/dev/race', language: 'bash', content: 'echo race' };
      const hashes = await Promise.all(Array.from({ length: 5 }, () => create(t.developer, body).expect(201).then((r) => r.text)));
      expect(new Set(hashes).size).toBe(5);
      const rows = await db.query(`SELECT version FROM script WHERE path = 'u/dev/race' ORDER BY version`);
      expect(rows.rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4, 5]);
    });

    it.each([
      ['a TypeScript syntax error', { language: 'typescript', content: 'export function main(a: string {\n}' }, /^content: main\.ts:1:\d+: ',' expected/],
      ['a JavaScript syntax error', { language: 'nodejs', content: 'function main() {\n  return (1;\n}' }, /^content: main\.js:2:\d+: /],
      ['a Python syntax error', { language: 'python3', content: 'def main(:\n  pass' }, /^content: main\.py:1:\d+: SyntaxError: /],
      ['no main', { language: 'typescript', content: 'export const x = 1;' }, /^content: no main function/],
      ['no Python main', { language: 'python3', content: 'def run():\n  pass' }, /^content: no main function/],
      ['a destructured parameter', { language: 'typescript', content: 'export function main({ a }: { a: string }) {}' }, /destructuring pattern/],
      ['a gap in bash parameters', { language: 'bash', content: 'a="$1"\nc="$3"' }, /\$2 is never assigned/],
      ['an unknown language', { language: 'ruby', content: 'x' }, /language must be one of: bash, python3, nodejs, typescript/],
      ['a bad path', { path: 'alice/hello' }, /path must look like u\/<user>\/<name>/],
      ['a path with capitals', { path: 'u/Alice/hello' }, /path must look like/],
      ['a path without a name', { path: 'u/alice' }, /path must look like/],
      ['content over 1 MB', { content: 'x'.repeat(1024 * 1024 + 1) }, /content must be at most 1048576 bytes/],
      ['a tag that cannot resolve', { tag: 'has space' }, /tag "has space" is not valid/],
      ['a tag over 200 characters', { tag: 'a'.repeat(201) }, /tag must be shorter than or equal to 200 characters/],
      ['a tag naming no parameter', { tag: 'r-$args[region]' }, /uses \$args\[region\], but main has no parameter "region"/],
      ['timeout_s out of range', { timeout_s: 0 }, /timeout_s must not be less than 1/],
      ['a fractional priority', { priority: 1.5 }, /priority must be an integer/],
      ['an unknown field', { draft: true }, /property draft should not exist/],
    ])('answers 400 to %s, naming it, and stores nothing', async (_name, patch, message) => {
      const before = await scriptRows();
      const res = await create(t.developer, { path: 'u/dev/bad', language: 'bash', content: 'echo hi', ...patch }).expect(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.message).toMatch(message);
      expect(await scriptRows()).toBe(before);
    });

    it.each([
      ['superadmin (not a member)', 'superadmin', 201],
      ['admin', 'admin', 201],
      ['developer', 'developer', 201],
      ['operator', 'operator', 403],
      ['non-member', 'outsider', 404],
    ] as const)('role matrix: %s gets %i', async (_name, who, status) => {
      const before = await scriptRows();
      await create(t[who], { path: `u/matrix/${who}`, language: 'bash', content: 'echo hi' }).expect(status);
      expect(await scriptRows()).toBe(before + (status === 201 ? 1 : 0));
    });

    it('answers 401 without a token or with a revoked one', async () => {
      await request(gw.server).post('/api/w/acme/scripts/create').send({ path: 'u/x/y', language: 'bash', content: 'x' }).expect(401);
      await create(revoked, { path: 'u/x/y', language: 'bash', content: 'x' }).expect(401);
    });
  });

  describe('GET /api/w/{ws}/scripts/get/p/{path} and list', () => {
    it('answers 404 to an unknown path and 400 to a malformed one', async () => {
      const res = await request(gw.server).get('/api/w/acme/scripts/get/p/u/nobody/nothing').set(bearer(t.operator)).expect(404);
      expect(res.body.error.message).toBe('script u/nobody/nothing not found in workspace acme');
      await request(gw.server).get('/api/w/acme/scripts/get/p/x/BAD').set(bearer(t.operator)).expect(400);
    });

    it('lists the latest version of each path, without content, filtered and paged', async () => {
      const all = await request(gw.server).get('/api/w/acme/scripts/list').set(bearer(t.operator)).expect(200);
      const items = all.body as Array<Record<string, unknown>>;
      const paths = items.map((i) => i.path);
      expect(paths).toEqual([...paths].sort());
      expect(new Set(paths).size).toBe(paths.length);
      expect(items.find((i) => i.path === 'u/dev/versions')).toMatchObject({ version: 3, language: 'bash' });
      expect(items.every((i) => !('content' in i))).toBe(true);
      const filtered = await request(gw.server).get('/api/w/acme/scripts/list?path_start=f/lang/').set(bearer(t.operator)).expect(200);
      expect(filtered.body.map((i: { path: string }) => i.path)).toEqual(['f/lang/bash', 'f/lang/nodejs', 'f/lang/python3']);
      const page2 = await request(gw.server).get('/api/w/acme/scripts/list?path_start=f/lang/&per_page=2&page=2').set(bearer(t.operator)).expect(200);
      expect(page2.body.map((i: { path: string }) => i.path)).toEqual(['f/lang/python3']);
    });

    it.each([
      ['per_page=0', /per_page must not be less than 1/],
      ['page=abc', /page must be an integer/],
      ['sort=path', /property sort should not exist/],
    ])('answers 400 to list?%s', async (query, message) => {
      const res = await request(gw.server).get(`/api/w/acme/scripts/list?${query}`).set(bearer(t.operator)).expect(400);
      expect(res.body.error.message).toMatch(message);
    });

    it.each([
      ['superadmin', 'superadmin', 200],
      ['admin', 'admin', 200],
      ['developer', 'developer', 200],
      ['operator', 'operator', 200],
      ['non-member', 'outsider', 404],
    ] as const)('role matrix: %s reading gets %i', async (_name, who, status) => {
      await request(gw.server).get('/api/w/acme/scripts/get/p/u/dev/greet').set(bearer(t[who])).expect(status);
      await request(gw.server).get('/api/w/acme/scripts/list').set(bearer(t[who])).expect(status);
    });

    it('answers 401 to reads without a token or with a revoked one', async () => {
      await request(gw.server).get('/api/w/acme/scripts/list').expect(401);
      await request(gw.server).get('/api/w/acme/scripts/get/p/u/dev/greet').set(bearer(revoked)).expect(401);
    });

    it('keeps workspaces apart', async () => {
      await request(gw.server).post('/api/workspaces/create').set(bearer(t.developer)).send({ id: 'other', name: 'Other' }).expect(201);
      await request(gw.server).get('/api/w/other/scripts/get/p/u/dev/greet').set(bearer(t.developer)).expect(404);
      const list = await request(gw.server).get('/api/w/other/scripts/list').set(bearer(t.developer)).expect(200);
      expect(list.body).toEqual([]);
    });
  });
});
