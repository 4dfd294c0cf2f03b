// The policy file named by `settings.policyFile`: where it is, its text, and the desired policy made
// from it. Problems come back as DiagnosticsError at the policy file's line and column, the form
// editors and GitHub annotations jump to.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigFileError } from '../config/load.js';
import type { Desired } from '../config/types.js';
import { DiagnosticsError, formatSourceRef, type Diagnostic } from '../diagnostics.js';
import { renderDesiredPolicy } from '../policy/desired-policy.js';
import { HujsonSyntaxError, PolicyRewriteError, PolicyShapeError } from '../policy/index.js';

export interface PolicyFile {
  /** Where it is read from and written to. */
  path: string;
  /** How messages name it: relative to where the config file was named from, e.g. `infra/policy.hujson`. */
  shown: string;
  /** Its text as in the repository. */
  text: string;
}

export interface PolicyFileLocation {
  path: string;
  shown: string;
}

/**
 * Where `settings.policyFile` points, or undefined without the setting. `configPath` is the config
 * file on disk; `desired.file` names the same file as the user did, and the shown path follows it.
 */
export function policyFileLocation(desired: Desired, configPath: string): PolicyFileLocation | undefined {
  const setting = desired.settings.policyFile;
  if (setting === undefined) return undefined;
  return {
    path: path.resolve(path.dirname(configPath), setting),
    shown: path.normalize(path.join(path.dirname(desired.file), setting)),
  };
}

function unreadable(desired: Desired, location: PolicyFileLocation, error: unknown): ConfigFileError {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const at = desired.settingsAt.policyFile;
  const named = at ? ` (settings.policyFile at ${formatSourceRef(at)})` : '';
  const reason =
    code === 'ENOENT'
      ? `the policy file ${location.shown}${named} does not exist; fix the path, or write the file (import --policy-file reads an existing one)`
      : `cannot read the policy file ${location.shown}${named}: ${error instanceof Error ? error.message : String(error)}`;
  return new ConfigFileError(location.shown, reason, { cause: error });
}

/** Reads the policy file of `settings.policyFile`; undefined without the setting. */
export async function readPolicyFile(desired: Desired, configPath: string): Promise<PolicyFile | undefined> {
  const location = policyFileLocation(desired, configPath);
  return location ? readPolicyFileAt(desired, location) : undefined;
}

export async function readPolicyFileAt(desired: Desired, location: PolicyFileLocation): Promise<PolicyFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(location.path);
  } catch (error) {
    throw unreadable(desired, location, error);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ConfigFileError(location.shown, `the policy file ${location.shown} is not UTF-8 text; save it as UTF-8`, { cause: error });
  }
  return { ...location, text };
}

function problem(file: string, line: number, column: number, code: string, message: string): Diagnostic {
  return { file, line, column, severity: 'error', code, message };
}

/**
 * The desired policy: the file with its groups rendered from the YAML. A file that is not valid HuJSON,
 * or not shaped like a policy, is a DiagnosticsError at its line and column.
 */
export function renderPolicyFile(desired: Desired, file: PolicyFile): string {
  try {
    return renderDesiredPolicy(desired, file.text);
  } catch (error) {
    if (error instanceof HujsonSyntaxError) throw new DiagnosticsError([problem(file.shown, error.line, error.column, 'policy.syntax', error.reason)]);
    if (error instanceof PolicyShapeError) throw new DiagnosticsError([problem(file.shown, error.line, error.column, 'policy.shape', error.reason)]);
    if (error instanceof PolicyRewriteError) throw new DiagnosticsError([problem(file.shown, 1, 1, 'policy.groups', error.message)]);
    throw error;
  }
}
