// Every file the product reads goes through src/files/read-regular.ts (regular files only, a capped
// read, no waiting on a FIFO). A new readFile elsewhere would bring back /dev/zero read forever.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const READER = 'src/files/read-regular.ts';
// The event payload GITHUB_EVENT_PATH names is written by the runner, not by a pull request.
const ALLOWED = new Set([READER, 'src/action/inputs.ts']);
const DIRECT_READ = /\b(readFile|readFileSync|createReadStream|readSync)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith('.ts') ? [file.split(path.sep).join('/')] : [];
  });
}

describe('reading files', () => {
  it('happens in src/files/read-regular.ts alone', () => {
    const files = sources('src');
    expect(files).toContain(READER);
    expect(files.filter((file) => !ALLOWED.has(file) && DIRECT_READ.test(readFileSync(file, 'utf8')))).toEqual([]);
  });
});
