import { describe, expect, it } from 'vitest';
import { COMMANDS, commandUsage, flagsOf, isCommand, parseCommandLine } from '../src/commands/args.js';
import { runCli } from '../src/commands/run-cli.js';
import { captureCli as capture } from './helpers/cli-io.js';

describe('the command line', () => {
  it('documents every flag of every command in its --help', () => {
    for (const command of Object.keys(COMMANDS)) {
      if (!isCommand(command)) throw new Error(command);
      const help = commandUsage(command);
      for (const flag of flagsOf(command)) expect(help, `${command} --${flag}`).toMatch(new RegExp(`--${flag}\\b`));
    }
  });

  it("prints a command's own help, and the overview without a command", async () => {
    const one = capture();
    expect(await runCli(['create-oauth-app', '--help'], one.io)).toBe(0);
    expect(one.out()).toContain('Usage: tailnet-access create-oauth-app [options]');
    expect(one.out()).toContain('--redirect-uri URI');
    const all = capture();
    expect(await runCli([], all.io)).toBe(0);
    expect(all.out()).toContain('Exit codes: 0 done');
  });

  it('names an unknown command or flag and suggests the nearest', async () => {
    const a = capture();
    expect(await runCli(['aply'], a.io)).toBe(1);
    expect(a.err()).toBe('error: unknown command "aply"; did you mean "apply"? (try --help)\n');
    const b = capture();
    expect(await runCli(['apply', '--max-change', '3'], b.io)).toBe(1);
    expect(b.err()).toBe('error: apply: unknown flag --max-change; did you mean --max-changes?\n');
  });

  it('refuses an unknown format before doing anything', () => {
    expect(() => parseCommandLine(['plan', '--format', 'yaml'])).toThrow(
      '--format must be text, markdown or json, not "yaml"',
    );
  });
});
