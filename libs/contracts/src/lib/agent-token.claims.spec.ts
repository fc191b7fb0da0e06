import { parseAgentClaims } from './agent-token.claims';

const valid = { worker_group: 'edge', tags: ['a', 'b:c'], jti: '2f0c5f0e-4a8e-4a53-9d8f-0f6b1a0f2f11', iat: 1, exp: 2, aud: 'agent' };

describe('parseAgentClaims', () => {
  it('accepts well-formed claims', () => {
    const r = parseAgentClaims(valid);
    expect('claims' in r && r.claims.tags).toEqual(['a', 'b:c']);
  });

  it.each([
    ['a wrong audience', { aud: 'user' }, /aud/],
    ['no tags', { tags: [] }, /tags/],
    ['a malformed tag', { tags: ['ok', 'not ok'] }, /each tag/],
    ['a bad worker group', { worker_group: 'Bad Group' }, /worker_group/],
    ['a non-uuid jti', { jti: 'x' }, /jti/],
  ])('refuses %s', (_n, patch, message) => {
    const r = parseAgentClaims({ ...valid, ...patch });
    expect('problems' in r).toBe(true);
    expect(('problems' in r ? r.problems : []).join('; ')).toMatch(message);
  });
});
