import { appendMac, verifyMac } from './auth/ntp-mac';
import { parseNtpKeyFile } from './auth/ntp-key-file';
import type { NtpSymmetricKey } from './auth/ntp-symmetric-key';
import { NtpDisciplinedReferenceClock } from './ntp-disciplined-reference-clock';
import { NtpQueryError, type NtpFailureReason } from './ntp-query-error';
import { queryNtpServer } from './sntp-client';
import { chronyUnavailableReason, startChrony, type ChronyServer } from './testing/chrony-server';
import { startFakeNtpServer, type ReplyShaper } from './testing/fake-ntp-server';

/**
 * Issue 14: symmetric-key NTP authentication (RFC 5905 §7.3, RFC 8573).
 * Against chrony on loopback with a keyfile (a real server signing its
 * replies), and against the FAKE dgram server for the replies chrony would
 * never send (wrong key, wrong key id, truncated or missing MAC, KoD).
 */
const KEY_FILE = [
  '# the same file format chronyd reads',
  `1 SHA1 HEX:${'a1'.repeat(20)}`,
  `2 SHA256 HEX:${'b2'.repeat(32)}`,
  `3 AES128 HEX:${'c3'.repeat(16)}`,
  '4 MD5 ASCII:lab-md5-secret',
  `5 SHA512 HEX:${'d4'.repeat(32)}`,
  '',
].join('\n');
const keys = parseNtpKeyFile(KEY_FILE);
const key = (id: number): NtpSymmetricKey => keys.get(id) as NtpSymmetricKey;

const failureOf = async (promise: Promise<unknown>): Promise<NtpQueryError> => {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof NtpQueryError)) throw new Error(`expected an NtpQueryError, got ${String(error)}`);
  return error;
};

const chronyUnavailable = chronyUnavailableReason();
if (chronyUnavailable) console.warn(`Skipping the authenticated chrony tests: ${chronyUnavailable}`);

(chronyUnavailable ? describe.skip : describe)('authenticated NTP against chrony on loopback (keyfile)', () => {
  let chrony: ChronyServer;
  beforeAll(async () => {
    chrony = await startChrony({ keyFile: KEY_FILE });
  });
  afterAll(async () => {
    await chrony?.stop();
  });

  it.each([1, 2, 3, 4, 5])('key %i: the request carries our MAC, chrony signs its reply, we verify it', async (id) => {
    const sample = await queryNtpServer({ host: '127.0.0.1', port: chrony.port, timeoutMs: 1000, key: key(id) });
    expect(sample).toMatchObject({ authenticated: true, stratum: 10 });
    // RFC 5905: one exchange is off by at most δ/2, plus how precisely the host clock could be read.
    expect(Math.abs(sample.offsetMs)).toBeLessThanOrEqual(
      sample.roundTripDelayMs / 2 + 2 * sample.hostClockUncertaintyMs + 0.05,
    );
  });

  it('a key chrony does not hold (same id, other secret) gets no reply: chronyd drops it, we time out', async () => {
    const impostor: NtpSymmetricKey = { ...key(1), secret: Buffer.alloc(20, 0x01) };
    const error = await failureOf(
      queryNtpServer({ host: '127.0.0.1', port: chrony.port, timeoutMs: 400, key: impostor }),
    );
    expect(error.reason).toBe('timeout');
  });

  it('the reference clock syncs through a key and says so in its status', async () => {
    const clock = new NtpDisciplinedReferenceClock({
      server: `127.0.0.1:${chrony.port}`,
      timeoutMs: 1000,
      key: key(2),
    });
    expect(await clock.syncOnce()).toMatchObject({
      state: 'synchronized',
      authentication: { keyId: 2, type: 'SHA256' },
      sources: [expect.objectContaining({ status: 'selected', authenticated: true })],
    });
  });
});

describe('authenticated NTP: replies without a valid MAC are refused (fake server)', () => {
  const ourKey = key(1);
  const signedWith =
    (signing: NtpSymmetricKey, mangle: (signed: Buffer) => Buffer = (signed) => signed): ReplyShaper =>
    (reply) =>
      mangle(appendMac(reply, signing));
  const asKissOfDeath = (reply: Buffer): Buffer => {
    reply[1] = 0;
    Buffer.from('RATE', 'ascii').copy(reply, 12);
    return reply;
  };

  it('a correctly signed reply is accepted, and our request carried a valid MAC', async () => {
    const server = await startFakeNtpServer({ skewMs: 3500, shape: signedWith(ourKey) });
    try {
      const sample = await queryNtpServer({ host: '127.0.0.1', port: server.port, timeoutMs: 1000, key: ourKey });
      expect(sample.authenticated).toBe(true);
      const request = server.receivedRequests()[0] as Buffer;
      expect(request).toHaveLength(48 + 4 + 20);
      expect(verifyMac(request, ourKey, 4)).toEqual({ valid: true });
    } finally {
      await server.close();
    }
  });

  it.each<[string, NtpFailureReason, ReplyShaper, RegExp]>([
    ['an unsigned reply', 'mac-missing', (reply) => reply, /carries no MAC/],
    [
      'a reply signed with the wrong key',
      'mac-invalid',
      signedWith({ ...ourKey, secret: Buffer.alloc(20, 9) }),
      /does not verify/,
    ],
    ['a reply signed with another key id', 'mac-key-id-mismatch', signedWith({ ...ourKey, id: 2 }), /key id 2, not 1/],
    [
      'a truncated MAC',
      'mac-truncated',
      signedWith(ourKey, (signed) => signed.subarray(0, signed.length - 8)),
      /12-byte SHA1 digest/,
    ],
    ['a crypto-NAK', 'crypto-nak', (reply) => Buffer.concat([reply, Buffer.alloc(4)]), /crypto-NAK/],
    [
      "a Kiss-o'-Death with a bad MAC (could come from anyone on the path)",
      'mac-invalid',
      (reply) => appendMac(asKissOfDeath(reply), { ...ourKey, secret: Buffer.alloc(20, 9) }),
      /Kiss-o'-Death RATE .* does not verify/,
    ],
    [
      "a Kiss-o'-Death with a valid MAC (the server itself says go away)",
      'kiss-of-death',
      (reply) => appendMac(asKissOfDeath(reply), ourKey),
      /Kiss-o'-Death: RATE/,
    ],
  ])('%s → refused as %s', async (_label, reason, shape, message) => {
    const server = await startFakeNtpServer({ skewMs: 3500, shape });
    try {
      const error = await failureOf(
        queryNtpServer({ host: '127.0.0.1', port: server.port, timeoutMs: 300, key: ourKey }),
      );
      expect(error.reason).toBe(reason);
      expect(error.message).toMatch(message);
    } finally {
      await server.close();
    }
  });

  it('a forged unsigned reply arriving first does not stop the real signed one', async () => {
    const server = await startFakeNtpServer({
      skewMs: 3500,
      before: (request) => {
        const forged = Buffer.alloc(48);
        forged[0] = 0x24;
        forged[1] = 1;
        request.copy(forged, 24, 40, 48);
        forged.writeBigUInt64BE(1n << 62n, 32);
        forged.writeBigUInt64BE(1n << 62n, 40);
        return [forged];
      },
      shape: signedWith(ourKey),
    });
    try {
      const sample = await queryNtpServer({ host: '127.0.0.1', port: server.port, timeoutMs: 1000, key: ourKey });
      expect(sample).toMatchObject({ authenticated: true, ignoredDatagrams: 1 });
      expect(Math.abs(sample.offsetMs - 3500)).toBeLessThan(10);
    } finally {
      await server.close();
    }
  });

  it('the reference clock reports the typed reason for the source', async () => {
    const server = await startFakeNtpServer({ skewMs: 3500, shape: signedWith({ ...ourKey, id: 9 }) });
    try {
      const clock = new NtpDisciplinedReferenceClock({
        server: `127.0.0.1:${server.port}`,
        timeoutMs: 300,
        key: ourKey,
      });
      expect(await clock.syncOnce()).toMatchObject({
        state: 'unsynced',
        sources: [expect.objectContaining({ status: 'rejected', reason: 'mac-key-id-mismatch', ignoredDatagrams: 1 })],
      });
    } finally {
      await server.close();
    }
  });
});
