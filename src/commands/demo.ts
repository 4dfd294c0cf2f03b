// `demo`: the README's first command. Starts the simulator with its built-in example tailnet, runs
// `plan` against it with examples/tailnet-access.yaml, and stops: a real plan, no account needed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { defaultFixture } from '../simulator/default-fixture.js';
import { startSimulator } from '../simulator/server.js';
import { flag, type CommandContext } from './context.js';
import { runPlan } from './plan.js';

/** examples/ beside the bundle (dist/cli.js) or the source (src/commands/demo.ts). */
function exampleConfig(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '../examples/tailnet-access.yaml'),
    path.resolve(here, '../../examples/tailnet-access.yaml'),
    path.resolve(here, '../../../examples/tailnet-access.yaml'),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found)
    throw new UsageError('the demo needs examples/tailnet-access.yaml from the repository; run it from a clone');
  return found;
}

export async function runDemo(ctx: CommandContext): Promise<number> {
  const fixture = defaultFixture();
  const key = fixture.credentials?.apiKeys?.[0]?.key;
  if (!key) throw new Error('the built-in fixture has no API key');
  const sim = await startSimulator({ fixture });
  try {
    // --config plans the user's own file against the example tailnet; --base-url would leave the simulator.
    const config = flag(ctx, 'config') ?? (path.relative(ctx.cwd, exampleConfig()) || 'tailnet-access.yaml');
    ctx.stderr.write(`Simulated tailnet ${fixture.tailnet} at ${sim.url}; planning ${config} against it.\n\n`);
    const env = {
      ...ctx.env,
      TAILSCALE_BASE_URL: sim.url,
      TAILSCALE_API_KEY: key,
      TAILSCALE_OAUTH_CLIENT_ID: undefined,
      TAILSCALE_OAUTH_CLIENT_SECRET: undefined,
      TAILSCALE_ID_TOKEN: undefined,
      TAILSCALE_TAILNET: undefined,
    };
    const args = {
      ...ctx.args,
      command: 'plan' as const,
      values: { ...ctx.args.values, config, 'base-url': undefined },
    };
    return await runPlan({ ...ctx, env, args });
  } finally {
    await sim.close();
  }
}
