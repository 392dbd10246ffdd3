import { describe, expect, it } from '@jest/globals';
import { COMMON_PASSWORDS, generatePassword, hashPassword, needsRehash, passwordProblem, verifyPassword } from '../../server/users/passwords.js';

describe('passwords', () => {
  it('hashes with scrypt and its parameters, and verifies', async () => {
    const hash = await hashPassword('a long enough password');
    expect(hash).toMatch(/^scrypt\$ln=15,r=8,p=1\$/);
    expect(await verifyPassword('a long enough password', hash)).toBe(true);
    expect(await verifyPassword('a long enough passworD', hash)).toBe(false);
    expect(await verifyPassword('x', 'not a hash')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
    expect(needsRehash(hash.replace('ln=15', 'ln=14'))).toBe(true);
  });

  it('refuses short, over-long and the 20 most common passwords', () => {
    expect(COMMON_PASSWORDS.size).toBe(20);
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(300))).toMatch(/at most/);
    expect(passwordProblem(generatePassword())).toBeNull();
  });
});
