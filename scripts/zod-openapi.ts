// Adds `.openapi()` to zod schemas. zod 4 gives each schema its methods when it is created, so this must
// run before any schema module loads: import it first. Only the OpenAPI generator loads it, never a Lambda.
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);
