// The signature functions on their own: Twilio's documented examples, signatures built here, and the
// generic webhook's HMAC; plus the secret box the integration secrets are stored in.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { readAppConfig } from '../../server/config/app-config.js';
import { loadOrCreateKeyFile, SecretBox } from '../../server/integrations/secret-box.js';
import { twilioSignature, verifyTwilioSignature, verifyWebhookSignature, webhookSignature } from '../../server/integrations/signatures.js';

describe("Twilio's X-Twilio-Signature", () => {
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = (caller: string) => ({ CallSid: 'CA1234567890ABCDE', Caller: caller, Digits: '1234', From: caller, To: '+18005551212' });

  // Twilio's request-validation example (api-snippets security/signature_validation, auth token 12345).
  it("reproduces Twilio's documented example", () => {
    expect(twilioSignature('12345', url, params('+14158675310'))).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(verifyTwilioSignature('12345', 'GvWf1cFY/Q7PnoempGyD5oXAezc=', url, params('+14158675310'))).toBe(true);
  });

  // The same example as the older twilio-php documentation gives it (a different caller number).
  it("reproduces the older twilio-php documentation's example", () => {
    expect(twilioSignature('12345', url, params('+14158675309'))).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('matches a signature built here from the documented recipe, and rejects any change', () => {
    const p = { To: '+15550001', CallStatus: 'ringing', CallSid: 'CAabc', From: '+15550002', Empty: '' };
    const data = url + 'CallSidCAabc' + 'CallStatusringing' + 'Empty' + 'From+15550002' + 'To+15550001';
    const expected = createHmac('sha1', 'token-xyz').update(data).digest('base64');
    expect(twilioSignature('token-xyz', url, p)).toBe(expected);
    expect(verifyTwilioSignature('token-xyz', expected, url, p)).toBe(true);
    expect(verifyTwilioSignature('token-xyz', expected, url, { ...p, CallStatus: 'completed' })).toBe(false);
    expect(verifyTwilioSignature('token-xyz', expected, url + '&x=1', p)).toBe(false);
    expect(verifyTwilioSignature('other-token', expected, url, p)).toBe(false);
    expect(verifyTwilioSignature('token-xyz', expected.slice(0, -2), url, p)).toBe(false);
    expect(verifyTwilioSignature('token-xyz', '', url, p)).toBe(false);
  });

  it('signs a repeated parameter with each value, sorted', () => {
    const expected = createHmac('sha1', 't').update('https://x.test/a1a2b9').digest('base64');
    expect(twilioSignature('t', 'https://x.test/', { a: ['2', '1'], b: '9' })).toBe(expected);
  });

  it('accepts the URL with or without the default port, as Twilio may sign either', () => {
    const p = { CallSid: 'CA1' };
    const withPort = twilioSignature('t', 'https://example.test:443/cb?x=1', p);
    expect(verifyTwilioSignature('t', withPort, 'https://example.test/cb?x=1', p)).toBe(true);
    const without = twilioSignature('t', 'https://example.test/cb', p);
    expect(verifyTwilioSignature('t', without, 'https://example.test:443/cb', p)).toBe(true);
    expect(verifyTwilioSignature('t', without, 'https://example.test:8443/cb', p)).toBe(true);
    expect(verifyTwilioSignature('t', without, 'http://example.test/cb', p)).toBe(false);
  });
});

describe('generic webhook signature', () => {
  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<raw body>"', () => {
    const body = '{"type":"lead"}';
    const expected = 'sha256=' + createHmac('sha256', 'sekret').update(`1700000000.${body}`).digest('hex');
    expect(webhookSignature('sekret', '1700000000', body)).toBe(expected);
    expect(verifyWebhookSignature('sekret', expected, '1700000000', Buffer.from(body))).toBe(true);
    expect(verifyWebhookSignature('sekret', expected.toUpperCase().replace('SHA256', 'sha256'), '1700000000', Buffer.from(body))).toBe(true);
    expect(verifyWebhookSignature('sekret', expected, '1700000001', Buffer.from(body))).toBe(false);
    expect(verifyWebhookSignature('sekret', expected, '1700000000', Buffer.from(body + ' '))).toBe(false);
    expect(verifyWebhookSignature('other', expected, '1700000000', Buffer.from(body))).toBe(false);
  });
});

describe('secret box', () => {
  it('round-trips a secret, bound to its row id, and refuses another key', () => {
    const box = new SecretBox(() => randomBytes(32));
    const sealed = box.encrypt('auth-token-1', 'row-1');
    expect(sealed).not.toContain('auth-token-1');
    expect(box.decrypt(sealed, 'row-1')).toBe('auth-token-1');
    expect(() => box.decrypt(sealed, 'row-2')).toThrow();
    expect(() => new SecretBox(() => randomBytes(32)).decrypt(sealed, 'row-1')).toThrow();
    expect(box.encrypt('auth-token-1', 'row-1')).not.toBe(sealed);
  });

  it('rejects a SECRETS_KEY that is not 32 bytes', () => {
    expect(() => SecretBox.fromEnvironment('c2hvcnQ=', '/nonexistent')).toThrow(/SECRETS_KEY must be 32 bytes/);
    expect(() => SecretBox.fromEnvironment(randomBytes(32).toString('base64'), '/nonexistent')).not.toThrow();
  });

  it('takes SECRETS_KEY from the configuration, unset when empty', () => {
    const key = randomBytes(32).toString('base64');
    expect(readAppConfig({ SECRETS_KEY: key }).secretsKey).toBe(key);
    expect(readAppConfig({ SECRETS_KEY: '' }).secretsKey).toBeUndefined();
    expect(readAppConfig({}).secretsKey).toBeUndefined();
  });

  it('creates data/secrets.key once, mode 0600, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-secrets-'));
    try {
      const key = loadOrCreateKeyFile(join(dir, 'data'));
      expect(key).toHaveLength(32);
      expect(statSync(join(dir, 'data', 'secrets.key')).mode & 0o777).toBe(0o600);
      expect(loadOrCreateKeyFile(join(dir, 'data')).equals(key)).toBe(true);
      const sealed = SecretBox.fromEnvironment(undefined, join(dir, 'data')).encrypt('x', 'id');
      expect(SecretBox.fromEnvironment(undefined, join(dir, 'data')).decrypt(sealed, 'id')).toBe('x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
