// Rotate API token: a grace period (none: the old token is replaced at once; up to 7 days: it keeps working
// beside the new one, which then needs a free slot) and Rotate; then the new token, once, as Add API token
// shows it (NewTokenSecret). The list gets the new token without its secret, and loses the old one when it
// was replaced at once; the token lives only in this dialog's state until it closes.
import { useId, useState } from 'preact/hooks';
import type { ApiToken } from '../api/types';
import { useAnnounce, useSession } from '../app-context';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { ErrorNotice } from '../components/ErrorNotice';
import { tokenName } from '../format';
import { useTokens } from '../tokens-store';
import { NewTokenSecret } from './NewTokenSecret';

const HOUR = 3600;
/** The grace periods offered, in seconds: none, then up to the API's longest, 7 days. */
export const GRACE_PERIODS: readonly { seconds: number; label: string }[] = [
  { seconds: 0, label: 'None: replace the old token now' },
  { seconds: HOUR, label: '1 hour' },
  { seconds: 6 * HOUR, label: '6 hours' },
  { seconds: 24 * HOUR, label: '1 day' },
  { seconds: 3 * 24 * HOUR, label: '3 days' },
  { seconds: 7 * 24 * HOUR, label: '7 days' },
];

interface RotateTokenDialogProps {
  token: ApiToken;
  onClose: () => void;
  /** After the new token was shown and the dialog closed: the old token is gone when there was no grace. */
  onRotated?: (replaced: { old: ApiToken; graceSeconds: number }) => void;
}

export function RotateTokenDialog({ token, onClose, onRotated }: RotateTokenDialogProps) {
  const { session } = useSession();
  const tokens = useTokens();
  const announce = useAnnounce();
  const [graceSeconds, setGraceSeconds] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // The full token, between Rotate and the dialog's close; nowhere else.
  const [secret, setSecret] = useState<string | null>(null);
  const id = useId();
  const own = token.id === session.tokenId;

  const rotate = async (event?: Event) => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const { token: full, ...listed } = await session.client.rotateToken(token.id, graceSeconds);
      tokens.added(listed);
      setSecret(full);
      announce('API token rotated. Copy the new token now: it will not be shown again.');
      // The old token: gone, or with its new expiry (the end of the grace), read once more; the list keeps the
      // old view if that read fails, which loses nothing of the new token.
      if (graceSeconds === 0) tokens.removed(token.id);
      else session.client.token(token.id).then(tokens.changed, () => undefined);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  if (secret !== null) {
    const close = () => {
      setSecret(null);
      onClose();
      onRotated?.({ old: token, graceSeconds });
    };
    return <NewTokenSecret title="Rotate API token" secret={secret} onClose={close} />;
  }

  return (
    <Dialog title="Rotate API token" onClose={onClose} busy={busy}>
      <form class="dialog-body" onSubmit={rotate} noValidate>
        <p class="mono muted">{token.visible_token}</p>
        <p>
          A new token replaces <strong class="break">{tokenName(token)}</strong>, with the same description, assigned user, role ceiling, allowed IP
          addresses and lifetime.
        </p>
        <div class="field">
          <label for={id}>Grace period</label>
          <p id={`${id}-hint`} class="field-hint">
            How long the old token keeps working beside the new one. With a grace period the new token needs a free slot; the old one is deleted when it ends.
          </p>
          <select id={id} class="input" aria-describedby={`${id}-hint`} value={String(graceSeconds)} onChange={(event) => setGraceSeconds(Number(event.currentTarget.value))}>
            {GRACE_PERIODS.map((period) => (
              <option key={period.seconds} value={String(period.seconds)}>
                {period.label}
              </option>
            ))}
          </select>
        </div>
        {own && graceSeconds === 0 && <p class="notice notice-warning">This is the token you are signed in with: the console will sign you out, and you sign in again with the new token.</p>}
        {error !== undefined && <ErrorNotice error={error} onRetry={() => void rotate()} />}
        <DialogActions confirmLabel="Rotate" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
