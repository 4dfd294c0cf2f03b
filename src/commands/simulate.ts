// `simulate`: the Tailscale API simulator on loopback, for trying tailnet-access without a tailnet.
// Prints the base URL and the credentials of its fixture, then serves until interrupted.
import { defaultFixture } from '../simulator/default-fixture.js';
import { loadFixture } from '../simulator/fixture.js';
import { startSimulator, type Simulator } from '../simulator/server.js';
import type { Fixture } from '../simulator/types.js';
import { UsageError } from '../errors.js';
import { flag, resolvePath, type CommandContext } from './context.js';

export async function fixtureFor(ctx: CommandContext): Promise<Fixture> {
  const file = flag(ctx, 'fixture');
  return file ? loadFixture(resolvePath(ctx, file)) : defaultFixture();
}

function portOf(ctx: CommandContext): number {
  const raw = flag(ctx, 'port');
  if (raw === undefined) return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number (0-65535), not "${raw}"`);
  return port;
}

/** Listening fails for reasons a user can fix with --port or --host; say which. */
async function listen(fixture: Fixture, port: number, host: string): Promise<Simulator> {
  try {
    return await startSimulator({ fixture, port, host });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'EADDRINUSE')
      throw new UsageError(
        `port ${port} on ${host} is already in use; give another --port, or leave it out to take any free one`,
      );
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new UsageError(
        `cannot listen on --host ${host}: it is not an address of this machine (the default is 127.0.0.1)`,
      );
    if (code === 'EACCES')
      throw new UsageError(
        `not allowed to listen on port ${port}; ports below 1024 need privileges, so give a higher --port`,
      );
    throw error;
  }
}

export async function runSimulate(ctx: CommandContext): Promise<number> {
  const fixture = await fixtureFor(ctx);
  const sim = await listen(fixture, portOf(ctx), flag(ctx, 'host') ?? '127.0.0.1');
  const key = fixture.credentials?.apiKeys?.[0]?.key;
  ctx.stdout.write(
    [
      `Tailscale API simulator for tailnet ${fixture.tailnet} listening on ${sim.url}`,
      '',
      'In another shell:',
      `  export TAILSCALE_BASE_URL=${sim.url}`,
      ...(key ? [`  export TAILSCALE_API_KEY=${key}   # a simulator-only key from the fixture`] : []),
      '  tailnet-access plan --config examples/tailnet-access.yaml',
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  return 0;
}
