// Every domain error has its HTTP answer in one table keyed by the error's explicit code: the public
// status and error code of each, and that they do not depend on the class's name.
import * as errors from '../../shared/domain/errors';
import { DeadlineExceededError } from '../../shared/domain/deadline';
import { httpResponseForError } from '../../shared/http/error-responses';

const answers: [errors.DomainError, number, string][] = [
  [new errors.NotFoundError(), 404, 'RecordNotFound'],
  [new errors.UnauthenticatedError(), 401, "Couldn't authenticate you"],
  [new errors.ForbiddenError(), 403, 'Forbidden'],
  [new errors.ApiTokenAccessDisabledError(), 403, 'Forbidden'],
  [new errors.AccountSuspendedError(), 403, 'Forbidden'],
  [new errors.TokenLimitReachedError(256), 422, 'RecordInvalid'],
  [new errors.TokenActiveError(), 422, 'RecordInvalid'],
  [new errors.TokenAlreadyRotatedError(123), 422, 'RecordInvalid'],
  [new errors.AlreadyExistsError('taken'), 422, 'RecordInvalid'],
  [new errors.ValidationError({ description: ['too long'] }), 422, 'RecordInvalid'],
  [new errors.BadRequestError('bad'), 400, 'BadRequest'],
  [new errors.PayloadTooLargeError('big'), 413, 'PayloadTooLarge'],
  [new errors.UnsupportedMediaTypeError('xml'), 415, 'UnsupportedMediaType'],
  [new errors.ServiceUnavailableError(), 503, 'ServiceUnavailable'],
  [new DeadlineExceededError(), 503, 'ServiceUnavailable'],
  [new errors.StaleWriteError('lost'), 503, 'ServiceUnavailable'],
];

test.each(answers)('%p answers %i %s', (error, status, code) => {
  const response = httpResponseForError(error)!;
  expect(response.statusCode).toBe(status);
  expect((JSON.parse(response.body) as { error: string }).error).toBe(code);
});

test('422 rules name themselves in details.base, from the code, not the class name', () => {
  class Renamed extends errors.TokenLimitReachedError {}
  const body = JSON.parse(httpResponseForError(new Renamed(256))!.body) as { details: { base: { error: string }[] } };
  expect(body.details.base[0]!.error).toBe('TokenLimitReached');
});

test('anything that is not a domain error is left to the 500 path', () => {
  expect(httpResponseForError(new Error('bug'))).toBeUndefined();
  expect(httpResponseForError('thrown string')).toBeUndefined();
});

test('a token rotated a second time is refused as TokenAlreadyRotated, naming its successor', () => {
  const body = JSON.parse(httpResponseForError(new errors.TokenAlreadyRotatedError(123))!.body) as { details: { base: { error: string; description: string }[] } };
  expect(body.details.base).toEqual([{ error: 'TokenAlreadyRotated', description: 'This API token was already rotated: token 123 replaces it.' }]);
});
