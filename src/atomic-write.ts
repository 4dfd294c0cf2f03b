// Replacing a file people keep in git: the new text goes to a temporary file beside it, which then
// takes the old one's place in one rename, so an interrupted run leaves the old file or the new one,
// never half of it. The old file's permissions carry over. A symbolic link is written through: the
// rename replaces the file it points to, so the link stays a link and its target is the file that
// changes (renaming over the link itself would turn it into a regular file and leave the target stale).
import { chmod, lstat, readlink, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The file a write to `file` must replace: `file` itself, or the end of its chain of links. */
async function writeTarget(file: string): Promise<string> {
  const link = await lstat(file).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );
  if (!link) return file;
  try {
    return await realpath(file);
  } catch {
    const target = await readlink(file).catch(() => '?');
    throw new Error(
      `${file} is a symbolic link to ${target}, which does not exist; create that file, or replace the link with ` +
        `the file`,
    );
  }
}

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const target = await writeTarget(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, text);
    const mode = await stat(target).then(
      (s) => s.mode & 0o7777,
      () => undefined,
    );
    if (mode !== undefined) await chmod(temporary, mode);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
