// `plan --inventory [--idle-days N]`: the users of the tailnet after the plan, from the same read.
// The flags are checked before anything is read, so a mistake costs no API call.
import { UsageError } from '../errors.js';
import { renderInventoryMarkdown } from '../render/inventory-markdown.js';
import { renderInventoryText } from '../render/inventory-text.js';
import { buildInventory, declaredLogins, DEFAULT_IDLE_DAYS } from '../plan/inventory.js';
import { flag, isSet, type CommandContext } from './context.js';
import type { PlanRead } from '../engine/plan.js';

export interface InventoryRequest {
  idleDays: number;
}

export function inventoryRequest(ctx: CommandContext): InventoryRequest | undefined {
  const raw = flag(ctx, 'idle-days');
  if (!isSet(ctx, 'inventory')) {
    if (raw !== undefined) throw new UsageError('--idle-days goes with --inventory');
    return undefined;
  }
  if (ctx.args.format === 'json') {
    throw new UsageError(
      '--inventory has no JSON form (the plan JSON follows schema/plan.schema.json); use --format text or markdown',
    );
  }
  const idleDays = raw === undefined ? DEFAULT_IDLE_DAYS : Number(raw);
  if (!Number.isInteger(idleDays) || idleDays < 1)
    throw new UsageError(`--idle-days must be a whole number of days, 1 or more, not "${raw}"`);
  return { idleDays };
}

/** The inventory in the command's format, as of now. */
export function renderInventoryFor(
  ctx: CommandContext,
  request: InventoryRequest,
  read: PlanRead,
  shownConfig: string,
): string {
  const input = { users: read.live.users, groups: read.live.groups, declared: declaredLogins(read.config.desired) };
  const inventory = buildInventory(input, { now: Date.now(), idleDays: request.idleDays });
  return ctx.args.format === 'markdown'
    ? renderInventoryMarkdown(inventory, { configPath: shownConfig })
    : renderInventoryText(inventory);
}
