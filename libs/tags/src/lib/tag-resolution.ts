import { isValidTag } from './tag-syntax';
import { TagResolutionError, TagResolutionErrorCode } from './tag-resolution.error';

export const JOB_KINDS = ['script', 'preview', 'flow', 'flowstep', 'dependency', 'init'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const SCRIPT_LANGUAGES = ['bash', 'python3', 'nodejs', 'typescript'] as const;
export type ScriptLanguage = (typeof SCRIPT_LANGUAGES)[number];

export interface TagInputs {
  workspace: string;
  kind: JobKind;
  language?: ScriptLanguage | null;
  /** Per-request override (`?tag=`), first choice. */
  explicit?: string | null;
  /** The script's own tag template, second choice. */
  scriptTag?: string | null;
  args?: Record<string, unknown>;
  /** Instance setting WORKSPACE_SPECIFIC_DEFAULT_TAGS: defaults become `<tag>-<workspace>`. */
  workspaceSpecificDefaults?: boolean;
}

/** The tag a job gets when neither the request nor the script names one. */
export function defaultTag(kind: JobKind, language?: ScriptLanguage | null): string {
  switch (kind) {
    case 'flow':
      return 'flow';
    case 'dependency':
      return 'dependency';
    case 'script':
    case 'preview':
    case 'flowstep':
    case 'init':
      return languageTag(language ?? 'bash');
  }
}

function languageTag(language: ScriptLanguage): string {
  switch (language) {
    case 'bash':
      return 'bash';
    case 'python3':
      return 'python3';
    case 'nodejs':
    case 'typescript':
      return 'nodejs';
  }
}

const DYNAMIC_PART = /\$workspace|\$args\[(\w+)\]/g;

/** Fills `$workspace` and `$args[name]` in a tag template. */
export function fillDynamicTag(template: string, workspace: string, args: Record<string, unknown> = {}): string {
  return template.replace(DYNAMIC_PART, (whole, name: string | undefined) => {
    if (name === undefined) return workspace;
    if (!Object.prototype.hasOwnProperty.call(args, name) || args[name] === undefined) {
      throw new TagResolutionError(TagResolutionErrorCode.MissingArgument, `tag ${JSON.stringify(template)} needs argument "${name}", which was not given`);
    }
    const value = args[name];
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
    throw new TagResolutionError(TagResolutionErrorCode.UnusableArgument, `tag ${JSON.stringify(template)} uses argument "${name}", which is ${what}; only strings, numbers and booleans can fill a tag (in ${whole})`);
  });
}

/**
 * Resolves a job's tag: explicit override → script tag → default for its kind/language
 * (suffixed `-<workspace>` when workspace-specific defaults are on); dynamic parts are
 * filled at push time and the result must be a well-formed tag.
 */
export function resolveTag(i: TagInputs): string {
  const template = nonEmpty(i.explicit) ?? nonEmpty(i.scriptTag);
  let tag: string;
  if (template !== undefined) {
    tag = fillDynamicTag(template, i.workspace, i.args);
  } else {
    const base = defaultTag(i.kind, i.language);
    tag = i.workspaceSpecificDefaults ? `${base}-${i.workspace}` : base;
  }
  if (!isValidTag(tag)) {
    throw new TagResolutionError(TagResolutionErrorCode.InvalidTag, `tag ${JSON.stringify(tag)} is not valid: a tag is 1-100 characters of A-Z a-z 0-9 _ . : -`);
  }
  return tag;
}

function nonEmpty(s: string | null | undefined): string | undefined {
  return s === null || s === undefined || s.trim() === '' ? undefined : s;
}
