// Plans built by hand for the renderer tests, and a reader for the fenced blocks of a markdown text.
import type { Change, Plan } from '../src/domain/plan.js';

export const ETAG = '"e0b2c3d4e5f60718293a4b5c6d7e8f90e0b2c3d4e5f60718293a4b5c6d7e8f9"';

export function representativePlan(): Plan {
  return {
    version: 1,
    tailnet: '-',
    policyEtag: ETAG,
    changes: [
      { type: 'user.role', login: 'bob@example.com', userId: '123', from: 'member', to: 'admin', reason: 'declared' },
      {
        type: 'user.role',
        login: 'frank.long@example.com',
        userId: '124',
        from: 'admin',
        to: 'member',
        reason: 'unmanaged',
      },
      { type: 'group.create', group: 'group:sre', members: ['alice@example.com', 'carol@example.com'] },
      { type: 'group.update', group: 'group:eng', add: ['bob@example.com'], remove: ['dave@example.com'] },
      { type: 'group.delete', group: 'group:old', members: ['erin@example.com'] },
    ],
    warnings: [
      {
        code: 'user.not-in-tailnet',
        message: 'grace@example.com has not signed in to the tailnet yet',
        path: 'tailnet-access.yaml:7:3',
      },
      { code: 'user.unmanaged', message: 'heidi@example.com is in the tailnet but not in the file' },
    ],
    impact: {
      policy: 'the live policy',
      references: [
        {
          group: 'group:eng',
          section: 'tagOwners',
          index: 'tag:server',
          line: 9,
          column: 5,
          rule: 'tag:server owned by group:eng',
          fields: [],
        },
        {
          group: 'group:eng',
          section: 'acls',
          index: 0,
          line: 16,
          column: 5,
          rule: 'accept group:eng -> tag:server:22',
          fields: ['src'],
        },
        {
          group: 'group:old',
          section: 'ssh',
          index: 1,
          line: 30,
          column: 5,
          rule: 'accept group:old -> tag:legacy as root',
          fields: ['src'],
        },
      ],
      unused: ['group:sre'],
    },
  };
}

export function emptyPlan(): Plan {
  return { version: 1, tailnet: 'example.com', policyEtag: ETAG, changes: [], warnings: [] };
}

/** A plan of `n` changes, a quarter of each kind, and one warning per ten changes. */
export function bigPlan(n: number): Plan {
  const changes: Change[] = [];
  for (let i = 0; i < n; i++) {
    const login = `user${i}@example.com`;
    switch (i % 4) {
      case 0:
        changes.push({ type: 'user.role', login, userId: String(i), from: 'member', to: 'admin', reason: 'declared' });
        break;
      case 1:
        changes.push({ type: 'group.create', group: `group:team-${i}`, members: [login, `lead${i}@example.com`] });
        break;
      case 2:
        changes.push({ type: 'group.update', group: `group:team-${i}`, add: [login], remove: [`old${i}@example.com`] });
        break;
      default:
        changes.push({ type: 'group.delete', group: `group:gone-${i}`, members: [login] });
    }
  }
  const warnings = Array.from({ length: Math.floor(n / 10) }, (_, i) => ({
    code: i % 2 === 0 ? 'user.not-in-tailnet' : 'group.member-not-in-tailnet',
    message: `pending${i}@example.com has not signed in to the tailnet yet`,
    path: `tailnet-access.yaml:${i + 10}:5`,
  }));
  return { version: 1, tailnet: '-', policyEtag: ETAG, changes, warnings };
}

export interface FencedBlock {
  info: string;
  lines: string[];
  closed: boolean;
}

/**
 * The fenced code blocks of a markdown text by CommonMark's rules (a closing fence is a line of at
 * least as many backticks as the opening one, nothing else but spaces), and the text outside them.
 */
export function readFences(markdown: string): { blocks: FencedBlock[]; outside: string } {
  const blocks: FencedBlock[] = [];
  const outside: string[] = [];
  let open: { fence: number; block: FencedBlock } | undefined;
  for (const line of markdown.split('\n')) {
    if (open === undefined) {
      const start = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
      if (start) {
        open = {
          fence: (start[1] as string).length,
          block: { info: (start[2] as string).trim(), lines: [], closed: false },
        };
        blocks.push(open.block);
      } else {
        outside.push(line);
      }
      continue;
    }
    const end = /^ {0,3}(`{3,}) *$/.exec(line);
    if (end && (end[1] as string).length >= open.fence) {
      open.block.closed = true;
      open = undefined;
    } else {
      open.block.lines.push(line);
    }
  }
  return { blocks, outside: outside.join('\n') };
}
