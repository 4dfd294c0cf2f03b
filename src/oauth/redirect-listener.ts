// Step 4: a one-shot HTTP listener on a loopback port that waits for the consent screen's redirect.
// The first request to the redirect path ends it, whatever it carries (a forged one too: the caller
// then stops with an error rather than wait for a second try); other paths, such as the browser's
// favicon request, get a 404 and change nothing. The page shown never contains the code.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import { REDIRECT_PATH } from './authorize-url.js';

/** No redirect arrived in time. */
export class RedirectTimeoutError extends Error {
  constructor(redirectUri: string, timeoutMs: number) {
    const [amount, unit] =
      timeoutMs >= 60_000
        ? [Math.round(timeoutMs / 60_000), 'minute']
        : [Math.max(1, Math.round(timeoutMs / 1000)), 'second'];
    const wait = `${amount} ${unit}${amount === 1 ? '' : 's'}`;
    super(
      `no redirect arrived at ${redirectUri} within ${wait}: open the authorization URL printed above in a ` +
        `browser on this machine, sign in and approve, then run again (a consent screen that shows an error usually ` +
        `means the app does not list ${redirectUri} as a redirect URI)`,
    );
    this.name = 'RedirectTimeoutError';
  }
}

export interface RedirectListener {
  /** E.g. `http://127.0.0.1:8976/callback`: what the authorization request must name. */
  readonly redirectUri: string;
  /** The query of the first request to the redirect path; the listener is closed by then. */
  waitForRedirect(): Promise<URLSearchParams>;
  /** Stops listening (idempotent); a pending wait fails. */
  close(): Promise<void>;
}

export interface ListenOptions {
  /** 0 picks a free port (useful in tests; a real app must register a fixed one). */
  port: number;
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Default 5 minutes. */
  timeoutMs?: number | undefined;
  /** The page the browser shows, given the redirect's query; default a plain "return to the terminal". */
  page?: ((query: URLSearchParams) => string) | undefined;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** A minimal page: no scripts, no external resources, so the URL (and its code) goes nowhere else. */
export function redirectPage(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<!doctype html><meta charset="utf-8"><meta name="referrer" ` +
    `content="no-referrer"><title>tailnet-access</title><p>${escaped}</p>\n`
  );
}

const DEFAULT_PAGE = redirectPage('Done. You can close this tab and return to the terminal.');

/** 127.0.0.1 by default, not `localhost`, which a browser may resolve to ::1 first. */
function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function listenForRedirect(options: ListenOptions): Promise<RedirectListener> {
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let settle: { resolve: (query: URLSearchParams) => void; reject: (error: Error) => void } | undefined;
  const arrived = new Promise<URLSearchParams>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may be waiting yet when it fails; the rejection is still reported to whoever waits later.
  arrived.catch(() => undefined);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    if (req.method !== 'GET' || url.pathname !== REDIRECT_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'close',
    });
    res.end(options.page ? options.page(url.searchParams) : DEFAULT_PAGE);
    settle?.resolve(url.searchParams);
    void close();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new UsageError(
              `port ${options.port} on ${host} is in use; stop what uses it, or pass another --port (and register ` +
                `that port's redirect URI with the app)`,
            )
          : error,
      );
    });
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://${hostForUrl(host)}:${port}${REDIRECT_PATH}`;
  const timer = setTimeout(() => {
    settle?.reject(new RedirectTimeoutError(redirectUri, timeoutMs));
    void close();
  }, timeoutMs);

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      settle?.reject(new Error('the redirect listener was closed before a redirect arrived'));
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    return closing;
  }

  return { redirectUri, waitForRedirect: () => arrived, close };
}
