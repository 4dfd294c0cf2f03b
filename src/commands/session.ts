// Opens the Tailscale client a command talks through, from flags, environment and file.
import type { Desired } from '../config/types.js';
import { createTailscaleClient, type TailscaleClient } from '../tailscale/client.js';
import { credentialFromEnv, resolveBaseUrl, resolveTailnet } from './connection.js';
import { flag, type CommandContext } from './io.js';

/** `file` is the config's tailnet (from the parsed file, or as scanned before parsing it). */
export function openClient(ctx: CommandContext, desired?: Pick<Desired, 'tailnet' | 'file'>): TailscaleClient {
  const { tailnet, from } = resolveTailnet(flag(ctx, 'tailnet'), ctx.env, desired);
  return createTailscaleClient({
    baseUrl: resolveBaseUrl(flag(ctx, 'base-url'), ctx.env),
    tailnet,
    tailnetFrom: from,
    credential: credentialFromEnv(ctx.env),
  });
}

/** Runs `body` with a client and always closes it, so a failed command leaves no socket open. */
export async function withClient<T>(ctx: CommandContext, desired: Desired | undefined, body: (client: TailscaleClient) => Promise<T>): Promise<T> {
  const client = openClient(ctx, desired);
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}
