// Resolves a request to a route the way API Gateway resolves a REST resource: every resource path of the
// route list (literal paths and their `.json` twins), `{param}` taking exactly one whole, non-empty
// segment, literal segments preferred over parameters, then the method.
import { resourcePaths, type RouteDefinition } from '../shared/http/routes';

export interface RouteMatch {
  route: RouteDefinition;
  /** The matched resource, e.g. `/api/v2/api_tokens/{id}`. */
  resourcePath: string;
  /** Decoded path parameters; null when the resource has none (as in API Gateway events). */
  pathParameters: Record<string, string> | null;
}

export type RouteLookup = { found: true; match: RouteMatch } | { found: false };

interface Resource {
  route: RouteDefinition;
  resourcePath: string;
  segments: string[];
}

const PARAMETER = /^\{([A-Za-z0-9_]+)\}$/;

function segmentsOf(path: string): string[] {
  return path.split('/').slice(1);
}

/** Path parameters when `segments` fit the resource, undefined otherwise. */
function matchSegments(resource: Resource, segments: string[]): Record<string, string> | undefined {
  if (resource.segments.length !== segments.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, expected] of resource.segments.entries()) {
    const actual = segments[index] ?? '';
    const parameter = PARAMETER.exec(expected)?.[1];
    if (parameter === undefined) {
      if (actual !== expected) return undefined;
    } else {
      if (actual === '') return undefined;
      const decoded = decodeSegment(actual);
      if (decoded === undefined) return undefined;
      parameters[parameter] = decoded;
    }
  }
  return parameters;
}

/** API Gateway hands path parameters to the integration percent-decoded; a malformed escape matches nothing. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Orders matches so that, segment by segment, a literal beats a parameter (`/a/b` before `/a/{id}`). */
function specificity(resource: Resource): string {
  return resource.segments.map((segment) => (PARAMETER.test(segment) ? '1' : '0')).join('');
}

export class RouteTable {
  private readonly resources: Resource[];

  constructor(routes: readonly RouteDefinition[]) {
    this.resources = routes.flatMap((route) =>
      resourcePaths(route).map((resourcePath) => ({ route, resourcePath, segments: segmentsOf(resourcePath) })),
    );
  }

  /** The route for a method and a raw (still percent-encoded) path; not found covers unknown paths and methods. */
  lookup(method: string, rawPath: string): RouteLookup {
    const segments = segmentsOf(rawPath);
    const candidates = this.resources
      .map((resource) => ({ resource, pathParameters: matchSegments(resource, segments) }))
      .filter((candidate) => candidate.pathParameters !== undefined)
      .sort((a, b) => specificity(a.resource).localeCompare(specificity(b.resource)));
    const best = candidates[0];
    if (!best) return { found: false };
    // Like API Gateway, the most specific resource decides; a method it lacks is not looked up elsewhere.
    const onResource = candidates.filter((candidate) => candidate.resource.resourcePath === best.resource.resourcePath);
    const chosen = onResource.find((candidate) => candidate.resource.route.method === method);
    if (!chosen?.pathParameters) return { found: false };
    const { route, resourcePath } = chosen.resource;
    const pathParameters = Object.keys(chosen.pathParameters).length > 0 ? chosen.pathParameters : null;
    return { found: true, match: { route, resourcePath, pathParameters } };
  }
}
