// The simulated tailnet: users, policy, settings, invites, OAuth apps and credentials, built from a
// fixture. Tests read and change it directly (`sim.state.users.update(…)`, `sim.state.policy.text = …`).
import type { Role, TailscaleUser } from '../domain/users.js';
import type { SimClock } from './clock.js';
import { CredentialStore } from './credentials.js';
import { InvitesStore, numericId } from './invites-store.js';
import { OAuthAppsStore } from './oauth-apps-store.js';
import { PolicyStore } from './policy-store.js';
import type { Fixture, FixtureUser, TailnetSettings } from './types.js';
import { UsersStore } from './users-store.js';

export const DEFAULT_SETTINGS: TailnetSettings = {
  aclsExternallyManagedOn: false,
  aclsExternalLink: '',
  devicesApprovalOn: false,
  devicesAutoUpdatesOn: false,
  devicesKeyDurationDays: 180,
  usersApprovalOn: false,
  usersRoleAllowedToJoinExternalTailnets: 'none',
  networkFlowLoggingOn: false,
  regionalRoutingOn: false,
  postureIdentityCollectionOn: false,
  httpsEnabled: false,
};

export class SimulatorState {
  readonly tailnet: string;
  readonly tailnetId: string;
  readonly users: UsersStore;
  readonly policy: PolicyStore;
  readonly invites: InvitesStore;
  readonly oauthApps: OAuthAppsStore;
  readonly credentials: CredentialStore;
  settings: TailnetSettings;

  constructor(
    fixture: Fixture,
    private readonly clock: SimClock,
  ) {
    this.tailnet = fixture.tailnet;
    this.tailnetId = fixture.tailnetId ?? 'T1234CNTRL';
    this.users = new UsersStore(buildUsers(fixture.users, this.tailnetId, clock.iso()));
    this.policy = new PolicyStore(fixture.policy, fixture.policyIsDefault ?? false);
    this.invites = new InvitesStore(fixture.tailnet, numericId(this.tailnetId));
    this.oauthApps = new OAuthAppsStore();
    this.credentials = new CredentialStore(fixture.credentials ?? {}, this.users, clock);
    this.settings = { ...DEFAULT_SETTINGS, ...fixture.settings };
    for (const app of fixture.oauthApps ?? []) this.oauthApps.create(app, clock.iso(), app.id, app.clientSecret);
  }

  /** True when `{tailnet}` in a path names this tailnet: `-`, its name (any case) or its ID. */
  matchesTailnet(segment: string): boolean {
    return segment === '-' || segment.toLowerCase() === this.tailnet.toLowerCase() || segment === this.tailnetId;
  }

  /** What happens when an invited person signs in: the invite closes and a user with its role appears. */
  acceptInvite(inviteId: string, loginName?: string): TailscaleUser {
    const invite = this.invites.get(inviteId);
    const login = loginName ?? invite?.email;
    if (!invite || !login)
      throw new Error(`acceptInvite: no open invite ${JSON.stringify(inviteId)} with an email (pass a login)`);
    const [user] = buildUsers(
      [{ loginName: login, role: invite.role, id: this.freeUserId() }],
      this.tailnetId,
      this.clock.iso(),
    );
    if (!user) throw new Error('acceptInvite: could not build the user');
    this.users.add(user);
    this.invites.delete(inviteId);
    return user;
  }

  private freeUserId(): string {
    let id = 100001 + this.users.size;
    while (this.users.get(String(id))) id++;
    return String(id);
  }
}

/** Fills each fixture user's missing fields; ids are numeric strings, like the spec's examples. */
export function buildUsers(users: FixtureUser[], tailnetId: string, now: string): TailscaleUser[] {
  const taken = new Set(users.map((user) => user.id).filter((id): id is string => id !== undefined));
  let next = 100001;
  return users.map((user) => {
    let id = user.id;
    if (id === undefined) {
      while (taken.has(String(next))) next++;
      id = String(next++);
    }
    const type = user.type ?? 'member';
    const role: Role = user.role ?? 'member';
    const built: TailscaleUser = {
      id,
      displayName: user.displayName ?? displayNameOf(user.loginName),
      loginName: user.loginName,
      profilePicUrl: user.profilePicUrl ?? '',
      tailnetId: user.tailnetId ?? (type === 'shared' ? domainOf(user.loginName) : tailnetId),
      created: user.created ?? now,
      type,
      role,
      status: user.status ?? 'active',
      deviceCount: user.deviceCount ?? 0,
      currentlyConnected: user.currentlyConnected ?? false,
    };
    if (user.lastSeen !== undefined) built.lastSeen = user.lastSeen;
    return built;
  });
}

function displayNameOf(login: string): string {
  const local = login.split('@')[0] ?? login;
  return local.charAt(0).toUpperCase() + local.slice(1);
}

function domainOf(login: string): string {
  return login.split('@')[1] ?? login;
}
