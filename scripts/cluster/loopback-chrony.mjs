// chronyd on loopback as the cluster's NTP server: `-x` keeps it from
// touching the system clock, `local stratum 10` lets it serve without an
// upstream. Needs root (chronyd drops to its own user); without chronyd or
// root the cluster runs without it and says so.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { freePort } from './free-port.mjs';
import { join } from 'node:path';

const CHRONYD = '/usr/sbin/chronyd';

export const chronyUnavailable = () => {
  if (!existsSync(CHRONYD)) return 'chronyd is not installed (apt-get install chrony)';
  if (process.getuid?.() !== 0) return 'chronyd must be started as root';
  return null;
};

export const startLoopbackChrony = async (dataRoot, log) => {
  const directory = join(dataRoot, 'chrony');
  mkdirSync(directory, { recursive: true });
  const port = await freePort();
  const config = join(directory, 'chrony.conf');
  writeFileSync(
    config,
    [
      `port ${port}`,
      'bindaddress 127.0.0.1',
      'allow 127.0.0.1',
      'local stratum 10',
      'cmdport 0',
      `driftfile ${join(directory, 'chrony.drift')}`,
      `pidfile ${join(directory, 'chronyd.pid')}`,
      '',
    ].join('\n'),
  );
  // Its own process group, like the database: stopped after the nodes.
  const child = spawn(CHRONYD, ['-x', '-f', config, '-d', '-L', '0'], { stdio: 'ignore', detached: true });
  await new Promise((done) => setTimeout(done, 500));
  if (child.exitCode !== null) throw new Error(`chronyd exited at start (code ${child.exitCode})`);
  log(`chrony on 127.0.0.1:${port} (NTP for every node)`);
  return {
    address: `127.0.0.1:${port}`,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
};
