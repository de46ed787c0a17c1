/** Spawns the built CLI (dist/simulation) the way a user runs it, and a tiny fake backend when a test needs one. */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const CLI = join(__dirname, '..', 'bin', 'ntp-sim.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const runCli = (args: readonly string[], options: { interruptAfterMs?: number } = {}): Promise<CliResult> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NTP_SIM_API: '', NTP_LAB_TOKEN: '', NTP_LAB_PASSWORD: '', NTP_LAB_PASSWORD_FILE: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (options.interruptAfterMs !== undefined) setTimeout(() => child.kill('SIGINT'), options.interruptAfterMs);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

export type Handler = (request: IncomingMessage, body: string) => { status?: number; json: unknown } | undefined;

export const fakeBackend = async (
  handler: Handler,
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> => {
  const requests: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push(`${request.method} ${request.url}`);
      const answer = handler(request, body) ?? { status: 404, json: { statusCode: 404, message: 'not found' } };
      response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
