// Integration secrets encrypted at rest with AES-256-GCM. The key comes from SECRETS_KEY (32 bytes,
// base64); when that is unset, one is generated once and kept in `<data dir>/secrets.key` (mode
// 0600) so the embedded demo works without setup. Losing the key makes stored secrets unreadable:
// the integrations must then be created again.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 'v1';

/** The 32-byte key from a base64 string; throws with a message naming SECRETS_KEY otherwise. */
export function parseSecretsKey(base64: string, origin = 'SECRETS_KEY'): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) {
    throw new Error(`${origin} must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`), got ${key.length} bytes`);
  }
  return key;
}

/** The key file under the data dir, created on first use with a fresh random key. */
export function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = join(dataDir, 'secrets.key');
  try {
    return parseSecretsKey(readFileSync(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': if another process created it meanwhile, use theirs.
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseSecretsKey(readFileSync(file, 'utf8'), file);
}

export class SecretBox {
  private key: Buffer | null = null;

  /** `load` runs on first use, so a server that never touches an integration never creates a key file. */
  constructor(private readonly load: () => Buffer) {}

  static fromEnvironment(secretsKey: string | undefined, dataDir: string): SecretBox {
    if (secretsKey) {
      const key = parseSecretsKey(secretsKey);
      return new SecretBox(() => key);
    }
    return new SecretBox(() => loadOrCreateKeyFile(dataDir));
  }

  private getKey(): Buffer {
    this.key ??= this.load();
    return this.key;
  }

  /** `context` (the integration id) is authenticated with the ciphertext: a secret copied onto
   * another row does not decrypt. */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.getKey(), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** Throws when the value was not encrypted under this key and context. */
  decrypt(sealed: string, context: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new Error('not an encrypted secret');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.getKey(), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
