import { backoffDelayMs, refusalCode, RECONNECT_BACKOFF, shouldApplyUpdate } from '../../wallboard/src/lib/board-sync.js';

describe('refusalCode', () => {
  it("reads the server's refusal from a connect_error's message or data", () => {
    expect(refusalCode(Object.assign(new Error('token_revoked'), { data: { code: 'token_revoked', message: 'x' } }))).toBe('token_revoked');
    expect(refusalCode(new Error('token_invalid'))).toBe('token_invalid');
    expect(refusalCode(Object.assign(new Error('Unauthorized'), { data: { code: 'token_missing' } }))).toBe('token_missing');
  });
  it('treats anything else as a transient failure worth retrying', () => {
    expect(refusalCode(new Error('websocket error'))).toBeNull();
    expect(refusalCode(new Error('timeout'))).toBeNull();
    expect(refusalCode(Object.assign(new Error('x'), { data: { code: 'something_else' } }))).toBeNull();
    expect(refusalCode(null)).toBeNull();
    expect(refusalCode('token_invalid')).toBeNull();
  });
});

describe('shouldApplyUpdate', () => {
  it('applies only updates newer than the last applied one', () => {
    expect(shouldApplyUpdate(null, 0)).toBe(true);
    expect(shouldApplyUpdate(5, 6)).toBe(true);
    expect(shouldApplyUpdate(5, 5)).toBe(false);
    expect(shouldApplyUpdate(5, 3)).toBe(false);
  });
});

describe('backoffDelayMs', () => {
  const noJitter = () => 0.5; // random() * 2 - 1 === 0
  it('doubles from 1 s up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => backoffDelayMs(a, RECONNECT_BACKOFF, noJitter))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
  it('randomises within ±jitter and never exceeds the cap', () => {
    expect(backoffDelayMs(2, RECONNECT_BACKOFF, () => 0)).toBe(2_000);
    expect(backoffDelayMs(2, RECONNECT_BACKOFF, () => 1)).toBe(6_000);
    expect(backoffDelayMs(10, RECONNECT_BACKOFF, () => 1)).toBe(30_000);
  });
});
