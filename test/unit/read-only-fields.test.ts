// The read-only fields of a PUT of a token: compared with the token as presented (last_used ignored,
// token never accepted nor echoed), and checked on the very read the update's write is based on, so a copy
// made stale by a concurrent change is refused even when that change lands between the read and the write.
import { operatorContext } from '../../shared/domain/audit-entries';
import { ValidationError } from '../../shared/domain/errors';
import type { ApiToken } from '../../shared/domain/model';
import { presentToken, type ApiTokenJson } from '../../shared/http/presenters';
import { readOnlyFieldProblems, tokenUpdateFrom } from '../../shared/http/read-only-fields';
import { loadConfig } from '../../shared/platform/config';
import { createServices } from '../../shared/runtime/services';
import { InMemoryTokenStore } from '../support/in-memory-store';

const BASE_URL = 'https://api.example.test';
const OPERATOR = { ...operatorContext('jest'), accountId: 'acme' };

const stored: ApiToken = {
  accountId: 'acme',
  tokenId: 1764676800000123,
  description: 'CI',
  active: true,
  secretHash: 'hash',
  visibleToken: 'apit_acme_1764676800000123_abcd...',
  createdBy: 42,
  createdAt: '2026-12-02T12:00:00.123Z',
  updatedAt: '2026-12-02T12:30:00.456Z',
  lastUsedAt: '2026-12-02T12:31:00.789Z',
  version: 3,
};
const shown: ApiTokenJson = presentToken(stored, BASE_URL);

describe('readOnlyFieldProblems', () => {
  test('nothing is wrong with the token as shown, with any part of it, or with none of it', () => {
    expect(readOnlyFieldProblems(shown, shown)).toEqual({});
    expect(readOnlyFieldProblems({ id: shown.id, created_at: shown.created_at }, shown)).toEqual({});
    expect(readOnlyFieldProblems({}, shown)).toEqual({});
  });

  test.each([
    ['id', shown.id + 1],
    ['url', shown.url.replace(/\.json$/, '')],
    ['url', shown.url.replace(BASE_URL, 'https://other.example.test')],
    ['visible_token', 'apit_acme_1764676800000123_abce...'],
    ['user_id', -1],
    ['created_at', '2026-12-02T12:00:01Z'],
    ['updated_at', '2026-12-02T12:29:59Z'],
  ] as const)('%s different from the presented value (%p) is named, and only it', (field, value) => {
    const problems = readOnlyFieldProblems({ ...shown, [field]: value }, shown);
    expect(Object.keys(problems)).toEqual([field]);
    expect(problems[field]![0]).toMatch(new RegExp(`^${field} `));
  });

  test('timestamps compare as presented: to the second, whatever the stored milliseconds', () => {
    expect(shown.created_at).toBe('2026-12-02T12:00:00Z');
    expect(readOnlyFieldProblems({ created_at: '2026-12-02T12:00:00Z', updated_at: '2026-12-02T12:30:00Z' }, shown)).toEqual({});
  });

  test('last_used is ignored, whatever well-formed value it has', () => {
    for (const lastUsed of [null, '2020-01-01T00:00:00Z', shown.last_used]) expect(readOnlyFieldProblems({ ...shown, last_used: lastUsed }, shown)).toEqual({});
  });

  test('token is always named, whatever its value, and its value is never in the problem', () => {
    const secret = 'apit_acme_1764676800000123_abcdefghijklmnopqrstuvwxyz0123ABCDEF';
    for (const value of [secret, '', null, 0]) {
      const problems = readOnlyFieldProblems({ ...shown, token: value }, shown);
      expect(Object.keys(problems)).toEqual(['token']);
      expect(JSON.stringify(problems)).not.toContain('abcdefgh');
    }
  });
});

describe('tokenUpdateFrom', () => {
  test('asks the domain for the editable fields only', () => {
    expect(tokenUpdateFrom({ ...shown, description: 'new', active: false }, BASE_URL).update).toEqual({ description: 'new', active: false });
    expect(tokenUpdateFrom({ id: shown.id }, BASE_URL).update).toEqual({ description: undefined, active: undefined });
  });

  test('its precondition passes on the token the copy was made of and refuses another state of it', () => {
    const { precondition } = tokenUpdateFrom({ ...shown }, BASE_URL);
    expect(() => precondition(stored)).not.toThrow();
    expect(() => precondition({ ...stored, lastUsedAt: null })).not.toThrow();
    expect(() => precondition({ ...stored, updatedAt: '2026-12-02T12:31:00.000Z' })).toThrow(ValidationError);
  });
});

describe('the update checks the copy on the read its write is based on', () => {
  async function setup() {
    const store = new InMemoryTokenStore();
    let now = new Date('2026-12-02T12:00:00.000Z');
    const services = createServices(loadConfig({}), store, () => now);
    await services.accounts.createAccount(operatorContext('jest'), { accountId: 'acme', name: 'Acme', plan: 'enterprise', legacy: false, apiTokenAccess: true });
    const { apiToken } = await services.tokens.create(OPERATOR, 'original');
    const later = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));
    return { store, services, apiToken, later };
  }

  test('a change landing between the read and the write makes the copy stale: 422 on updated_at, only that change kept', async () => {
    const { store, services, apiToken, later } = await setup();
    const copy = presentToken(apiToken, BASE_URL);
    later(5);
    const write = store.updateToken.bind(store);
    // The other writer commits after this update read the token and passed the check, before its write.
    jest.spyOn(store, 'updateToken').mockImplementationOnce(async (...args) => {
      await services.tokens.update(OPERATOR, apiToken.tokenId, { description: 'theirs' });
      return write(...args);
    });
    const { update, precondition } = tokenUpdateFrom({ ...copy, description: 'mine' }, BASE_URL);
    const checked = jest.fn(precondition);

    const refused = services.tokens.update(OPERATOR, apiToken.tokenId, update, checked);
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toMatchObject({ fields: { updated_at: [expect.any(String)] } });
    // Checked on the first read, then again on the re-read after the lost race.
    expect(checked).toHaveBeenCalledTimes(2);
    expect((await services.tokens.get('acme', apiToken.tokenId)).description).toBe('theirs');
    const tokenAudits = store.audits.filter((entry) => entry.sourceId === String(apiToken.tokenId));
    expect(tokenAudits.map((entry) => entry.changeDescription)).toEqual(['Created', 'Description changed from "original" to "theirs"']);
  });

  test('an unchanged copy is no change: nothing written, no audit entry', async () => {
    const { store, services, apiToken, later } = await setup();
    later(5);
    const audits = store.audits.length;
    const { update, precondition } = tokenUpdateFrom({ ...presentToken(apiToken, BASE_URL) }, BASE_URL);
    expect(await services.tokens.update(OPERATOR, apiToken.tokenId, update, precondition)).toEqual(apiToken);
    expect(store.audits).toHaveLength(audits);
  });
});
