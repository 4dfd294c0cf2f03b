// The simulator held to the reference where it used to be more lenient than the facts it records:
// a policy write keeps comments only when sent as HuJSON, and including allowedNodeAttributes at all
// asks for devices:posture_attributes. Each is also checked through the product's own client.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { createTailscaleClient, type TailscaleClient } from '../src/tailscale/client.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  call,
  callJson,
  clientToken,
  getPolicy,
  postPolicy,
} from './fixtures/simulator/client.js';

let sim: Simulator;
const clients: TailscaleClient[] = [];
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await sim.close();
});

const COMMENTED =
  '// kept only as HuJSON\n{\n\t"groups": {\n\t\t"group:eng": ["alice@example.com"], // lead\n\t},\n}\n';

describe('POST /acl content type', () => {
  it('keeps comments of a body sent as application/hujson', async () => {
    const { etag } = await getPolicy(sim);
    expect((await postPolicy(sim, COMMENTED, etag)).status).toBe(200);
    expect(sim.state.policy.text).toBe(COMMENTED);
  });

  it('loses the comments of a body sent as JSON, or with no HuJSON content type', async () => {
    const contentTypes: Record<string, string>[] = [{ 'Content-Type': 'application/json' }, {}];
    for (const headers of contentTypes) {
      const response = await call(sim, '/tailnet/-/acl', { method: 'POST', body: COMMENTED, headers });
      expect(response.status).toBe(200);
      expect(sim.state.policy.text).not.toContain('//');
      expect(sim.state.policy.text).toContain('"group:eng": ["alice@example.com"]');
      expect(await response.text()).toBe(sim.state.policy.text);
    }
  });

  it('keeps comments written by the product client', async () => {
    const client = createTailscaleClient({
      baseUrl: sim.url,
      credential: { kind: 'oauth-client', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    clients.push(client);
    const { etag } = await client.getPolicy();
    await client.setPolicy(COMMENTED, etag);
    expect(sim.state.policy.text).toBe(COMMENTED);
  });
});

describe('allowedNodeAttributes and its scope', () => {
  const APP = {
    name: 'provisioner',
    redirectURIs: ['http://localhost:8976/callback'],
    scopes: ['auth_keys:create:once'],
  };

  it('asks for devices:posture_attributes when the field is included, even empty', async () => {
    const token = await clientToken(sim);
    const withEmpty = await callJson<{ message: string }>(sim, '/tailnet/-/oauth-apps', {
      key: token,
      body: { ...APP, allowedNodeAttributes: [] },
    });
    expect(withEmpty.status).toBe(403);
    expect(sim.state.oauthApps.list()).toEqual([]);
    const without = await callJson(sim, '/tailnet/-/oauth-apps', { key: token, body: APP });
    expect(without.status).toBe(200);
  });

  it('lets the product client create an app without node attributes with only oauth_apps', async () => {
    const client = createTailscaleClient({
      baseUrl: sim.url,
      credential: { kind: 'oauth-client', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    clients.push(client);
    const app = await client.createOAuthApp({ ...APP, allowedNodeAttributes: [] });
    expect(app.allowedNodeAttributes ?? []).toEqual([]);
    expect((await client.updateOAuthApp(app.id, { ...APP, allowedNodeAttributes: [] })).name).toBe('provisioner');
  });
});
