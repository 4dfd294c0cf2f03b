// The Tailscale connection of one action run: the tailnet (input, else the file, else `-`) and the
// credential the inputs gave; the client is always closed, so a failed run leaves no socket open.
// With debug logging on (a re-run with "Enable debug logging", core.isDebug), each request and retry
// is logged, and the counts at the end.
import * as core from '@actions/core';
import type { LoadedConfig } from '../config/load.js';
import type { NamedTailnet, TailnetPort } from '../engine/reads-first.js';
import { UsageError } from '../errors.js';
import { createTailscaleClient, type ClientEvent, type TailscaleClient } from '../tailscale/client.js';
import type { Credential } from '../domain/credential.js';
import { log } from './log.js';
import type { ActionSettings } from './settings.js';

export function tailnetFor(settings: ActionSettings, config: LoadedConfig): string {
  return settings.tailnet ?? config.desired.tailnet ?? '-';
}

/** Where a tailnet of tailnetFor came from, for messages: the input wins over the file, and `-` is the default. */
function tailnetSource(settings: ActionSettings, tailnet: string): string | undefined {
  if (settings.tailnet !== undefined) return 'the tailnet input';
  return tailnet === '-' ? undefined : `tailnet: in ${settings.config.shownAs}`;
}

function debugLine(event: ClientEvent): string | undefined {
  if (event.type === 'request-end') {
    const outcome = event.status === undefined ? `no answer (${event.error ?? 'unknown'})` : String(event.status);
    return (
      `Tailscale API: ${event.method} ${event.path} (${event.operation}, attempt ${event.attempt}): ${outcome} in ` +
      `${Math.round(event.durationMs)} ms, ${event.bytesReceived} bytes`
    );
  }
  if (event.type === 'retry')
    return `Tailscale API: ${event.method} ${event.path}: ${event.reason}, trying again in ${event.delayMs} ms`;
  return undefined;
}

function openClient(settings: ActionSettings, tailnet: string): TailscaleClient {
  if (!settings.credential.given) throw new UsageError(settings.credential.missing);
  const onEvent = (event: ClientEvent): void => {
    const line = debugLine(event);
    if (line !== undefined) log.debug(line);
  };
  const { credential } = settings.credential;
  return createTailscaleClient({
    baseUrl: settings.baseUrl,
    tailnet,
    tailnetFrom: tailnetSource(settings, tailnet),
    credential,
    ...(core.isDebug() ? { onEvent } : {}),
  });
}

function logStats(client: TailscaleClient): void {
  if (!core.isDebug()) return;
  const { requests, retries, rateLimited, bytesReceived } = client.stats;
  log.debug(
    `Tailscale API: ${requests} requests, ${retries} retries, ${rateLimited} rate limited, ${bytesReceived} bytes ` +
      `received`,
  );
}

/**
 * The action's way to the tailnet for the engine: the tailnet input, else the file, else `-`; the credential of the
 * inputs.
 */
export function tailnetPort(settings: ActionSettings): TailnetPort {
  const tailnet = (named: NamedTailnet | undefined): string => settings.tailnet ?? named?.tailnet ?? '-';
  return { tailnet, open: (named) => openClient(settings, tailnet(named)), closing: logStats };
}

/**
 * Runs `body` with a client for `tailnet` and always closes it (check and the OAuth app modes, which read no config
 * first).
 */
export async function withTailscale<T>(
  settings: ActionSettings,
  tailnet: string,
  body: (client: TailscaleClient, credential: Credential) => Promise<T>,
): Promise<T> {
  if (!settings.credential.given) throw new UsageError(settings.credential.missing);
  const { credential } = settings.credential;
  const client = openClient(settings, tailnet);
  try {
    return await body(client, credential);
  } finally {
    logStats(client);
    await client.close();
  }
}
