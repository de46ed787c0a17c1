// A throw-away checkout of one commit under /tmp that `make dev` can build and start without installing:
// a git clone (so .gitignore applies to Nx's hashing as in a real clone), the installed node_modules
// hard-linked from the source tree, and a fresh install stamp so make does not run npm ci.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folders that have their own node_modules (simulation has none). */
const INSTALLED_FOLDERS = ['.', 'backend', 'frontend'];
const INSTALL_STAMP = join('node_modules', '.install-stamp');

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

export const describeSource = (sourceRoot, revision) => ({
  commit: git(sourceRoot, 'rev-parse', '--verify', `${revision}^{commit}`),
  uncommitted: git(sourceRoot, 'status', '--porcelain', '--untracked-files=no') !== '',
});

export const createThrowAwayCheckout = async (sourceRoot, commit) => {
  const parent = await mkdtemp(join(tmpdir(), 'make-dev-startup-'));
  const root = join(parent, 'lab');
  git(parent, 'clone', '--quiet', '--no-checkout', sourceRoot, root);
  git(root, 'checkout', '--quiet', '--detach', commit);
  for (const folder of INSTALLED_FOLDERS) {
    const installed = join(sourceRoot, folder, 'node_modules');
    if (!existsSync(installed)) throw new Error(`${installed} is missing: install the source tree first`);
    execFileSync('cp', ['-al', installed, join(root, folder, 'node_modules')]);
  }
  // The stamp is written anew (a new file, never the source tree's inode) after the checkout's
  // package files, so make sees the install as up to date.
  await rm(join(root, INSTALL_STAMP), { force: true });
  await writeFile(join(root, INSTALL_STAMP), '');
  return { root, remove: () => rm(parent, { recursive: true, force: true }) };
};
