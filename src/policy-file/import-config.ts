// `import --policy-file F`, the pure part: a tailnet-access.yaml whose users come from the tailnet and
// whose groups come from the policy file kept in git (a comment above a group becomes its
// description), with settings.policyFile pointing at F. It is checked before anything is written:
// it must load, plan no role change, and `render` must leave F byte for byte as it is.
import { Pair, parseDocument, Scalar, YAMLMap } from 'yaml';
import { parseConfig } from '../config/load.js';
import { writeAccessYaml, type WrittenConfig } from '../config/write-yaml.js';
import { DiagnosticsError } from '../diagnostics.js';
import { diff, type LiveTailnet } from '../plan/diff.js';
import { HujsonSyntaxError, PolicyShapeError, readPolicyGroups } from '../policy/index.js';
import type { PolicyGroups } from '../policy/types.js';
import type { TailscaleUser } from '../domain/users.js';
import { groupsDiffering } from './not-rendered.js';
import { renderPolicyFile, type PolicyFile } from './source.js';

/** What import wrote would not survive its own check: a bug in import, never the user's doing. */
export class PolicyImportMismatchError extends Error {
  constructor(detail: string) {
    super(
      `import could not write a file that keeps the policy file as it is (${detail}); nothing was written. Please ` +
        `report this as a bug, with the policy file.`,
    );
    this.name = 'PolicyImportMismatchError';
  }
}

/** The groups of the policy file; a file that is not a policy is a DiagnosticsError at its line and column. */
export function policyFileGroups(file: PolicyFile): PolicyGroups {
  try {
    return readPolicyGroups(file.text);
  } catch (error) {
    if (error instanceof HujsonSyntaxError || error instanceof PolicyShapeError) {
      throw new DiagnosticsError([
        {
          file: file.shown,
          line: error.line,
          column: error.column,
          severity: 'error',
          code: 'policy.syntax',
          message: error.reason,
        },
      ]);
    }
    throw error;
  }
}

/**
 * `written` (from writeAccessYaml) with settings.policyFile set to `setting` (the path relative to the
 * config file's folder), onManualEdits spelled out, and a header that says where the groups came from.
 */
export function withPolicyFileSettings(written: string, setting: string, policyShown: string): string {
  const doc = parseDocument(written);
  const [schemaLine] = (doc.commentBefore ?? '').split('\n');
  doc.commentBefore = [
    ...(schemaLine?.includes('$schema=') ? [schemaLine] : []),
    ' Who is in the tailnet and what they may do. Written by `tailnet-access import --policy-file`:',
    ` the users and their roles from the live tailnet, the groups from ${policyShown}, which`,
    ' `tailnet-access render` keeps in step with this file. Change access here, through pull requests.',
  ].join('\n');
  const settings = doc.get('settings');
  if (!(settings instanceof YAMLMap)) throw new PolicyImportMismatchError('the written file has no settings mapping');
  const value = (text: string, comment: string): Scalar => {
    const node = new Scalar(text);
    node.comment = comment;
    return node;
  };
  settings.items.push(
    new Pair(
      new Scalar('policyFile'),
      value(setting, ' the whole policy lives in git; `tailnet-access render` writes the groups above into it'),
    ),
    new Pair(
      new Scalar('onManualEdits'),
      value('warn', ' when the live policy was edited outside git: warn (and overwrite), or fail'),
    ),
  );
  return doc.toString({ lineWidth: 0 });
}

export interface PolicyImportSource {
  live: LiveTailnet;
  sharedUsers: readonly TailscaleUser[];
  file: PolicyFile;
  /** The config file as messages name it. */
  configShown: string;
  /** settings.policyFile: the policy file relative to the config file's folder. */
  setting: string;
}

export function importFromPolicyFile(source: PolicyImportSource): WrittenConfig {
  const { live, file } = source;
  const { tailnetId } = live;
  const written = writeAccessYaml({
    users: live.users,
    sharedUsers: source.sharedUsers,
    groups: policyFileGroups(file),
    tailnet: live.tailnet,
    ...(tailnetId ? { tailnetId } : {}),
  });
  const text = withPolicyFileSettings(written.text, source.setting, file.shown);
  const config = parseConfig(text, source.configShown);
  if (config.desired.settings.policyFile !== source.setting)
    throw new PolicyImportMismatchError(
      `settings.policyFile reads back as ${JSON.stringify(config.desired.settings.policyFile)}`,
    );
  const { plan, problems } = diff(config.desired, live, config.now ?? Date.now());
  const first = problems[0] ?? plan.changes.find((c) => c.type === 'user.role');
  if (first !== undefined)
    throw new PolicyImportMismatchError(`the users do not match the tailnet: ${JSON.stringify(first)}`);
  const rendered = renderPolicyFile(config.desired, file);
  if (rendered !== file.text)
    throw new PolicyImportMismatchError(
      `render would change ${file.shown}: ${groupsDiffering(file.text, rendered).join(', ') || 'outside the groups'}`,
    );
  return { ...written, text };
}
