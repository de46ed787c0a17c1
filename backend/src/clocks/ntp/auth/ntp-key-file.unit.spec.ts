import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNtpKey, NtpKeyFileError, parseNtpKeyFile } from './ntp-key-file';

describe('chrony keyfile lines', () => {
  it('reads HEX, ASCII and bare keys, types in any case, MD5 by default, and skips comments', () => {
    const keys = parseNtpKeyFile(
      [
        '# lab keys',
        '1 SHA1 HEX:' + 'ab'.repeat(20),
        '  2 sha256 ASCII:correct-horse',
        '! another comment style',
        '3 plainsecret',
        '4 AES128 HEX:' + '00'.repeat(16),
        '',
      ].join('\n'),
    );
    expect([...keys.keys()]).toEqual([1, 2, 3, 4]);
    expect(keys.get(2)).toEqual({ id: 2, type: 'SHA256', secret: Buffer.from('correct-horse') });
    expect(keys.get(1)).toEqual({ id: 1, type: 'SHA1', secret: Buffer.alloc(20, 0xab) });
    expect(keys.get(3)).toEqual({ id: 3, type: 'MD5', secret: Buffer.from('plainsecret') });
    expect(keys.get(4)?.type).toBe('AES128');
  });

  it('splits on whitespace, so an ASCII key with a space is not a three-field line', () => {
    expect(() => parseNtpKeyFile('2 SHA256 ASCII:correct horse')).toThrow(/line 1: expected "<id> \[<type>\] <key>"/);
  });

  it.each([
    ['0 SHA1 HEX:abcd', /line 1: key id "0" is not in 1–4294967295/],
    ['4294967296 SHA1 HEX:abcd', /key id "4294967296"/],
    ['x SHA1 HEX:abcd', /key id "x"/],
    ['1 GOST HEX:abcd', /unsupported key type "GOST" \(supported: MD5, SHA1/],
    ['1 SHA1 HEX:abc', /HEX key must be an even number of hex digits/],
    ['1 SHA1 HEX:zz', /HEX key must be/],
    ['1 AES128 HEX:' + '00'.repeat(20), /an AES128 key must be 16 bytes, got 20/],
    ['1 SHA1 HEX:abcd\n1 SHA1 HEX:abcd', /line 2: key id 1 is defined twice/],
    ['1', /line 1: expected/],
  ])('refuses %j, naming the line and the problem', (content, message) => {
    expect(() => parseNtpKeyFile(content)).toThrow(message);
  });

  it('never puts the secret in an error message', () => {
    const secret = 'deadbeef'.repeat(5);
    const attempt = (): Map<number, unknown> => parseNtpKeyFile(`1 AES128 HEX:${secret}`);
    expect(attempt).toThrow(NtpKeyFileError);
    expect(() => attempt()).not.toThrow(new RegExp(secret));
  });
});

describe('loadNtpKey (NTP_KEY_FILE + NTP_KEY_ID)', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'ntp-keys-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('returns the key with that id', () => {
    const path = join(directory, 'chrony.keys');
    writeFileSync(path, '10 SHA256 HEX:' + '11'.repeat(32) + '\n');
    expect(loadNtpKey(path, 10)).toMatchObject({ id: 10, type: 'SHA256' });
  });

  it('says which setting is wrong: a missing id concerns the key id, an unreadable file the file', () => {
    const path = join(directory, 'one.keys');
    writeFileSync(path, '1 SHA1 HEX:' + '22'.repeat(20));
    expect(() => loadNtpKey(path, 2)).toThrow(expect.objectContaining({ concerns: 'key-id' }));
    expect(() => loadNtpKey(join(directory, 'absent.keys'), 1)).toThrow(
      expect.objectContaining({ concerns: 'key-file', message: expect.stringMatching(/cannot read .*ENOENT/) }),
    );
  });
});
