// Builders for hand-written desired and live states, so diff tests read like the tables a person
// would write down.
import { DEFAULT_SETTINGS, type Desired, type Settings } from '../../src/config/types.js';
import type { Role, TailscaleUser } from '../../src/domain/users.js';
import type { LiveTailnet } from '../../src/plan/diff.js';
import type { PolicyGroup } from '../../src/policy/types.js';

const FILE = 'tailnet-access.yaml';

export interface DesiredSpec {
  users?: Record<string, Role | null>;
  groups?: Record<string, string[] | { description?: string; members: string[] }>;
  settings?: Partial<Settings>;
}

/** Each user, group and member gets its own line, in the order given, so paths are predictable. */
export function desired(spec: DesiredSpec): Desired {
  let line = 1;
  const ref = () => ({ file: FILE, line: ++line, column: 3 });
  const users = Object.entries(spec.users ?? {}).map(([login, role]) => ({
    login,
    ...(role ? { role } : {}),
    at: ref(),
  }));
  const groups = Object.entries(spec.groups ?? {}).map(([name, value]) => {
    const g = Array.isArray(value) ? { members: value } : value;
    const at = ref();
    return {
      name: name.startsWith('group:') ? name : `group:${name}`,
      ...(g.description ? { description: g.description } : {}),
      members: g.members.map((login) => ({ login, at: ref() })),
      at,
    };
  });
  return { file: FILE, version: 1, users, groups, settings: { ...DEFAULT_SETTINGS, ...spec.settings }, settingsAt: {} };
}

let nextId = 1000;
export function user(loginName: string, role: Role, extra: Partial<TailscaleUser> = {}): TailscaleUser {
  return {
    id: String(nextId++),
    displayName: loginName.split('@')[0] ?? loginName,
    loginName,
    type: 'member',
    role,
    status: 'active',
    deviceCount: 1,
    currentlyConnected: false,
    ...extra,
  };
}

export function live(users: TailscaleUser[], groups: Record<string, string[]> | null = {}): LiveTailnet {
  const list: PolicyGroup[] = Object.entries(groups ?? {}).map(([name, members]) => ({ name, members }));
  return {
    tailnet: '-',
    users,
    policy: { text: '{}', etag: '"etag-1"' },
    groups: { present: groups !== null, groups: list },
  };
}
