// The CLI's side of saved plans (src/plan/saved-plan.ts): where `plan --save-plan FILE` writes, and
// what `apply --plan FILE` checks before and after its fresh read. Everything that can be refused
// without the tailnet (the file, its format and version, the config, the tailnet asked, the policy
// file) is refused before the plan is used; what needs a read, in applyConfig before the first write.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { LoadedConfig } from '../config/load.js';
import { RefusedError, UsageError } from '../errors.js';
import { readTextFile, UnreadableFileError } from '../files/read-regular.js';
import { sameFile } from '../files/same-file.js';
import { renderPlanJson } from '../render/plan-json.js';
import {
  buildSavedPlan,
  MAX_SAVED_PLAN_BYTES,
  parseSavedPlan,
  renderSavedPlan,
  SAVED_PLAN_RAIL,
  savedPlanGuard,
  sha256,
  type SavedPlan,
  type SavedPlanGuard,
} from '../plan/saved-plan.js';
import type { PolicyFileOptions } from '../policy-file/plan.js';
import { VERSION } from '../version.js';
import { resolveTailnet } from './connection.js';
import { flag, note, resolvePath, type CommandContext } from './context.js';
import type { PlanRead } from '../engine/plan.js';

/** `--save-plan FILE` as given, or undefined; checked before anything is read: its folder must exist. */
export async function savePlanTarget(
  ctx: CommandContext,
  inputs: readonly { file: string; what: string }[],
): Promise<string | undefined> {
  const given = flag(ctx, 'save-plan');
  if (given === undefined) return undefined;
  if (given === '') throw new UsageError('--save-plan needs a file name');
  const file = resolvePath(ctx, given);
  if ((await stat(file).catch(() => undefined))?.isDirectory())
    throw new UsageError(`--save-plan ${given} is a directory; give the path of a file to write`);
  if (!(await stat(path.dirname(file)).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(
      `--save-plan ${given}: the folder ${path.dirname(given)} does not exist; create it first, or give another path`,
    );
  }
  const out = flag(ctx, 'out');
  await refuseSaveOnto(ctx, given, [...inputs, ...(out ? [{ file: out, what: `the --out file ${out}` }] : [])]);
  return given;
}

/** `--save-plan` must not name one of the command's inputs (nor --out): the saved plan would replace it. */
export async function refuseSaveOnto(
  ctx: CommandContext,
  given: string,
  inputs: readonly { file: string; what: string }[],
): Promise<void> {
  for (const input of inputs) {
    if (await sameFile(resolvePath(ctx, given), resolvePath(ctx, input.file)))
      throw new UsageError(`--save-plan ${given} is ${input.what}; give --save-plan another file`);
  }
}

/**
 * Writes the plan with its basis to `target` (atomically: the old file or the new one, never half).
 * A plan that cannot be carried out is not saved: there would be nothing to apply.
 */
export async function savePlan(
  ctx: CommandContext,
  target: string,
  read: PlanRead,
  configFile: string,
  configText: string,
  policyFile: PolicyFileOptions | undefined,
): Promise<void> {
  if (read.problems.length > 0) {
    note(ctx, `The plan was not saved to ${target}: it cannot be carried out (see below).`);
    return;
  }
  const planJson = renderPlanJson(read.plan, read.policyFile);
  const saved = buildSavedPlan({
    planJson,
    plan: read.plan,
    live: read.live,
    now: read.config.now ?? Date.now(),
    toolVersion: VERSION,
    configFile,
    configText,
    ...(read.policyFile && policyFile ? { policyFile: { text: policyFile.file.text, section: read.policyFile } } : {}),
  });
  try {
    await writeFileAtomic(resolvePath(ctx, target), renderSavedPlan(saved));
  } catch (error) {
    throw new UsageError(
      `cannot write the saved plan to ${target}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  note(ctx, `Saved the plan to ${target}; apply exactly this plan with: tailnet-access apply --plan ${target}`);
}

/** `apply --plan FILE`: the file read and checked (syntax, format, version) before anything else. */
export async function readSavedPlan(ctx: CommandContext): Promise<{ shown: string; saved: SavedPlan } | undefined> {
  const shown = flag(ctx, 'plan');
  if (shown === undefined) return undefined;
  if (shown === '')
    throw new UsageError('--plan needs a file name (a plan saved with tailnet-access plan --save-plan FILE)');
  let text: string;
  try {
    text = await readTextFile(resolvePath(ctx, shown), MAX_SAVED_PLAN_BYTES);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    const hint = error.reason === 'missing' ? '; save one with tailnet-access plan --save-plan FILE' : '';
    throw new UsageError(`--plan: ${error.describe(shown)}${hint}`);
  }
  return { shown, saved: parseSavedPlan(text, shown, VERSION) };
}

const short = (digest: string): string => digest.replace(/^sha256:/, '').slice(0, 12);

/**
 * What can be told from the files alone: the config (its bytes' digest), the tailnet asked for and,
 * under settings.policyFile, the policy file in git. Then the guard applyConfig checks the fresh plan with.
 */
export function checkSavedPlanInputs(
  ctx: CommandContext,
  plan: { shown: string; saved: SavedPlan },
  config: LoadedConfig,
  shownConfig: string,
  configText: string,
  policyFile: PolicyFileOptions | undefined,
): SavedPlanGuard {
  const { shown, saved } = plan;
  const again = `Make the plan again (tailnet-access plan --save-plan ${shown}) and review it. Nothing was written.`;
  const digest = sha256(configText);
  if (digest !== saved.basis.configDigest) {
    throw new RefusedError(
      SAVED_PLAN_RAIL,
      `${shown} was made for another config: it planned ${saved.basis.configFile} (sha256 ` +
        `${short(saved.basis.configDigest)}…), and ${shownConfig} is not that file (sha256 ${short(digest)}…). ` +
        `${again}`,
    );
  }
  const asked = resolveTailnet(flag(ctx, 'tailnet'), ctx.env, config.desired);
  if (asked.tailnet !== saved.tailnet && asked.tailnet !== '-' && saved.tailnet !== '-') {
    throw new RefusedError(
      SAVED_PLAN_RAIL,
      `${shown} was made for another tailnet: ${saved.tailnet}, and this apply is for ` +
        `${asked.tailnet}${asked.from ? ` (${asked.from})` : ''}. ${again}`,
    );
  }
  const planned = saved.basis.policyFile;
  if (planned && policyFile && sha256(policyFile.file.text) !== planned.digest) {
    throw new RefusedError(
      SAVED_PLAN_RAIL,
      `${shown} was made for another policy file: ${policyFile.file.shown} changed since the plan. ${again}`,
    );
  }
  return savedPlanGuard(saved, shown);
}
