// Writes src/config/schema-validator.generated.ts: the schema compiled by ajv into standalone code
// (see src/config/schema-validator-source.ts). Run after changing schema/tailnet-access.schema.json.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaValidatorSource } from '../src/config/schema-validator-source.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await writeFile(path.join(root, 'src/config/schema-validator.generated.ts'), schemaValidatorSource());
