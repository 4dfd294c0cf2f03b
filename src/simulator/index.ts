// The Tailscale API simulator: a loopback stand-in for api.tailscale.com used by tests, the demo and
// `tailnet-access simulate`. It follows reference/tailscale-api.md, quirks included.
export { startSimulator, type Simulator, type SimulatorOptions } from './server.js';
export { defaultFixture, defaultFixtureFiles, DEFAULT_POLICY } from './default-fixture.js';
export { loadFixture, validateFixture, FixtureError } from './fixture.js';
export { etagOf } from './policy-store.js';
export type { SimulatorState } from './state.js';
export type { RequestLog, LogFilter } from './request-log.js';
export type { SimClock } from './clock.js';
export type { UserInvite } from './invites-store.js';
export {
  DEFAULT_KNOBS,
  type ExternalWriter,
  type FaultConfig,
  type FaultKind,
  type Fixture,
  type FixtureApiKey,
  type FixtureCredentials,
  type FixtureFederatedIdentity,
  type FixtureOAuthApp,
  type FixtureOAuthClient,
  type FixtureUser,
  type Knobs,
  type PolicyEdit,
  type RateLimit,
  type RequestLogEntry,
  type TailnetSettings,
} from './types.js';
