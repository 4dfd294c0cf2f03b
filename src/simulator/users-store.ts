// The tailnet's users, indexed by id and login, with the serialized list answers cached per filter.
// A benchmark lists 10,000 users many times between writes, so serialization happens once per change.
// Suspension is a layer over a user's state: it remembers what it covered, so restoring a user who
// was awaiting approval (or over the billing limit) does not approve them by the way.
import type { Role, TailscaleUser, UserStatus } from '../domain/users.js';

export type UserTypeFilter = 'member' | 'shared' | 'all';

export class UsersStore {
  private byId = new Map<string, TailscaleUser>();
  private idByLogin = new Map<string, string>();
  private listCache = new Map<string, string>();
  /** The status each user had when the API suspended them (fixture-suspended users have none). */
  private suspendedFrom = new Map<string, UserStatus>();

  constructor(users: TailscaleUser[]) {
    this.replaceAll(users);
  }

  replaceAll(users: TailscaleUser[]): void {
    const byId = new Map<string, TailscaleUser>();
    const idByLogin = new Map<string, string>();
    for (const user of users) {
      const login = user.loginName.toLowerCase();
      if (byId.has(user.id))
        throw new Error(`two users have the id ${JSON.stringify(user.id)}; user ids must be unique`);
      if (idByLogin.has(login))
        throw new Error(
          `two users have the login ${JSON.stringify(user.loginName)}; logins must be unique (compared without case)`,
        );
      byId.set(user.id, { ...user });
      idByLogin.set(login, user.id);
    }
    this.byId = byId;
    this.idByLogin = idByLogin;
    this.listCache.clear();
    this.suspendedFrom.clear();
  }

  /** Copies, in insertion order; change users through update()/add()/replaceAll() so caches stay right. */
  all(): TailscaleUser[] {
    return [...this.byId.values()].map((user) => ({ ...user }));
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): TailscaleUser | undefined {
    const user = this.byId.get(id);
    return user && { ...user };
  }

  /** By login, compared without case. */
  byLogin(login: string): TailscaleUser | undefined {
    const id = this.idByLogin.get(login.toLowerCase());
    return id === undefined ? undefined : this.get(id);
  }

  /** By id, or else by login. */
  find(idOrLogin: string): TailscaleUser | undefined {
    return this.get(idOrLogin) ?? this.byLogin(idOrLogin);
  }

  hasLogin(login: string): boolean {
    return this.idByLogin.has(login.toLowerCase());
  }

  owner(): TailscaleUser | undefined {
    for (const user of this.byId.values()) if (user.role === 'owner' && user.type === 'member') return { ...user };
    return undefined;
  }

  update(id: string, patch: Partial<Omit<TailscaleUser, 'id' | 'loginName'>>): TailscaleUser {
    const user = this.byId.get(id);
    if (!user) throw new Error(`no user with id ${JSON.stringify(id)}`);
    Object.assign(user, patch);
    this.listCache.clear();
    // A status set by hand replaces whatever a suspension had covered.
    if (patch.status !== undefined) this.suspendedFrom.delete(id);
    return { ...user };
  }

  /** Marks a user suspended; false when they already were (nothing changes). */
  suspend(id: string): boolean {
    const user = this.byId.get(id);
    if (!user) throw new Error(`no user with id ${JSON.stringify(id)}`);
    if (user.status === 'suspended') return false;
    const before = user.status;
    this.update(id, { status: 'suspended' });
    this.suspendedFrom.set(id, before);
    return true;
  }

  /**
   * Lifts a suspension; false when the user was not suspended. The user gets back a waiting status
   * the suspension covered, else `active` or `idle` by `lastSeen` (`activeSince`: the earliest
   * `lastSeen` that still counts as active).
   */
  restore(id: string, activeSince: number): boolean {
    const user = this.byId.get(id);
    if (!user) throw new Error(`no user with id ${JSON.stringify(id)}`);
    if (user.status !== 'suspended') return false;
    const covered = this.suspendedFrom.get(id);
    const waiting = covered === 'needs-approval' || covered === 'over-billing-limit';
    this.update(id, { status: waiting ? covered : seenSince(user, activeSince) ? 'active' : 'idle' });
    return true;
  }

  /** Approves a user awaiting approval; false for anyone else (the spec's no-op). */
  approve(id: string): boolean {
    const user = this.byId.get(id);
    if (!user) throw new Error(`no user with id ${JSON.stringify(id)}`);
    if (user.status !== 'needs-approval') return false;
    this.update(id, { status: 'active' });
    return true;
  }

  add(user: TailscaleUser): void {
    if (this.byId.has(user.id) || this.idByLogin.has(user.loginName.toLowerCase())) {
      throw new Error(
        `a user with id ${JSON.stringify(user.id)} or login ${JSON.stringify(user.loginName)} already exists`,
      );
    }
    this.byId.set(user.id, { ...user });
    this.idByLogin.set(user.loginName.toLowerCase(), user.id);
    this.listCache.clear();
  }

  /** The body of `GET /tailnet/{t}/users`, built once per filter and change. */
  listBody(type: UserTypeFilter, role: Role | 'all'): string {
    const key = `${type}|${role}`;
    const cached = this.listCache.get(key);
    if (cached !== undefined) return cached;
    const users: TailscaleUser[] = [];
    for (const user of this.byId.values()) {
      if ((type === 'all' || user.type === type) && (role === 'all' || user.role === role)) users.push(user);
    }
    const body = JSON.stringify({ users });
    this.listCache.set(key, body);
    return body;
  }
}

/** Whether the user was seen at or after `since`; a missing, zero or unreadable `lastSeen` was never. */
function seenSince(user: TailscaleUser, since: number): boolean {
  const seen = user.lastSeen === undefined ? Number.NaN : Date.parse(user.lastSeen);
  return seen >= since;
}
