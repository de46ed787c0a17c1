import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryNtpServer } from '../sntp-client';

/**
 * chronyd on loopback as a real NTP server for tests. `-x` keeps it from
 * touching the host clock, `local stratum 10` makes it serve the host clock
 * without an upstream, `cmdport 0` disables its control socket.
 */
export interface ChronyServer {
  readonly port: number;
  stop(): Promise<void>;
}

export const CHRONYD = '/usr/sbin/chronyd';

/** Why chrony cannot run here, or undefined when it can. */
export const chronyUnavailableReason = (): string | undefined => {
  if (!existsSync(CHRONYD)) return `${CHRONYD} is not installed (apt-get install -y chrony)`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'chronyd must run as root';
  return undefined;
};

/** A port free for UDP too, most likely: ask the kernel for a free TCP port. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChronyOptions {
  /** Content of a chrony `keyfile` (`<id> <type> HEX:<hex>` lines): chronyd then signs its replies to signed requests. */
  readonly keyFile?: string;
  readonly readyWithinMs?: number;
}

export const startChrony = async (options: ChronyOptions = {}): Promise<ChronyServer> => {
  const readyWithinMs = options.readyWithinMs ?? 10_000;
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'chrony-test-'));
  const configPath = join(directory, 'chrony.conf');
  const keyFilePath = join(directory, 'chrony.keys');
  if (options.keyFile !== undefined) writeFileSync(keyFilePath, options.keyFile, { mode: 0o600 });
  writeFileSync(
    configPath,
    [
      `port ${port}`,
      'bindaddress 127.0.0.1',
      'allow 127.0.0.1',
      'local stratum 10',
      'cmdport 0',
      `driftfile ${join(directory, 'chrony.drift')}`,
      `pidfile ${join(directory, 'chronyd.pid')}`,
      ...(options.keyFile !== undefined ? [`keyfile ${keyFilePath}`] : []),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(CHRONYD, ['-x', '-f', configPath, '-d', '-L', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const escalation = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(escalation);
    }
    rmSync(directory, { recursive: true, force: true });
  };

  const deadline = Date.now() + readyWithinMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      await queryNtpServer({ host: '127.0.0.1', port, timeoutMs: 300 });
      return { port, stop };
    } catch {
      await sleep(100);
    }
  }
  await stop();
  throw new Error(`chronyd did not answer on 127.0.0.1:${port} within ${readyWithinMs} ms; output:\n${output}`);
};
