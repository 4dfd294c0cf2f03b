// Control characters from outside (an API's error body, a name, a value typed on the command line)
// are shown as escapes, never obeyed by a terminal or the Actions log viewer: at the source, where
// the client quotes a server, and again at each way out (the CLI's standard error and its notes, the
// action's log lines, its failure message and annotations), since not every message comes from there.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportFailure } from '../src/action/failure.js';
import { log } from '../src/action/log.js';
import { note, type CommandContext } from '../src/commands/context.js';
import { runCli } from '../src/commands/run-cli.js';
import { DiagnosticsError } from '../src/diagnostics.js';
import { escapeControlsByLine } from '../src/escape.js';
import { clientFor, failureOf, startServer, type TestServer } from './client-test-server.js';
import { captureStdout } from './helpers/stdout.js';

const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = '\u001b[2J\u001b]0;title\u0007 x\u0085y \u202eevil\u202c \u009b31m';
const SHOWN = '\\u{001b}[2J\\u{001b}]0;title\\u{0007} x\\u{0085}y \\u{202e}evil\\u{202c} \\u{009b}31m';

const servers: TestServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('escapeControlsByLine', () => {
  it('escapes each line and keeps the line breaks between them', () => {
    expect(escapeControlsByLine(`first ${HOSTILE}\nsecond\ttab`)).toBe(`first ${SHOWN}\nsecond\\u{0009}tab`);
    expect(escapeControlsByLine('plain\ntext')).toBe('plain\ntext');
  });
});

describe('at the source', () => {
  it('quotes an API error body with its controls escaped, in the message and in apiMessage', async () => {
    const server = await startServer(() => ({ status: 403, body: { message: HOSTILE } }));
    servers.push(server);
    const { client } = clientFor(server, { retry: { maxAttempts: 1 } });
    const error = (await failureOf(() => client.listUsers())) as Error & { apiMessage?: string };
    await client.close();
    expect(error.message).toContain(SHOWN);
    expect(error.message).not.toMatch(RAW);
    expect(error.apiMessage).toBe(SHOWN);
  });
});

describe('on the way out of the CLI', () => {
  it('escapes an error message quoting what was typed', async () => {
    let stderr = '';
    const code = await runCli(['plan', '--format', HOSTILE], {
      env: {},
      cwd: process.cwd(),
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
    });
    expect(code).toBe(1);
    expect(stderr).toBe(`error: --format must be text, markdown or json, not "${SHOWN}"\n`);
  });

  it('escapes a note, line by line', () => {
    let stderr = '';
    const ctx = { stderr: { write: (t: string) => (stderr += t) } } as unknown as CommandContext;
    note(ctx, `group ${HOSTILE}\nnext line`);
    expect(stderr).toBe(`group ${SHOWN}\nnext line\n`);
  });
});

describe('on the way out of the action', () => {
  it('escapes log lines', () => {
    const written = captureStdout();
    log.info(`info ${HOSTILE}`);
    log.warning(`warning ${HOSTILE}`);
    log.notice(`notice ${HOSTILE}`);
    expect(written.join('')).toBe(`info ${SHOWN}\n::warning::warning ${SHOWN}\n::notice::notice ${SHOWN}\n`);
  });

  it('escapes the failure message and the annotations of a failure', async () => {
    const written = captureStdout();
    await reportFailure(new Error(`boom ${HOSTILE}`), undefined);
    const diagnostic = {
      file: 'tailnet-access.yaml',
      line: 3,
      column: 5,
      severity: 'error' as const,
      code: 'schema',
      message: `bad ${HOSTILE}`,
    };
    await reportFailure(new DiagnosticsError([diagnostic]), undefined);
    const shown = written.join('');
    expect(shown).toContain(`::error::Unexpected error: boom ${SHOWN}`);
    expect(shown).toContain(`::error title=tailnet-access,file=tailnet-access.yaml,line=3,col=5::bad ${SHOWN}`);
    expect(shown).not.toMatch(RAW);
  });
});
