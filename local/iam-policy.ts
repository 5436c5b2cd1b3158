// Evaluates the IAM policy a Lambda authorizer returns, the way API Gateway does for `execute-api:Invoke`:
// the request is allowed only when some statement allows it and no statement denies it (explicit Deny wins).
import type { PolicyDocument, Statement } from 'aws-lambda';

const INVOKE_ACTION = 'execute-api:Invoke';

/** IAM wildcards: `*` matches any run of characters (slashes included), `?` exactly one. */
function wildcardPattern(pattern: string, ignoreCase: boolean): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
}

const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

function matchesAny(patterns: string | string[], value: string, ignoreCase: boolean): boolean {
  return asList(patterns).some((pattern) => typeof pattern === 'string' && wildcardPattern(pattern, ignoreCase).test(value));
}

/** Whether a statement covers this action and resource (`NotAction` / `NotResource` invert the match). */
function statementApplies(statement: Statement, methodArn: string): boolean {
  // Action names are case-insensitive in IAM; resource ARNs are not.
  const action =
    'Action' in statement ? matchesAny(statement.Action, INVOKE_ACTION, true) : !matchesAny(statement.NotAction, INVOKE_ACTION, true);
  if (!action) return false;
  if ('Resource' in statement && statement.Resource !== undefined) return matchesAny(statement.Resource, methodArn, false);
  if ('NotResource' in statement && statement.NotResource !== undefined) return !matchesAny(statement.NotResource, methodArn, false);
  return false;
}

/**
 * True when the policy allows invoking `methodArn`. Conditions cannot be evaluated here, so they fail
 * closed: a conditional Allow grants nothing and a conditional Deny always denies.
 */
export function policyAllows(policy: PolicyDocument, methodArn: string): boolean {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [];
  const applying = statements.filter((statement) => statementApplies(statement, methodArn));
  const denied = applying.some((statement) => statement.Effect === 'Deny');
  const allowed = applying.some((statement) => statement.Effect === 'Allow' && statement.Condition === undefined);
  return allowed && !denied;
}
