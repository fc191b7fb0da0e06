import { loadConfig } from '@millrace/server-kit';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GatewayConfig } from '../config/api-gateway.config';
import { KeyStore, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from './key-store';

describe('KeyStore', () => {
  let dir: string;
  const config = (env: Record<string, string> = {}) => loadConfig(GatewayConfig, { DATABASE_URL: 'postgres://u@127.0.0.1:1/db', MILLRACE_DATA_DIR: dir, ...env });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'millrace-keys-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates an ES256 key pair once, private key mode 0600, public key beside it', () => {
    const first = new KeyStore(config());
    const priv = path.join(dir, 'keys', PRIVATE_KEY_FILE);
    const pub = path.join(dir, 'keys', PUBLIC_KEY_FILE);
    expect(statSync(priv).mode & 0o777).toBe(0o600);
    expect(readFileSync(pub, 'utf8')).toBe(first.publicKeyPem);
    expect(createPrivateKey(first.privateKeyPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    // The public key really verifies what the private key signs.
    const sig = sign('sha256', Buffer.from('x'), first.privateKeyPem);
    expect(verify('sha256', Buffer.from('x'), first.publicKeyPem, sig)).toBe(true);
    const second = new KeyStore(config());
    expect(second.privateKeyPem).toBe(first.privateKeyPem);
  });

  it('uses JWT_PRIVATE_KEY when given and writes nothing', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // Environments often carry PEMs on one line with literal \n.
    const ks = new KeyStore(config({ JWT_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }));
    expect(ks.publicKeyPem).toBe(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString());
    expect(() => statSync(path.join(dir, 'keys'))).toThrow(/ENOENT/);
  });

  it('refuses a key that is not EC P-256', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => new KeyStore(config({ JWT_PRIVATE_KEY: pem }))).toThrow(/JWT_PRIVATE_KEY is not an EC P-256 private key/);
  });
});
