// Every file the product reads comes through here. Only regular files: a device (/dev/zero) is read
// forever and a FIFO blocks, so both are refused after one fstat of the open file. The file is opened
// with O_NONBLOCK, since opening a FIFO that has no writer would otherwise wait forever before any
// check could run. The cap counts the bytes actually read and stops one past it: stat's size is 0
// for /proc files and devices, so it cannot be the bound, only an early refusal of a file plainly too big.
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

export type UnreadableReason = 'missing' | 'directory' | 'not-regular' | 'too-large' | 'denied' | 'not-text' | 'other';

/** A file that was not read, and why, in words that fit after the file's name. */
export class UnreadableFileError extends Error {
  readonly reason: UnreadableReason;
  /** For too-large: the size when the file says it (a /proc file does not). */
  readonly size: number | undefined;
  readonly limit: number | undefined;
  constructor(
    reason: UnreadableReason,
    detail: string,
    options: { cause?: unknown; size?: number; limit?: number } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'UnreadableFileError';
    this.reason = reason;
    this.size = options.size;
    this.limit = options.limit;
  }

  /** One sentence naming the file as `shown`, e.g. `policy.hujson is a directory`. */
  describe(shown: string): string {
    switch (this.reason) {
      case 'missing':
        return `${shown} does not exist`;
      case 'directory':
        return `${shown} is a directory`;
      case 'not-regular':
        return `${shown} is ${this.message}, not a regular file`;
      case 'too-large':
        return `${shown} is ${this.message}`;
      case 'denied':
        return `cannot read ${shown}: permission denied`;
      case 'not-text':
        return `${shown} is not UTF-8 text; save it as UTF-8`;
      case 'other':
        return `cannot read ${shown}: ${this.message}`;
    }
  }
}

// Windows has no O_NONBLOCK (nor FIFOs to block on); 0 leaves the flags as they are.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const MIN_ROOM_BYTES = 4096;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function openFailure(error: unknown): UnreadableFileError {
  const code = errorCode(error);
  const options = { cause: error };
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UnreadableFileError('missing', 'does not exist', options);
  if (code === 'EISDIR') return new UnreadableFileError('directory', 'is a directory', options);
  if (code === 'EACCES' || code === 'EPERM') return new UnreadableFileError('denied', 'permission denied', options);
  // open(2) answers ENXIO for a socket, and for a FIFO with no reader when asked to write.
  if (code === 'ENXIO') return new UnreadableFileError('not-regular', 'a socket', options);
  return new UnreadableFileError('other', error instanceof Error ? error.message : String(error), options);
}

function kindOf(stats: Stats): string {
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function tooLarge(limit: number, size?: number): UnreadableFileError {
  const over = `over the ${formatBytes(limit)} limit`;
  const what = size === undefined ? over : `${size.toLocaleString('en-US')} bytes (${formatBytes(size)}), ${over}`;
  return new UnreadableFileError('too-large', what, { limit, ...(size === undefined ? {} : { size }) });
}

/**
 * The bytes of the regular file `file`, at most `limit` of them; throws UnreadableFileError for
 * anything else (missing, a directory, a device or FIFO, larger than `limit`, unreadable).
 */
export async function readRegularFile(file: string, limit: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    throw openFailure(error);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new UnreadableFileError('directory', 'is a directory');
    if (!stats.isFile()) throw new UnreadableFileError('not-regular', kindOf(stats));
    if (stats.size > limit) throw tooLarge(limit, stats.size);
    // Room for the size the file states and one byte more, which stays empty unless it grew; a file
    // that states no size (a /proc file) gets room as it goes, up to one byte past the cap.
    let buffer = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(stats.size + 1, MIN_ROOM_BYTES)));
    let total = 0;
    for (;;) {
      if (total === buffer.length) buffer = Buffer.concat([buffer], Math.min(limit + 1, buffer.length * 2));
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooLarge(limit);
    }
    return buffer.subarray(0, total);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw openFailure(error);
  } finally {
    await handle.close();
  }
}

/** readRegularFile, decoded as UTF-8 (a byte-order mark dropped); anything else is `not-text`. */
export async function readTextFile(file: string, limit: number): Promise<string> {
  const bytes = await readRegularFile(file, limit);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new UnreadableFileError('not-text', 'is not UTF-8 text', { cause: error });
  }
}
