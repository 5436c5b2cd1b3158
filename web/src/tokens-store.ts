// The account's API tokens, loaded once per session with one `GET /api/v2/api_tokens` (every token, with
// the count and the limit in `meta`) and kept current from the answers of the console's own changes, so a
// 2,048-token list is not fetched again after each one.
import { createContext } from 'preact';
import { useCallback, useContext, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from './api/client';
import type { ApiToken } from './api/types';

export interface TokensState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  tokens: readonly ApiToken[];
  /** Tokens the account holds, active and deactivated alike (`meta.token_count`). */
  count: number;
  /** 256, or 2048 for legacy accounts (`meta.token_limit`). */
  limit: number;
  error?: ApiError;
}

export interface TokensStore extends TokensState {
  /** Loads the list unless it is loaded or loading; `force` loads it again. */
  load(force?: boolean): void;
  added(token: ApiToken): void;
  changed(token: ApiToken): void;
  removed(id: number): void;
}

const INITIAL: TokensState = { status: 'idle', tokens: [], count: 0, limit: 0 };

export function useTokensStore(client: ApiClient | undefined): TokensStore {
  const [state, setState] = useState<TokensState>(INITIAL);
  const loading = useRef<Promise<void> | undefined>(undefined);
  const statusRef = useRef(state.status);
  statusRef.current = state.status;

  const load = useCallback(
    (force = false) => {
      if (!client || loading.current || (!force && statusRef.current === 'ready')) return;
      setState((previous) => ({ ...previous, status: 'loading', error: undefined }));
      loading.current = client
        .listTokens()
        .then(
          (list) => setState({ status: 'ready', tokens: list.api_tokens, count: list.meta.token_count, limit: list.meta.token_limit }),
          (error: unknown) =>
            setState((previous) => ({
              ...previous,
              status: 'error',
              error: error instanceof ApiError ? error : new ApiError('failed', 0, 'Something went wrong; retry shortly.'),
            })),
        )
        .finally(() => {
          loading.current = undefined;
        });
    },
    [client],
  );

  const added = useCallback((token: ApiToken) => {
    setState((previous) => ({ ...previous, tokens: [...previous.tokens, token], count: previous.count + 1 }));
  }, []);
  const changed = useCallback((token: ApiToken) => {
    setState((previous) => ({ ...previous, tokens: previous.tokens.map((each) => (each.id === token.id ? token : each)) }));
  }, []);
  const removed = useCallback((id: number) => {
    setState((previous) => ({ ...previous, tokens: previous.tokens.filter((each) => each.id !== id), count: Math.max(0, previous.count - 1) }));
  }, []);

  return useMemo(() => ({ ...state, load, added, changed, removed }), [state, load, added, changed, removed]);
}

export const TokensContext = createContext<TokensStore | undefined>(undefined);

export function useTokens(): TokensStore {
  const store = useContext(TokensContext);
  if (!store) throw new Error('useTokens outside TokensContext');
  return store;
}
