// Mutation testing of the pure core (`npm run mutation`): Stryker changes one thing at a time in
// src/plan/ and src/policy/ and runs the tests that cover it; a mutant that no test notices is a line
// no test guards. Not part of CI: a full run takes a long while on two cores. Incremental mode reuses
// the results of unchanged code and tests from the last run (reports/stryker-incremental.json).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['src/plan/**/*.ts', 'src/policy/**/*.ts'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: true, pool: 'forks' },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10_000,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  // Stryker reads tsconfig.json through TypeScript's JavaScript API, only to rewrite `extends` and
  // `references` that point outside its sandbox; TypeScript 7 (the native compiler) has no such API,
  // and our tsconfig has neither. Naming a file that does not exist turns that step off.
  tsconfigFile: 'tsconfig.stryker-none.json',
  cleanTempDir: 'always',
};
