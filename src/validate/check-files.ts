// The check of the files alone, with no tailnet and no credential: the YAML, its JSON Schema and its
// rules, and under settings.policyFile the policy file's HuJSON and whether it holds the groups the
// YAML gives it (the "not rendered" check). `validate` runs it; so does the action on a pull request
// it cannot plan (from a fork, or without a credential), so a typo is an error on every pull request.
import { DiagnosticsError } from '../diagnostics.js';
import type { Diagnostic } from '../domain/diagnostic.js';
import type { LoadedConfig } from '../config/load.js';
import { notRenderedDiagnostic } from '../policy-file/not-rendered.js';
import { renderPolicyFile, type PolicyFile } from '../policy-file/source.js';

export interface FileCheck {
  /** The config file as messages name it. */
  config: string;
  /** Under settings.policyFile: the policy file as messages name it, when it could be read. */
  policyFile?: string;
  /** Each at its file:line:column; none when the files are fine. */
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export interface FileCheckSources {
  /** The config file as messages name it. */
  config: string;
  /** Loads the config; a file with errors throws DiagnosticsError, one that cannot be read another error. */
  load(): Promise<LoadedConfig>;
  /** Reads the policy file of settings.policyFile (undefined without it); the caller decides where it may be. */
  readPolicyFile(config: LoadedConfig): Promise<PolicyFile | undefined>;
  /** The fix shown for a policy file that is not rendered, e.g. `tailnet-access render`. */
  renderCommand: string;
}

function split(config: string, diagnostics: readonly Diagnostic[], policyFile?: string): FileCheck {
  const check: FileCheck = {
    config,
    errors: diagnostics.filter((d) => d.severity === 'error'),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
  };
  if (policyFile !== undefined) check.policyFile = policyFile;
  return check;
}

/** Every problem the files hold, found without a network. A file that cannot be read at all throws. */
export async function checkFiles(sources: FileCheckSources): Promise<FileCheck> {
  let config: LoadedConfig;
  try {
    config = await sources.load();
  } catch (error) {
    if (error instanceof DiagnosticsError) return split(sources.config, error.diagnostics);
    throw error;
  }
  const file = await sources.readPolicyFile(config);
  if (file === undefined) return split(sources.config, config.warnings);
  let found: Diagnostic[];
  try {
    const rendered = renderPolicyFile(config.desired, file);
    const notRendered = notRenderedDiagnostic(file, rendered, config.desired.file, sources.renderCommand);
    found = notRendered ? [notRendered] : [];
  } catch (error) {
    if (!(error instanceof DiagnosticsError)) throw error;
    found = error.diagnostics;
  }
  return split(sources.config, [...config.warnings, ...found], file.shown);
}
