import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { join } from 'node:path';
import { ConfigurationError, loadConfig } from './config/environment';
import { createApp } from './create-app';

const bootstrap = async (): Promise<void> => {
  loadDotenv({ path: join(__dirname, '..', '..', 'backend', '.env'), quiet: true });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  process.stdout.write(`NTP Reservation Lab API on http://localhost:${config.PORT} (docs at /docs)\n`);
};

bootstrap().catch((error: unknown) => {
  // A start-up failure (an unreachable DATABASE_URL, a port in use) ends with one line naming it, not a stack trace.
  process.stderr.write(
    `NTP Reservation Lab could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
