// The policy file named by `settings.policyFile`: where it is, its text, and the desired policy made
// from it. Problems come back as DiagnosticsError at the policy file's line and column, the form
// editors and GitHub annotations jump to.
import path from 'node:path';
import { ConfigFileError } from '../config/load.js';
import type { Desired } from '../config/types.js';
import { DiagnosticsError, formatSourceRef } from '../diagnostics.js';
import type { Diagnostic } from '../domain/diagnostic.js';
import { resolveWithin, type Boundary } from '../files/boundary.js';
import { readTextFile, UnreadableFileError } from '../files/read-regular.js';
import { renderDesiredPolicy } from '../policy/desired-policy.js';
import { HujsonSyntaxError, PolicyRewriteError, PolicyShapeError } from '../policy/index.js';

/** Far above any real policy (the benchmark's big one is 1 MB); a bigger file is the wrong file. */
export const MAX_POLICY_BYTES = 10 * 1024 * 1024;

export interface PolicyFile {
  /** Where it is read from and written to. */
  path: string;
  /** How messages name it: relative to where the config file was named from, e.g. `infra/policy.hujson`. */
  shown: string;
  /** Its text as in the repository. */
  text: string;
}

export interface PolicyFileLocation {
  /** Where it is read from and written to: symbolic links resolved, inside the boundary. */
  path: string;
  /** The absolute path the setting names, before links are followed. */
  named: string;
  shown: string;
}

/**
 * Where `settings.policyFile` points, or undefined without the setting. `configPath` is the config
 * file on disk; `desired.file` names the same file as the user did, and the shown path follows it
 * (an absolute setting is shown as it is). A path that leads outside `boundary`, through `..`, an
 * absolute path or a symbolic link, is refused at the setting's line before anything is read.
 */
export function policyFileLocation(
  desired: Desired,
  configPath: string,
  boundary: Boundary,
): PolicyFileLocation | undefined {
  const setting = desired.settings.policyFile;
  if (setting === undefined) return undefined;
  const named = path.resolve(path.dirname(configPath), setting);
  const shown = path.isAbsolute(setting)
    ? path.normalize(setting)
    : path.normalize(path.join(path.dirname(desired.file), setting));
  const { real, inside } = resolveWithin(named, boundary);
  if (!inside) throw outsideBoundary(desired, setting, real, boundary);
  return { path: real, named, shown };
}

function outsideBoundary(desired: Desired, setting: string, real: string, boundary: Boundary): DiagnosticsError {
  const at = desired.settingsAt.policyFile ?? { file: desired.file, line: 1, column: 1 };
  const message =
    `settings.policyFile ${JSON.stringify(setting)} leads to ${real}, outside ${boundary.name}: tailnet-access ` +
    `reads only files inside it, ` +
    'so that a change to this file cannot publish other files of the machine in a plan; keep the policy file in ' +
    'the repository';
  return new DiagnosticsError([{ ...at, severity: 'error', code: 'policy-file.outside', message }]);
}

function unreadable(desired: Desired, location: PolicyFileLocation, error: UnreadableFileError): ConfigFileError {
  const at = desired.settingsAt.policyFile;
  const named = at ? ` (settings.policyFile at ${formatSourceRef(at)})` : '';
  const what = error.describe(`the policy file ${location.shown}${named}`);
  const fix =
    error.reason === 'missing'
      ? '; fix the path, or write the file (import --policy-file writes it from the live policy)'
      : error.reason === 'directory' || error.reason === 'not-regular'
        ? '; settings.policyFile must name the HuJSON policy file'
        : error.reason === 'too-large'
          ? ' for a policy file; is this the right file?'
          : '';
  return new ConfigFileError(location.shown, `${what}${fix}`, { cause: error });
}

export async function readPolicyFileAt(desired: Desired, location: PolicyFileLocation): Promise<PolicyFile> {
  try {
    return { path: location.path, shown: location.shown, text: await readTextFile(location.path, MAX_POLICY_BYTES) };
  } catch (error) {
    if (error instanceof UnreadableFileError) throw unreadable(desired, location, error);
    throw error;
  }
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
    if (error instanceof HujsonSyntaxError)
      throw new DiagnosticsError([problem(file.shown, error.line, error.column, 'policy.syntax', error.reason)]);
    if (error instanceof PolicyShapeError)
      throw new DiagnosticsError([problem(file.shown, error.line, error.column, 'policy.shape', error.reason)]);
    if (error instanceof PolicyRewriteError)
      throw new DiagnosticsError([problem(file.shown, 1, 1, 'policy.groups', error.message)]);
    throw error;
  }
}
