// Structured JSON logs (Powertools Logger), one logger per container. Callers log names and ids only:
// never a token, a secret or an Authorization header.
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'api-token-service' });
