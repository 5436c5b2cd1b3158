// Times as the API shows and takes them: ISO-8601 UTC. Stored times are `toISOString()` strings, which
// compare in time order as strings; the API shows them to the second.

/** The API's timestamps: ISO-8601 UTC without milliseconds, `2026-11-28T12:00:00Z`. */
export const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A stored ISO-8601 time in the API's format (TIMESTAMP_PATTERN). */
export const formatTimestamp = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

/** What a client may send as a time: the API's format, optionally with milliseconds. */
export const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/**
 * A time given as ISO-8601 UTC (`2027-01-01T00:00:00Z`, milliseconds allowed), or undefined when it is
 * not one: another form or zone, or a date or time that does not exist (`2027-02-30`, `24:00:00`), which
 * Date.parse would roll over rather than refuse.
 */
export function parseUtcTimestamp(text: string): Date | undefined {
  if (!UTC_TIMESTAMP.test(text)) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== text.slice(0, 19)) return undefined;
  return date;
}
