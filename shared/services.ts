// The domain services over the DynamoDB store, created once per container (module scope, lazily so that
// configuration is read and validated on first use).
import { AccountService } from './accounts';
import { loadConfig, type Config } from './config';
import { createDocumentClient } from './dynamodb';
import { DynamoTokenStore } from './dynamo-store';
import { TokenService } from './tokens';

export interface Services {
  config: Config;
  store: DynamoTokenStore;
  tokens: TokenService;
  accounts: AccountService;
}

let services: Services | undefined;

export function getServices(): Services {
  if (!services) {
    const config = loadConfig();
    const store = new DynamoTokenStore(createDocumentClient(config), config.tableName);
    services = { config, store, tokens: new TokenService(store), accounts: new AccountService(store) };
  }
  return services;
}
