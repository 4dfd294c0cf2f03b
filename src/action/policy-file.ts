// The action under settings.policyFile (the whole policy kept in git): the policy file from the
// checkout, named from the repository root so its annotations land in the pull request's diff; the
// record of the last applied policy in the repository's deployments (src/github/deployment-store.ts);
// and the fix commands spelled as the README has people run them.
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { OnManualEdits } from '../config/types.js';
import { workspaceBoundary } from '../files/boundary.js';
import { DeploymentEtagStore } from '../github/deployment-store.js';
import { diagnosticFindings, type Finding } from '../github/annotations.js';
import { renderCommandFor } from '../policy-file/not-rendered.js';
import { manualEditMessage, type PolicyFileOptions } from '../policy-file/plan.js';
import type { PolicyFilePlan } from '../domain/policy-file.js';
import { policyFileLocation, readPolicyFileAt, type PolicyFile } from '../policy-file/source.js';
import { githubFor } from './github.js';
import { shownPath } from './inputs.js';
import { log } from './log.js';
import type { ActionSettings } from './settings.js';

/** The policy file of settings.policyFile from the checkout, named from the repository root; undefined without it. */
export async function readActionPolicyFile(
  settings: ActionSettings,
  config: LoadedConfig,
): Promise<PolicyFile | undefined> {
  if (settings.policyFile !== undefined) usePolicyFileInput(settings, config, settings.policyFile);
  // Only files of the checkout: a pull request must not be able to publish other files of the runner.
  const location = policyFileLocation(
    config.desired,
    settings.config.path,
    workspaceBoundary(settings.github.workspace),
  );
  if (location === undefined) return undefined;
  return readPolicyFileAt(config.desired, {
    ...location,
    shown: shownPath(settings.github.workspace, location.named, location.shown),
  });
}

/**
 * The policy-file input (gitops-acl-action's, relative to the repository root) stands for
 * settings.policyFile: the setting becomes that path relative to the config file, and a different
 * setting in the file gives way to it with a notice.
 */
function usePolicyFileInput(settings: ActionSettings, config: LoadedConfig, input: string): void {
  const { desired } = config;
  const setting =
    path
      .relative(path.dirname(settings.config.path), path.resolve(settings.github.workspace, input))
      .split(path.sep)
      .join('/') || '.';
  const before = desired.settings.policyFile;
  if (
    before !== undefined &&
    path.resolve(path.dirname(settings.config.path), before) !==
      path.resolve(path.dirname(settings.config.path), setting)
  ) {
    log.notice(
      `the policy-file input (${input}) is used instead of settings.policyFile (${before}) of ` +
        `${settings.config.shownAs}`,
    );
  }
  desired.settings = { ...desired.settings, policyFile: setting };
  desired.settingsAt = { ...desired.settingsAt };
  delete desired.settingsAt.policyFile;
}

/**
 * The policy-file options for plan, drift and apply; undefined without settings.policyFile. Read before
 * connecting, so a missing or unreadable file costs no API call. Only apply records (with the commit
 * it applied); plan and drift read the record.
 */
export async function actionPolicyFile(
  settings: ActionSettings,
  config: LoadedConfig,
  tailnet: string,
): Promise<PolicyFileOptions | undefined> {
  const file = await readActionPolicyFile(settings, config);
  if (file === undefined) return undefined;
  const configPath = settings.config.shownAs;
  const options: PolicyFileOptions = {
    file,
    renderCommand: renderCommandFor(configPath),
    pullCommand: renderCommandFor(configPath, ' --from-live'),
  };
  const github = githubFor(settings);
  if (github === undefined) {
    log.warning(
      'no github-token (or no GITHUB_REPOSITORY): tailnet-access keeps the record of the policy it last applied ' +
        "in the repository's deployments, which this run cannot reach, so edits made outside git go unnoticed",
    );
    return options;
  }
  options.store = new DeploymentEtagStore({
    github,
    configPath,
    tailnet,
    policyFile: file.shown,
    sha: settings.mode === 'apply' ? settings.github.sha : undefined,
    runUrl: settings.github.runUrl,
    warn: log.warning,
  });
  return options;
}

/**
 * The errors on the policy file of a plan apply refused: where it is not rendered, what Tailscale
 * refuses, and, under onManualEdits: fail, the edit made outside git that stopped it. The refusal's
 * message lists them too; these put them on the file's lines.
 */
export function refusedPolicyFileFindings(section: PolicyFilePlan, mode: OnManualEdits): Finding[] {
  const findings = diagnosticFindings([...(section.notRendered ? [section.notRendered] : []), ...section.invalid]);
  const edit = section.manualEdit;
  if (edit && !edit.kept && mode === 'fail') {
    findings.push({
      severity: 'error',
      message: manualEditMessage(section, edit, mode, 'apply'),
      at: { file: section.file, line: 1, column: 1 },
    });
  }
  return findings;
}
