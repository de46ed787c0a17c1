/**
 * `npm run -w backend hash-password`: prints the OPERATOR_PASSWORD_HASH for a
 * password read from standard input (typed without echo on a terminal, or
 * piped: `printf %s "$PW" | npm run -s -w backend hash-password`). The password
 * never appears in the process arguments.
 */
import { createInterface } from 'node:readline';
import { hashPassword } from './password-hash';

const MIN_PASSWORD_LENGTH = 12;

const readPiped = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
};

const readTyped = (): Promise<string> =>
  new Promise((resolve) => {
    const prompt = 'Operator password (not shown): ';
    process.stderr.write(prompt);
    const lines = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    // Echo nothing while the password is typed.
    (lines as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => undefined;
    lines.once('line', (line) => {
      lines.close();
      process.stderr.write('\n');
      resolve(line);
    });
  });

const main = async (): Promise<void> => {
  const password = process.stdin.isTTY ? await readTyped() : await readPiped();
  if (password.length < MIN_PASSWORD_LENGTH) {
    process.stderr.write(`refused: the password must have at least ${MIN_PASSWORD_LENGTH} characters\n`);
    process.exit(2);
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
};

void main();
