// Files that hold a secret: created with mode 0600 from the first byte (never chmod-ed afterwards, so
// there is no moment another user could read them), in a 0700 directory when we choose the place.
import { constants } from 'node:fs';
import { lstat, mkdtemp, open, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { readTextFile, UnreadableFileError } from '../files/read-regular.js';

/** A client secret is a line of about 70 characters; anything near this is the wrong file. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

const PRIVATE = 0o600;

/** Fails when a secret file cannot be read or is empty; never includes the file's content. */
export class SecretFileError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'SecretFileError';
  }
}

/** Creates `file` with mode 0600; refuses to replace anything already there. */
export async function createPrivateFile(file: string, content: string): Promise<void> {
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `file` with mode 0600, replacing it if it exists: the content goes to a new 0600 file beside
 * it that is then renamed over it, so an old file's wider mode (or a symlink) is never inherited.
 */
export async function replacePrivateFile(file: string, content: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await createPrivateFile(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A new 0700 directory under the system's temporary directory, holding one 0600 file. */
export async function createPrivateTempFile(prefix: string, name: string, content: string): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  const file = path.join(directory, name);
  await createPrivateFile(file, content);
  return file;
}

/** For a check before any request: the file must not exist yet, and its directory must. */
export async function assertCanCreate(file: string, what: string): Promise<void> {
  const exists = await lstat(file).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new UsageError(
      `${what} ${file} already exists; give a path that does not exist yet (it is never overwritten)`,
    );
  const directory = path.dirname(file);
  const isDirectory = await stat(directory).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new UsageError(`the directory of ${what} ${file} does not exist`);
}

/** A secret kept in a file: the first line, trimmed. Warns (through `warn`) when others may read it. */
export async function readSecretFile(file: string, what: string, warn?: (message: string) => void): Promise<string> {
  let text: string;
  try {
    text = await readTextFile(file, MAX_SECRET_FILE_BYTES);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    // Only the reason: the message of an error about a secret file never quotes what it holds.
    throw new SecretFileError(`cannot read ${what}: ${error.describe(file)}; check the path and its permissions`);
  }
  const secret = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (secret === '') throw new SecretFileError(`${what} file ${file} is empty; its first line must hold the secret`);
  if (warn && process.platform !== 'win32') {
    const mode = (await stat(file)).mode & 0o077;
    if (mode !== 0) warn(`warning: ${file} can be read by other users; restrict it with chmod 600 ${file}`);
  }
  return secret;
}
