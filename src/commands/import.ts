// `import`: write a tailnet-access.yaml that describes the live tailnet. Before writing, the file is
// loaded and planned against the very state it was made from: it must load without errors and plan
// to no changes, or nothing is written. An existing file is never replaced without --force.
// `import --policy-file F` (coming from gitops-acl-action): the users come from the tailnet, the
// groups from the policy file in the repository, and settings.policyFile points at it; the check is
// then that `render` leaves F byte for byte as it is, and that no role would change.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseConfig } from '../config/load.js';
import { writeAccessYaml, type WrittenConfig } from '../config/write-yaml.js';
import { UsageError } from '../errors.js';
import { EXIT_OK } from '../exit-codes.js';
import type { LiveTailnet } from '../plan/diff.js';
import { escapeControls } from '../plan/escape.js';
import { importFromPolicyFile } from '../policy-file/import-config.js';
import type { PolicyFile } from '../policy-file/source.js';
import { readLive } from '../tailscale/live.js';
import { configPath, emit, flag, isSet, resolvePath, type CommandContext } from './io.js';
import { planAgainst } from './read-plan.js';
import { withClient } from './session.js';

/** The file import wrote would not plan to "no changes": a bug in import, never the user's doing. */
export class ImportMismatchError extends Error {
  constructor(detail: string) {
    super(`import could not write a file that matches the tailnet (${detail}); nothing was written. Please report this as a bug.`);
    this.name = 'ImportMismatchError';
  }
}

/** The file's content for `live`, checked to load cleanly and to plan to no changes. */
export function importedConfig(live: LiveTailnet, shared: LiveTailnet['users'], file: string): WrittenConfig {
  const { tailnetId } = live;
  const written = writeAccessYaml({ users: live.users, sharedUsers: shared, groups: live.groups, tailnet: live.tailnet, ...(tailnetId ? { tailnetId } : {}) });
  const { plan, problems } = planAgainst(parseConfig(written.text, file), live);
  const first = problems[0] ?? plan.changes[0];
  if (first !== undefined) throw new ImportMismatchError(`${problems.length} problems and ${plan.changes.length} changes, the first ${JSON.stringify(first)}`);
  return written;
}

function summary(ctx: CommandContext, file: string, written: WrittenConfig, policyFile?: PolicyFile): string {
  if (ctx.args.format === 'json') {
    return `${JSON.stringify({ file, users: written.users, groups: written.groups, leftOut: written.leftOut }, null, 2)}\n`;
  }
  const lines = [`Wrote ${file}: ${written.users} users, ${written.groups} groups.`];
  if (written.leftOut.length > 0) {
    lines.push('Not listed, and left as they are:');
    for (const item of written.leftOut) lines.push(`  ${item.kind} ${escapeControls(item.name)}: ${item.reason}`);
  }
  lines.push(
    policyFile
      ? `Its groups are those of ${policyFile.shown}, and \`tailnet-access render\` leaves that file as it is. \`tailnet-access plan\` shows what apply would write. Review the file, then commit it.`
      : '`tailnet-access plan` shows no changes against it. Review the file, then commit it.',
  );
  return `${lines.join('\n')}\n`;
}

function refuseOverwrite(file: string): UsageError {
  return new UsageError(`${file} already exists and import does not replace it; pass --force to overwrite it, or --config to write another file`);
}

/** The file of --policy-file, relative to the working directory; named in messages as given. */
async function readGivenPolicyFile(ctx: CommandContext, given: string): Promise<PolicyFile> {
  const file = resolvePath(ctx, given);
  try {
    return { path: file, shown: given, text: await readFile(file, 'utf8') };
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    throw new UsageError(code === 'ENOENT' ? `--policy-file ${given} does not exist` : `cannot read --policy-file ${given}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** settings.policyFile: the policy file relative to the config file's folder, with forward slashes. */
function policyFileSetting(configFile: string, policyFile: string): string {
  return path.relative(path.dirname(configFile), policyFile).split(path.sep).join('/');
}

export async function runImport(ctx: CommandContext): Promise<number> {
  const shown = configPath(ctx);
  const target = resolvePath(ctx, shown);
  const force = isSet(ctx, 'force');
  // Checked before reading the tailnet, so a refusal costs nothing; the write below checks again.
  if (!force && existsSync(target)) throw refuseOverwrite(shown);
  const given = flag(ctx, 'policy-file');
  const policyFile = given === undefined ? undefined : await readGivenPolicyFile(ctx, given);
  const written = await withClient(ctx, undefined, async (client) => {
    const [live, shared] = await Promise.all([readLive(client), client.listUsers({ type: 'shared' })]);
    if (!policyFile) return importedConfig(live, shared, shown);
    return importFromPolicyFile({ live, sharedUsers: shared, file: policyFile, configShown: shown, setting: policyFileSetting(target, policyFile.path) });
  });
  try {
    await writeFile(target, written.text, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'EEXIST') throw refuseOverwrite(shown);
    if (code === 'ENOENT') throw new UsageError(`cannot write ${shown}: its folder does not exist`);
    throw error;
  }
  await emit(ctx, summary(ctx, shown, written, policyFile));
  return EXIT_OK;
}
