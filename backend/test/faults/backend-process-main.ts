/**
 * Entry point of a backend started as its own OS process by the fault tests:
 * the configuration comes from the environment only (no .env file), the port
 * is free, and the bound address goes to stdout for the parent to read.
 */
import 'reflect-metadata';
import { loadConfig } from '../../src/config/environment';
import { createApp } from '../../src/create-app';

import { LISTENING_PREFIX } from './backend-process';

const main = async (): Promise<void> => {
  const app = await createApp(loadConfig(process.env), { bufferLogs: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${LISTENING_PREFIX}http://127.0.0.1:${port}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
};

main().catch((error: unknown) => {
  process.stderr.write(`backend failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
