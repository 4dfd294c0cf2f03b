// Reads first: plan, drift and apply (of the CLI and of the action) start the tailnet's reads before
// parsing the file. The file's text is read (cheap), the tailnet taken from what the front end was
// told or a top-level `tailnet:` line (scanTailnet), the client opened and users and policy requested
// (the OAuth token exchange, when there is one, goes first, and for apply the API key's record too),
// and the file parsed and checked while that round trip is in flight. A file error still wins: it is
// thrown as it would have been, the reads are abandoned and nothing read is used. An error opening the
// client (no credential) comes after the file's. If the parsed file names another tailnet than the scan
// found, the early reads are thrown away and the run reads afresh for the right one.
import { findKeyOwner } from '../apply/key-owner.js';
import { parseConfig, readConfigText, type LoadedConfig } from '../config/load.js';
import { scanTailnet } from '../config/scan-tailnet.js';
import type { KeyOwner } from '../plan/rails.js';
import type { TailscaleClient } from '../tailscale/client.js';
import { quietly, startLiveRead, type StartedRead } from '../tailscale/live.js';

/** The tailnet a file names, as the file names it: parsed, or scanned before parsing. */
export interface NamedTailnet {
  tailnet?: string | undefined;
  file: string;
}

/** How a front end reaches Tailscale: which tailnet a run is for, and a client for it. */
export interface TailnetPort {
  /** The tailnet the run uses when the file names `named` (a flag or an input wins over the file). */
  tailnet(named: NamedTailnet | undefined): string;
  /** A client for that tailnet; throws (no credential, say) when there can be none. */
  open(named: NamedTailnet | undefined): TailscaleClient;
  /** Called with the client the run used, before it is closed (the action logs its counts there). */
  closing?(client: TailscaleClient): void;
}

/** The config file: where to read it, and its name in messages. */
export interface ConfigSource {
  path: string;
  shown: string;
}

export interface EarlyReads {
  /** Users and policy, requested before the file was parsed. */
  live: StartedRead;
  /** The API key's owner (apply), requested with them. */
  keyOwner?: Promise<KeyOwner>;
}

export interface EarlyOptions {
  /** Also start the key-owner lookup (apply's own-key rail). */
  keyOwner?: boolean;
  /**
   * Start nothing before the file is parsed: a second file (the policy file of the policy-file input)
   * must be checked first, and its errors must cost no API call.
   */
  late?: boolean;
}

interface Opened {
  client: TailscaleClient;
  reads: EarlyReads;
}

const NAMES_POLICY_FILE = /^[ \t]+policyFile[ \t]*:/m;

/** A few turns of the event loop: enough for a connection and the requests' bytes, on a near network. */
async function letRequestsLeave(turns = 8): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function start(client: TailscaleClient, options: EarlyOptions): EarlyReads {
  const live = startLiveRead(client);
  return options.keyOwner && client.credentialKind === 'api-key'
    ? { live, keyOwner: quietly(findKeyOwner(client)) }
    : { live };
}

/**
 * Loads the config, then `prepare` (the rest of the file side: the policy file beside it; it is given
 * the config's text as read), both while the reads are in flight, and runs `body` with them and a
 * client whose first reads are already under way (`reads`, each to be used once: a re-read asks
 * again). The client is always closed.
 */
export async function withConfigAndEarlyClient<T, P>(
  source: ConfigSource,
  port: TailnetPort,
  options: EarlyOptions,
  prepare: (config: LoadedConfig, text: string) => Promise<P>,
  body: (config: LoadedConfig, prepared: P, client: TailscaleClient, reads: EarlyReads | undefined) => Promise<T>,
): Promise<T> {
  const { shown } = source;
  const text = await readConfigText(source.path, shown);
  const scanned = scanTailnet(text);
  const named = scanned === undefined ? undefined : { tailnet: scanned, file: shown };
  const guess = port.tailnet(named);
  let opened: Opened | undefined;
  // Under settings.policyFile a second file (and --out against it) is checked before any request:
  // its errors must cost no API call, so nothing is started early there.
  if (!options.late && !NAMES_POLICY_FILE.test(text)) {
    try {
      const client = port.open(named);
      opened = { client, reads: start(client, options) };
    } catch {
      // Opened again below, after the file, which then has its say first.
    }
  }
  // The parse is synchronous: the requests leave only when the event loop runs, so let it run
  // (connect, send) before the parse holds it.
  if (opened) await letRequestsLeave();
  let config: LoadedConfig;
  let prepared: P;
  try {
    config = parseConfig(text, shown);
    prepared = await prepare(config, text);
  } catch (error) {
    await opened?.client.abandon();
    throw error;
  }
  let client: TailscaleClient;
  let reads: EarlyReads | undefined;
  if (opened && port.tailnet(config.desired) === guess) {
    ({ client, reads } = opened);
  } else {
    await opened?.client.abandon();
    client = port.open(config.desired);
  }
  try {
    return await body(config, prepared, client, reads);
  } finally {
    port.closing?.(client);
    await client.close();
  }
}
