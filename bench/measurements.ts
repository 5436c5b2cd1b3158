// Wires the product's pieces into the measurements: the authorizer handler, the services from
// shared/runtime/services.ts, separately built clients with the same settings, and the seeded fixture.
import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handler } from '../functions/authorizer';
import { getAuthorizationServices } from '../shared/runtime/authorizer-services';
import { AccountService } from '../shared/domain/account-service';
import { DynamoTokenStore } from '../shared/store/dynamo-store';
import { createDocumentClient } from '../shared/store/document-client';
import { accountKey, accountPk, tokenKey, TOKEN_PREFIX, userKey } from '../shared/store/keys';
import { LEGACY_TOKEN_LIMIT, TOKEN_LIMIT } from '../shared/domain/model';
import { CONSOLE_PATH } from '../shared/http/console-headers';
import { launchChromium } from '../scripts/chromium';
import { CONSOLE_BUILD_DIRECTORY, ensureConsoleBuilt } from '../scripts/console-build';
import { seedTokens, tokenSeeds } from '../scripts/token-fixtures';
import { handler as reportLeakedTokens } from '../functions/report-leaked-tokens';
import { generateToken } from '../shared/domain/token-format';
import { LEAK_REPORT_RESPONSE_FLOOR_MS } from '../shared/platform/time-budget';
import { createServices, type Services } from '../shared/runtime/services';
import { TokenService } from '../shared/domain/token-service';
import { expectedIds, FILTER_KINDS, matchCounts, seedHistory, type FilterKind, type HistorySeeding, type PageKind } from './audit-history';
import { measureAuditLog, type AuditLogVariant, type ListCall } from './audit-log';
import { authorize, expecting } from './authorizer-outcome';
import { countCalls } from './call-counter';
import { measureColdStart } from './cold-start';
import { measureConsole, type ConsoleAccount } from './console';
import { CONSOLE_READY_MARKER } from './console-server';
import {
  authorizerEvent,
  basicAuthorization,
  freshAccountId,
  garbageCredentials,
  MALFORMED_KINDS,
  OPERATOR,
  type Fixture,
} from './fixture';
import { measureHttpPath } from './http-path';
import { measureLeakReports, type LeakReportVariant } from './leak-reports';
import { measureLimitContention } from './limit-contention';
import type { BenchOptions } from './options';
import { progress } from './quiet-stdout';
import type { MeasurementResult } from './report';
import { measureRejectionThroughput, type ThroughputVariant } from './rejection-throughput';
import { measureRoundTrips } from './round-trips';
import { startServerProcess } from './server-process';
import type { Teardown } from './teardown';
import { measureVerificationLatency } from './verification-latency';

export interface BenchContext {
  options: BenchOptions;
  services: Services;
  fixture: Fixture;
  teardown: Teardown;
}

/** A client built exactly as the product builds its own (shared/store/dynamodb-client.ts), destroyed at teardown. */
function sameSettingsClient(context: BenchContext, purpose: string): DynamoDBDocumentClient {
  const client = createDocumentClient(context.services.config);
  context.teardown.add(`${purpose} client`, () => client.destroy());
  return client;
}

/** The bare read: one consistent BatchGetItem of the account, user and token items (by default the fixture's token). */
function bareBatchGet(context: BenchContext, tokenId = context.fixture.tokenId): () => Promise<number> {
  const client = sameSettingsClient(context, 'bare BatchGetItem');
  const { accountId, email } = context.fixture;
  const { tableName } = context.services.config;
  const keys = [accountKey(accountId), userKey(accountId, email), tokenKey(accountId, tokenId)];
  return async () => {
    const result = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }));
    return result.Responses?.[tableName]?.length ?? 0;
  };
}

/**
 * A token of the fixture's account with every policy option set, for the fixture's user: an expiry, the user
 * assigned, a role ceiling, and a full IP allow-list of 16 blocks (IPv4 and IPv6) whose last one holds the
 * address the benchmark's events come from (bench/fixture.ts). Every check runs, and the request is allowed.
 */
async function policyToken(context: BenchContext): Promise<{ tokenId: number; authorization: string }> {
  const { services, fixture } = context;
  const user = await services.accounts.getUser(fixture.accountId, fixture.email);
  const allowedIps = [
    ...Array.from({ length: 8 }, (_, index) => `2001:db8:${index.toString(16)}::/48`),
    ...Array.from({ length: 7 }, (_, index) => `10.${index}.0.0/16`),
    '203.0.113.0/24',
  ];
  const { apiToken, token } = await services.tokens.create({ ...OPERATOR, accountId: fixture.accountId }, 'bench every policy option', {
    expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    assignedUserId: user.userId,
    maxRole: 'agent',
    allowedIps,
  });
  return { tokenId: apiToken.tokenId, authorization: basicAuthorization(fixture.email, token) };
}

export async function verificationLatency(context: BenchContext): Promise<MeasurementResult> {
  const event = authorizerEvent(context.fixture.authorization);
  const bare = bareBatchGet(context);
  if ((await authorize(event)) !== 'allowed') throw new Error('the seeded credential is not allowed');
  if ((await bare()) !== 3) throw new Error('the bare BatchGetItem did not return the three items');
  const policy = await policyToken(context);
  const policyEvent = authorizerEvent(policy.authorization);
  const policyBare = bareBatchGet(context, policy.tokenId);
  if ((await authorize(policyEvent)) !== 'allowed') throw new Error('the credential with every policy option is not allowed');
  if ((await policyBare()) !== 3) throw new Error('the bare BatchGetItem of the policy token did not return the three items');
  const { options } = context;
  const { store } = getAuthorizationServices();
  const { accountId, email, tokenId } = context.fixture;
  return measureVerificationLatency({
    authorizer: () => handler(event),
    storeRead: () => store.getAuthorizationItems(accountId, email, tokenId),
    bareBatchGet: bare,
    policyAuthorizer: () => handler(policyEvent),
    policyBareBatchGet: policyBare,
    callsPerRound: options.latencyCalls,
    warmupCalls: options.latencyWarmupCalls,
    rounds: options.rounds,
  });
}

function deniedCalls(credentials: Record<string, string>, kinds: readonly string[]): (() => Promise<void>)[] {
  return kinds.map((kind) => {
    const authorization = credentials[kind];
    if (authorization === undefined) throw new Error(`no garbage credential of kind '${kind}'`);
    return expecting('denied', authorizerEvent(authorization));
  });
}

export async function roundTrips(context: BenchContext): Promise<MeasurementResult> {
  const { services, fixture } = context;
  const garbage = garbageCredentials(fixture);
  // The authorizer's own client: every DynamoDB call a verification makes goes through it.
  const counter = countCalls(getAuthorizationServices().client, 'bench-round-trips');
  try {
    return await measureRoundTrips({
      counter,
      freshAllowedCall: async () => {
        const { token } = await services.tokens.create({ ...OPERATOR, accountId: fixture.accountId }, 'bench round trips');
        return expecting('allowed', authorizerEvent(basicAuthorization(fixture.email, token)));
      },
      // `undefined`: no Authorization header at all.
      malformedCalls: [expecting('denied', authorizerEvent(undefined)), ...deniedCalls(garbage, MALFORMED_KINDS)],
      forgedCalls: deniedCalls(garbage, ['forged: unknown token id', 'forged: wrong secret']),
      requestsPerKind: 50,
      rounds: context.options.rounds,
    });
  } finally {
    counter.detach();
  }
}

export function rejectionThroughput(context: BenchContext): Promise<MeasurementResult> {
  const garbage = garbageCredentials(context.fixture);
  const variants: ThroughputVariant[] = [
    { name: 'allowed', kind: 'allowed', call: expecting('allowed', authorizerEvent(context.fixture.authorization)) },
    ...Object.entries(garbage).map(([name, authorization]): ThroughputVariant => ({
      name,
      kind: name.startsWith('forged') ? 'forged' : 'malformed',
      call: expecting('denied', authorizerEvent(authorization)),
    })),
  ];
  const { options } = context;
  return measureRejectionThroughput({
    variants,
    durationMs: options.throughputMs,
    concurrency: options.throughputConcurrency,
    rounds: options.rounds,
  });
}

export function coldStart(context: BenchContext): Promise<MeasurementResult> {
  return measureColdStart({
    rounds: context.options.rounds,
    importsPerRound: context.options.importsPerRound,
    onCleanup: (name, step) => context.teardown.add(name, step),
  });
}

/** Token items of an account (a COUNT query over its TOKEN# sort keys, all pages). */
async function countTokenItems(client: DynamoDBDocumentClient, tableName: string, accountId: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': TOKEN_PREFIX },
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

export async function limitContention(context: BenchContext): Promise<MeasurementResult> {
  const client = sameSettingsClient(context, 'contention');
  const { tableName } = context.services.config;
  const store = new DynamoTokenStore(client, tableName);
  const accounts = new AccountService(store);
  const tokens = new TokenService(store);
  const counter = countCalls(client, 'bench-contention');
  return measureLimitContention({
    counter,
    createAccount: async () => {
      const accountId = freshAccountId('limit');
      await accounts.createAccount(OPERATOR, { accountId, name: 'Limit', plan: 'team', legacy: false, apiTokenAccess: true });
      return accountId;
    },
    createToken: (accountId) => tokens.create({ ...OPERATOR, accountId }, null),
    storedTokens: async (accountId) => ({
      items: await countTokenItems(client, tableName, accountId),
      tokenCount: (await accounts.getAccount(accountId)).tokenCount,
    }),
    creates: context.options.contentionCreates,
    limit: TOKEN_LIMIT,
    rounds: context.options.contentionRounds,
  });
}

export function httpPath(context: BenchContext): Promise<MeasurementResult> {
  const { options } = context;
  return measureHttpPath({
    env: { ...process.env },
    authorization: context.fixture.authorization,
    seconds: options.httpSeconds,
    connections: options.httpConnections,
    rounds: options.rounds,
    onCleanup: (name, step) => context.teardown.add(name, step),
  });
}

const AUDIT_PAGE_SIZE = 100;
/** The everyday account measurement 8 compares the legacy one with. */
const CONSOLE_SMALL_ACCOUNT = 20;

/** A list call that first checks its page: the newest entries the filter keeps, or a prefix of them. */
async function checkedListCall(name: string, call: ListCall, expected: number[]): Promise<ListCall> {
  const { items } = await call();
  const ids = (items as { auditId: number }[]).map((entry) => entry.auditId);
  if ((expected.length > 0 && ids.length === 0) || ids.some((id, index) => id !== expected[index])) {
    throw new Error(`audit log ${name}: got ${ids.length} entries, not the ${expected.length} expected (first ${ids[0]}, expected ${expected[0]})`);
  }
  return call;
}

export async function auditLog(context: BenchContext): Promise<MeasurementResult> {
  const { options } = context;
  const { config } = context.services;
  const client = sameSettingsClient(context, 'audit log');
  // The services as shared/runtime/services.ts builds them, over a client whose calls are counted.
  const store = new DynamoTokenStore(client, config.tableName);
  const { auditLog: service } = createServices(config, store);
  const seeding: HistorySeeding = {
    accountsAt: (atMs) => createServices(config, store, () => new Date(atMs)).accounts,
    auditLog: service,
    client,
    tableName: config.tableName,
    concurrency: options.auditWriteConcurrency,
  };
  const sizes = { small: options.auditSmallEntries, large: options.auditLargeEntries };
  const started = performance.now();
  const [small, large] = [freshAccountId('auditsmall'), freshAccountId('auditlarge')];
  const histories = { small: await seedHistory(seeding, small, sizes.small, OPERATOR), large: await seedHistory(seeding, large, sizes.large, OPERATOR) };
  const setupMs = performance.now() - started;
  progress(`audit log: ${sizes.small + sizes.large} entries written in ${(setupMs / 1000).toFixed(1)} s`);
  const accounts = { small, large };
  const call = (size: 'small' | 'large', kind: FilterKind, page: PageKind): Promise<ListCall> => {
    const { after, ...filters } = kind.query(histories[size], page);
    const query = { ...filters, page: { size: AUDIT_PAGE_SIZE, order: 'desc' as const, ...(after === undefined ? {} : { after }) } };
    const expected = expectedIds(histories[size], kind, page, AUDIT_PAGE_SIZE);
    return checkedListCall(`${page} page, ${kind.name}, ${sizes[size]} entries`, () => service.list(accounts[size], query), expected);
  };
  const variants: AuditLogVariant[] = [];
  for (const page of ['first', 'deep'] as const) {
    for (const kind of FILTER_KINDS) variants.push({ filter: kind.name, page, small: await call('small', kind, page), large: await call('large', kind, page) });
  }
  const counter = countCalls(client, 'bench-audit-log');
  try {
    const result = await measureAuditLog({
      variants,
      sizes,
      pageSize: AUDIT_PAGE_SIZE,
      counter,
      maxPairsPerRound: options.auditMaxPairsPerRound,
      budgetMsPerRound: options.auditBudgetMsPerRound,
      rounds: options.rounds,
      setupMs,
      untargeted: ['unfiltered'],
    });
    return { ...result, details: { ...result.details, matches: { small: matchCounts(histories.small), large: matchCounts(histories.large) } } };
  } finally {
    counter.detach();
  }
}

/** An account with an admin and the admin's token, filled with seeded tokens up to `tokenCount`, one of them `probe`. */
async function consoleAccount(context: BenchContext, name: string, tokenCount: number, legacy: boolean): Promise<ConsoleAccount> {
  const { accounts, tokens, config } = context.services;
  const documentClient = sameSettingsClient(context, `admin console seeding (${name})`);
  const accountId = freshAccountId('console');
  const email = `admin@${accountId}.test`;
  await accounts.createAccount(OPERATOR, { accountId, name: `Console ${name}`, plan: 'enterprise', legacy, apiTokenAccess: true });
  await accounts.addUser(OPERATOR, { accountId, email, role: 'admin', verified: true });
  const { token } = await tokens.create({ ...OPERATOR, accountId }, 'Console benchmark');
  const probe = 'Probe integration';
  const seeds = tokenSeeds(tokenCount - 2, 'Integration', (index) => ({ active: index % 10 !== 9, lastUsedAt: index % 3 === 0 ? null : new Date(Date.now() - index * 60_000) }));
  await seedTokens({ documentClient, tableName: config.tableName, accounts }, accountId, [...seeds, { description: probe }]);
  return { name, email, token, tokenCount, probe };
}

export async function adminConsole(context: BenchContext): Promise<MeasurementResult> {
  progress('admin console: building it if its build is missing or stale');
  await ensureConsoleBuilt();
  const accounts: [ConsoleAccount, ConsoleAccount] = [
    await consoleAccount(context, `${CONSOLE_SMALL_ACCOUNT} tokens`, CONSOLE_SMALL_ACCOUNT, false),
    await consoleAccount(context, `${LEGACY_TOKEN_LIMIT.toLocaleString('en-US')} tokens`, LEGACY_TOKEN_LIMIT, true),
  ];
  const { url } = await startServerProcess<{ url: string }>({
    name: 'admin console server',
    script: 'console-server.ts',
    marker: CONSOLE_READY_MARKER,
    env: { ...process.env },
    onCleanup: (name, step) => context.teardown.add(name, step),
  });
  const browser = await launchChromium();
  context.teardown.add('Chromium', () => browser.close());
  return measureConsole({
    browser,
    baseUrl: url,
    consoleUrl: `${url}${CONSOLE_PATH}`,
    accounts,
    rounds: context.options.rounds,
    buildDirectory: CONSOLE_BUILD_DIRECTORY,
  });
}

/**
 * The strings of measurement 9's reports, from an account of their own: a token of no account, a string not
 * in the format, one deactivated token reported again and again, and active tokens made beforehand, one per
 * report (a report deactivates its token).
 */
async function leakReportTokens(context: BenchContext, activeReports: number): Promise<(variant: LeakReportVariant) => Promise<string>> {
  const { accounts, tokens } = context.services;
  const accountId = freshAccountId('leak');
  await accounts.createAccount(OPERATOR, { accountId, name: 'Leak reports', plan: 'enterprise', legacy: false, apiTokenAccess: true });
  const operator = { ...OPERATOR, accountId };
  const deactivated = await tokens.create(operator, 'reported before');
  await tokens.update(operator, deactivated.apiToken.tokenId, { active: false });
  const active: string[] = [];
  for (let index = 0; index < activeReports; index += 1) active.push((await tokens.create(operator, `leaked ${index}`)).token);
  const fixed: Record<Exclude<LeakReportVariant, 'active'>, string> = {
    unknown: generateToken(freshAccountId('gone'), 4242).token,
    malformed: 'not a token',
    deactivated: deactivated.token,
  };
  return async (variant) => {
    if (variant !== 'active') return fixed[variant];
    const token = active.pop();
    if (token === undefined) throw new Error('measurement 9 ran out of active tokens');
    return token;
  };
}

export async function leakReports(context: BenchContext): Promise<MeasurementResult> {
  const { options, services } = context;
  const { leakReportSlots: flooredSlots, leakReportUnflooredCalls: unflooredCalls, rounds } = options;
  // The warm-up's two calls per variant, then each round's reports of an active token.
  const reportedToken = await leakReportTokens(context, 2 + rounds * (flooredSlots + unflooredCalls));
  const withFloor = (floorMs: number) => reportLeakedTokens.withServices(createServices({ ...services.config, leakReportResponseFloorMs: floorMs }, services.store));
  return measureLeakReports({
    floored: withFloor(LEAK_REPORT_RESPONSE_FLOOR_MS),
    unfloored: withFloor(0),
    reportedToken,
    flooredSlots,
    unflooredCalls,
    rounds,
  });
}
