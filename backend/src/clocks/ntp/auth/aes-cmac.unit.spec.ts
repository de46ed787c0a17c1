import { aesCmac } from './aes-cmac';

/** The four examples of RFC 4493 §4 (AES-128), each a different last-block case. */
const key = Buffer.from('2b7e151628aed2a6abf7158809cf4f3c', 'hex');
const message64 =
  '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710';

describe('AES-CMAC (RFC 4493 examples)', () => {
  it.each([
    ['an empty message (one padded block)', 0, 'bb1d6929e95937287fa37d129b756746'],
    ['one complete block', 16, '070a16b46b4d4144f79bdd9dd04a287c'],
    ['two and a half blocks (padded last block)', 40, 'dfa66747de9ae63030ca32611497c827'],
    ['four complete blocks', 64, '51f0bebf7e3b9d92fc49741779363cfe'],
  ])('given %s, the MAC is the RFC one', (_label, length, expected) => {
    const message = Buffer.from(message64, 'hex').subarray(0, length);
    expect(aesCmac(key, message).toString('hex')).toBe(expected);
  });

  it('given a 32-byte key, uses AES-256; any other key length is refused', () => {
    expect(aesCmac(Buffer.alloc(32, 7), Buffer.alloc(48))).toHaveLength(16);
    expect(() => aesCmac(Buffer.alloc(20), Buffer.alloc(48))).toThrow(RangeError);
  });
});
