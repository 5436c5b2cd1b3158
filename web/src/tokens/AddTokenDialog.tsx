// Add API token: an optional description and policies (expiry, assigned user, role ceiling, allowed IP
// addresses; empty ones are not sent) and Save; then the new token, once (NewTokenSecret); Save again
// closes. The full token is kept only in this dialog's state: the list gets the token without it, and
// closing the dialog (Save, Escape) drops it, so that afterwards it exists nowhere in the page, its
// storage or its history.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { useAnnounce, useSession } from '../app-context';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { ErrorNotice } from '../components/ErrorNotice';
import { useTokens } from '../tokens-store';
import { DescriptionField } from './DescriptionField';
import { NewTokenSecret } from './NewTokenSecret';
import { emptyPolicy, hasFieldError, PolicyFields, policyRequest, type FieldErrors } from './PolicyFields';

const FIELDS = ['description', 'expires_at', 'assigned_user_id', 'max_role', 'allowed_ips'];

export function AddTokenDialog({ onClose }: { onClose: () => void }) {
  const { session } = useSession();
  const tokens = useTokens();
  const announce = useAnnounce();
  const [description, setDescription] = useState('');
  const [policy, setPolicy] = useState(emptyPolicy);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  // The account's maximum lifetime, for the Expires hint; without it the hint says what it can.
  const [maxLifetimeDays, setMaxLifetimeDays] = useState<number | undefined>(undefined);
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // The full token, between the first Save and the dialog's close; nowhere else.
  const [secret, setSecret] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    session.client.settings().then(
      (settings) => current && setMaxLifetimeDays(settings.settings.api.api_token_max_lifetime_days),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [session]);

  const close = () => {
    setSecret(null);
    onClose();
  };

  const create = async (event?: Event) => {
    event?.preventDefault();
    if (busy) return;
    const { fields, errors } = policyRequest(policy);
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) {
      setError(undefined);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const { token, ...listed } = await session.client.createToken(description.trim(), fields);
      tokens.added(listed);
      setSecret(token);
      announce('API token created. Copy it now: it will not be shown again.');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiErrors = error instanceof ApiError && error.kind === 'invalid' ? error.fieldErrors : {};
  const fieldErrors: FieldErrors = { ...apiErrors, ...localErrors };
  const descriptionErrors = fieldErrors.description;
  const otherError = error !== undefined && !hasFieldError(apiErrors, FIELDS) ? error : undefined;

  // A rejected value: take the user to the first field that says why (Description focuses itself).
  useEffect(() => {
    if (fieldErrors.description) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error, localErrors]);

  if (secret !== null) return <NewTokenSecret title="Add API token" secret={secret} onClose={close} />;

  return (
    <Dialog title="Add API token" onClose={close} busy={busy}>
      <form ref={formRef} class="dialog-body" onSubmit={create} noValidate>
        <DescriptionField value={description} onInput={setDescription} errors={descriptionErrors} hint="Optional. Say what the token is for, e.g. the script or the integration that uses it." />
        <PolicyFields values={policy} onChange={setPolicy} errors={fieldErrors} expiry={{ maxLifetimeDays }} />
        {otherError !== undefined && <ErrorNotice error={otherError} onRetry={() => void create()} />}
        <DialogActions confirmLabel="Save" busy={busy} onCancel={close} />
      </form>
    </Dialog>
  );
}
