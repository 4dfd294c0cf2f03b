// Whose comments and issues are the action's own: the identity of the token it writes with. Matching
// by marker alone would let anyone who can comment plant a body that the action then edits. `GET
// /user` refuses installation tokens (the workflow's GITHUB_TOKEN is one) and `GET /app` wants the
// app's JWT, but GraphQL's `viewer` answers for every kind of token: a user's login, or an app's bot
// (`github-actions[bot]` for GITHUB_TOKEN). REST spells a bot's login with `[bot]`; GraphQL has been
// seen to leave it off, so a bot is matched by its name either way, and only ever to a bot account.
import type { GitHubClient } from './client.js';

export interface TokenIdentity {
  login: string;
  /** A GitHub App's installation token (GITHUB_TOKEN, or an app's token): comments show as its bot. */
  bot: boolean;
}

/** Who wrote a comment or an issue, as REST lists it. */
export interface Author {
  login: string;
  type?: string;
}

/** The workflow's own token acts as this bot. */
export const ACTIONS_BOT = 'github-actions[bot]';

const identities = new WeakMap<GitHubClient, Promise<TokenIdentity>>();

const botName = (login: string): string => login.toLowerCase().replace(/\[bot\]$/, '');

async function ask(github: GitHubClient): Promise<TokenIdentity> {
  const auth = (await github.octokit.auth()) as { tokenType?: string };
  const bot = auth.tokenType === 'installation';
  try {
    const { viewer } = await github.query<{ viewer: { login: string } }>(
      'find out whose token github-token is (GraphQL viewer)',
      'query { viewer { login } }',
    );
    return { login: viewer.login, bot };
  } catch (error) {
    // An installation token that cannot ask is almost always the workflow's own; any other token
    // must say who it is, or nothing of its own can be told apart.
    if (bot) return { login: ACTIONS_BOT, bot };
    throw error;
  }
}

/** The token's identity, asked once per client. */
export function tokenIdentity(github: GitHubClient): Promise<TokenIdentity> {
  let identity = identities.get(github);
  if (identity === undefined) {
    identity = ask(github);
    identities.set(github, identity);
  }
  return identity;
}

/** Whether `author` is the token's own account. */
export function isOwnAuthor(author: Author | null | undefined, identity: TokenIdentity): boolean {
  if (!author?.login) return false;
  if (!identity.bot) return author.login.toLowerCase() === identity.login.toLowerCase();
  // A user's login cannot hold brackets, so only a bot account ends in [bot].
  return author.login.toLowerCase().endsWith('[bot]') && botName(author.login) === botName(identity.login);
}
