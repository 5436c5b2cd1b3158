// Writes docs/openapi.json from the route list and the zod schemas (`npm run openapi`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from './openapi-document';

export const OPENAPI_PATH = join(__dirname, '..', 'docs', 'openapi.json');

writeFileSync(OPENAPI_PATH, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${OPENAPI_PATH}`);
