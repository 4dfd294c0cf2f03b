import { chmod, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/atomic-write.js';

describe('writeFileAtomic', () => {
  it('replaces the file, keeps its permissions, and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'atomic-'));
    const file = path.join(dir, 'policy.hujson');
    await writeFile(file, 'old');
    await chmod(file, 0o640);
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['policy.hujson']);
  });

  it('leaves the old file whole and no temporary file when the write cannot finish', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'atomic-'));
    const file = path.join(dir, 'policy.hujson');
    await writeFile(file, 'old');
    // A directory where the file should be: the rename fails after the temporary file was written.
    const blocked = path.join(dir, 'blocked');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(blocked, 'x'), { recursive: true }));
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    expect(await readFile(file, 'utf8')).toBe('old');
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'policy.hujson']);
  });
});
