// ESLint for src/, test/, bench/ and scripts/: typescript-eslint's recommended-type-checked over the
// TypeScript (type information from the repository's tsconfig.json, which includes src, test and bench),
// and @eslint/js's recommended over the plain .mjs scripts. It lives here, beside the packages it loads,
// because they are installed in tools/lint (TypeScript 6) and not in the project (TypeScript 7);
// scripts/lint-eslint.mjs runs it from the repository root.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export default tseslint.config(
  {
    basePath: root,
    ignores: [
      'dist/**',
      'build/**',
      'coverage/**',
      'reports/**',
      '.stryker-tmp/**',
      '.ci/node24/**',
      '**/node_modules/**',
      'src/config/schema-validator.generated.ts',
    ],
  },
  {
    basePath: root,
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    rules: {
      // TypeScript's noUnusedLocals/noUnusedParameters already check this; `_` names and rest siblings
      // (`const { secret: _secret, ...rest } = app`) are how the code drops a field on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Control characters in patterns are the point: terminal escapes and untrusted text are stripped or refused.
      'no-control-regex': 'off',
      // jsonc-parser's SyntaxKind is a const enum isolatedModules cannot read, so the code compares with number mirrors.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // String() of parsed-JSON values that TypeScript narrows from unknown to {}: the default text is the one wanted.
      '@typescript-eslint/no-base-to-string': 'off',
      // A concurrency pump passes on whatever the task rejected with, unchanged.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    basePath: root,
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs', 'bench/**/*.mjs'],
    rules: {
      // Prettier lays code out within 120 columns; this keeps comments there too. A URL, or one string or
      // pattern (a message, a golden line) that Prettier cannot break, may run longer.
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    basePath: root,
    files: ['test/**/*.ts'],
    rules: {
      // Vitest types its asymmetric matchers (expect.any, expect.stringContaining, ...) as any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Test doubles implement the async ports with async functions that have nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    basePath: root,
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
      },
    },
  },
);
