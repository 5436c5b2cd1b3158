// DynamoDB refusing connections (nothing listens on its port): the authorizer fails closed and the
// caller gets 503 with Retry-After, from the emulator and from a handler alike (test/support/dynamodb-outage.ts).
import { outageSuite, refusedEndpoint } from '../support/dynamodb-outage';

outageSuite(refusedEndpoint);
