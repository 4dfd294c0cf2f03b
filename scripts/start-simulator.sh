#!/usr/bin/env bash
# Starts the built-in Tailscale API simulator in the background, waits until it listens, and prints
# what a caller needs as name=value lines (the $GITHUB_OUTPUT format):
#   base-url=http://127.0.0.1:PORT   api-key=tskey-api-…   pid=PID
# The key is the simulator-only owner key of the built-in example tailnet: it is public (it is in
# src/simulator/default-fixture.ts) and opens nothing but this simulator.
#
# Usage: scripts/start-simulator.sh LOG_FILE [CLI…]
#   LOG_FILE  where the simulator's output goes (read here to learn its address)
#   CLI…      the command that runs the CLI (default: node dist/cli.js, from the repository root)
# Stop it with: kill PID (it shuts down cleanly on SIGTERM).
set -euo pipefail

log=${1:?usage: scripts/start-simulator.sh LOG_FILE [CLI…]}
shift
if [ "$#" -eq 0 ]; then set -- node "$(dirname "$0")/../dist/cli.js"; fi

# Detached from this shell's output and input: a CI step ends when its own streams close, so a
# server holding them would keep the step open, and nohup keeps it alive when the step's shell exits.
nohup "$@" simulate >"$log" 2>&1 </dev/null &
pid=$!

url='' key=''
for _ in $(seq 1 150); do
  url=$(sed -n 's/^Tailscale API simulator .* listening on \(http[^ ]*\)$/\1/p' "$log")
  key=$(sed -n 's/^ *export TAILSCALE_API_KEY=\([^ ]*\).*$/\1/p' "$log")
  if [ -n "$url" ] && [ -n "$key" ]; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the simulator exited before it was listening; its output:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done
if [ -z "$url" ] || [ -z "$key" ]; then
  echo "the simulator did not say where it listens within 30 s; its output:" >&2
  cat "$log" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
fi

echo "base-url=$url"
echo "api-key=$key"
echo "pid=$pid"
