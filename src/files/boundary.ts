// The folder a file named by the config must stay in. The config is reviewed text, and what it names
// is read and shown in plans, pull-request comments and job summaries: without a boundary a one-line
// change (`policyFile: /proc/self/environ`) would publish any file of the machine that runs it. So a
// path is judged by where it really leads, symbolic links followed, before a byte of it is read.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

export interface Boundary {
  /** The folder, with its symbolic links resolved. */
  root: string;
  /** How messages name it and the rule that chose it, e.g. `the workspace /w (GITHUB_WORKSPACE)`. */
  name: string;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Where `file` really is: its symbolic links resolved; for a path that does not exist (yet), its
 * nearest existing folder resolved and the rest appended, which is where a file created there lands.
 */
export function realPath(file: string): string {
  const absolute = path.resolve(file);
  try {
    return realpathSync.native(absolute);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    const parent = path.dirname(absolute);
    if (parent === absolute) return absolute;
    return path.join(realPath(parent), path.basename(absolute));
  }
}

export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** The action's boundary: the checkout. */
export function workspaceBoundary(workspace: string): Boundary {
  const root = realPath(workspace);
  return { root, name: `the workspace ${root} (GITHUB_WORKSPACE, the repository checkout)` };
}

/**
 * The command line's boundary: the repository the config file is in, that is the nearest folder
 * above it holding `.git` (a folder, or the file of a worktree or submodule); outside any repository,
 * the config file's own folder.
 */
export function repositoryBoundary(configPath: string): Boundary {
  const folder = realPath(path.dirname(path.resolve(configPath)));
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git')))
      return { root: dir, name: `the repository ${dir} (the nearest folder above the config file holding .git)` };
    if (path.dirname(dir) === dir) break;
  }
  return { root: folder, name: `${folder} (the config file's folder, which is in no git repository)` };
}

export interface Resolved {
  /** Where the path really leads. */
  real: string;
  inside: boolean;
}

export function resolveWithin(file: string, boundary: Boundary): Resolved {
  const real = realPath(file);
  return { real, inside: isInside(real, boundary.root) };
}
