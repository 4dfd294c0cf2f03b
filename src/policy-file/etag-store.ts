// What this tool last applied to each tailnet's policy, kept between runs so that an edit made in the
// admin console (outside git) is noticed before it is overwritten, as Tailscale's gitops-pusher does
// with its cached ETag. The CLI keeps it in a JSON file; the action keeps it wherever its runs share
// state. Besides the ETag the record holds the text's hash and the text, so a later run can show what
// was edited and tell whether the file in git already holds the edit.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { readTextFile, UnreadableFileError } from '../files/read-regular.js';
import type { AppliedPolicy } from '../domain/policy-file.js';

export interface EtagStore {
  /** How messages name the store, e.g. `.tailnet-access/state.json`. */
  readonly description: string;
  /**
   * The record for a tailnet, as addressed in API paths (`-` for the credential's own) and, when the
   * read learnt it, by its ID: a store may key its records by the ID, which says which tailnet `-` was.
   */
  get(tailnet: string, tailnetId?: string): Promise<AppliedPolicy | undefined>;
  set(tailnet: string, applied: AppliedPolicy, tailnetId?: string): Promise<void>;
  /**
   * Notes, right before a write, the hash of the text about to be written, beside the tailnet's
   * record (when there is one; without a record no edit is looked for). A store that cannot keep
   * it leaves this out: a run stopped between its write and `set` then looks like an edit outside git.
   */
  noteIntent?(tailnet: string, sha256: string, tailnetId?: string): Promise<void>;
}

export function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function appliedPolicy(etag: string, text: string): AppliedPolicy {
  return { etag, sha256: sha256Of(text), text };
}

/** The state file cannot be read or written; the message says which file and what to do. */
export class StateFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateFileError';
  }
}

/** The folder of the CLI's default state file, beside the config file. */
export const DEFAULT_STATE_DIR = '.tailnet-access';
/** The environment variable naming the CLI's state file. */
export const STATE_ENV = 'TAILNET_ACCESS_STATE';
/** Room for the policies of many tailnets (each at most the policy file's 10 MB). */
export const MAX_STATE_BYTES = 64 * 1024 * 1024;

interface StateFile {
  version: 1;
  policies: Record<string, AppliedPolicy>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readRecord(value: unknown): AppliedPolicy | undefined {
  if (!isRecord(value) || typeof value.etag !== 'string' || typeof value.sha256 !== 'string') return undefined;
  const record: AppliedPolicy = { etag: value.etag, sha256: value.sha256 };
  if (typeof value.text === 'string') record.text = value.text;
  if (typeof value.intended === 'string') record.intended = value.intended;
  return record;
}

/**
 * The CLI's store: one JSON file for every tailnet it applied to. Written whole through a temporary
 * file and a rename, so an interrupted run leaves the old state, never half a file. The folder it
 * creates gets a `.gitignore` of `*`: the state belongs to the machine that applies, not to git.
 */
export class FileEtagStore implements EtagStore {
  readonly description: string;
  constructor(
    private readonly file: string,
    shown: string = file,
  ) {
    this.description = shown;
  }

  private async load(): Promise<StateFile> {
    let raw: string;
    try {
      raw = await readTextFile(this.file, MAX_STATE_BYTES);
    } catch (error) {
      if (!(error instanceof UnreadableFileError)) throw error;
      if (error.reason === 'missing') return { version: 1, policies: {} };
      throw new StateFileError(
        `${error.describe(`the state file ${this.description}`)}; point --state-file elsewhere, or delete it to ` +
          `start afresh`,
        { cause: error },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw new StateFileError(
        `the state file ${this.description} is not valid JSON; delete it to start afresh (edits made outside git ` +
          `before the next apply then go unnoticed once)`,
        { cause: error },
      );
    }
    if (!isRecord(parsed) || parsed.version !== 1 || !isRecord(parsed.policies)) {
      throw new StateFileError(
        `the state file ${this.description} is not a tailnet-access state file (version 1); point --state-file ` +
          `elsewhere, or delete it to start afresh`,
      );
    }
    const policies: Record<string, AppliedPolicy> = {};
    for (const [tailnet, value] of Object.entries(parsed.policies)) {
      const record = readRecord(value);
      if (record) policies[tailnet] = record;
    }
    return { version: 1, policies };
  }

  // Records are kept under the tailnet's ID, so `-`, its ID and its name share one record. Files written
  // before the ID was known keep theirs under the tailnet as asked: still read, and moved to the ID
  // by the next write (a `-` record could belong to whichever tailnet `-` was; its ID cannot).
  async get(tailnet: string, tailnetId?: string): Promise<AppliedPolicy | undefined> {
    const { policies } = await this.load();
    return (tailnetId === undefined ? undefined : policies[tailnetId]) ?? policies[tailnet];
  }

  async set(tailnet: string, applied: AppliedPolicy, tailnetId?: string): Promise<void> {
    const state = await this.load();
    if (tailnetId !== undefined && tailnetId !== tailnet) delete state.policies[tailnet];
    state.policies[tailnetId ?? tailnet] = applied;
    await this.save(state);
  }

  async noteIntent(tailnet: string, sha256: string, tailnetId?: string): Promise<void> {
    const state = await this.load();
    // The record as get() finds it: under the ID when there is one, else as asked.
    const key = tailnetId !== undefined && state.policies[tailnetId] !== undefined ? tailnetId : tailnet;
    const record = state.policies[key];
    if (record === undefined) return;
    state.policies[key] = { ...record, intended: sha256 };
    await this.save(state);
  }

  private async save(state: StateFile): Promise<void> {
    const dir = path.dirname(this.file);
    try {
      const created = await mkdir(dir, { recursive: true });
      if (created !== undefined && path.basename(dir) === DEFAULT_STATE_DIR)
        await writeFile(path.join(dir, '.gitignore'), '*\n');
      await writeFileAtomic(this.file, `${JSON.stringify(state, null, 2)}\n`);
    } catch (error) {
      throw new StateFileError(
        `cannot write the state file ${this.description}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
}

/**
 * The CLI's state file: `--state-file`, else $TAILNET_ACCESS_STATE, else `.tailnet-access/state.json`
 * in the config file's folder. Relative paths are taken from `cwd`.
 */
export function stateFilePath(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  configPath: string,
  cwd: string,
): string {
  const given = flag ?? (env[STATE_ENV] || undefined);
  return given !== undefined
    ? path.resolve(cwd, given)
    : path.join(path.dirname(configPath), DEFAULT_STATE_DIR, 'state.json');
}
