// The credentials a client can be given, by kind (chosen in src/tailscale/credential.ts).

export type Credential =
  | { kind: 'api-key'; key: string }
  | { kind: 'oauth-client'; clientId: string; clientSecret: string; scopes?: string[] }
  /** `idToken` is asked for at each exchange: GitHub's ID tokens live only minutes. */
  | { kind: 'workload-identity'; clientId: string; idToken: () => Promise<string> };

export type CredentialKind = Credential['kind'];
