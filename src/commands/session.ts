// Opens the Tailscale client a command talks through, from flags, environment and file.
import type { Desired } from '../config/types.js';
import type { NamedTailnet, TailnetPort } from '../engine/reads-first.js';
import { createTailscaleClient, type TailscaleClient } from '../tailscale/client.js';
import { credentialFromEnv, resolveBaseUrl, resolveTailnet } from './connection.js';
import { flag, type CommandContext } from './context.js';

/** `desired` is the config's tailnet (from the parsed file, or as scanned before parsing it). */
export function openClient(ctx: CommandContext, desired?: NamedTailnet): TailscaleClient {
  const { tailnet, from } = resolveTailnet(flag(ctx, 'tailnet'), ctx.env, desired);
  return createTailscaleClient({
    baseUrl: resolveBaseUrl(flag(ctx, 'base-url'), ctx.env),
    tailnet,
    tailnetFrom: from,
    credential: credentialFromEnv(ctx.env),
  });
}

/**
 * The CLI's way to the tailnet for the engine: --tailnet, $TAILSCALE_TAILNET, the file; the credential from the
 * environment.
 */
export function tailnetPort(ctx: CommandContext): TailnetPort {
  return {
    tailnet: (named) => resolveTailnet(flag(ctx, 'tailnet'), ctx.env, named).tailnet,
    open: (named) => openClient(ctx, named),
  };
}

/** Runs `body` with a client and always closes it, so a failed command leaves no socket open. */
export async function withClient<T>(
  ctx: CommandContext,
  desired: Desired | undefined,
  body: (client: TailscaleClient) => Promise<T>,
): Promise<T> {
  const client = openClient(ctx, desired);
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}
