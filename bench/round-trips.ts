// 2. Round trips per verification: DynamoDB calls the authorizer makes per allowed request (target 1),
// per malformed credential (target 0), and — for information — per forged but well-formed credential
// and on the first use of a token in a minute (which also records last_used).
import type { CallCounter } from './call-counter';
import { exactly, row, type MeasurementResult } from './report';
import { summarize } from './stats';

export interface RoundTripInputs {
  counter: CallCounter;
  /** A call of the authorizer that must be allowed, with a token never used before. */
  freshAllowedCall: () => Promise<() => Promise<void>>;
  /** Calls that must be denied without a read (no header, not Basic, bad base64, bad checksum…). */
  malformedCalls: (() => Promise<void>)[];
  /** Calls that must be denied after one read (valid checksum, unknown id or secret). */
  forgedCalls: (() => Promise<void>)[];
  requestsPerKind: number;
  rounds: number;
}

const MEASUREMENT = '2 DynamoDB calls';

/** Calls per request over `times` runs of each call. */
async function callsPerRequest(counter: CallCounter, calls: (() => Promise<void>)[], times: number): Promise<number> {
  counter.reset();
  for (let run = 0; run < times; run += 1) {
    for (const call of calls) await call();
  }
  return counter.calls.length / (times * calls.length);
}

export async function measureRoundTrips(inputs: RoundTripInputs): Promise<MeasurementResult> {
  const perRound = { firstUse: [] as number[], allowed: [] as number[], malformed: [] as number[], forged: [] as number[] };
  const commands = new Set<string>();
  for (let round = 0; round < inputs.rounds; round += 1) {
    const allowedCall = await inputs.freshAllowedCall();
    perRound.firstUse.push(await callsPerRequest(inputs.counter, [allowedCall], 1));
    inputs.counter.calls.forEach((call) => commands.add(`first use: ${call.command}`));
    // Within the minute after the first use, last_used is fresh: reads only.
    perRound.allowed.push(await callsPerRequest(inputs.counter, [allowedCall], inputs.requestsPerKind));
    inputs.counter.calls.forEach((call) => commands.add(`allowed: ${call.command}`));
    perRound.malformed.push(await callsPerRequest(inputs.counter, inputs.malformedCalls, inputs.requestsPerKind));
    perRound.forged.push(await callsPerRequest(inputs.counter, inputs.forgedCalls, inputs.requestsPerKind));
    inputs.counter.calls.forEach((call) => commands.add(`forged: ${call.command}`));
  }
  const allowed = summarize(perRound.allowed);
  const malformed = summarize(perRound.malformed);
  return {
    rows: [
      row(MEASUREMENT, 'per allowed request', 'calls', allowed, exactly(allowed, 1)),
      row(MEASUREMENT, 'per malformed credential', 'calls', malformed, exactly(malformed, 0)),
      row(MEASUREMENT, 'per forged credential (valid checksum)', 'calls', summarize(perRound.forged)),
      row(MEASUREMENT, 'first use of a token in a minute', 'calls', summarize(perRound.firstUse)),
    ],
    details: {
      requestsPerKind: inputs.requestsPerKind,
      malformedKinds: inputs.malformedCalls.length,
      forgedKinds: inputs.forgedCalls.length,
      commands: [...commands].sort(),
      perRound,
    },
  };
}
