// A raw HTTP client for the security suites: sends what fetch refuses to (a body on GET or DELETE, a
// request target exactly as given, huge or repeated headers) and reports what came back, without judging it.
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { openApiProblems } from '../support/openapi-validator';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON, undefined for an empty or non-JSON body. */
  json: unknown;
}

export interface RawRequest {
  method: string;
  /** Request target as sent: path and query, already encoded. */
  target: string;
  /** As an object, or as a flat `[name, value, name, value, …]` list sent line by line as given (duplicates, any spelling). */
  headers?: OutgoingHttpHeaders | string[];
  body?: string | Buffer;
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

export function rawRequest(baseUrl: string, { method, target, headers = {}, body }: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return new Promise((done, fail) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        headers: Array.isArray(headers)
          ? [
              // Node adds Host itself only to headers given as an object; HTTP/1.1 servers answer 400 without it.
              ...(headers.some((value, index) => index % 2 === 0 && value.toLowerCase() === 'host') ? [] : ['Host', url.host]),
              ...headers,
              ...(payload ? ['Content-Length', String(payload.length)] : []),
            ]
          : { ...headers, ...(payload ? { 'Content-Length': String(payload.length) } : {}) },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          done({ status: response.statusCode ?? 0, headers: response.headers, text, json: parseJson(text) });
        });
        response.on('error', fail);
      },
    );
    outgoing.on('error', fail);
    outgoing.end(payload);
  });
}

/** What is wrong with a response against docs/openapi.json (empty when it conforms). */
export function contractProblems(baseUrl: string, method: string, target: string, response: RawResponse): string[] {
  return openApiProblems(method, new URL(target, baseUrl).toString(), response.status, response.json);
}

