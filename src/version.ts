// The package's version, as in package.json, and where the project lives. The bundler inlines this one field at build
// time (the
// rest of package.json stays out of dist/), so `tailnet-access --version` and the User-Agent say the
// version that was built, wherever dist/ is copied or installed.
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;

/** The project's home: named in the User-Agent and in the schema URL of the files import writes. */
export const PROJECT_URL = 'https://github.com/tailnet-access/tailnet-access';
