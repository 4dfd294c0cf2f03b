// OAuth apps for internal tools: create one (idempotent by name, secret stored before anything else),
// and run its authorization-code flow step by step or whole. The CLI's `create-oauth-app` and
// `provision`, and the action's create-oauth-app mode, are built from these.
export {
  DEFAULT_OAUTH_APP_SCOPES,
  OAuthAppInputError,
  redirectUriProblem,
  splitList,
  validateOAuthAppInput,
} from './app-input.js';
export type { OAuthAppDraft } from './app-input.js';
export { compareOAuthApp, formatDifferences } from './app-compare.js';
export type { AppDifference } from './app-compare.js';
export {
  AmbiguousOAuthAppError,
  createOrFindOAuthApp,
  deleteAppCommand,
  ReadBackMismatchError,
  SecretNotStoredError,
} from './create-or-find.js';
export type { CreateOrFindDeps, CreateOrFindResult, OAuthAppsApi, SecretSink } from './create-or-find.js';
export { secretFileSink, stdoutSecretSink } from './secret-file.js';
export { buildAuthorizeUrl, DEFAULT_LOGIN_URL, DEFAULT_REDIRECT_PORT, newState } from './authorize-url.js';
export type { AuthorizeRequest } from './authorize-url.js';
export { listenForRedirect, RedirectTimeoutError, redirectPage } from './redirect-listener.js';
export type { ListenOptions, RedirectListener } from './redirect-listener.js';
export {
  AuthorizationDeniedError,
  AuthorizationError,
  readAuthorizationCode,
  StateMismatchError,
} from './authorization-response.js';
export { authorizeDevice, clientIdMismatch } from './provision.js';
export type { AuthorizeDeviceOptions, AuthorizedDevice } from './provision.js';
export { exchangeAuthorizationCode } from '../tailscale/client.js';
export { runTailscaleUp, tailscaleUpCommand, TailscaleUpError } from './tailscale-up.js';
export type { TailscaleUpOptions } from './tailscale-up.js';
