// The two request signatures integrations use. Pure functions, tested against Twilio's documented example.

import { createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters as express's urlencoded parser gives them (a repeated name gives an array). */
export type FormParams = Record<string, string | string[] | undefined>;

/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, of the full URL Twilio
 * requested followed by every POST parameter sorted by name, each name immediately followed by its
 * value (a repeated name contributes each of its values, sorted). */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = value === undefined ? [] : Array.isArray(value) ? [...value].sort() : [value];
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of the input.
  if (left.length !== right.length) {
    timingSafeEqual(right, right);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** The URL without any port and with the scheme's default port when it has none: Twilio's own
 * helper libraries accept either, since Twilio may sign `https://host:443/...` or `https://host/...`. */
function urlVariants(url: string): string[] {
  const match = /^(https?:\/\/)([^/?#]*@)?(\[[^\]]*\]|[^/?#:]*)(:\d+)?(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme = '', userInfo = '', host = '', port, rest = ''] = match;
  const defaultPort = scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return [...new Set([url, scheme + userInfo + host + rest, scheme + userInfo + host + (port ?? defaultPort) + rest])];
}

/** Whether `signature` is Twilio's signature of this request under `authToken`, compared in constant time. */
export function verifyTwilioSignature(authToken: string, signature: string, url: string, params: FormParams): boolean {
  let valid = false;
  for (const candidate of urlVariants(url)) {
    if (safeEqual(twilioSignature(authToken, candidate, params), signature)) valid = true;
  }
  return valid;
}

/** The generic webhook's signature: `sha256=` and the hex HMAC-SHA256 of "<timestamp>.<raw body>". */
export function webhookSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`, 'utf8');
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

export function verifyWebhookSignature(secret: string, signature: string, timestamp: string, rawBody: Buffer): boolean {
  return safeEqual(webhookSignature(secret, timestamp, rawBody), signature.trim().toLowerCase());
}
