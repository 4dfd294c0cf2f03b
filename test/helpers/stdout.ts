// What the code under test writes to standard output (the runner's workflow commands, the log),
// captured instead of printed. Undone by vi.restoreAllMocks().
import { vi } from 'vitest';

export function captureStdout(): string[] {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  return written;
}
