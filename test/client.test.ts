import { afterEach, describe, expect, it } from 'vitest';
import type { TailscaleClient } from '../src/tailscale/client.js';
import { PolicyRejectedError, PreconditionFailedError, UnexpectedResponseError } from '../src/tailscale/client.js';
import { redact } from '../src/secrets.js';
import { API_KEY, clientFor, failureOf, startServer, user } from './client-test-server.js';
import type { Handler, Harness, TestServer } from './client-test-server.js';

const servers: TestServer[] = [];
const clients: TailscaleClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(
  handler: Handler,
  options: Parameters<typeof clientFor>[1] = {},
): Promise<Harness & { server: TestServer }> {
  const server = await startServer(handler);
  servers.push(server);
  const harness = clientFor(server, options);
  clients.push(harness.client);
  return { ...harness, server };
}

const ETAG = '"0c8f0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5"';
const POLICY = '// our policy\n{\n\t"groups": {"group:eng": ["alice@example.com"]},\n}\n';

describe('requests and users', () => {
  it('sends the API key as Bearer, a User-Agent, and lists members by default', async () => {
    const { client, server } = await setup(() => ({ status: 200, body: { users: [user('alice@example.com')] } }));
    const users = await client.listUsers();
    const [req] = server.requests;
    expect(req?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req?.headers['user-agent']).toMatch(
      /^tailnet-access\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/.+; node\/v\d+/,
    );
    expect(`${req?.method} ${req?.path}?${req?.query.toString()}`).toBe('GET /api/v2/tailnet/-/users?type=member');
    expect(users).toEqual([
      expect.objectContaining({ id: 'id-alice@example.com', loginName: 'alice@example.com', role: 'member' }),
    ]);
  });

  it('passes type and role filters, and reads a null user list as empty', async () => {
    const { client, server } = await setup(() => ({ status: 200, body: { users: null } }));
    expect(await client.listUsers({ type: 'all', role: 'admin' })).toEqual([]);
    expect(server.requests[0]?.query.toString()).toBe('type=all&role=admin');
  });

  it('escapes the tailnet and IDs as one path segment, and refuses dot segments', async () => {
    const { client, server } = await setup(() => ({ status: 200, body: { users: [] } }), {
      tailnet: 'corp.example/x y',
    });
    await client.listUsers();
    await failureOf(() => client.getUser('7?x=1#'));
    expect(server.requests.map((r) => r.path)).toEqual([
      '/api/v2/tailnet/corp.example%2Fx%20y/users',
      '/api/v2/users/7%3Fx%3D1%23',
    ]);
    expect(() => clientFor(server, { tailnet: '..' })).toThrow('".." cannot name a tailnet');
    expect((await failureOf(() => client.getUser('.'))).message).toContain('"." cannot name');
  });

  it('accepts a base URL that already ends in /api/v2', async () => {
    const server = await startServer(() => ({ status: 200, body: user('bob@example.com', { id: '42' }) }));
    servers.push(server);
    const { client } = clientFor({ ...server, baseUrl: `${server.baseUrl}/api/v2/` });
    clients.push(client);
    expect((await client.getUser('42')).loginName).toBe('bob@example.com');
    expect(server.requests[0]?.path).toBe('/api/v2/users/42');
  });

  it('changes a role with POST /users/{id}/role and refuses to make anyone owner', async () => {
    const { client, server } = await setup(() => ({ status: 200 }));
    await client.setUserRole({ id: '123', loginName: 'bob@example.com' }, 'admin');
    expect(server.requests.map((r) => [r.method, r.path, r.body, r.headers['content-type']])).toEqual([
      ['POST', '/api/v2/users/123/role', '{"role":"admin"}', 'application/json'],
    ]);
    const refused = await failureOf(() => client.setUserRole('123', 'owner'));
    expect(refused.message).toMatch(/refusing to make user 123 the owner/);
    expect(server.requests).toHaveLength(1);
  });

  it('creates invites from an array and registers each invite link as a secret', async () => {
    const link = 'https://login.tailscale.com/uinv/i-sEcReTcOdE987';
    const { client, server } = await setup(() => ({
      status: 200,
      body: [
        { id: 29214, role: 'admin', tailnetId: 12345, inviterId: 34567, email: 'dave@example.com', inviteUrl: link },
      ],
    }));
    const invites = await client.createUserInvites([{ email: 'dave@example.com', role: 'admin' }]);
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual([{ email: 'dave@example.com', role: 'admin' }]);
    expect(invites).toEqual([
      {
        id: '29214',
        role: 'admin',
        tailnetId: '12345',
        inviterId: '34567',
        email: 'dave@example.com',
        inviteUrl: link,
      },
    ]);
    expect(redact(`join at ${link}`)).toBe('join at ***');
    expect(await client.createUserInvites([])).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('reads users and the policy in parallel', async () => {
    let arrived = 0;
    let bothArrived: () => void = () => undefined;
    const together = new Promise<void>((resolve) => (bothArrived = resolve));
    const { client } = await setup(async (req) => {
      if (++arrived === 2) bothArrived();
      // Neither answers until the other has arrived: a sequential client would hang here.
      await together;
      return req.path.endsWith('/acl')
        ? { status: 200, headers: { etag: ETAG, 'content-type': 'application/hujson' }, body: POLICY }
        : { status: 200, body: { users: [user('alice@example.com')] } };
    });
    const live = await client.readLiveState();
    expect(live.users.map((u) => u.loginName)).toEqual(['alice@example.com']);
    expect(live.policy).toEqual({ text: POLICY, etag: ETAG });
  });

  it('counts requests and bytes', async () => {
    const { client } = await setup(() => ({ status: 200, body: 'x'.repeat(10) }), { retry: { maxAttempts: 1 } });
    await failureOf(() => client.listUsers());
    await client.setUserRole('1', 'admin');
    expect(client.stats).toEqual({ requests: 2, retries: 0, rateLimited: 0, bytesSent: 16, bytesReceived: 20 });
  });
});

describe('answers that are not the API', () => {
  it('names the field of a user that does not fit', async () => {
    const { client } = await setup(() => ({
      status: 200,
      body: { users: [user('a@example.com'), user('b@example.com', { role: 'superuser' })] },
    }));
    const e = await failureOf(() => client.listUsers());
    expect(e).toBeInstanceOf(UnexpectedResponseError);
    expect(e.message).toContain('users[1].role is "superuser", expected one of owner, admin');
  });

  it('says so when a success answer is an HTML page', async () => {
    const { client } = await setup(() => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html>Sign in</html>',
    }));
    const e = await failureOf(() => client.listUsers());
    expect(e.message).toMatch(
      /^list users \(GET \/api\/v2\/tailnet\/-\/users\): 200 expected JSON, got "<html>Sign in<\/html>" — the server at 127\.0\.0\.1:\d+ sent an answer/,
    );
  });
});

describe('policy file', () => {
  it('asks for HuJSON, keeps the ETag quotes, and sends them back in If-Match', async () => {
    const next = '"1111111111111111111111111111111111111111111111111111111111111111"';
    const { client, server } = await setup((req) =>
      req.method === 'GET'
        ? { status: 200, headers: { etag: ETAG, 'content-type': 'application/hujson' }, body: POLICY }
        : { status: 200, headers: { etag: next, 'content-type': 'application/hujson' }, body: req.body },
    );
    const doc = await client.getPolicy();
    expect(doc).toEqual({ text: POLICY, etag: ETAG });
    const written = await client.setPolicy(`${doc.text}// more\n`, doc.etag);
    expect(written).toEqual({ text: `${POLICY}// more\n`, etag: next });
    const [get, post] = server.requests;
    expect(get?.headers.accept).toBe('application/hujson');
    expect(post?.headers['if-match']).toBe(ETAG);
    expect(post?.headers['content-type']).toBe('application/hujson');
  });

  it('quotes a bare If-Match value such as ts-default', async () => {
    const { client, server } = await setup(() => ({ status: 200, headers: { etag: ETAG }, body: POLICY }));
    await client.setPolicy(POLICY, 'ts-default');
    expect(server.requests[0]?.headers['if-match']).toBe('"ts-default"');
  });

  it('refuses a policy answer without an ETag', async () => {
    const { client } = await setup(() => ({ status: 200, body: POLICY }));
    const e = await failureOf(() => client.getPolicy());
    expect(e).toBeInstanceOf(UnexpectedResponseError);
    expect(e.message).toContain('no ETag header');
  });

  it('reads the policy again when a successful write answers without an ETag', async () => {
    const { client, server } = await setup((req) =>
      req.method === 'POST' ? { status: 200 } : { status: 200, headers: { etag: ETAG }, body: POLICY },
    );
    expect(await client.setPolicy(POLICY, ETAG)).toEqual({ text: POLICY, etag: ETAG });
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
  });

  it('turns 412 into PreconditionFailedError, sent once', async () => {
    const { client, server } = await setup(() => ({
      status: 412,
      body: { message: 'precondition failed, invalid old hash' },
    }));
    const e = await failureOf(() => client.setPolicy(POLICY, ETAG));
    expect(e).toBeInstanceOf(PreconditionFailedError);
    expect(e.message).toContain(
      '412 precondition failed, invalid old hash — the policy file changed since it was read',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('turns 400 into PolicyRejectedError with the line and column', async () => {
    const { client } = await setup(() => ({
      status: 400,
      body: { message: "line 3, column 14: invalid character 'x' looking for beginning of value" },
    }));
    const e = await failureOf(() => client.setPolicy(POLICY, ETAG));
    expect(e).toBeInstanceOf(PolicyRejectedError);
    expect(e).toMatchObject({ status: 400, line: 3, column: 14 });
    expect(e.message).toContain('nothing was written');
  });

  it('reads a 200 with a message from validate as a failure, and an empty body or {} as success', async () => {
    const answers = [
      {
        status: 200,
        body: {
          message: 'test(s) failed',
          data: [{ user: 'alice@example.com', errors: ['address "2.2.2.2:22": want: Drop, got: Accept'] }],
        },
      },
      { status: 200, body: '' },
      { status: 200, body: {} },
      {
        status: 200,
        body: {
          message: 'warning(s) found',
          data: [{ user: 'group:x@example.com', warnings: ['group is not syncing from SCIM'] }],
        },
      },
      { status: 400, body: { message: 'line 1, column 2: unexpected EOF' } },
    ];
    const { client, server } = await setup((_req, i) => answers[i] ?? { status: 500 });
    const results = [];
    for (let i = 0; i < answers.length; i++) results.push(await client.validatePolicy(POLICY));
    expect(results.map((r) => r.ok)).toEqual([false, true, true, true, false]);
    expect(results[0]).toEqual({
      ok: false,
      message: 'test(s) failed',
      data: [{ user: 'alice@example.com', errors: ['address "2.2.2.2:22": want: Drop, got: Accept'] }],
    });
    expect(results[4]?.message).toBe('line 1, column 2: unexpected EOF');
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/api/v2/tailnet/-/acl/validate', body: POLICY });
  });

  it('decodes the details answer and sends no Accept header for it', async () => {
    const { client, server } = await setup(() => ({
      status: 200,
      body: {
        acl: Buffer.from(POLICY).toString('base64'),
        warnings: ['"group:eng": user not found: "bob@example.com"'],
        errors: null,
      },
    }));
    expect(await client.getPolicyDetails()).toEqual({
      text: POLICY,
      warnings: ['"group:eng": user not found: "bob@example.com"'],
      errors: [],
    });
    expect(server.requests[0]?.query.get('details')).toBe('true');
    expect(server.requests[0]?.headers.accept).toBeUndefined();
  });

  it('reads the tailnet settings that say the policy is managed elsewhere', async () => {
    const { client } = await setup(() => ({
      status: 200,
      body: {
        aclsExternallyManagedOn: true,
        aclsExternalLink: 'https://github.com/acme/tailnet',
        devicesKeyDurationDays: 90,
      },
    }));
    expect(await client.getTailnetSettings()).toEqual({
      aclsExternallyManagedOn: true,
      aclsExternalLink: 'https://github.com/acme/tailnet',
    });
  });
});

describe('OAuth apps', () => {
  const input = {
    name: 'provisioner',
    redirectURIs: ['http://localhost:8765/callback'],
    scopes: ['auth_keys:create:once'],
  };
  const created = {
    id: 'a123CNTRL',
    name: 'provisioner',
    redirectUris: input.redirectURIs,
    scopes: input.scopes,
    clientSecret: 'tskey-app-a123CNTRL-s3cr3tS3CR3T',
  };

  it('creates with redirectURIs, accepts redirectUris back, and registers the one-time secret', async () => {
    const { client, server } = await setup(() => ({ status: 200, body: created }));
    const app = await client.createOAuthApp(input);
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual(input);
    expect(app).toEqual({
      id: 'a123CNTRL',
      name: 'provisioner',
      redirectURIs: input.redirectURIs,
      scopes: input.scopes,
      clientSecret: created.clientSecret,
    });
    expect(redact(`secret ${created.clientSecret}`)).toBe('secret ***');
  });

  it('lists, reads, replaces with PUT and deletes', async () => {
    const { client, server } = await setup((req) => {
      if (req.method === 'GET' && req.path.endsWith('/oauth-apps')) return { status: 200, body: { oauthApps: null } };
      if (req.method === 'DELETE') return { status: 200 };
      return { status: 200, body: { ...created, clientSecret: undefined } };
    });
    expect(await client.listOAuthApps()).toEqual([]);
    expect((await client.getOAuthApp('a123CNTRL')).id).toBe('a123CNTRL');
    expect((await client.updateOAuthApp('a123CNTRL', input)).clientSecret).toBeUndefined();
    await client.deleteOAuthApp('a123CNTRL');
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/tailnet/-/oauth-apps',
      'GET /api/v2/tailnet/-/oauth-apps/a123CNTRL',
      'PUT /api/v2/tailnet/-/oauth-apps/a123CNTRL',
      'DELETE /api/v2/tailnet/-/oauth-apps/a123CNTRL',
    ]);
  });

  it('treats a 404 to a resent delete as done', async () => {
    const { client, server } = await setup((_req, i) =>
      i === 0 ? 'reset' : { status: 404, body: { message: 'not found' } },
    );
    await client.deleteOAuthApp('a123CNTRL');
    expect(server.requests).toHaveLength(2);
  });

  it('names the extra scope that allowedNodeAttributes needs', async () => {
    const { client } = await setup(() => ({
      status: 403,
      body: { message: 'calling actor does not have enough permissions to perform this function' },
    }));
    const e = await failureOf(() => client.createOAuthApp({ ...input, allowedNodeAttributes: ['custom:team'] }));
    expect(e.message).toContain('lacks the "oauth_apps" scope');
    expect(e.message).toContain('also needs the "devices:posture_attributes" scope');
  });
});
