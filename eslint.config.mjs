import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'reports/**',
      '.stryker-tmp/**',
      'jest.config.js',
      'eslint.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // One clock: time is read from an injected Clock, never from the machine directly.
    files: ['src/**/*.ts'],
    ignores: ['src/system-clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Read the time from the injected Clock (CLOCK), or from the command.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Read the time from the injected Clock (CLOCK), or from the command.',
        },
      ],
    },
  },
  {
    // The domain is pure: no framework, no I/O, no clock of its own (time arrives on the command).
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@nestjs/*',
                'better-sqlite3',
                '@eventstore/*',
                'pino',
                'fastify',
                'fs',
                'node:*',
                '**/api/**',
                '**/projections/**',
                '**/event-store/**',
                '**/system-clock',
              ],
              message: 'src/domain must stay pure: no framework, I/O or infrastructure imports.',
            },
          ],
        },
      ],
    },
  },
);
