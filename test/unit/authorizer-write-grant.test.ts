// The authorizer's one write, as it is sent (SDK mocked with aws-sdk-client-mock), against what IAM grants
// it (cdk/table-access.ts): every attribute the UpdateItem names — in its key, its update and its
// condition — is one `dynamodb:Attributes` allows, and it asks for no ReturnValues the grant refuses. A write
// changed without its grant fails here, not as AccessDenied in AWS (where the authorizer only logs it).
import { DynamoDBClient, UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { AUTHORIZER_UPDATE_ATTRIBUTES, AUTHORIZER_UPDATE_RETURN_VALUES } from '../../cdk/table-access';
import { type AuthContext, recordUse } from '../../shared/domain/verification';
import { DynamoAuthorizationStore } from '../../shared/store/authorization-store';
import { createDynamoDbClient } from '../../shared/store/dynamodb-client';

const mock = mockClient(DynamoDBClient);
const store = new DynamoAuthorizationStore(createDynamoDbClient({ dynamodbEndpoint: 'http://127.0.0.1:9', region: 'us-east-1' }), 'tokens');
const context: AuthContext = { accountId: 'acme', userId: '7', email: 'ada@acme.test', role: 'admin', tokenId: '42', authType: 'api_token' };

/** The request parameters `attributesNamed` reads; any other (AttributeUpdates, Expected, …) must be taught to it first. */
const KNOWN_PARAMETERS = ['TableName', 'Key', 'UpdateExpression', 'ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues', 'ReturnValues'];
const EXPRESSION_WORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN']);

/** The top-level attribute names a request names: its key and every document path of its expressions. */
function attributesNamed(input: UpdateItemCommandInput): string[] {
  const names = new Set(Object.keys(input.Key ?? {}));
  for (const expression of [input.UpdateExpression, input.ConditionExpression]) {
    // Value placeholders (`:usedAt`) name no attribute; a function name is followed by its parenthesis.
    const paths = (expression ?? '').replace(/:\w+/g, ' ').replace(/\b\w+\s*\(/g, ' ').match(/#?\w+(?:\.#?\w+|\[\d+\])*/g) ?? [];
    for (const path of paths) {
      const [first] = path.split(/[.[]/) as [string];
      if (EXPRESSION_WORDS.has(first.toUpperCase())) continue;
      const name = first.startsWith('#') ? input.ExpressionAttributeNames?.[first] : first;
      if (name === undefined) throw new Error(`${first} is not in ExpressionAttributeNames`);
      names.add(name);
    }
  }
  return [...names].sort();
}

async function recordedWrite(): Promise<UpdateItemCommandInput> {
  mock.reset();
  mock.on(UpdateItemCommand).resolves({});
  await recordUse(store, context, new Date('2026-12-02T12:00:00.000Z'));
  const calls = mock.commandCalls(UpdateItemCommand);
  expect(calls).toHaveLength(1);
  return calls[0]!.args[0].input;
}

test('the reader of expressions finds what a request names, and no more', () => {
  expect(
    attributesNamed({
      TableName: 't',
      Key: { PK: { S: 'a' }, SK: { S: 'b' } },
      UpdateExpression: 'SET #a = if_not_exists(#a, :zero) + :one, notes.text[2] = :v REMOVE stale',
      ConditionExpression: 'attribute_exists(PK) AND NOT begins_with(#r, :p) AND size(tags) < :n',
      ExpressionAttributeNames: { '#a': 'count', '#r': 'role' },
    }),
  ).toEqual(['PK', 'SK', 'count', 'notes', 'role', 'stale', 'tags']);
  expect(() => attributesNamed({ TableName: 't', Key: {}, UpdateExpression: 'SET #missing = :v' })).toThrow(/#missing/);
});

test("recordUse's UpdateItem names only the attributes the authorizer's grant allows", async () => {
  const input = await recordedWrite();
  expect(Object.keys(input).filter((parameter) => !KNOWN_PARAMETERS.includes(parameter))).toEqual([]);
  const named = attributesNamed(input);
  expect(named).toContain('lastUsedAt');
  expect(named.filter((name) => !AUTHORIZER_UPDATE_ATTRIBUTES.includes(name))).toEqual([]);
});

test("recordUse's UpdateItem moves the sweep's activity time with lastUsedAt, to the same value", async () => {
  const input = await recordedWrite();
  const named = attributesNamed(input);
  expect(named).toEqual(expect.arrayContaining(['lastUsedAt', 'activityAt']));
  expect(input.UpdateExpression).toMatch(/#lastUsed = :usedAt, #activityAt = :usedAt/);
});

test("recordUse's UpdateItem asks for nothing back that the grant refuses", async () => {
  const input = await recordedWrite();
  expect(AUTHORIZER_UPDATE_RETURN_VALUES).toContain(input.ReturnValues ?? 'NONE');
});
