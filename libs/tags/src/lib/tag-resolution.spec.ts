import { resolveTag, TagInputs } from './tag-resolution';
import { TagResolutionError, TagResolutionErrorCode } from './tag-resolution.error';
import { isNormalWorkerOnlyTag, isValidTag } from './tag-syntax';

const ws = 'acme';

describe('resolveTag', () => {
  const good: Array<[string, Partial<TagInputs>, string]> = [
    ['bash default', { kind: 'script', language: 'bash' }, 'bash'],
    ['python default', { kind: 'script', language: 'python3' }, 'python3'],
    ['nodejs default', { kind: 'script', language: 'nodejs' }, 'nodejs'],
    ['typescript runs on nodejs workers', { kind: 'preview', language: 'typescript' }, 'nodejs'],
    ['flow default', { kind: 'flow' }, 'flow'],
    ['dependency default', { kind: 'dependency', language: 'python3' }, 'dependency'],
    ['workspace-specific default', { kind: 'script', language: 'bash', workspaceSpecificDefaults: true }, 'bash-acme'],
    ['workspace-specific flow', { kind: 'flow', workspaceSpecificDefaults: true }, 'flow-acme'],
    ['script tag beats default', { kind: 'script', language: 'bash', scriptTag: 'gpu' }, 'gpu'],
    ['explicit beats script tag', { kind: 'script', language: 'bash', scriptTag: 'gpu', explicit: 'cpu' }, 'cpu'],
    ['blank explicit falls through', { kind: 'script', language: 'bash', scriptTag: 'gpu', explicit: '  ' }, 'gpu'],
    ['script tag is not suffixed', { kind: 'script', language: 'bash', scriptTag: 'gpu', workspaceSpecificDefaults: true }, 'gpu'],
    ['$workspace', { kind: 'script', scriptTag: 'site-$workspace' }, 'site-acme'],
    ['$args string', { kind: 'script', scriptTag: 'region-$args[region]', args: { region: 'eu-west' } }, 'region-eu-west'],
    ['$args number', { kind: 'script', scriptTag: 'shard-$args[n]', args: { n: 7 } }, 'shard-7'],
    ['$args boolean', { kind: 'script', scriptTag: 'gpu:$args[gpu]', args: { gpu: true } }, 'gpu:true'],
    ['several parts', { kind: 'script', scriptTag: '$workspace.$args[a].$args[b]', args: { a: 'x', b: 2 } }, 'acme.x.2'],
    ['dynamic explicit', { kind: 'script', explicit: '$args[site]', args: { site: 'edge_1' } }, 'edge_1'],
  ];

  it.each(good)('%s', (_name, input, expected) => {
    expect(resolveTag({ workspace: ws, kind: 'script', ...input })).toBe(expected);
  });

  const bad: Array<[string, Partial<TagInputs>, TagResolutionErrorCode, RegExp]> = [
    ['missing argument', { scriptTag: 'r-$args[region]', args: {} }, TagResolutionErrorCode.MissingArgument, /argument "region"/],
    ['object argument', { scriptTag: 'r-$args[region]', args: { region: { a: 1 } } }, TagResolutionErrorCode.UnusableArgument, /region.*an object/],
    ['array argument', { scriptTag: '$args[xs]', args: { xs: [1] } }, TagResolutionErrorCode.UnusableArgument, /an array/],
    ['null argument', { scriptTag: '$args[x]', args: { x: null } }, TagResolutionErrorCode.UnusableArgument, /null/],
    ['resolves to a space', { scriptTag: 'r-$args[region]', args: { region: 'eu west' } }, TagResolutionErrorCode.InvalidTag, /"r-eu west" is not valid/],
    ['resolves to empty', { scriptTag: '$args[x]', args: { x: '' } }, TagResolutionErrorCode.InvalidTag, /not valid/],
    ['too long', { scriptTag: '$args[x]', args: { x: 'a'.repeat(101) } }, TagResolutionErrorCode.InvalidTag, /not valid/],
    ['bad literal', { explicit: 'no/slash' }, TagResolutionErrorCode.InvalidTag, /not valid/],
    ['unknown placeholder stays literal and is refused', { scriptTag: '$other' }, TagResolutionErrorCode.InvalidTag, /not valid/],
  ];

  it.each(bad)('refuses %s', (_name, input, code, message) => {
    let caught: unknown;
    try {
      resolveTag({ workspace: ws, kind: 'script', language: 'bash', ...input });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TagResolutionError);
    expect((caught as TagResolutionError).code).toBe(code);
    expect((caught as TagResolutionError).message).toMatch(message);
  });
});

describe('tag syntax', () => {
  it.each([
    ['a', true],
    ['A.b:c_d-9', true],
    ['x'.repeat(100), true],
    ['x'.repeat(101), false],
    ['', false],
    ['has space', false],
    ['ünïcode', false],
  ])('isValidTag(%j) is %s', (tag, ok) => expect(isValidTag(tag)).toBe(ok));

  it.each([
    ['flow', true],
    ['dependency', true],
    ['flow-acme', true],
    ['dependency-acme', true],
    ['flowers', false],
    ['bash', false],
  ])('isNormalWorkerOnlyTag(%j) is %s', (tag, reserved) => expect(isNormalWorkerOnlyTag(tag)).toBe(reserved));
});
