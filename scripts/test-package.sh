#!/usr/bin/env bash
# The command line as npm users get it: pack the package, install the tarball as `npm install -g`
# does (into a temporary prefix) and into a project (for npx), and run it from there, away from this
# checkout: --version, demo, and plan against the simulator started from the installed package.
# The tarball is local; its dependencies come from npm's cache (npm ci filled it), else the registry.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

work=$(mktemp -d)
sim_pid=''
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "test-package: $1" >&2
  exit 1
}

version=$(node -p 'require("./package.json").version')

# What goes into the package, and only that.
tarball=$(npm pack --silent --pack-destination "$work")
tar -tzf "$work/$tarball" | sed 's#^package/##' | sort >"$work/contents"
unexpected=$(grep -Ev '^(dist/[^/]+|schema/[^/]+\.json|examples/tailnet-access\.yaml|README\.md|LICENSE|package\.json)$' "$work/contents" || true)
[ -z "$unexpected" ] || fail "the package holds files it should not (package.json \"files\"): $unexpected"
for needed in dist/cli.js dist/index.js dist/package.json schema/tailnet-access.schema.json README.md LICENSE; do
  grep -qx "$needed" "$work/contents" || fail "the package lacks $needed"
done
tar -xzf "$work/$tarball" -C "$work" package/package.json
problem=$(node -e '
  const pkg = require(process.argv[1]);
  if (pkg.private) console.log("it says private: true, so npm would refuse to publish it");
' "$work/package/package.json")
[ -z "$problem" ] || fail "package.json: $problem"
# The version is inlined into the bundle; the rest of package.json (scripts, the dev tool list) is not.
if grep -q '"devDependencies"' dist/cli.js; then fail "dist/cli.js carries the whole package.json; import only what it needs"; fi

# npm install -g, into a prefix of its own.
npm install --global --prefix "$work/global" --prefer-offline --no-audit --no-fund --silent "$work/$tarball"
global_bin="$work/global/bin/tailnet-access"
[ -x "$global_bin" ] || fail "npm install -g put no tailnet-access on the PATH ($global_bin)"
got=$("$global_bin" --version)
[ "$got" = "$version" ] || fail "tailnet-access --version says '$got', package.json says '$version'"

# A project that depends on it, for npx; run from there, where no source is at hand.
mkdir -p "$work/project"
cd "$work/project"
printf '{ "name": "uses-tailnet-access", "private": true }\n' >package.json
npm install --prefer-offline --no-audit --no-fund --silent "$work/$tarball"
export npm_config_update_notifier=false
got=$(npx --no-install tailnet-access --version)
[ "$got" = "$version" ] || fail "npx tailnet-access --version says '$got', package.json says '$version'"

# demo: the built-in simulator and the example file shipped in the package; exit 0, a real plan.
npx --no-install tailnet-access demo --no-color >"$work/demo.out" 2>&1 || { cat "$work/demo.out" >&2; fail "npx tailnet-access demo failed"; }
grep -q '^Plan: ' "$work/demo.out" || { cat "$work/demo.out" >&2; fail "npx tailnet-access demo printed no plan"; }

# plan against the simulator started from the global install, as a user would try it.
sim=$("$root/scripts/start-simulator.sh" "$work/simulator.log" "$global_bin")
sim_pid=$(sed -n 's/^pid=//p' <<<"$sim")
export TAILSCALE_BASE_URL=$(sed -n 's/^base-url=//p' <<<"$sim")
export TAILSCALE_API_KEY=$(sed -n 's/^api-key=//p' <<<"$sim")
cp node_modules/tailnet-access/examples/tailnet-access.yaml ./tailnet-access.yaml
set +e
npx --no-install tailnet-access plan --detailed-exitcode --format json >"$work/plan.json" 2>"$work/plan.err"
status=$?
set -e
[ "$status" -eq 2 ] || { cat "$work/plan.err" >&2; fail "npx tailnet-access plan --detailed-exitcode exited $status, not 2 (changes pending)"; }
changes=$(node -p 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).changes?.length ?? 0' "$work/plan.json" 2>/dev/null || echo 0)
[ "$changes" -gt 0 ] || fail "npx tailnet-access plan --format json printed no plan with changes: $(head -c 300 "$work/plan.json")"

echo "test-package: $tarball ($(wc -l <"$work/contents") files) installs with npm install -g and runs with npx: --version $version, demo, plan against the simulator"
