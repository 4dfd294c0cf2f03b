// The command line's places for a new app's client secret: a 0600 file (named by the user, or a fresh
// one whose path is printed), or standard output when explicitly asked for.
import type { OAuthApp } from '../tailscale/types.js';
import type { SecretSink } from './create-or-find.js';
import { assertCanCreate, createPrivateFile, createPrivateTempFile } from './private-file.js';

/**
 * `file` given: it must not exist before the create (checked in `prepare`, before any write), and is
 * created 0600. Not given: a new 0600 file in a new 0700 temporary directory.
 */
export function secretFileSink(file?: string): SecretSink {
  return {
    description: file === undefined ? 'a new private file' : `the file ${file}`,
    prepare: () => (file === undefined ? Promise.resolve() : assertCanCreate(file, 'the secret file')),
    async store(secret: string, app: OAuthApp): Promise<string> {
      if (file === undefined)
        return createPrivateTempFile('tailnet-access-oauth-app-', `${app.id}.client-secret`, `${secret}\n`);
      await createPrivateFile(file, `${secret}\n`);
      return file;
    },
  };
}

export interface SecretOutput {
  write(text: string): unknown;
  /** The first write that failed (a closed pipe, a full disk), once what was written is out. */
  takeWriteError?(): Promise<{ code?: string | undefined } | undefined>;
}

/**
 * Standard output, and nothing else there, so `… --print-secret > file` captures only the secret. A
 * write that fails there is a secret not stored, which must be said: Tailscale shows it only once.
 */
export function stdoutSecretSink(stdout: SecretOutput): SecretSink {
  return {
    description: 'standard output',
    prepare: () => Promise.resolve(),
    async store(secret: string): Promise<string> {
      stdout.write(`${secret}\n`);
      const failure = await stdout.takeWriteError?.();
      if (failure) throw new Error(`writing it failed (${failure.code ?? 'error'})`);
      return 'standard output';
    },
  };
}
