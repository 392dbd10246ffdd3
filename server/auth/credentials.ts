import { createHash, randomBytes } from 'node:crypto';

export type CredentialKind = 'ingest' | 'display';

const PREFIX: Record<CredentialKind, string> = { ingest: 'lwk_', display: 'lwd_' };

/** A new random secret: 32 bytes, base64url, with a kind prefix so a leaked one is recognisable. */
export function newSecret(kind: CredentialKind): { secret: string; hash: string; prefix: string } {
  const secret = PREFIX[kind] + randomBytes(32).toString('base64url');
  return { secret, hash: hashSecret(secret), prefix: secret.slice(0, 10) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLike(kind: CredentialKind, secret: string): boolean {
  return secret.startsWith(PREFIX[kind]) && secret.length > 20 && secret.length < 100;
}
