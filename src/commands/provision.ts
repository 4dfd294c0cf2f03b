// `provision`: the authorization-code flow of an OAuth app on a developer's machine (contract.md §2).
// It prints the authorization URL, waits on the loopback redirect URI, exchanges the code, and runs
// `tailscale up` with the single-use key read from a 0600 file; with --print it writes that file and
// prints the command instead. The key itself is never printed.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { EXIT_OK } from '../exit-codes.js';
import { registerSecret } from '../secrets.js';
import { DEFAULT_LOGIN_URL, DEFAULT_REDIRECT_PORT } from '../oauth/authorize-url.js';
import { createPrivateTempFile, readSecretFile, replacePrivateFile } from '../oauth/private-file.js';
import { authorizeDevice, clientIdMismatch } from '../oauth/provision.js';
import { runTailscaleUp, shellQuote, tailscaleUpCommand } from '../oauth/tailscale-up.js';
import { resolveBaseUrl } from './connection.js';
import { flag, isSet, note, resolvePath, type CommandContext } from './context.js';

function portOf(ctx: CommandContext): number {
  const raw = flag(ctx, 'port');
  if (raw === undefined) return DEFAULT_REDIRECT_PORT;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new UsageError(
      `provision: --port must be a port number from 1 to 65535, not "${raw}" (the app must list http://127.0.0.1:PORT/callback as a redirect URI)`,
    );
  }
  return port;
}

/** An address of this machine: Tailscale's own servers are never one, the simulator always is. */
function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/**
 * Where the consent screen is: --login-url; else, when the API is on this machine (the simulator, whose
 * consent screen is on its own URL), that machine; else Tailscale's. Anything but a plain default is
 * said, so nobody waits for a redirect from a page that cannot know their app.
 */
function loginUrlFor(ctx: CommandContext, baseUrl: string): string {
  const given = flag(ctx, 'login-url');
  if (given !== undefined) return given;
  const api = URL.parse(baseUrl);
  if (api !== null && isLoopback(api)) {
    note(
      ctx,
      `The API at ${api.origin} is on this machine (the simulator, which serves its own consent screen), so the ` +
        `consent screen is ${api.origin} too; give --login-url to use another.`,
    );
    return api.origin;
  }
  if (api !== null && api.host !== 'api.tailscale.com') {
    note(
      ctx,
      `The consent screen is Tailscale's, ${DEFAULT_LOGIN_URL}; if the API at ${api.origin} has its own, give it ` +
        `with --login-url.`,
    );
  }
  return DEFAULT_LOGIN_URL;
}

async function assertDirectoryOf(file: string): Promise<void> {
  const isDirectory = await stat(path.dirname(file)).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new UsageError(`provision: the directory of --token-file ${file} does not exist`);
}

export async function runProvision(ctx: CommandContext): Promise<number> {
  const clientId = flag(ctx, 'client-id');
  const secretFile = flag(ctx, 'client-secret-file');
  if (clientId === undefined || clientId.trim() === '')
    throw new UsageError("provision: --client-id is required (the OAuth app's ID)");
  if (secretFile === undefined)
    throw new UsageError(
      "provision: --client-secret-file is required (a file holding the app's tskey-app-… client secret)",
    );
  const port = portOf(ctx);
  const print = isSet(ctx, 'print');
  const tokenFlag = flag(ctx, 'token-file');
  if (tokenFlag !== undefined && !print)
    throw new UsageError(
      'provision: --token-file goes with --print (without --print the key goes straight to tailscale up)',
    );
  const tokenFile = tokenFlag === undefined ? undefined : resolvePath(ctx, tokenFlag);
  if (tokenFile !== undefined) await assertDirectoryOf(tokenFile);

  const clientSecret = await readSecretFile(resolvePath(ctx, secretFile), 'the OAuth app client secret', (warning) =>
    note(ctx, warning),
  );
  registerSecret(clientSecret);
  const mismatch = clientIdMismatch(clientId, clientSecret);
  if (mismatch) throw new UsageError(`provision: ${mismatch}`);

  const baseUrl = resolveBaseUrl(flag(ctx, 'base-url'), ctx.env);
  const device = await authorizeDevice({
    clientId,
    clientSecret,
    port,
    loginUrl: loginUrlFor(ctx, baseUrl),
    api: { baseUrl },
    openUrl: (url, redirectUri) => {
      note(ctx, 'Open this URL in a browser on this machine, sign in, and approve the request:');
      note(ctx, `  ${url.toString()}`);
      note(ctx, `Waiting for the redirect to ${redirectUri} (it must be one of the app's redirect URIs)…`);
    },
  });

  const lifetime = `it works once, within ${Math.round(device.expiresInSeconds / 60)} minutes`;
  if (print) {
    const keyFile =
      tokenFile ?? (await createPrivateTempFile('tailnet-access-authkey-', 'auth-key', `${device.authKey}\n`));
    if (tokenFile !== undefined) await replacePrivateFile(tokenFile, `${device.authKey}\n`);
    note(ctx, `Authorized. The single-use auth key is in ${keyFile} (mode 0600); ${lifetime}. Run:`);
    ctx.stdout.write(`${tailscaleUpCommand(keyFile)}\n`);
    note(ctx, `and then delete the key file: rm ${shellQuote(keyFile)}`);
    return EXIT_OK;
  }
  note(ctx, `Authorized; running tailscale up with the single-use auth key (${lifetime})…`);
  await runTailscaleUp(device.authKey, { env: ctx.env, stdout: ctx.stdout, stderr: ctx.stderr });
  note(ctx, 'Done: tailscale up succeeded; the device belongs to the user who approved.');
  return EXIT_OK;
}
