// An API failure as the page shows it: the readable message, and Retry for outages. Never a stack trace
// or a raw body (ApiError's messages are written by the console or taken from the API's descriptions).
import { ApiError } from '../api/client';

interface ErrorNoticeProps {
  error: unknown;
  onRetry?: () => void;
}

export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong; retry shortly.';
}

export function ErrorNotice({ error, onRetry }: ErrorNoticeProps) {
  const retryable = error instanceof ApiError ? error.kind === 'unavailable' || error.kind === 'failed' : true;
  return (
    <div class="notice notice-error">
      <p role="alert">{errorMessage(error)}</p>
      {onRetry && retryable && (
        <button type="button" class="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
