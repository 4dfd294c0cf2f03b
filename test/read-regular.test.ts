// The one way the product reads a file: regular files only, never blocking on a FIFO, and never more
// than the cap, counted in bytes read (a device or a /proc file says its size is 0).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRegularFile, readTextFile, UnreadableFileError } from '../src/files/read-regular.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(file: string, limit = 1024): Promise<UnreadableFileError> {
  const error = await readRegularFile(file, limit).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UnreadableFileError))
    throw new Error(`${file} was read, or failed otherwise: ${String(error)}`);
  return error;
}

const posix = process.platform !== 'win32';

describe('readRegularFile', () => {
  it('reads a regular file whole, up to and including the cap', async () => {
    const file = path.join(dir, 'a.txt');
    await writeFile(file, 'x'.repeat(3000));
    expect((await readRegularFile(file, 3000)).toString()).toBe('x'.repeat(3000));
    expect((await refusal(file, 2048)).describe('a.txt')).toBe('a.txt is 3,000 bytes (2.9 KB), over the 2 KB limit');
  });

  it('refuses a file too big by its size before reading it', async () => {
    const file = path.join(dir, 'huge');
    await writeFile(file, '');
    await truncate(file, 1024 * 1024 * 1024);
    const start = performance.now();
    const error = await refusal(file, 5 * 1024 * 1024);
    expect(performance.now() - start).toBeLessThan(500);
    expect(error).toMatchObject({ reason: 'too-large', size: 1024 * 1024 * 1024 });
  });

  it('names what is missing, a directory, and a file it may not read', async () => {
    expect((await refusal(path.join(dir, 'nope'))).describe('nope')).toBe('nope does not exist');
    expect((await refusal(path.join(dir, 'nope', 'deeper'))).reason).toBe('missing');
    await mkdir(path.join(dir, 'folder'));
    expect((await refusal(path.join(dir, 'folder'))).describe('folder')).toBe('folder is a directory');
    if (posix && process.getuid?.() !== 0) {
      const locked = path.join(dir, 'locked');
      await writeFile(locked, 'x', { mode: 0o000 });
      expect((await refusal(locked)).describe('locked')).toBe('cannot read locked: permission denied');
    }
  });

  it.skipIf(!existsSync('/dev/zero'))('refuses a device at once instead of reading it forever', async () => {
    const start = performance.now();
    const error = await refusal('/dev/zero', 5 * 1024 * 1024);
    expect(performance.now() - start).toBeLessThan(500);
    expect(error.describe('/dev/zero')).toBe('/dev/zero is a character device, not a regular file');
  });

  it.skipIf(!posix)('refuses a FIFO without waiting for a writer', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const error = await refusal(fifo);
    expect(error.describe('fifo')).toBe('fifo is a FIFO (named pipe), not a regular file');
  });

  it.skipIf(!existsSync('/proc/self/status'))(
    'caps a file whose size says 0 by the bytes it reads (a /proc file)',
    async () => {
      const error = await refusal('/proc/self/status', 16);
      expect(error).toMatchObject({ reason: 'too-large', size: undefined });
      expect(error.describe('/proc/self/status')).toBe('/proc/self/status is over the 16 bytes limit');
    },
  );

  it.skipIf(!existsSync('/proc/kallsyms'))(
    'reads a file that states no size whole, however long (a /proc file of megabytes)',
    async () => {
      const bytes = await readRegularFile('/proc/kallsyms', 64 * 1024 * 1024);
      expect(bytes.length).toBeGreaterThan(8192);
      expect(bytes.equals(readFileSync('/proc/kallsyms'))).toBe(true);
    },
  );
});

describe('readTextFile', () => {
  it('decodes UTF-8, dropping a byte-order mark, and refuses other encodings', async () => {
    const file = path.join(dir, 'a.yaml');
    await writeFile(file, '\uFEFFversion: 1 # Zürich\n');
    expect(await readTextFile(file, 1024)).toBe('version: 1 # Zürich\n');
    await writeFile(file, Buffer.from('\uFEFFversion: 1\n', 'utf16le'));
    const error = await readTextFile(file, 1024).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as UnreadableFileError).describe('a.yaml')).toBe('a.yaml is not UTF-8 text; save it as UTF-8');
  });
});
