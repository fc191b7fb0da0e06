/** An escaped NUL (`\u0000`) not itself preceded by an escaping backslash. */
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * JSON text for a jsonb parameter. Sent as text (and cast in SQL) because node-postgres
 * would turn a JS array inside an array parameter into a nested PostgreSQL array.
 * `undefined` becomes SQL NULL.
 */
export function toJsonText(value: unknown): string | null {
  const text = JSON.stringify(value);
  return text === undefined ? null : text;
}

/** Does this JSON text hold a NUL character, which jsonb cannot store? */
export function jsonHasNul(text: string): boolean {
  ESCAPED_NUL.lastIndex = 0;
  return ESCAPED_NUL.test(text);
}

/**
 * JSON text for a result or error reported by a worker. A NUL character cannot be stored in
 * jsonb; refusing the completion would make the worker retry forever, so it becomes U+FFFD.
 */
export function toStorableJsonText(value: unknown): string | null {
  const text = toJsonText(value);
  return text === null ? null : text.replace(ESCAPED_NUL, '$1\\ufffd');
}
