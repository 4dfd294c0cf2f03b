// The User-Agent every request carries, so Tailscale (and anyone reading a proxy log) can tell which
// tool and version made a call. The version is read from package.json at build time (the bundler
// inlines it), so it cannot drift from the release.
import pkg from '../../package.json' with { type: 'json' };

export const PROJECT_URL = 'https://github.com/tailnet-access/tailnet-access';

export function defaultUserAgent(): string {
  return `tailnet-access/${pkg.version} (+${PROJECT_URL}; node/${process.version})`;
}
