// `check`: test the connection the way plan and apply will use it, and explain what does not work.
// It reads, never writes. Exit 0 only when plan and apply could both run (or plan, with --for plan).
import { existsSync } from 'node:fs';
import { checkConnection, type CheckNeed, type CheckReport } from '../check/index.js';
import { renderCheckJson, renderCheckMarkdown, renderCheckText } from '../render/check.js';
import { loadConfig } from '../config/load.js';
import type { Desired } from '../config/types.js';
import { UsageError } from '../errors.js';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes.js';
import { createTailscaleClient } from '../tailscale/client.js';
import { credentialFromEnv, resolveBaseUrl, resolveTailnet } from './connection.js';
import { configPath, emit, flag, refuseOutOnto, resolvePath, useColor, type CommandContext } from './context.js';

function needOf(ctx: CommandContext): CheckNeed {
  const value = flag(ctx, 'for') ?? 'apply';
  if (value !== 'plan' && value !== 'apply') throw new UsageError(`--for must be plan or apply, not "${value}"`);
  return value;
}

/** The file, when there is one (for its tailnet): check often runs before import has written one. */
async function desiredOfFile(ctx: CommandContext): Promise<Desired | undefined> {
  const shown = configPath(ctx);
  const file = resolvePath(ctx, shown);
  if (flag(ctx, 'config') === undefined && !existsSync(file)) return undefined;
  await refuseOutOnto(ctx, [{ file: shown, what: `the config file ${shown}` }]);
  return (await loadConfig(file, shown)).desired;
}

export function renderCheck(ctx: CommandContext, report: CheckReport): string {
  switch (ctx.args.format) {
    case 'json':
      return renderCheckJson(report);
    case 'markdown':
      return renderCheckMarkdown(report);
    case 'text':
      return renderCheckText(report, { color: useColor(ctx) });
  }
}

export async function runCheck(ctx: CommandContext): Promise<number> {
  const need = needOf(ctx);
  const { tailnet, from } = resolveTailnet(flag(ctx, 'tailnet'), ctx.env, await desiredOfFile(ctx));
  const baseUrl = resolveBaseUrl(flag(ctx, 'base-url'), ctx.env);
  const credential = credentialFromEnv(ctx.env);
  const client = createTailscaleClient({ baseUrl, tailnet, tailnetFrom: from, credential });
  let report: CheckReport;
  try {
    report = await checkConnection(client, { credential, transport: { baseUrl }, need });
  } finally {
    await client.close();
  }
  await emit(ctx, renderCheck(ctx, report));
  return report.ok ? EXIT_OK : EXIT_ERROR;
}
