// The tailnet's users, indexed by id and login, with the serialized list answers cached per filter.
// A benchmark lists 10,000 users many times between writes, so serialization happens once per change.
import type { Role } from '../config/types.js';
import type { TailscaleUser } from '../tailscale/types.js';

export type UserTypeFilter = 'member' | 'shared' | 'all';

export class UsersStore {
  private byId = new Map<string, TailscaleUser>();
  private idByLogin = new Map<string, string>();
  private listCache = new Map<string, string>();

  constructor(users: TailscaleUser[]) {
    this.replaceAll(users);
  }

  replaceAll(users: TailscaleUser[]): void {
    const byId = new Map<string, TailscaleUser>();
    const idByLogin = new Map<string, string>();
    for (const user of users) {
      const login = user.loginName.toLowerCase();
      if (byId.has(user.id)) throw new Error(`two users have the id ${JSON.stringify(user.id)}; user ids must be unique`);
      if (idByLogin.has(login)) throw new Error(`two users have the login ${JSON.stringify(user.loginName)}; logins must be unique (compared without case)`);
      byId.set(user.id, { ...user });
      idByLogin.set(login, user.id);
    }
    this.byId = byId;
    this.idByLogin = idByLogin;
    this.listCache.clear();
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
    return { ...user };
  }

  add(user: TailscaleUser): void {
    if (this.byId.has(user.id) || this.idByLogin.has(user.loginName.toLowerCase())) {
      throw new Error(`a user with id ${JSON.stringify(user.id)} or login ${JSON.stringify(user.loginName)} already exists`);
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
