// The layer rules of docs/architecture.md as a dependency checker: `npm run lint:deps`. A rule here
// fails CI on an import that breaks it. Violations that predate the rules are listed in
// .dependency-cruiser-known-violations.json (made with `npm run lint:deps -- --baseline`) and only
// reported; each one fixed is removed from it, and a new one fails.
const IO_MODULES =
  '^(fs|node:fs|fs/promises|node:fs/promises|net|node:net|http|node:http|https|node:https|child_process|node:child_process|undici|@actions/.+|@octokit/.+)$';

export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No circles between modules, not even of types: a circle means two modules are one concern, or a type lives in the wrong place.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-core-no-io',
      severity: 'error',
      comment:
        'plan/ and policy/ are pure (text in, values out): no file system, network, API client or Actions toolkit, and nothing that renders.',
      from: { path: '^src/(plan|policy)/' },
      to: { path: [IO_MODULES, '^src/(tailscale|github|action|commands|simulator|oauth|check|policy-file|render)/'] },
    },
    {
      name: 'config-no-io-beyond-reading',
      severity: 'error',
      comment:
        'config/ reads the file it is given (src/config/load.ts) and nothing else: no network, no client, no front end.',
      from: { path: '^src/config/' },
      to: {
        path: [
          '^(net|node:net|http|node:http|https|node:https|child_process|node:child_process|undici|@actions/.+|@octokit/.+)$',
          '^src/(tailscale|github|action|commands|apply|simulator|oauth|check)/',
        ],
      },
    },
    {
      name: 'front-ends-are-entry-points',
      severity: 'error',
      comment: 'Nothing imports the CLI adapters (commands/) but cli.ts and the adapters themselves.',
      from: { path: '^src/', pathNot: '^src/(cli\\.ts|commands/)' },
      to: { path: '^src/commands/' },
    },
    {
      name: 'action-is-an-entry-point',
      severity: 'error',
      comment: 'Nothing imports the Action adapters (action/) but main.ts and the adapters themselves.',
      from: { path: '^src/', pathNot: '^src/(main\\.ts|index\\.ts|action/)' },
      to: { path: '^src/action/' },
    },
    {
      name: 'engine-below-the-front-ends',
      severity: 'error',
      comment:
        'engine/ holds the use cases both front ends call: it speaks no runner protocol and prints nothing (its ports are how it reaches out).',
      from: { path: '^src/engine/' },
      to: { path: ['^@actions/.+', '^src/(commands|action)/'] },
    },
    {
      name: 'plan-below-apply',
      severity: 'error',
      comment: 'apply/ builds on plan/: plan/ (renderers of apply reports included) takes nothing from apply/.',
      from: { path: '^src/plan/' },
      to: { path: '^src/apply/' },
    },
    {
      name: 'simulator-is-a-stand-in',
      severity: 'error',
      comment:
        'The simulator stands in for Tailscale: product code never reaches into it (only the demo and simulate commands start it).',
      from: { path: '^src/', pathNot: '^src/(simulator/|commands/(demo|simulate)\\.ts)' },
      to: { path: '^src/simulator/' },
    },
    {
      name: 'domain-is-a-leaf',
      severity: 'error',
      comment:
        'domain/ holds the types every layer shares (users, roles, policy, plan, apply report, credential kind): it imports nothing of ours outside domain/ and no I/O, so every arrow into it points down.',
      from: { path: '^src/domain/' },
      to: { path: ['^src/', IO_MODULES], pathNot: '^src/domain/' },
    },
    {
      name: 'render-imports-no-client',
      severity: 'error',
      comment:
        'render/ turns plans, apply reports, inventories and checks into text, markdown and JSON: values in, text out. It imports no API client, no GitHub, no file system or network, and nothing that carries out a plan.',
      from: { path: '^src/render/' },
      to: { path: [IO_MODULES, '^src/(tailscale|github|apply|action|commands|simulator|oauth)/'] },
    },
    {
      name: 'no-tests-in-product',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
