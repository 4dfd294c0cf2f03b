import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
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

  it('writes through a symbolic link: the link stays, its target changes and keeps its permissions', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'atomic-'));
    await mkdir(path.join(dir, 'shared'));
    const target = path.join(dir, 'shared', 'policy.hujson');
    await writeFile(target, 'old');
    await chmod(target, 0o640);
    const link = path.join(dir, 'policy.hujson');
    await symlink(path.join('shared', 'policy.hujson'), link);
    await writeFileAtomic(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(path.join('shared', 'policy.hujson'));
    expect(await readFile(target, 'utf8')).toBe('new');
    expect((await stat(target)).mode & 0o777).toBe(0o640);
    expect((await readdir(path.join(dir, 'shared'))).sort()).toEqual(['policy.hujson']);
  });

  it('refuses a link to nothing, saying so, instead of replacing the link with a file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'atomic-'));
    const link = path.join(dir, 'policy.hujson');
    await symlink('gone.hujson', link);
    await expect(writeFileAtomic(link, 'new')).rejects.toThrow(
      `${link} is a symbolic link to gone.hujson, which does not exist; create that file, or replace the link ` +
        `with the file`,
    );
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readdir(dir)).toEqual(['policy.hujson']);
  });
});
