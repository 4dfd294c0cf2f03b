// Open user invites. The spec types `tailnetId` and `inviterId` of an invite as integers (unlike the
// string ids everywhere else), so the simulator answers integers too: a client must not assume strings.
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../domain/users.js';

export interface UserInvite {
  id: string;
  role: Exclude<Role, 'owner'>;
  tailnetId: number;
  inviterId: number;
  email?: string;
  lastEmailSentAt?: string;
  inviteUrl?: string;
}

/** A stable integer for a string id: the number itself when numeric, else one derived from its hash. */
export function numericId(id: string): number {
  if (/^\d{1,15}$/.test(id)) return Number(id);
  return Number.parseInt(createHash('sha256').update(id).digest('hex').slice(0, 8), 16);
}

export class InvitesStore {
  private invites = new Map<string, UserInvite>();
  private nextId = 29214;

  constructor(
    private readonly tailnetDomain: string,
    private readonly tailnetNumber: number,
  ) {}

  list(): UserInvite[] {
    return [...this.invites.values()].map((invite) => ({ ...invite }));
  }

  get(id: string): UserInvite | undefined {
    const invite = this.invites.get(id);
    return invite && { ...invite };
  }

  /**
   * An invite to an address of the tailnet's own domain is only emailed (the person joins by signing
   * in); any other gets a shareable `inviteUrl` too, as does an invite without an email.
   */
  create(role: Exclude<Role, 'owner'>, email: string | undefined, inviterId: string, now: string): UserInvite {
    const invite: UserInvite = {
      id: String(this.nextId++),
      role,
      tailnetId: this.tailnetNumber,
      inviterId: numericId(inviterId),
    };
    if (email) {
      invite.email = email;
      invite.lastEmailSentAt = now;
    }
    if (!email || !email.toLowerCase().endsWith(`@${this.tailnetDomain.toLowerCase()}`)) {
      invite.inviteUrl = `https://login.tailscale.com/uinv/${randomBytes(12).toString('hex')}`;
    }
    this.invites.set(invite.id, invite);
    return { ...invite };
  }

  delete(id: string): boolean {
    return this.invites.delete(id);
  }
}
