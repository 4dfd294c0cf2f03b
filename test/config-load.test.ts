import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFileError, loadConfig } from '../src/config/load.js';
import { DiagnosticsError, formatDiagnostic } from '../src/diagnostics.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: string | Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

async function failure(file: string): Promise<unknown> {
  try {
    await loadConfig(file);
  } catch (error) {
    return error;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('reads a file and places entries and errors under the path it was given', async () => {
    const file = await write('ok.yaml', 'version: 1\nusers:\n  alice@example.com: admin\n');
    const { desired, warnings } = await loadConfig(file);
    expect(warnings).toEqual([]);
    expect(desired.file).toBe(file);
    expect(desired.users).toEqual([{ login: 'alice@example.com', role: 'admin', at: { file, line: 3, column: 3 } }]);

    const bad = await write('bad.yaml', 'version: 1\nusers:\n  alice@example.com: admn\n');
    const error = await failure(bad);
    expect(error).toBeInstanceOf(DiagnosticsError);
    expect((error as DiagnosticsError).diagnostics.map(formatDiagnostic)[0]).toMatch(
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:22: unknown role "admn"`),
    );
  });

  it('reads a UTF-8 file with a byte-order mark and CRLF line ends with editor positions', async () => {
    const file = await write(
      'bom.yaml',
      Buffer.from('\uFEFFversion: 1\r\nusers:\r\n  alice@example.com: member\r\n', 'utf8'),
    );
    expect((await loadConfig(file)).desired.users[0]?.at).toEqual({ file, line: 3, column: 3 });
  });

  it('names the path of a missing file and says what to do', async () => {
    const file = path.join(dir, 'nope', 'tailnet-access.yaml');
    const error = await failure(file);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as ConfigFileError).message).toBe(
      `${file} does not exist; pass the right path with --config (or the action's config input), or write one ` +
        `with "tailnet-access import"`,
    );
    expect((error as ConfigFileError).path).toBe(file);
  });

  it('says so when the path is a directory', async () => {
    const error = await failure(dir);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toBe(`${dir} is a directory; give the path of the tailnet-access.yaml file`);
  });

  it('refuses a file that is not UTF-8 (a UTF-16 save from an old editor)', async () => {
    const file = await write('utf16.yaml', Buffer.from('\uFEFFversion: 1\n', 'utf16le'));
    const error = await failure(file);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toBe(`${file} is not UTF-8 text; save it as UTF-8`);
  });

  it('refuses a 50 MB file without reading it', async () => {
    const file = await write('huge.yaml', '');
    await truncate(file, 50 * 1024 * 1024);
    const start = performance.now();
    const error = await failure(file);
    expect(performance.now() - start).toBeLessThan(200);
    expect((error as DiagnosticsError).diagnostics.map(formatDiagnostic)).toEqual([
      `${file}:1:1: the file is 52,428,800 bytes (50.0 MB), over the 5 MB limit for a tailnet-access file; is ` +
        `this the right file?`,
    ]);
  });
});
