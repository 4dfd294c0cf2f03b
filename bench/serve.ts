// The simulator as a bench child: `node serve.js FIXTURE.json LATENCY_MS [PER_SECOND]`. Prints its URL;
// then answers `counts` on standard input with the requests answered so far and how many were 429.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { startSimulator } from '../src/simulator/index.js';
import type { Fixture, Knobs } from '../src/simulator/index.js';

const [fixtureFile = '', latency = '0', perSecond = '0'] = process.argv.slice(2);
const fixture = JSON.parse(await readFile(fixtureFile, 'utf8')) as Fixture;
const knobs: Partial<Knobs> = { latencyMs: Number(latency) };
if (Number(perSecond) > 0) knobs.rateLimit = { perSecond: Number(perSecond) };
const sim = await startSimulator({ fixture, knobs });
process.stdout.write(`${sim.url}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'counts')
    process.stdout.write(
      `${JSON.stringify({ requests: sim.requests.entries.length, limited: sim.requests.count({ status: 429 }) })}\n`,
    );
}
await sim.close();
