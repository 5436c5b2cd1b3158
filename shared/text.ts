// Rules for free text that people give (names, descriptions): a length limit and no control characters.

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** What is wrong with a text field, in words for the caller; empty when nothing is. */
export function textProblems(value: string, label: string, maxLength: number): string[] {
  const problems: string[] = [];
  if ([...value].length > maxLength) problems.push(`${label} is too long (maximum is ${maxLength} characters)`);
  if (CONTROL_CHARACTERS.test(value)) problems.push(`${label} cannot contain control characters`);
  return problems;
}
