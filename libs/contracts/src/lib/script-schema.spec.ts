import { ScriptSchema, validateArgs } from './script-schema';

const schema: ScriptSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, n: { type: 'integer', default: 1 }, ratio: { type: 'number' }, flag: { type: 'boolean' }, tags: { type: 'array' }, cfg: { type: 'object' }, raw: { type: 'any' } },
  required: ['name'],
  order: ['name', 'n', 'ratio', 'flag', 'tags', 'cfg', 'raw'],
};

describe('validateArgs', () => {
  it('accepts good args', () => {
    expect(validateArgs(schema, { name: 'x', n: 2, ratio: 2, flag: false, tags: [], cfg: {}, raw: [1] })).toEqual([]);
  });

  it.each([
    ['a missing required argument', {}, /"name" is required/],
    ['a wrong type', { name: 3 }, /"name" must be a string, got integer/],
    ['a float for an integer', { name: 'x', n: 1.5 }, /"n" must be an integer, got number/],
    ['an object for an array', { name: 'x', tags: {} }, /"tags" must be an array, got object/],
    ['an unknown argument', { name: 'x', nmae: 1 }, /"nmae" is not a parameter of main/],
  ])('reports %s', (_n, args, message) => {
    expect(validateArgs(schema, args).join('; ')).toMatch(message);
  });
});
