// DynamoDB stalled: connections are accepted and requests read, but nothing is ever answered (a hung
// or black-holed endpoint). Every caller still gets its answer within the time budget (test/support/dynamodb-outage.ts).
import { outageSuite, startStalledEndpoint } from '../support/dynamodb-outage';

outageSuite(startStalledEndpoint);
