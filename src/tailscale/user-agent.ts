// The User-Agent every request carries, so Tailscale (and anyone reading a proxy log) can tell which
// tool and version made a call.
import { VERSION } from '../version.js';

export const PROJECT_URL = 'https://github.com/tailnet-access/tailnet-access';

export function defaultUserAgent(): string {
  return `tailnet-access/${VERSION} (+${PROJECT_URL}; node/${process.version})`;
}
