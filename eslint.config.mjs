// ESLint flat config: typescript-eslint everywhere, Nx module boundaries between
// projects, and a hard wall around every domain/ folder (pure code only).
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const frameworkAndAdapters = [
  {
    group: [
      '@nestjs/*',
      'typeorm',
      'pg',
      '@electric-sql/*',
      '@eventstore/*',
      'rxjs',
      'fastify',
      'node:*',
      'ntp-time-sync',
    ],
    message: 'domain/ is pure: no framework, adapter or I/O imports.',
  },
  {
    group: [
      '**/application/**',
      '**/projections/**',
      '**/http/**',
      '**/event-store/**',
      '**/read-model/**',
      '**/database/**',
      '**/ntp/**',
    ],
    message: 'domain/ may not import outer layers.',
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '.nx/**',
      '.data/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommended,
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:backend', onlyDependOnLibsWithTags: ['scope:backend', 'scope:shared'] },
            { sourceTag: 'scope:simulation', onlyDependOnLibsWithTags: ['scope:simulation', 'scope:shared'] },
            { sourceTag: 'scope:frontend', onlyDependOnLibsWithTags: ['scope:frontend', 'scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: frameworkAndAdapters }] },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
);
