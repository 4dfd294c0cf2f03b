// The Tailscale connection of one action run: the tailnet (input, else the file, else `-`) and the
// credential the inputs gave; the client is always closed, so a failed run leaves no socket open.
import type { LoadedConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { createTailscaleClient, type Credential, type TailscaleClient } from '../tailscale/client.js';
import type { ActionSettings } from './settings.js';

export function tailnetFor(settings: ActionSettings, config: LoadedConfig): string {
  return settings.tailnet ?? config.desired.tailnet ?? '-';
}

/** Where a tailnet of tailnetFor came from, for messages: the input wins over the file, and `-` is the default. */
function tailnetSource(settings: ActionSettings, tailnet: string): string | undefined {
  if (settings.tailnet !== undefined) return 'the tailnet input';
  return tailnet === '-' ? undefined : `tailnet: in ${settings.config.shownAs}`;
}

export async function withTailscale<T>(
  settings: ActionSettings,
  tailnet: string,
  body: (client: TailscaleClient, credential: Credential) => Promise<T>,
): Promise<T> {
  if (!settings.credential.given) throw new UsageError(settings.credential.missing);
  const { credential } = settings.credential;
  const client = createTailscaleClient({ baseUrl: settings.baseUrl, tailnet, tailnetFrom: tailnetSource(settings, tailnet), credential });
  try {
    return await body(client, credential);
  } finally {
    await client.close();
  }
}
