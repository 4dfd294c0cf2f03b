// Replacing a file people keep in git: the new text goes to a temporary file beside it, which then
// takes the old one's place in one rename, so an interrupted run leaves the old file or the new one,
// never half of it. The old file's permissions carry over.
import { chmod, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, text);
    const mode = await stat(file).then((s) => s.mode & 0o7777, () => undefined);
    if (mode !== undefined) await chmod(temporary, mode);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
