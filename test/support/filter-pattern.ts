// A small evaluator of CloudWatch Logs JSON filter patterns, enough for the service's metric filters:
// `{ $.field = "value" }`, `!=`, and terms joined by `||` or `&&` (not mixed), each optionally in
// parentheses. A quoted value matches a string field only. Anything else throws, so that a pattern the
// evaluator does not understand fails the test instead of matching nothing.

const TERM = /^\$\.([A-Za-z_][A-Za-z0-9_.]*)\s*(=|!=)\s*"([^"]*)"$/;

function fieldOf(line: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined), line);
}

function termMatches(term: string, line: Record<string, unknown>): boolean {
  const bare = term.trim().replace(/^\((.*)\)$/, '$1').trim();
  const parsed = TERM.exec(bare);
  if (!parsed) throw new Error(`unsupported filter term: ${term}`);
  const [, path, operator, expected] = parsed;
  const value = fieldOf(line, path!);
  const equal = typeof value === 'string' && value === expected;
  return operator === '=' ? equal : !equal;
}

/** Whether a JSON log line (parsed) matches `pattern`, as CloudWatch Logs would count it. */
export function matchesFilterPattern(pattern: string, line: Record<string, unknown>): boolean {
  const body = /^\{(.*)\}$/.exec(pattern.trim())?.[1];
  if (body === undefined) throw new Error(`not a JSON filter pattern: ${pattern}`);
  if (body.includes('||') && body.includes('&&')) throw new Error(`mixed || and && are not supported: ${pattern}`);
  if (body.includes('&&')) return body.split('&&').every((term) => termMatches(term, line));
  return body.split('||').some((term) => termMatches(term, line));
}
