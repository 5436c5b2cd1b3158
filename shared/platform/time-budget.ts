// The service's time budget in one place: how long one DynamoDB attempt, one call with its retries and one
// whole invocation may take, so that DynamoDB stalling (connections accepted, never answered) or refusing
// is answered with 503 ServiceUnavailable well before Lambda kills the function (a 502 from API Gateway,
// or for the authorizer a 5xx with no body of ours). The functions read these numbers at run time and the
// CDK construct deploys its Lambda timeouts from here, so the two cannot drift apart.
//
// Nested, outermost first (test/unit/time-budget.test.ts checks the order):
//   Lambda timeout > invocation deadline > per-attempt request timeout > connection timeout
// Every retry loop — the SDK's attempts, the store's transaction retries, the optimistic re-reads — runs
// inside the invocation deadline (shared/domain/deadline.ts): when it passes, the DynamoDB call in flight is
// aborted and no further attempt starts.

/**
 * Lambda timeout of the REQUEST authorizer. It runs before every request, so a caller waits for it in
 * full; 5 s bounds that wait when something is wrong while leaving room for the deadline below.
 */
export const AUTHORIZER_TIMEOUT_SECONDS = 5;

/** Lambda timeout of each route's handler: a few DynamoDB round trips, with room for retries under contention. */
export const HANDLER_TIMEOUT_SECONDS = 10;

/**
 * The authorizer gives up on DynamoDB after this long and fails closed (API Gateway answers
 * AUTHORIZER_FAILURE, our 503). The 2 s left before the Lambda timeout absorb a deadline timer firing
 * late on a busy sandbox (512 MB is about a third of a vCPU), the error path, the log and metric flush,
 * and the way back to API Gateway. 3 s is two full attempts at the per-attempt timeout below, so one
 * stalled connection costs one retry, not the request.
 */
export const AUTHORIZER_DEADLINE_MS = 3_000;

/**
 * A route's handler gives up after this long and answers 503 with Retry-After; the 2 s left before the
 * Lambda timeout are the same headroom as the authorizer's. A handler makes two to four calls (the
 * caller's user, the record, one transaction), each normally in milliseconds; the deadline only matters
 * when DynamoDB stalls or keeps throttling.
 */
export const HANDLER_DEADLINE_MS = 8_000;

/**
 * One DynamoDB attempt (connection, request and response) is abandoned after this long, and the SDK
 * tries again on a new connection while the deadline allows. DynamoDB answers the calls made here
 * (single-item reads, a 3-item BatchGetItem, transactions of a few items, Query pages of at most 1 MB)
 * in milliseconds to a few hundred milliseconds, so a healthy call is never cut; a connection to a
 * failed host or a lost packet is. The SDK only enforces it with `throwOnRequestTimeout` (otherwise it
 * merely logs a warning).
 */
export const DYNAMODB_REQUEST_TIMEOUT_MS = 1_500;

/**
 * Establishing the TCP connection (DNS lookup included) is abandoned after this long. In a region it
 * takes a few milliseconds; a second means the address is unreachable. The TLS handshake and the rest of
 * the exchange count against the request timeout.
 */
export const DYNAMODB_CONNECTION_TIMEOUT_MS = 1_000;

/**
 * SDK attempts per call (the SDK's own backoff between them). Three attempts at the request timeout
 * (4.5 s) fit the handlers' deadline; in the authorizer the deadline cuts the second. The store's
 * transaction loop adds its own bounded retries on conflicts (shared/store/transactions.ts), also inside the
 * deadline.
 */
export const DYNAMODB_MAX_ATTEMPTS = 3;

/**
 * Attempts one client has in flight at once (and sockets in its pool); more wait in the client, untimed but
 * not past their deadline. The SDK starts both timeouts above when it creates a request, so an attempt
 * queued for a free socket would spend its own budget waiting: with the cap, the timeouts measure DynamoDB
 * alone. A Lambda invocation makes one call at a time, so the cap never binds deployed. It binds where one
 * process serves many requests on one client — the local emulator, the tests' bursts of hundreds of
 * concurrent writes — against DynamoDB Local, which works through requests largely one at a time: ten in
 * flight keep its answers under about half a second there, a third of the request timeout.
 */
export const DYNAMODB_MAX_ATTEMPTS_IN_FLIGHT = 10;

/**
 * Lambda timeout of the hourly token sweep (functions/sweep-tokens.ts). A run acts on a bounded number of
 * tokens (shared/domain/token-sweep.ts) and leaves the rest to the next hour, so a minute is plenty.
 */
export const SWEEP_TIMEOUT_SECONDS = 60;

/** The sweep's invocation deadline, with the same headroom before the Lambda timeout as the handlers'. */
export const SWEEP_DEADLINE_MS = 55_000;

/**
 * The sweep starts no further action (a read and a transaction, each within the per-call budget above)
 * with less than this left before its deadline: it stops cleanly rather than be cut off mid-action.
 */
export const SWEEP_ACTION_RESERVE_MS = 3 * DYNAMODB_REQUEST_TIMEOUT_MS;

/**
 * A leak report is answered no sooner than this after its handler started, whatever it found: the reads and
 * writes for tokens that exist end well within it, so the time of the answer does not tell a reporter which
 * strings were live tokens (docs/architecture.md, "Leak reports"). Far below the handler's deadline, so a
 * report that must wait for DynamoDB still has its full budget left. The functions read it through their
 * configuration (LEAK_REPORT_RESPONSE_FLOOR_MS, shared/platform/config.ts), which may lower it, never above
 * MAX_LEAK_REPORT_RESPONSE_FLOOR_MS.
 */
export const LEAK_REPORT_RESPONSE_FLOOR_MS = 2_000;
/** The highest floor the configuration accepts: half the handler's deadline. */
export const MAX_LEAK_REPORT_RESPONSE_FLOOR_MS = HANDLER_DEADLINE_MS / 2;
