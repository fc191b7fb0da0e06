'use strict';
/**
 * esbuild escapes non-ASCII characters in strings and identifiers but leaves them in regular
 * expression literals (validator's locale alphabets, in the self-contained agent-worker). One
 * such character makes V8 keep the whole file's source as a two-byte string: 11.7 MB of the
 * agent's memory instead of 5.9 MB, which every job's fork then copies page tables for.
 *
 * `\uXXXX` means the same in a string, a regular expression and an identifier; an escaped
 * character (`\é`, an identity escape) becomes the escape alone. Surrogate pairs are escaped
 * half by half, which is how a string or a regular expression spells them anyway.
 */
function asciiOnly(code) {
  return code.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, ch) => {
    const escaped = `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    return (slashes.length % 2 === 1 ? slashes.slice(1) : slashes) + escaped;
  });
}

module.exports = { asciiOnly };
