// What every page reads from the app: the session (with its API client) and the status announcer.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Session, SignedOutReason } from './session';

export interface SessionContextValue {
  session: Session;
  signOut(reason: SignedOutReason): void;
}

export const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionContext');
  return value;
}

/** Says something in the page's status region (polite live region), e.g. "“CI” was deactivated." */
export type Announce = (message: string) => void;

export const AnnounceContext = createContext<Announce>(() => {});

export const useAnnounce = (): Announce => useContext(AnnounceContext);
