// The one place that builds the services for production: the domain services over the DynamoDB store,
// configured once (audit retention, clock), created once per container (module scope, lazily so that
// configuration is read and validated on first use). Route handlers receive them through apiHandler;
// tests hand a handler other services (an in-memory store) with `handler.withServices(...)`.
// Their DynamoDB client is traced (X-Ray, in Lambda).
import { AccountService } from '../domain/account-service';
import type { ServiceOptions } from '../domain/audit-entries';
import { AuditLogService } from '../domain/audit-log-service';
import { LeakReportService } from '../domain/leak-reports';
import type { TokenStore } from '../domain/store';
import { TokenService } from '../domain/token-service';
import { loadConfig, type Config } from '../platform/config';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClientOver } from '../store/document-client';
import { createDynamoDbClient } from '../store/dynamodb-client';
import { DynamoTokenStore } from '../store/dynamo-store';
import { tracer } from '../platform/tracer';
import { SWEEP_ACTION_RESERVE_MS } from '../platform/time-budget';
import { TokenSweepService } from '../domain/token-sweep';
import { DynamoSweepStore } from '../store/sweep-queries';

/** What route handlers and tokenctl work with: the domain services over one store. */
export interface Services {
  config: Config;
  store: TokenStore;
  tokens: TokenService;
  accounts: AccountService;
  auditLog: AuditLogService;
  leakReports: LeakReportService;
}

export interface ProductionServices extends Services {
  documentClient: DynamoDBDocumentClient;
  store: DynamoTokenStore;
  /** The token sweep (the hourly function, `tokenctl sweep`), over the same client and table. */
  sweep: TokenSweepService;
}

/** The token sweep over the table, with the services' audit retention and clock. */
export function createSweepService(config: Config, store: TokenStore, documentClient: DynamoDBDocumentClient, clock?: () => Date): TokenSweepService {
  const sweeps = new DynamoSweepStore(documentClient, config.tableName);
  return new TokenSweepService(store, sweeps, { auditRetentionDays: config.auditRetentionDays, clock }, SWEEP_ACTION_RESERVE_MS);
}

/** The domain services over `store`, with the configuration's audit retention. */
export function createServices<Store extends TokenStore>(config: Config, store: Store, clock?: () => Date): Services & { store: Store } {
  const options: ServiceOptions = { auditRetentionDays: config.auditRetentionDays, clock };
  return {
    config,
    store,
    tokens: new TokenService(store, options),
    accounts: new AccountService(store, options),
    auditLog: new AuditLogService(store, options),
    leakReports: new LeakReportService(store, options),
  };
}

let services: ProductionServices | undefined;

export function getServices(): ProductionServices {
  if (!services) {
    const config = loadConfig();
    const documentClient = documentClientOver(tracer.captureAWSv3Client(createDynamoDbClient(config)));
    const store = new DynamoTokenStore(documentClient, config.tableName);
    services = { ...createServices(config, store), documentClient, sweep: createSweepService(config, store, documentClient) };
  }
  return services;
}
