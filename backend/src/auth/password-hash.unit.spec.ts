import { hashPassword, parsePasswordHash, verifyPassword } from './password-hash';

describe('operator password hashes (scrypt)', () => {
  it('verifies the password it was made from and nothing else', async () => {
    const stored = parsePasswordHash(await hashPassword('correct horse'))!;
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct hors', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it.each([
    'plain-password',
    'bcrypt$2b$10$abc',
    'scrypt$1000$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA', // N not a power of two
    'scrypt$32768$8$1$c2E$aGFzaGhhc2hoYXNoaGFzaA', // salt too short
    'scrypt$32768$8$1$c2FsdHNhbHQ$aGFzaA', // hash too short
    'scrypt$32768$8$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA', // a field missing
  ])('refuses %s as a stored hash', (encoded) => {
    expect(parsePasswordHash(encoded)).toBeNull();
  });
});
