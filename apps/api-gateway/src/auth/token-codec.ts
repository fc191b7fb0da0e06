import { createHash, randomBytes } from 'node:crypto';

/** Marks Millrace tokens, so secret scanners and people can recognise one. */
export const TOKEN_MARK = 'mr_';
/** Characters of a token shown in listings and used to revoke it (mark + 9 random). */
export const TOKEN_PREFIX_LENGTH = 12;
const TOKEN_PATTERN = /^mr_[A-Za-z0-9_-]{32}$/;

export interface NewToken {
  /** The secret: shown once, never stored. */
  token: string;
  prefix: string;
  hash: string;
}

/** SHA-256 is enough here: tokens carry 192 random bits, so there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): NewToken {
  const token = TOKEN_MARK + randomBytes(24).toString('base64url');
  return { token, prefix: token.slice(0, TOKEN_PREFIX_LENGTH), hash: hashToken(token) };
}

export function looksLikeToken(text: string): boolean {
  return TOKEN_PATTERN.test(text);
}
