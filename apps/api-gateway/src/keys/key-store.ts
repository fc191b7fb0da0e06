import { Injectable, Logger } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GatewayConfig } from '../config/api-gateway.config';

export const PRIVATE_KEY_FILE = 'jwt-es256.pem';
export const PUBLIC_KEY_FILE = 'jwt-es256.pub.pem';

function assertP256(key: KeyObject, source: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${source} is not an EC P-256 private key, which ES256 needs`);
  }
}

/**
 * The gateway's ES256 key pair, which signs service tokens (and, later, agent tokens).
 * From JWT_PRIVATE_KEY when set (nothing is written); otherwise generated once under
 * MILLRACE_DATA_DIR/keys (private key mode 0600) and reused on every start, with the
 * public key beside it for the services that verify.
 */
@Injectable()
export class KeyStore {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  private readonly logger = new Logger('KeyStore');

  constructor(config: GatewayConfig) {
    if (config.JWT_PRIVATE_KEY) {
      const key = createPrivateKey(config.JWT_PRIVATE_KEY);
      assertP256(key, 'JWT_PRIVATE_KEY');
      this.privateKeyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    } else {
      this.privateKeyPem = this.loadOrGenerate(path.resolve(config.MILLRACE_DATA_DIR, 'keys'));
    }
    this.publicKeyPem = createPublicKey(this.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
    if (!config.JWT_PRIVATE_KEY) {
      this.writePublicKey(path.resolve(config.MILLRACE_DATA_DIR, 'keys', PUBLIC_KEY_FILE));
    }
  }

  private loadOrGenerate(dir: string): string {
    const file = path.join(dir, PRIVATE_KEY_FILE);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      try {
        // link() fails if the file exists: when gateways start together, the first key wins
        // and nobody ever reads a half-written file.
        linkSync(tmp, file);
        this.logger.log(`generated an ES256 key pair in ${dir}`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        unlinkSync(tmp);
      }
    }
    const pem = readFileSync(file, 'utf8');
    assertP256(createPrivateKey(pem), file);
    return pem;
  }

  private writePublicKey(file: string): void {
    if (existsSync(file) && readFileSync(file, 'utf8') === this.publicKeyPem) return;
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, this.publicKeyPem, { mode: 0o644, flag: 'wx' });
    renameSync(tmp, file);
  }
}
