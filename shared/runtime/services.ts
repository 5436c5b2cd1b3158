// The domain services over the DynamoDB store, created once per container (module scope, lazily so that
// configuration is read and validated on first use). Their DynamoDB client is traced (X-Ray, in Lambda).
import { AccountService } from '../domain/account-service';
import { AuditLogService } from '../domain/audit-log-service';
import { loadConfig, type Config } from '../platform/config';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClientOver } from '../store/document-client';
import { createDynamoDbClient } from '../store/dynamodb-client';
import { DynamoTokenStore } from '../store/dynamo-store';
import { TokenService } from '../domain/token-service';
import { tracer } from '../platform/tracer';

export interface Services {
  config: Config;
  documentClient: DynamoDBDocumentClient;
  store: DynamoTokenStore;
  tokens: TokenService;
  accounts: AccountService;
  auditLog: AuditLogService;
}

let services: Services | undefined;

export function getServices(): Services {
  if (!services) {
    const config = loadConfig();
    const documentClient = documentClientOver(tracer.captureAWSv3Client(createDynamoDbClient(config)));
    const store = new DynamoTokenStore(documentClient, config.tableName);
    services = {
      config,
      documentClient,
      store,
      tokens: new TokenService(store),
      accounts: new AccountService(store),
      auditLog: new AuditLogService(store, config.auditRetentionDays),
    };
  }
  return services;
}
