/**
 * Source of the throw-away process that creates a PostgreSQL cluster (initdb)
 * and exits (fresh-cluster.ts says why). Plain JS run with `node -e`, for the
 * same reasons as pglite-worker-source.ts: no jest sandbox, no coverage
 * instrumentation inside. Protocol over the IPC channel (advanced serialization):
 *   parent → child: { pglitePath, clusterDir } (a directory to initialise; none = in memory, dumped)
 *   child → parent: { type: 'created', tarball } (tarball: gzip bytes, in-memory jobs only)
 * Failures: the stack on stderr and a non-zero exit code. A child whose parent
 * has gone (its IPC channel closed) exits at the next turn of its event loop.
 */
export const PGLITE_INITDB_SOURCE = String.raw`
process.on('disconnect', () => process.exit(70));
process.once('message', async (job) => {
  try {
    const { PGlite } = require(job.pglitePath);
    const db = await PGlite.create(job.clusterDir === undefined ? {} : { dataDir: job.clusterDir });
    let tarball;
    if (job.clusterDir === undefined) tarball = new Uint8Array(await (await db.dumpDataDir('gzip')).arrayBuffer());
    await db.close();
    process.send({ type: 'created', tarball }, () => process.exit(0));
  } catch (error) {
    process.stderr.write(String((error && error.stack) || error));
    process.exit(1);
  }
});
`;
