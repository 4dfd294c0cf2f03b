// The User-Agent every request carries, so Tailscale (and anyone reading a proxy log) can tell which
// tool and version made a call.
import { PROJECT_URL, VERSION } from '../version.js';

export { PROJECT_URL };

export function defaultUserAgent(): string {
  return `tailnet-access/${VERSION} (+${PROJECT_URL}; node/${process.version})`;
}
