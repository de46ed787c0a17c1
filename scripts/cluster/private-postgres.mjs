// A PostgreSQL server of the cluster's own, from Debian's binaries, in
// .data/cluster/postgres: created on first use, started on a free port,
// stopped with the cluster. Run as the postgres user when started as root
// (the server refuses to run as root).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { freePort } from './free-port.mjs';
import { join, resolve } from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';

const asServerUser = (command, args) => {
  if (process.getuid?.() !== 0) return [command, args];
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
};

const run = (command, args) => {
  const [file, argv] = asServerUser(command, args);
  execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
};

export const startPrivatePostgres = async (dataRoot, log) => {
  if (!existsSync(join(BIN, 'postgres'))) {
    throw new Error(`no PostgreSQL 15 in ${BIN}: apt-get install postgresql, or pass --database-url`);
  }
  const dir = resolve(dataRoot, 'postgres');
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
    log(`creating a PostgreSQL cluster in ${dir}`);
    run(join(BIN, 'initdb'), ['-D', dir, '-U', 'lab', '--auth=trust', '-E', 'UTF8']);
  }
  const port = await freePort();
  const [file, argv] = asServerUser(join(BIN, 'postgres'), [
    '-D',
    dir,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=200',
  ]);
  // Its own process group: a terminal's Ctrl-C reaches the nodes first, the database is stopped after them.
  const server = spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let output = '';
  server.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const url = `postgres://lab@127.0.0.1:${port}/lab`;
  for (let tries = 0; ; tries += 1) {
    try {
      execFileSync(join(BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      break;
    } catch {
      if (tries > 100 || server.exitCode !== null) throw new Error(`PostgreSQL did not start:\n${output}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  try {
    execFileSync(join(BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'lab', 'lab'], {
      stdio: 'ignore',
    });
  } catch {
    // Already there from an earlier run.
  }
  log(`PostgreSQL on 127.0.0.1:${port} (data in ${dir})`);
  return {
    url,
    // pg_ctl, not a signal to the child: as root the child is runuser, which does not pass SIGINT on.
    stop: async () => {
      if (server.exitCode !== null) return;
      const exited = new Promise((done) => server.once('exit', done));
      try {
        run(join(BIN, 'pg_ctl'), ['stop', '-D', dir, '-m', 'fast', '-w']);
      } catch {
        server.kill('SIGKILL');
      }
      await exited;
    },
  };
};
