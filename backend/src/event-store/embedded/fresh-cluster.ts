/**
 * The first start's initdb, out of the serving worker.
 *
 * Why: PGlite 0.5 runs initdb with a second PGlite instance and an initdb WASM
 * module beside the one that will serve. Their memory is released only when
 * V8 collects them, if ever, and what the allocator got back stays in the
 * process: measured on a fresh data directory, the process held ~800 MB of RSS
 * after start against ~300 MB when reopening an existing directory (same for
 * an in-memory store, ~750 MB). A throw-away process runs initdb and exits, so
 * the operating system takes all of that back; the serving worker then only
 * ever opens an existing cluster (docs/performance.md, "Seeded runs in bounded
 * memory").
 *
 * Data directory: the child builds the cluster in a staging directory inside
 * it, then the parent moves the entries into place, PG_VERSION last. PGlite
 * takes a directory with PG_VERSION for a cluster, so a first start killed
 * half-way leaves no half cluster that would later pass for one: the next
 * start finds no PG_VERSION and initialises again. The child's pid is listed in
 * the data directory's lock while it runs (data-dir-lock.ts).
 *
 * In memory: the child initialises a cluster in its own memory and sends it
 * back as a gzip tarball (4 MB), which the worker loads (`loadDataDir`); the
 * tarball is kept, so further in-memory stores of this process skip initdb.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataDirLock } from './data-dir-lock';
import { PGLITE_INITDB_SOURCE } from './pglite-initdb-source';

/** The file whose presence makes a directory a cluster, for PGlite as for PostgreSQL. */
export const CLUSTER_MARKER = 'PG_VERSION';
/** Where the throw-away process builds the cluster, inside the data directory (same filesystem: renames). */
export const STAGING_DIR = '.ntp-lab-initdb';
const STDERR_KEPT_CHARS = 4_000;

export type ClusterStart = 'created' | 'existing';

/** Makes `dataDir` (absolute, locked by this process) hold a cluster; says whether it had to create one. */
export async function ensureCluster(dataDir: string, lock: DataDirLock): Promise<ClusterStart> {
  const staging = join(dataDir, STAGING_DIR);
  // Left by a first start that was killed: the lock says nobody works in it any more.
  await rm(staging, { recursive: true, force: true });
  if (existsSync(join(dataDir, CLUSTER_MARKER))) return 'existing';
  await runInitdbProcess(staging, lock);
  const entries = (await readdir(staging)).filter((entry) => entry !== CLUSTER_MARKER);
  for (const entry of [...entries, CLUSTER_MARKER]) {
    // A same-named leftover of an interrupted start (never the lock or the socket: no cluster has those).
    if (entry !== CLUSTER_MARKER) await rm(join(dataDir, entry), { recursive: true, force: true });
    await rename(join(staging, entry), join(dataDir, entry));
  }
  await rm(staging, { recursive: true, force: true });
  return 'created';
}

let pristineTarball: Promise<Uint8Array> | undefined;

/** A freshly initialised cluster as a gzip tarball, made once per process by a throw-away process. */
export function pristineClusterTarball(): Promise<Uint8Array> {
  pristineTarball ??= runInitdbProcess(undefined, undefined).then((tarball) => {
    if (tarball === undefined) throw new Error('the initdb process sent no tarball');
    return tarball;
  });
  pristineTarball.catch(() => (pristineTarball = undefined));
  return pristineTarball;
}

interface InitdbReply {
  readonly type: 'created';
  readonly tarball?: Uint8Array;
}

async function runInitdbProcess(
  clusterDir: string | undefined,
  lock: DataDirLock | undefined,
): Promise<Uint8Array | undefined> {
  const child = spawn(process.execPath, ['-e', PGLITE_INITDB_SOURCE], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  const pid = child.pid;
  if (pid !== undefined) lock?.addHelper(pid);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARS);
  });
  let reply: InitdbReply | undefined;
  child.on('message', (message: InitdbReply) => (reply = message));
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(signal === null ? code : null));
      child.send({ pglitePath: require.resolve('@electric-sql/pglite'), clusterDir });
    });
    if (exitCode !== 0 || reply?.type !== 'created')
      throw new Error(`Embedded PostgreSQL: initdb failed (exit ${exitCode}): ${stderr.trim() || 'no output'}`);
    return reply.tarball;
  } finally {
    if (pid !== undefined) lock?.removeHelper(pid);
  }
}
