// OAuth apps, the token endpoints, workload identity and the authorization-code flow.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import type { OAuthApp } from '../src/tailscale/types.js';
import { CLIENT_ID, CLIENT_SECRET, call, callJson, clientToken, form, jwt } from './fixtures/simulator/client.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const APP = {
  name: 'device-provisioner',
  redirectURIs: ['https://tool.example.com/callback', 'http://localhost:8976/cb'],
  scopes: ['auth_keys:create:once'],
};

async function createApp(body: unknown = APP): Promise<OAuthApp & { clientSecret: string }> {
  const { status, body: app } = await callJson<OAuthApp & { clientSecret: string }>(sim, '/tailnet/-/oauth-apps', {
    body,
  });
  if (status !== 200) throw new Error(`create app: ${status} ${JSON.stringify(app)}`);
  return app;
}

describe('OAuth apps', () => {
  it('shows the client secret only in the create answer, as tskey-app-<id>-…', async () => {
    const app = await createApp();
    expect(app.clientSecret.startsWith(`tskey-app-${app.id}-`)).toBe(true);
    expect(app).toMatchObject({ name: APP.name, redirectURIs: APP.redirectURIs, scopes: APP.scopes });
    const one = await callJson<OAuthApp>(sim, `/tailnet/-/oauth-apps/${app.id}`);
    expect(one.body).not.toHaveProperty('clientSecret');
    const list = await callJson<{ oauthApps: OAuthApp[] }>(sim, '/tailnet/-/oauth-apps');
    expect(list.body.oauthApps.map((listed) => listed.id)).toEqual([app.id]);
    expect(JSON.stringify(list.body)).not.toContain(app.clientSecret);
  });

  it('accepts redirectUris spelt as in the docs example', async () => {
    const app = await createApp({
      name: 'from-docs',
      redirectUris: ['https://tool.example.com/cb'],
      scopes: ['auth_keys:create:once'],
    });
    expect(app.redirectURIs).toEqual(['https://tool.example.com/cb']);
  });

  it('validates name, description, redirect URIs, scopes and node attributes', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ ...APP, name: 'ab' }, /^name:/],
      [{ ...APP, name: 'has space' }, /^name:/],
      [{ ...APP, name: 'x'.repeat(51) }, /^name:/],
      [{ ...APP, description: 'd'.repeat(301) }, /^description:/],
      [{ ...APP, redirectURIs: [] }, /^redirectURIs: at least one/],
      [{ ...APP, redirectURIs: ['http://tool.example.com/cb'] }, /must use https/],
      [{ ...APP, redirectURIs: ['https://10.0.0.5/cb'] }, /raw IP address/],
      [{ ...APP, scopes: [] }, /^scopes:/],
      [{ ...APP, allowedNodeAttributes: ['provisioned'] }, /only custom: attributes/],
    ];
    for (const [body, message] of bad) {
      const response = await callJson<{ message: string }>(sim, '/tailnet/-/oauth-apps', { body });
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.body.message).toMatch(message);
    }
    expect(sim.state.oauthApps.list()).toEqual([]);
    const loopbacks = ['http://127.0.0.1:9000/cb', 'http://[::1]:9000/cb', 'myapp://localhost/cb'];
    expect((await createApp({ ...APP, name: 'loopback', redirectURIs: loopbacks })).redirectURIs).toEqual(loopbacks);
  });

  it('needs devices:posture_attributes to allow node attributes', async () => {
    const token = await clientToken(sim);
    const response = await callJson(sim, '/tailnet/-/oauth-apps', {
      key: token,
      body: { ...APP, allowedNodeAttributes: ['custom:provisioned'] },
    });
    expect(response.status).toBe(403);
    expect((await createApp({ ...APP, allowedNodeAttributes: ['custom:provisioned'] })).allowedNodeAttributes).toEqual([
      'custom:provisioned',
    ]);
  });

  it('replaces an app with PUT keeping its secret, and deletes it', async () => {
    const app = await createApp();
    const updated = await callJson<OAuthApp>(sim, `/tailnet/-/oauth-apps/${app.id}`, {
      method: 'PUT',
      body: { ...APP, description: 'now described' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: app.id, description: 'now described', created: app.created });
    expect(updated.body).not.toHaveProperty('clientSecret');
    expect(sim.state.oauthApps.secretMatches(app.id, app.clientSecret)).toBe(true);
    expect((await call(sim, `/tailnet/-/oauth-apps/${app.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(sim, `/tailnet/-/oauth-apps/${app.id}`)).status).toBe(404);
  });
});

describe('POST /oauth/token (client credentials)', () => {
  it('issues a Bearer token that expires after expires_in seconds of simulated time', async () => {
    const { status, body } = await form(sim, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'users policy_file oauth_apps' });
    const token = String(body.access_token);
    expect((await call(sim, '/tailnet/-/users', { key: token })).status).toBe(200);
    sim.clock.advance(3600_000);
    expect((await call(sim, '/tailnet/-/users', { key: token })).status).toBe(401);
  });

  it('honours a shortened lifetime knob, for refresh tests', async () => {
    sim.setKnobs({ tokenTtlSeconds: 5 });
    const { body } = await form(sim, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(body.expires_in).toBe(5);
    sim.clock.advance(5_000);
    expect((await call(sim, '/tailnet/-/users', { key: String(body.access_token) })).status).toBe(401);
  });

  it('narrows to the requested scopes, and 403s scopes the client lacks', async () => {
    const token = await clientToken(sim, CLIENT_ID, CLIENT_SECRET, 'users:read');
    expect((await call(sim, '/tailnet/-/users', { key: token })).status).toBe(200);
    expect((await call(sim, '/tailnet/-/acl', { key: token })).status).toBe(403);
    const refused = await form(sim, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: 'users devices:core',
    });
    expect(refused).toEqual({ status: 403, body: { message: 'OAuth client cannot grant scopes "devices:core"' } });
  });

  it('answers 401 API token invalid for a wrong secret, and takes credentials from Basic auth too', async () => {
    const wrong = await form(sim, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: 'tskey-client-wrong',
    });
    expect(wrong).toEqual({ status: 401, body: { message: 'API token invalid' } });
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const viaHeader = await form(
      sim,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      { Authorization: `Basic ${basic}` },
    );
    expect(viaHeader.status).toBe(200);
  });
});

describe('POST /oauth/token-exchange (workload identity)', () => {
  const identity = {
    clientId: 'kFed1',
    issuer: 'https://token.actions.githubusercontent.com',
    audience: 'api.tailscale.com/kFed1',
    subject: 'repo:example/infra:*',
    scopes: ['users:read'],
  };
  const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: identity.issuer,
    aud: identity.audience,
    sub: 'repo:example/infra:ref:refs/heads/main',
    exp: Math.floor(Date.now() / 1000) + 300,
    ...overrides,
  });

  async function exchange(s: Simulator, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
    return form(s, '/oauth/token-exchange', { client_id: identity.clientId, jwt: token });
  }

  it('trades an unsigned JWT with the right issuer, audience and subject for a scoped token', async () => {
    const fed = await startSimulator({
      fixture: { tailnet: 'example.com', users: [], policy: '{}\n', credentials: { federatedIdentities: [identity] } },
    });
    try {
      const { status, body } = await exchange(fed, jwt(claims()));
      expect(status).toBe(200);
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'users:read' });
      expect((await call(fed, '/tailnet/-/users', { key: String(body.access_token) })).status).toBe(200);
      for (const bad of [
        claims({ iss: 'https://evil.example' }),
        claims({ aud: 'other' }),
        claims({ sub: 'repo:other/x:ref' }),
        claims({ exp: 1 }),
      ]) {
        expect((await exchange(fed, jwt(bad))).status).toBe(401);
      }
      expect((await form(fed, '/oauth/token-exchange', { client_id: 'nobody', jwt: jwt(claims()) })).status).toBe(401);
    } finally {
      await fed.close();
    }
  });

  it('checks the HS256 signature when the identity has a secret', async () => {
    const fed = await startSimulator({
      fixture: {
        tailnet: 'example.com',
        users: [],
        policy: '{}\n',
        credentials: { federatedIdentities: [{ ...identity, hmacSecret: 'shh' }] },
      },
    });
    try {
      expect((await exchange(fed, jwt(claims(), 'shh'))).status).toBe(200);
      const forged = await exchange(fed, jwt(claims(), 'guess'));
      expect(forged).toEqual({ status: 401, body: { message: 'invalid jwt: the jwt signature does not verify' } });
      expect((await exchange(fed, jwt(claims()))).status).toBe(401);
    } finally {
      await fed.close();
    }
  });
});

describe('authorization-code flow', () => {
  const redirectUri = APP.redirectURIs[0] ?? '';

  async function authorize(clientId: string, uri: string, state = 'st4te'): Promise<Response> {
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: uri,
      scope: 'auth_keys:create:once',
      state,
      response_type: 'code',
    });
    return fetch(`${sim.url}/a/oauth_authorize?${query.toString()}`, { redirect: 'manual' });
  }

  async function exchangeCode(
    app: { id: string; clientSecret: string },
    code: string,
    uri = redirectUri,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    return form(sim, '/oauth/token', {
      grant_type: 'authorization_code',
      code,
      client_id: app.id,
      client_secret: app.clientSecret,
      redirect_uri: uri,
    });
  }

  it('redirects with a code and the state, and the code buys a single-use auth key', async () => {
    const app = await createApp();
    const consent = await authorize(app.id, redirectUri);
    expect(consent.status).toBe(302);
    const location = new URL(consent.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st4te');
    const code = location.searchParams.get('code') ?? '';
    const token = await exchangeCode(app, code);
    expect(token.status).toBe(200);
    expect(token.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    const key = String(token.body.access_token);
    expect(sim.state.oauthApps.authKey(key)).toMatchObject({ userId: '100001', clientId: app.id });
    expect(sim.useAuthKey(key)).toBe(true);
    expect(sim.useAuthKey(key)).toBe(false);
    expect((await exchangeCode(app, code)).status).toBe(400);
  });

  it('binds the code to its client and redirect URI, and expires the key after an hour', async () => {
    const app = await createApp();
    const other = await createApp({ ...APP, name: 'other-app' });
    const codeOf = async (): Promise<string> =>
      new URL((await authorize(app.id, redirectUri)).headers.get('location') ?? '').searchParams.get('code') ?? '';
    const code = await codeOf();
    expect((await exchangeCode(app, code, 'http://localhost:8976/cb')).body.message).toMatch(
      /^invalid_grant: redirect_uri/,
    );
    expect((await exchangeCode(other, code)).body.message).toMatch(/^invalid_grant: .*another client/);
    expect((await exchangeCode({ id: app.id, clientSecret: 'tskey-app-wrong' }, code)).status).toBe(401);
    const { body } = await exchangeCode(app, code);
    sim.clock.advance(3600_000);
    expect(sim.useAuthKey(String(body.access_token))).toBe(false);
  });

  it('redirects with error=access_denied when consent is denied', async () => {
    const app = await createApp();
    sim.setKnobs({ consent: 'deny' });
    const location = new URL((await authorize(app.id, redirectUri)).headers.get('location') ?? '');
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: 'access_denied', state: 'st4te' });
  });

  it('shows an error page, never a redirect, for an unknown client or an unregistered redirect URI', async () => {
    const app = await createApp();
    for (const response of [await authorize('nope', redirectUri), await authorize(app.id, 'https://evil.example/cb')]) {
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
  });

  it('denies a consenting user who is not a member of the tailnet', async () => {
    const app = await createApp();
    sim.setKnobs({ consentUser: 'frank@partner.org' });
    const location = new URL((await authorize(app.id, redirectUri)).headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
  });
});
