// The test suite as Stryker runs it: everything but the end-to-end tests, which run the bundle in
// dist/ as a process and so can never see a mutant of src/.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

export default mergeConfig(base, defineConfig({ test: { exclude: ['test/e2e-*.test.ts', '**/node_modules/**'] } }));
