// Local-only key material for `npm start`: the ES256 key pair with which the gateway signs
// agent and service tokens (the other apps get only the public key) and the broker's
// job-token secret. Generated on first start and kept in <MILLRACE_DATA_DIR>/secrets.json
// (mode 0600), so tokens minted in one run still verify in the next. Variables already set
// in the environment win: that is how a deployment brings its own.
//
// Run directly, it prints a fresh set as KEY=value lines (PEM newlines as \n, which the apps
// accept), for an env file of docker compose or a Kubernetes Secret:
//   node tools/start/secrets.mjs > .data/compose.env
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * @param {string} dataDir
 * @param {Record<string, string | undefined>} env
 * @returns {{ JWT_PRIVATE_KEY: string, JWT_PUBLIC_KEY: string, JOB_TOKEN_SECRET: string }}
 */
export function localSecrets(dataDir, env) {
  const file = path.join(dataDir, 'secrets.json');
  let stored;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } else {
    stored = freshSecrets();
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  // A key pair comes as a pair: taking one half from the environment and the other from the
  // file would sign with a key nobody verifies with.
  const ownPair = env.JWT_PRIVATE_KEY && env.JWT_PUBLIC_KEY;
  return {
    JWT_PRIVATE_KEY: ownPair ? env.JWT_PRIVATE_KEY : stored.JWT_PRIVATE_KEY,
    JWT_PUBLIC_KEY: ownPair ? env.JWT_PUBLIC_KEY : stored.JWT_PUBLIC_KEY,
    JOB_TOKEN_SECRET: env.JOB_TOKEN_SECRET || stored.JOB_TOKEN_SECRET,
  };
}

function freshSecrets() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { JWT_PRIVATE_KEY: privateKey, JWT_PUBLIC_KEY: publicKey, JOB_TOKEN_SECRET: randomBytes(32).toString('base64url') };
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  for (const [name, value] of Object.entries(freshSecrets())) {
    process.stdout.write(`${name}=${value.trim().replace(/\n/g, '\\n')}\n`);
  }
}
