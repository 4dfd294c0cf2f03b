// The package's version, as in package.json. The bundler inlines this one field at build time (the
// rest of package.json stays out of dist/), so `tailnet-access --version` and the User-Agent say the
// version that was built, wherever dist/ is copied or installed.
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
