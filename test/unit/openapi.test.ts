// docs/openapi.json is generated, not edited: the committed document equals what the generator makes now,
// and it documents every route of the route list.
import { readFileSync } from 'node:fs';
import { resourcePaths, routeList } from '../../shared/http/routes';
import { buildOpenApiDocument } from '../../scripts/openapi-document';
import { OPENAPI_FILE, openApiProblems } from '../support/openapi-validator';

test('the committed document equals the generated one (run `npm run openapi` after changing the API)', () => {
  const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as unknown;
  expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
});

test('every route and resource path is documented, with Basic security (none for the public routes, which answer no 401)', () => {
  const document = buildOpenApiDocument();
  for (const route of routeList) {
    for (const path of resourcePaths(route)) {
      const operation = document.paths?.[path]?.[route.method.toLowerCase() as 'get'];
      const security = route.access === 'public' ? [] : [{ apiToken: [] }];
      expect([path, route.method, operation?.security]).toEqual([path, route.method, security]);
      expect([path, route.method, '401' in (operation?.responses ?? {})]).toEqual([path, route.method, route.access !== 'public']);
    }
  }
  expect(document.components?.securitySchemes?.apiToken).toMatchObject({ type: 'http', scheme: 'basic' });
});

test('the validator rejects what the document does not allow', () => {
  const url = 'http://127.0.0.1:3000/api/v2/api_tokens/12.json';
  expect(openApiProblems('GET', url, 200, { api_token: { id: 12 } })).not.toEqual([]);
  expect(openApiProblems('GET', url, 418, {})).not.toEqual([]);
  expect(openApiProblems('GET', url, 401, { error: "Couldn't authenticate you" })).toEqual([]);
  expect(openApiProblems('GET', url, 401, { error: 'nope' })).not.toEqual([]);
});

test('each operation documents exactly the query parameters its route takes (the list the handlers enforce)', () => {
  const document = buildOpenApiDocument();
  for (const route of routeList) {
    for (const path of resourcePaths(route)) {
      const operation = document.paths?.[path]?.[route.method.toLowerCase() as 'get'];
      const documented = (operation?.parameters ?? []).flatMap((parameter) => ('in' in parameter && parameter.in === 'query' ? [parameter.name] : []));
      expect([path, route.method, documented.sort()]).toEqual([path, route.method, [...route.query].sort()]);
    }
  }
});
