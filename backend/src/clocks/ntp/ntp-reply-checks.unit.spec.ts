import { appendMac } from './auth/ntp-mac';
import { buildClientRequest } from './ntp-packet';
import { judgeReply } from './ntp-reply-checks';
import { goodReply } from './testing/fake-ntp-server';

const ORIGIN = 0x0123456789abcdefn;
const request = buildClientRequest(ORIGIN);
const reply = (): Buffer => goodReply(request, Date.UTC(2026, 11, 1));
const expectation = { server: 'ntp.test:123', sentTransmit: ORIGIN };
const key = { id: 3, type: 'SHA256', secret: Buffer.alloc(32, 1) } as const;

describe('judging one datagram on the query socket', () => {
  it('accepts a reply that echoes our origin', () => {
    expect(judgeReply(reply(), expectation).kind).toBe('accept');
  });

  it.each<[string, (packet: Buffer) => Buffer, string]>([
    ['a short datagram', (packet) => packet.subarray(0, 20), 'short-packet'],
    ['a version 2 header', (packet) => ((packet[0] = 0x14), packet), 'bad-version'],
    ['our own request reflected (mode 3)', (packet) => ((packet[0] = 0x23), packet), 'bad-mode'],
    ['a reply to someone else', (packet) => (packet.writeBigUInt64BE(ORIGIN + 1n, 24), packet), 'origin-mismatch'],
  ])('ignores %s (anyone could send it): keep waiting', (_label, mangle, reason) => {
    expect(judgeReply(mangle(reply()), expectation)).toMatchObject({ kind: 'ignore', reason });
  });

  it('ranks what it ignores: a reply to us with a bad MAC says more than junk', () => {
    const junk = judgeReply(reply().subarray(0, 10), { ...expectation, key });
    const unsigned = judgeReply(reply(), { ...expectation, key });
    if (junk.kind !== 'ignore' || unsigned.kind !== 'ignore') throw new Error('expected both ignored');
    expect(unsigned.reason).toBe('mac-missing');
    expect(unsigned.rank).toBeGreaterThan(junk.rank);
  });

  it.each<[string, (packet: Buffer) => Buffer, string]>([
    ["a Kiss-o'-Death", (packet) => ((packet[1] = 0), packet), 'kiss-of-death'],
    ['stratum 16', (packet) => ((packet[1] = 16), packet), 'unsynchronized-stratum'],
    ['leap indicator 3', (packet) => ((packet[0] = 0xe4), packet), 'unsynchronized-leap'],
    ['a zero receive timestamp', (packet) => (packet.writeBigUInt64BE(0n, 32), packet), 'zero-receive-timestamp'],
  ])('rejects %s from the server itself: final', (_label, mangle, reason) => {
    expect(judgeReply(mangle(reply()), expectation)).toMatchObject({ kind: 'reject', error: { reason } });
  });

  it('with a key, accepts only a signed reply, and only then looks at a Kiss-o-Death', () => {
    expect(judgeReply(appendMac(reply(), key), { ...expectation, key }).kind).toBe('accept');
    const kiss = reply();
    kiss[1] = 0;
    expect(judgeReply(kiss, { ...expectation, key })).toMatchObject({ kind: 'ignore', reason: 'mac-missing' });
    expect(judgeReply(appendMac(kiss, key), { ...expectation, key })).toMatchObject({
      kind: 'reject',
      error: { reason: 'kiss-of-death' },
    });
  });
});
