// Parsers for query-string values that name records: an id filter either names something an id can be,
// or it is a 400 that names the parameter — never a query that cannot match (or cannot even be sent).
import { BadRequestError } from '../domain/errors';
import { parseId } from '../domain/ids';

export interface IntegerFilterOptions {
  /** Ids that are not record ids but are recorded as such, e.g. the operator's actor id (model.ts). */
  systemIds?: readonly number[];
}

/**
 * An integer filter: an id (a positive decimal integer below 2^53, without sign, spaces or leading zeros,
 * as `parseId` reads path ids) or one of `systemIds`. Anything else — 2^53 or more, `1e3`, `0x10`, ` 1`,
 * another negative number — can be no id, so it is refused rather than silently matching nothing; past
 * 2^53 it could not even be sent to DynamoDB exactly.
 */
export function parseIntegerFilter(name: string, value: string, options: IntegerFilterOptions = {}): number {
  const systemIds = options.systemIds ?? [];
  const id = parseId(value) ?? systemIds.find((systemId) => String(systemId) === value);
  if (id === undefined) {
    const others = systemIds.length === 0 ? '' : ` or ${systemIds.join(', ')}`;
    throw new BadRequestError(`${name} must be an id: a positive integer below 2^53${others}`);
  }
  return id;
}
