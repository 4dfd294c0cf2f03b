// Whether two paths name one file: the same inode when both exist (which sees through symbolic links,
// hard links, `..` and a case-insensitive disk alike), else the same real path, so that a file one
// command is about to create (the state file, say) is recognised before it exists.
import { stat } from 'node:fs/promises';
import { realPath } from './boundary.js';

export async function sameFile(a: string, b: string): Promise<boolean> {
  const [first, second] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  if (first && second) return first.dev === second.dev && first.ino === second.ino;
  if (first || second) return false;
  return realPath(a) === realPath(b);
}
