// src/engine/reads-first.ts with a port and a client of the test's own: what is opened and requested
// before the file is parsed, for which tailnet, and what happens to those reads when the file is wrong,
// names another tailnet, or needs its policy file checked first.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosticsError } from '../src/diagnostics.js';
import { withConfigAndEarlyClient, type NamedTailnet, type TailnetPort } from '../src/engine/reads-first.js';
import type { TailscaleClient } from '../src/tailscale/client.js';

interface FakeClient {
  client: TailscaleClient;
  tailnet: string;
  calls: string[];
}

let dir: string;
let opened: FakeClient[];
let events: string[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tailnet-access-engine-reads-'));
  opened = [];
  events = [];
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const POLICY = '{"groups": {"group:eng": ["bob@example.com"]}}';

function fakeClient(tailnet: string, credentialKind: 'api-key' | 'oauth'): FakeClient {
  const calls: string[] = [];
  const fake = {
    credentialKind,
    apiKeyId: credentialKind === 'api-key' ? 'kKey1CNTRL' : undefined,
    listUsers: () => (calls.push('listUsers'), Promise.resolve([])),
    getPolicy: () => (calls.push('getPolicy'), Promise.resolve({ text: POLICY, etag: '"e1"' })),
    getKey: () => (calls.push('getKey'), Promise.resolve({ id: 'kKey1CNTRL', userId: '100001' })),
    abandon: () => (calls.push('abandon'), Promise.resolve()),
    close: () => (calls.push('close'), Promise.resolve()),
  };
  return { client: fake as unknown as TailscaleClient, tailnet, calls };
}

/** A port like the CLI's: a flag wins over the file; `credential` undefined means none is given. */
function port(options: { flag?: string; credential?: 'api-key' | 'oauth' } = {}): TailnetPort {
  const tailnet = (named: NamedTailnet | undefined): string => options.flag ?? named?.tailnet ?? '-';
  return {
    tailnet,
    open: (named) => {
      events.push(`open ${tailnet(named)}`);
      if (options.credential === undefined) throw new Error('no credential');
      const fake = fakeClient(tailnet(named), options.credential);
      opened.push(fake);
      return fake.client;
    },
    closing: () => events.push('closing'),
  };
}

async function run(text: string, thePort: TailnetPort, options: { keyOwner?: boolean; late?: boolean } = {}) {
  const file = path.join(dir, 'tailnet-access.yaml');
  await writeFile(file, text);
  return withConfigAndEarlyClient(
    { path: file, shown: 'tailnet-access.yaml' },
    thePort,
    options,
    (config) => {
      events.push(`prepared ${config.desired.users.length} users; ${opened.map((o) => o.calls.join(',')).join(' | ')}`);
      return Promise.resolve('prepared');
    },
    async (config, prepared, client, reads) => {
      events.push(`body ${prepared}`);
      return { config, client, reads, users: reads ? await reads.live.users : undefined, owner: await reads?.keyOwner };
    },
  );
}

const GOOD = 'version: 1\ntailnet: example.com\nusers:\n  bob@example.com: admin\n';

describe('reads first', () => {
  it('opens the client for the scanned tailnet and requests users and policy before the file is parsed', async () => {
    const result = await run(GOOD, port({ credential: 'oauth' }));
    expect(events).toEqual(['open example.com', 'prepared 1 users; listUsers,getPolicy', 'body prepared', 'closing']);
    expect(opened).toHaveLength(1);
    expect(result.client).toBe(opened[0]?.client);
    expect(result.users).toEqual([]);
    // No key lookup without asking for it, and the client closed at the end.
    expect(opened[0]?.calls).toEqual(['listUsers', 'getPolicy', 'close']);
    expect(result.reads).not.toHaveProperty('keyOwner');
  });

  it("also starts the API key's owner lookup when asked, for an API key only", async () => {
    const withKey = await run(GOOD, port({ credential: 'api-key' }), { keyOwner: true });
    expect(opened[0]?.calls.slice(0, 3)).toEqual(['listUsers', 'getPolicy', 'getKey']);
    expect(withKey.owner).toEqual({ kind: 'user', userId: '100001' });
    opened = [];
    const oauth = await run(GOOD, port({ credential: 'oauth' }), { keyOwner: true });
    expect(opened[0]?.calls).not.toContain('getKey');
    expect(oauth.reads).not.toHaveProperty('keyOwner');
  });

  it('takes a flag over the file, and the default tailnet when neither names one', async () => {
    await run(GOOD, port({ flag: 'other.example', credential: 'oauth' }));
    expect(events[0]).toBe('open other.example');
    events = [];
    await run('version: 1\nusers:\n  bob@example.com: admin\n', port({ credential: 'oauth' }));
    expect(events[0]).toBe('open -');
  });

  it('throws the early reads away and reads afresh when the parsed file names another tailnet', async () => {
    // A flow mapping is not scanned, so the guess is the default tailnet; the file says example.com.
    const result = await run(
      '{version: 1, tailnet: example.com, users: {bob@example.com: admin}}\n',
      port({ credential: 'oauth' }),
    );
    expect(events).toEqual([
      'open -',
      'prepared 1 users; listUsers,getPolicy',
      'open example.com',
      'body prepared',
      'closing',
    ]);
    expect(opened[0]?.calls).toEqual(['listUsers', 'getPolicy', 'abandon']);
    expect(result.client).toBe(opened[1]?.client);
    expect(result.reads).toBeUndefined();
    expect(opened[1]?.calls).toEqual(['close']);
  });

  it('lets a file error win: the early reads are abandoned and the body never runs', async () => {
    const failed = run(
      'version: 1\ntailnet: example.com\nusers:\n  bob@example.com: admn\n',
      port({ credential: 'oauth' }),
    );
    await expect(failed).rejects.toBeInstanceOf(DiagnosticsError);
    expect(opened[0]?.calls).toEqual(['listUsers', 'getPolicy', 'abandon']);
    expect(events).toEqual(['open example.com']);
  });

  it('reports a file error before a missing credential, and the missing credential for a good file', async () => {
    await expect(run('version: 1\nusers:\n  bob@example.com: admn\n', port())).rejects.toBeInstanceOf(DiagnosticsError);
    await expect(run(GOOD, port())).rejects.toThrow('no credential');
    expect(opened).toEqual([]);
  });

  it('starts nothing early when told to, or when the file names a policy file to check first', async () => {
    const late = await run(GOOD, port({ credential: 'oauth' }), { late: true });
    expect(events).toEqual(['prepared 1 users; ', 'open example.com', 'body prepared', 'closing']);
    expect(late.reads).toBeUndefined();
    events = [];
    opened = [];
    const withPolicyFile = `${GOOD}settings:\n  policyFile: policy.hujson\n`;
    await run(withPolicyFile, port({ credential: 'oauth' }));
    expect(events).toEqual(['prepared 1 users; ', 'open example.com', 'body prepared', 'closing']);
  });

  it('closes the client, after telling the port, when the body fails', async () => {
    const file = path.join(dir, 'tailnet-access.yaml');
    await writeFile(file, GOOD);
    const failing = withConfigAndEarlyClient(
      { path: file, shown: 'tailnet-access.yaml' },
      port({ credential: 'oauth' }),
      {},
      () => Promise.resolve(undefined),
      () => Promise.reject(new Error('body failed')),
    );
    await expect(failing).rejects.toThrow('body failed');
    expect(events.at(-1)).toBe('closing');
    expect(opened[0]?.calls.at(-1)).toBe('close');
  });
});
