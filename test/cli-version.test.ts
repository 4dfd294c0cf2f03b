import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/commands/run-cli.js';
import { captureCli } from './helpers/cli-io.js';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('tailnet-access --version', () => {
  it.each([['--version'], ['-v']])('%s prints the version of package.json and nothing else', async (flag) => {
    const run = captureCli();
    expect(await runCli([flag], run.io)).toBe(0);
    expect(run.out()).toBe(`${packageVersion}\n`);
    expect(run.err()).toBe('');
  });

  it('is listed in the overview', async () => {
    const run = captureCli();
    expect(await runCli(['--help'], run.io)).toBe(0);
    expect(run.out()).toContain('tailnet-access --version');
  });
});
