import { generateKeyPairSync } from 'node:crypto';

/** An ES256 (P-256) key pair in PEM, like the gateway's: it signs, services verify. */
export interface KeyPair {
  privatePem: string;
  publicPem: string;
}

export function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
