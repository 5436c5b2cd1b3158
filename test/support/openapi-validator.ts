// Checks an API response against docs/openapi.json: the operation (method + path template), the status
// code, and the JSON body against that response's schema (JSON Schema 2020-12, as OpenAPI 3.1 uses).
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ResponseObject {
  content?: { 'application/json'?: { schema: object } };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: { schemas: Record<string, object> };
}

export const OPENAPI_FILE = join(__dirname, '..', '..', 'docs', 'openapi.json');
const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as OpenApiDocument;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi.json', components: document.components });
const compiled = new Map<string, ValidateFunction>();

/** Rewrites `#/components/...` references to point into the schema registered above. */
function withAbsoluteRefs(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/components/', '"$ref":"openapi.json#/components/')) as object;
}

function templateFor(path: string): string | undefined {
  if (document.paths[path]) return path;
  return Object.keys(document.paths).find((template) => {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return pattern.test(path);
  });
}

/**
 * Problems of the response against the document; an empty list when it conforms.
 * Paths the API does not serve (unknown endpoints) are outside the document and not checked.
 */
export function openApiProblems(method: string, url: string, status: number, body: unknown): string[] {
  const path = new URL(url).pathname;
  const template = templateFor(path);
  if (!template) return [];
  const operation = document.paths[template]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${template} is not in docs/openapi.json`];
  const response = operation.responses[String(status)] ?? operation.responses.default;
  if (!response) return [`${method} ${template}: status ${status} is not documented`];
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return body === undefined ? [] : [`${method} ${template} ${status}: documented without a body, got one`];
  const key = `${method} ${template} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(withAbsoluteRefs(schema));
    compiled.set(key, validate);
  }
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${key}: ${error.instancePath || 'body'} ${error.message}`);
}
