// `import`: write a tailnet-access.yaml that describes the live tailnet. Before writing, the file is
// loaded and planned against the very state it was made from: it must load without errors and plan
// to no changes, or nothing is written. An existing file is never replaced without --force. Where the
// YAML goes is --config or --out (either: a user typing `--out` means the file written).
// `import --policy-file F` (coming from gitops-acl-action): the users come from the tailnet, the
// groups from the policy file in the repository, and settings.policyFile points at it; the check is
// then that `render` leaves F byte for byte as it is, and that no role would change. When F does not
// exist yet, it is written with the live policy, byte for byte as the API gives it, so one command
// moves a team's policy into git.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseConfig } from '../config/load.js';
import { writeAccessYaml, type WrittenConfig } from '../config/write-yaml.js';
import { UsageError } from '../errors.js';
import { EXIT_OK } from '../exit-codes.js';
import { repositoryBoundary, resolveWithin } from '../files/boundary.js';
import { readTextFile, UnreadableFileError } from '../files/read-regular.js';
import { sameFile } from '../files/same-file.js';
import type { LiveTailnet } from '../plan/diff.js';
import { escapeControls } from '../escape.js';
import { importFromPolicyFile } from '../policy-file/import-config.js';
import { etagLabel } from '../domain/policy.js';
import { MAX_POLICY_BYTES, type PolicyFile } from '../policy-file/source.js';
import { readLive } from '../tailscale/live.js';
import { flag, isSet, printOut, resolvePath, type CommandContext } from './context.js';
import { planAgainst } from '../engine/plan.js';
import { withClient } from './session.js';

/** The file import wrote would not plan to "no changes": a bug in import, never the user's doing. */
export class ImportMismatchError extends Error {
  constructor(detail: string) {
    super(
      `import could not write a file that matches the tailnet (${detail}); nothing was written. Please report ` +
        `this as a bug.`,
    );
    this.name = 'ImportMismatchError';
  }
}

/** The file's content for `live`, checked to load cleanly and to plan to no changes. */
export function importedConfig(live: LiveTailnet, shared: LiveTailnet['users'], file: string): WrittenConfig {
  const { tailnetId } = live;
  const written = writeAccessYaml({
    users: live.users,
    sharedUsers: shared,
    groups: live.groups,
    tailnet: live.tailnet,
    ...(tailnetId ? { tailnetId } : {}),
  });
  const { plan, problems } = planAgainst(parseConfig(written.text, file), live);
  const first = problems[0] ?? plan.changes[0];
  if (first !== undefined)
    throw new ImportMismatchError(
      `${problems.length} problems and ${plan.changes.length} changes, the first ${JSON.stringify(first)}`,
    );
  return written;
}

/**
 * The policy file of --policy-file: its text from the repository, or none when it is to be written from the live
 * policy.
 */
interface GivenPolicyFile {
  /** The absolute path as given, before links are followed: settings.policyFile is made from it. */
  named: string;
  /** Where it is read from and written to. */
  path: string;
  shown: string;
  text: string | undefined;
}

interface Imported {
  written: WrittenConfig;
  policyFile?: PolicyFile;
  /** The ETag of the live policy written into a new policy file. */
  liveEtag?: string;
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

function summary(ctx: CommandContext, file: string, imported: Imported): string {
  const { written, policyFile, liveEtag } = imported;
  const fromLive = liveEtag !== undefined;
  if (ctx.args.format === 'json') {
    const policy = policyFile ? { policyFile: { file: policyFile.shown, written: fromLive } } : {};
    return `${JSON.stringify({ file, users: written.users, groups: written.groups, leftOut: written.leftOut, ...policy }, null, 2)}\n`;
  }
  const lines = [
    ...(policyFile && fromLive
      ? [
          `Wrote ${policyFile.shown}: the live policy (ETag ${etagLabel(liveEtag)}), byte for byte as the ` +
            `Tailscale API gave it.`,
        ]
      : []),
    `Wrote ${file}: ${count(written.users, 'user')}, ${count(written.groups, 'group')}.`,
  ];
  if (written.leftOut.length > 0) {
    lines.push('Not listed, and left as they are:');
    for (const item of written.leftOut) lines.push(`  ${item.kind} ${escapeControls(item.name)}: ${item.reason}`);
  }
  lines.push(
    policyFile
      ? `Its groups are those of ${policyFile.shown}, and \`tailnet-access render\` leaves that file as it is. ` +
          `\`tailnet-access plan\` shows what apply would write. Review ` +
          `${fromLive ? 'both files, then commit them' : 'the file, then commit it'}.`
      : '`tailnet-access plan` shows no changes against it. Review the file, then commit it.',
  );
  return `${lines.join('\n')}\n`;
}

function refuseOverwrite(file: string): UsageError {
  return new UsageError(
    `${file} already exists and import does not replace it; pass --force to overwrite it, or --config to write ` +
      `another file`,
  );
}

/** Where the YAML goes: --config or --out, which mean the same here; both only when they agree. */
async function destination(ctx: CommandContext): Promise<string> {
  const config = flag(ctx, 'config');
  const out = flag(ctx, 'out');
  if (config === '') throw new UsageError('--config needs a file name (it defaults to tailnet-access.yaml)');
  if (out === undefined) return config ?? 'tailnet-access.yaml';
  if (config !== undefined && !(await sameFile(resolvePath(ctx, config), resolvePath(ctx, out)))) {
    throw new UsageError(`import: --config ${config} and --out ${out} both say where the YAML goes; give one of them`);
  }
  return out;
}

/**
 * The file of --policy-file, relative to the working directory and named in messages as given. It
 * must be inside the repository the YAML is written to, where settings.policyFile may point.
 */
async function givenPolicyFile(ctx: CommandContext, given: string, target: string): Promise<GivenPolicyFile> {
  const boundary = repositoryBoundary(target);
  const { real, inside } = resolveWithin(resolvePath(ctx, given), boundary);
  if (!inside) {
    throw new UsageError(
      `--policy-file ${given} leads to ${real}, outside ${boundary.name}; settings.policyFile may only name a ` +
        `file inside it, so keep the policy file in the repository`,
    );
  }
  if (await sameFile(real, target))
    throw new UsageError(
      `--policy-file ${given} is the file the YAML would be written to; give the policy file, and the YAML's ` +
        `place with --config`,
    );
  const located = { named: resolvePath(ctx, given), path: real, shown: given };
  try {
    return { ...located, text: await readTextFile(real, MAX_POLICY_BYTES) };
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    if (error.reason === 'missing') return { ...located, text: undefined };
    throw new UsageError(error.describe(`--policy-file ${given}`));
  }
}

/** settings.policyFile: the policy file as named, relative to the config file's folder, with forward slashes. */
function policyFileSetting(configFile: string, policyFile: string): string {
  return path.relative(path.dirname(configFile), policyFile).split(path.sep).join('/');
}

function writeFailure(error: unknown, shown: string): Error {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'EEXIST') return refuseOverwrite(shown);
  if (code === 'ENOENT') return new UsageError(`cannot write ${shown}: its folder does not exist`);
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Writes the new policy file (never over one that appeared meanwhile), then the YAML; a failed YAML write takes the
 * policy file back.
 */
async function writeFiles(
  target: string,
  shown: string,
  imported: Imported,
  given: GivenPolicyFile | undefined,
  force: boolean,
): Promise<void> {
  const created = given?.text === undefined ? imported.policyFile : undefined;
  if (created) {
    try {
      await writeFile(created.path, created.text, { flag: 'wx' });
    } catch (error) {
      throw writeFailure(error, created.shown);
    }
  }
  try {
    await writeFile(target, imported.written.text, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    if (created) await rm(created.path, { force: true });
    throw writeFailure(error, shown);
  }
}

export async function runImport(ctx: CommandContext): Promise<number> {
  const shown = await destination(ctx);
  const target = resolvePath(ctx, shown);
  const force = isSet(ctx, 'force');
  // Checked before reading the tailnet, so a refusal costs nothing; the write below checks again.
  if (!force && existsSync(target)) throw refuseOverwrite(shown);
  const policyFlag = flag(ctx, 'policy-file');
  const given = policyFlag === undefined ? undefined : await givenPolicyFile(ctx, policyFlag, target);
  const imported = await withClient(ctx, undefined, async (client): Promise<Imported> => {
    const [live, shared] = await Promise.all([readLive(client), client.listUsers({ type: 'shared' })]);
    if (!given) return { written: importedConfig(live, shared, shown) };
    // The live policy as the API gave it (HuJSON, comments and all) is a new file's text.
    const file = { path: given.path, shown: given.shown, text: given.text ?? live.policy.text };
    const written = importFromPolicyFile({
      live,
      sharedUsers: shared,
      file,
      configShown: shown,
      setting: policyFileSetting(target, given.named),
    });
    return { written, policyFile: file, ...(given.text === undefined ? { liveEtag: live.policy.etag } : {}) };
  });
  await writeFiles(target, shown, imported, given, force);
  await printOut(ctx, summary(ctx, shown, imported));
  return EXIT_OK;
}
