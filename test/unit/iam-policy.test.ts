// The emulator's reading of authorizer policies: wildcards, explicit Deny, Not* elements, fail-closed conditions.
import type { PolicyDocument, Statement } from 'aws-lambda';
import { policyAllows } from '../../local/iam-policy';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:local/local/GET/api/v2/api_tokens/7.json';
const policy = (...Statement: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const allow = (Resource: string | string[]): Statement => ({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource });
const deny = (Resource: string | string[]): Statement => ({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource });

test.each([
  ['the exact ARN', ARN],
  ['a stage wildcard', 'arn:aws:execute-api:us-east-1:123456789012:local/local/*'],
  ['a method and path wildcard', 'arn:aws:execute-api:us-east-1:123456789012:local/local/GET/api/v2/api_tokens/*'],
  ['a single-character wildcard', 'arn:aws:execute-api:us-east-1:123456789012:local/local/GET/api/v2/api_tokens/?.json'],
  ['everything', '*'],
  ['one of a list', ['arn:aws:execute-api:us-east-1:123456789012:other/*', ARN]],
])('Allow for %s allows', (_, resource) => {
  expect(policyAllows(policy(allow(resource)), ARN)).toBe(true);
});

test.each([
  ['another method', 'arn:aws:execute-api:us-east-1:123456789012:local/local/POST/*'],
  ['another stage', 'arn:aws:execute-api:us-east-1:123456789012:local/prod/*'],
  ['a different case', ARN.toUpperCase()],
  ['a dot taken literally', 'arn:aws:execute-api:us-east-1:123456789012:local/local/GET/api/v2/api_tokens/7xjson'],
])('Allow for %s does not allow', (_, resource) => {
  expect(policyAllows(policy(allow(resource)), ARN)).toBe(false);
});

test('no statement, or only Deny, does not allow', () => {
  expect(policyAllows(policy(), ARN)).toBe(false);
  expect(policyAllows(policy(deny('*')), ARN)).toBe(false);
});

test('an explicit Deny wins over any Allow', () => {
  expect(policyAllows(policy(allow('*'), deny(ARN)), ARN)).toBe(false);
  expect(policyAllows(policy(deny('*/GET/*'), allow(ARN)), ARN)).toBe(false);
  expect(policyAllows(policy(allow('*'), deny('*/POST/*')), ARN)).toBe(true);
});

test('actions: case-insensitive, wildcards, NotAction', () => {
  expect(policyAllows(policy({ Effect: 'Allow', Action: 'EXECUTE-API:invoke', Resource: ARN }), ARN)).toBe(true);
  expect(policyAllows(policy({ Effect: 'Allow', Action: 'execute-api:*', Resource: ARN }), ARN)).toBe(true);
  expect(policyAllows(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: ARN }), ARN)).toBe(false);
  expect(policyAllows(policy({ Effect: 'Allow', NotAction: 's3:*', Resource: ARN }), ARN)).toBe(true);
});

test('NotResource', () => {
  expect(policyAllows(policy({ Effect: 'Allow', Action: 'execute-api:Invoke', NotResource: '*/POST/*' }), ARN)).toBe(true);
  expect(policyAllows(policy(allow('*'), { Effect: 'Deny', Action: 'execute-api:Invoke', NotResource: '*/POST/*' }), ARN)).toBe(false);
});

test('conditions cannot be evaluated locally, so they fail closed', () => {
  const condition = { StringEquals: { 'aws:SourceIp': '203.0.113.1' } };
  expect(policyAllows(policy({ ...allow(ARN), Condition: condition }), ARN)).toBe(false);
  expect(policyAllows(policy(allow(ARN), { ...deny(ARN), Condition: condition }), ARN)).toBe(false);
});
