// Rules for free text that people give (names, descriptions): a length limit, no control characters, and no
// characters that make stored text differ from what a reader sees: unpaired surrogates, bidirectional
// controls, and zero-width characters (docs/decisions.md, "Text fields").

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Half of a UTF-16 surrogate pair without the other half: not a character, and not encodable as UTF-8.
const LONE_SURROGATE = /\p{Cs}/u;
// Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) reorder how text displays
// ("Trojan Source"). The marks U+200E, U+200F and U+061C stay allowed: right-to-left text needs them, and
// they open no embedding that could move other text around.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;
// Zero-width space, non-joiner, joiner, word joiner and the byte order mark: invisible, so two texts that
// differ look the same.
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/u;
// ...except a joiner between two emoji, which is how emoji sequences (👨‍👩‍👧, 🏳️‍🌈) are written; the
// first emoji may carry a variation selector or a skin tone.
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}[\ufe0f\p{Emoji_Modifier}]?)\u200d(?=\p{Extended_Pictographic})/gu;

/** `U+202E`, for messages: the offending character is invisible, so its code point is what a caller can act on. */
function codePointOf(match: RegExpExecArray | null): string {
  const codePoint = match?.[0].codePointAt(0) ?? 0;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What is wrong with a text field, in words for the caller; empty when nothing is. */
export function textProblems(value: string, label: string, maxLength: number): string[] {
  const problems: string[] = [];
  if ([...value].length > maxLength) problems.push(`${label} is too long (maximum is ${maxLength} characters)`);
  if (CONTROL_CHARACTERS.test(value)) problems.push(`${label} cannot contain control characters`);
  if (LONE_SURROGATE.test(value)) {
    problems.push(`${label} contains an unpaired surrogate (${codePointOf(LONE_SURROGATE.exec(value))}), which is not a character`);
  }
  if (BIDI_CONTROL.test(value)) {
    problems.push(`${label} cannot contain bidirectional control characters (found ${codePointOf(BIDI_CONTROL.exec(value))})`);
  }
  const withoutEmojiJoiners = value.replace(EMOJI_JOINER, '');
  if (ZERO_WIDTH.test(withoutEmojiJoiners)) {
    problems.push(
      `${label} cannot contain zero-width characters (found ${codePointOf(ZERO_WIDTH.exec(withoutEmojiJoiners))}); a zero-width joiner is allowed only between emoji`,
    );
  }
  return problems;
}
