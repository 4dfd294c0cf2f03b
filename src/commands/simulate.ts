// `simulate`: the Tailscale API simulator on loopback, for trying tailnet-access without a tailnet.
// Prints the base URL and the credentials of its fixture, then serves until interrupted.
import { defaultFixture } from '../simulator/default-fixture.js';
import { loadFixture } from '../simulator/fixture.js';
import { startSimulator } from '../simulator/server.js';
import type { Fixture } from '../simulator/types.js';
import { UsageError } from '../errors.js';
import { flag, resolvePath, type CommandContext } from './io.js';

export function fixtureFor(ctx: CommandContext): Fixture {
  const file = flag(ctx, 'fixture');
  return file ? loadFixture(resolvePath(ctx, file)) : defaultFixture();
}

function portOf(ctx: CommandContext): number {
  const raw = flag(ctx, 'port');
  if (raw === undefined) return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0-65535), not "${raw}"`);
  return port;
}

export async function runSimulate(ctx: CommandContext): Promise<number> {
  const fixture = fixtureFor(ctx);
  const sim = await startSimulator({ fixture, port: portOf(ctx), host: flag(ctx, 'host') ?? '127.0.0.1' });
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
