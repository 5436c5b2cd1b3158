// The rules for free text (token descriptions through the API and tokenctl, account and user names through
// tokenctl): which characters are refused, with which words, and which look-alikes are still accepted.
import { textProblems } from '../../shared/domain/text';
import { ValidationError } from '../../shared/domain/errors';
import { validateDescription } from '../../shared/domain/token-service';

const problems = (value: string) => textProblems(value, 'Name', 255);

test.each([
  ['a lone high surrogate', 'a\ud800b', /^Name contains an unpaired surrogate \(U\+D800\)/],
  ['a lone low surrogate at the end', 'ab\udfff', /U\+DFFF/],
  ['a right-to-left override', 'invoice\u202egnp.exe', /^Name cannot contain bidirectional control characters \(found U\+202E\)/],
  ['a left-to-right embedding', '\u202aabc', /U\+202A/],
  ['a pop directional formatting', 'abc\u202c', /U\+202C/],
  ['a first strong isolate', 'a\u2068b\u2069', /U\+2068/],
  ['a pop directional isolate', 'a\u2069', /U\+2069/],
  ['a zero-width space', 'ad\u200bmin', /^Name cannot contain zero-width characters \(found U\+200B\)/],
  ['a zero-width non-joiner', 'a\u200cb', /U\+200C/],
  ['a zero-width joiner between letters', 'a\u200db', /U\+200D/],
  ['a word joiner', 'a\u2060b', /U\+2060/],
  ['a byte order mark', '\ufeffname', /U\+FEFF/],
])('%s is refused, naming the character', (_name, value, message) => {
  const found = problems(value);
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(message);
});

test.each([
  ['plain text', 'Deploy key (CI)'],
  ['emoji', '😀 🚀'],
  ['an emoji ZWJ sequence', '👨‍👩‍👧‍👦'],
  ['a ZWJ sequence after a variation selector', '🏳️‍🌈'],
  ['a ZWJ sequence after a skin tone', '👩🏿‍🔬'],
  ['left-to-right and right-to-left marks', 'abc\u200e \u05d0\u200f 12'],
  ['the Arabic letter mark', '\u061c١٢٣'],
])('%s is accepted', (_name, value) => {
  expect(problems(value)).toEqual([]);
});

test('each kind of problem is reported once, with the others', () => {
  expect(problems(`\u0000\u202e\u200b\ud800${'x'.repeat(300)}`)).toEqual([
    'Name is too long (maximum is 255 characters)',
    'Name cannot contain control characters',
    expect.stringMatching(/unpaired surrogate/),
    expect.stringMatching(/bidirectional/),
    expect.stringMatching(/zero-width/),
  ]);
});

test('descriptions follow the same rules, as field errors', () => {
  const fieldsOf = (run: () => void) => {
    try {
      run();
    } catch (error) {
      return error instanceof ValidationError ? error.fields : error;
    }
    return 'accepted';
  };
  expect(fieldsOf(() => validateDescription('tab\u202e'))).toEqual({ description: [expect.stringMatching(/^Description cannot contain bidirectional/)] });
  expect(fieldsOf(() => validateDescription('a\u200bb'))).toEqual({ description: [expect.stringMatching(/^Description cannot contain zero-width/)] });
});
