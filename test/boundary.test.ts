// Where a file the config names must stay: the repository (the nearest folder above the config with
// `.git`, else the config's folder), judged by where the path really leads, links followed.
import { link, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInside, realPath, repositoryBoundary, resolveWithin } from '../src/files/boundary.js';
import { sameFile } from '../src/files/same-file.js';

let dir: string;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(path.join(tmpdir(), 'tailnet-access-boundary-')));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('repositoryBoundary', () => {
  it("is the nearest folder above the config holding .git, a folder or a worktree's file", async () => {
    await mkdir(path.join(dir, '.git'));
    await mkdir(path.join(dir, 'infra', 'access'), { recursive: true });
    expect(repositoryBoundary(path.join(dir, 'infra', 'access', 'tailnet-access.yaml')).root).toBe(dir);
    await writeFile(path.join(dir, 'infra', '.git'), 'gitdir: ../.git/worktrees/infra\n');
    expect(repositoryBoundary(path.join(dir, 'infra', 'access', 'tailnet-access.yaml'))).toEqual({
      root: path.join(dir, 'infra'),
      name: `the repository ${path.join(dir, 'infra')} (the nearest folder above the config file holding .git)`,
    });
  });

  it("is the config file's own folder outside any repository", async () => {
    await mkdir(path.join(dir, 'infra'));
    const boundary = repositoryBoundary(path.join(dir, 'infra', 'tailnet-access.yaml'));
    // A temporary folder may itself sit in a repository (a developer's home); then that is the boundary.
    if (boundary.root === path.join(dir, 'infra'))
      expect(boundary.name).toBe(
        `${path.join(dir, 'infra')} (the config file's folder, which is in no git repository)`,
      );
    else expect(isInside(dir, boundary.root)).toBe(true);
  });
});

describe('resolveWithin', () => {
  const boundary = () => ({ root: path.join(dir, 'repo'), name: 'the repository' });

  beforeEach(async () => {
    await mkdir(path.join(dir, 'repo', 'policies'), { recursive: true });
    await writeFile(path.join(dir, 'outside.txt'), 'secret');
    await writeFile(path.join(dir, 'repo', 'policies', 'policy.hujson'), '{}');
  });

  it('follows links to where they lead, in the last part of the path and in a folder', async () => {
    await symlink(path.join(dir, 'outside.txt'), path.join(dir, 'repo', 'link.hujson'));
    expect(resolveWithin(path.join(dir, 'repo', 'link.hujson'), boundary())).toEqual({
      real: path.join(dir, 'outside.txt'),
      inside: false,
    });
    await symlink(dir, path.join(dir, 'repo', 'up'));
    expect(resolveWithin(path.join(dir, 'repo', 'up', 'outside.txt'), boundary()).inside).toBe(false);
    await symlink(path.join(dir, 'repo', 'policies', 'policy.hujson'), path.join(dir, 'repo', 'policy.hujson'));
    expect(resolveWithin(path.join(dir, 'repo', 'policy.hujson'), boundary())).toEqual({
      real: path.join(dir, 'repo', 'policies', 'policy.hujson'),
      inside: true,
    });
  });

  it('judges a path that does not exist yet by its nearest existing folder', async () => {
    expect(resolveWithin(path.join(dir, 'repo', 'new', 'policy.hujson'), boundary())).toEqual({
      real: path.join(dir, 'repo', 'new', 'policy.hujson'),
      inside: true,
    });
    await symlink(dir, path.join(dir, 'repo', 'escape'));
    expect(resolveWithin(path.join(dir, 'repo', 'escape', 'new.hujson'), boundary())).toEqual({
      real: path.join(dir, 'new.hujson'),
      inside: false,
    });
    expect(resolveWithin(path.join(dir, 'repo', '..', 'repo-other', 'x'), boundary()).inside).toBe(false);
  });

  it('tells a name starting with two dots from the parent folder', () => {
    expect(isInside(path.join(dir, 'repo', '..policy.hujson'), path.join(dir, 'repo'))).toBe(true);
    expect(isInside(path.join(dir, 'repo-other'), path.join(dir, 'repo'))).toBe(false);
    expect(isInside(dir, path.join(dir, 'repo'))).toBe(false);
    expect(realPath(path.join(dir, 'repo', 'a', '..', 'policies'))).toBe(path.join(dir, 'repo', 'policies'));
  });
});

describe('sameFile', () => {
  it('sees through links, hard links and spellings, and compares paths that do not exist yet', async () => {
    const file = path.join(dir, 'tailnet-access.yaml');
    await writeFile(file, 'version: 1\n');
    await symlink(file, path.join(dir, 'soft.yaml'));
    await link(file, path.join(dir, 'hard.yaml'));
    await writeFile(path.join(dir, 'other.yaml'), 'version: 1\n');
    expect(await sameFile(file, path.join(dir, 'soft.yaml'))).toBe(true);
    expect(await sameFile(file, path.join(dir, 'hard.yaml'))).toBe(true);
    expect(await sameFile(file, path.join(dir, 'other.yaml'))).toBe(false);
    // The state file apply is about to create, named through a linked folder.
    await symlink(dir, path.join(dir, 'alias'));
    expect(
      await sameFile(path.join(dir, '.state', 'state.json'), path.join(dir, 'alias', '.state', 'state.json')),
    ).toBe(true);
    expect(
      await sameFile(path.join(dir, '.state', 'state.json'), path.join(dir, 'alias', '.state', 'other.json')),
    ).toBe(false);
    expect(await sameFile(file, path.join(dir, 'missing.yaml'))).toBe(false);
  });
});
