// What can be done to one token, shared by the list and the detail page: the items of its options menu
// and the dialogs they open (Edit, Deactivate / Reactivate, Rotate, Delete), and View audit log.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { ApiToken } from '../api/types';
import { useAnnounce, useSession } from '../app-context';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { ErrorNotice } from '../components/ErrorNotice';
import type { MenuItem } from '../components/OptionsMenu';
import { DateTime } from '../components/DateTime';
import { tokenName } from '../format';
import { navigate, paths } from '../router';
import { useTokens } from '../tokens-store';
import { DescriptionField } from './DescriptionField';
import { hasFieldError, PolicyFields, policyOf, policyRequest, type FieldErrors } from './PolicyFields';
import { RotateTokenDialog } from './RotateTokenDialog';

const EDIT_FIELDS = ['description', 'assigned_user_id', 'max_role', 'allowed_ips'];

export const DELETE_ACTIVE_REASON = 'Deactivate the token before deleting it';
export const AUDIT_LOG_PLAN_REASON = 'The audit log needs an Enterprise plan';

type ActionDialog = { kind: 'edit' | 'deactivate' | 'reactivate' | 'rotate' | 'delete'; token: ApiToken };

function EditTokenDialog({ token, onClose, onSaved }: { token: ApiToken; onClose: () => void; onSaved?: (token: ApiToken) => void }) {
  const { session } = useSession();
  const tokens = useTokens();
  const announce = useAnnounce();
  const [description, setDescription] = useState(token.description ?? '');
  const [policy, setPolicy] = useState(() => policyOf(token));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const formRef = useRef<HTMLFormElement>(null);

  const save = async (event?: Event) => {
    event?.preventDefault();
    if (busy) return;
    const { fields, errors } = policyRequest(policy, token);
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) {
      setError(undefined);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const trimmed = description.trim();
      const updated = await session.client.updateToken(token.id, { description: trimmed === '' ? null : trimmed, ...fields });
      tokens.changed(updated);
      onSaved?.(updated);
      announce(Object.keys(fields).length > 0 ? `${tokenName(updated)} saved.` : `Description of ${tokenName(updated)} saved.`);
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const apiErrors = error instanceof ApiError && error.kind === 'invalid' ? error.fieldErrors : {};
  const fieldErrors: FieldErrors = { ...apiErrors, ...localErrors };
  const descriptionErrors = fieldErrors.description;

  // A rejected value: take the user to the first field that says why (Description focuses itself).
  useEffect(() => {
    if (fieldErrors.description) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error, localErrors]);

  return (
    <Dialog title="Edit API token" onClose={onClose} busy={busy}>
      <form ref={formRef} class="dialog-body" onSubmit={save} noValidate>
        <p class="mono muted">{token.visible_token}</p>
        <DescriptionField value={description} onInput={setDescription} errors={descriptionErrors} />
        <PolicyFields values={policy} onChange={setPolicy} errors={fieldErrors} />
        <p class="field-static">
          <span class="field-static-label">Expires</span> {token.expires_at === undefined ? 'Never' : <DateTime iso={token.expires_at} />}
          <span class="field-hint">The expiry is set when the token is created and cannot be changed.</span>
        </p>
        {error !== undefined && !hasFieldError(apiErrors, EDIT_FIELDS) && <ErrorNotice error={error} onRetry={() => void save()} />}
        <DialogActions confirmLabel="Save" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

interface TokenActionsOptions {
  /** After a change, with the token as the API answered it (the list is updated in any case). */
  onChanged?: (token: ApiToken) => void;
  /** After a delete (the detail page goes back to the list). */
  onDeleted?: () => void;
}

export function useTokenActions({ onChanged, onDeleted }: TokenActionsOptions = {}) {
  const { session, signOut } = useSession();
  const tokens = useTokens();
  const announce = useAnnounce();
  const [dialog, setDialog] = useState<ActionDialog | null>(null);
  const close = () => setDialog(null);

  const setActive = async (token: ApiToken, active: boolean) => {
    const updated = await session.client.updateToken(token.id, { active });
    tokens.changed(updated);
    onChanged?.(updated);
    setDialog(null);
    announce(`${tokenName(updated)} ${active ? 'reactivated' : 'deactivated'}.`);
    // The token this console signed in with stops working: say so rather than fail on the next call.
    if (!active && token.id === session.tokenId) signOut('own-token-deactivated');
  };

  const remove = async (token: ApiToken) => {
    await session.client.deleteToken(token.id);
    tokens.removed(token.id);
    setDialog(null);
    announce(`${tokenName(token)} deleted.`);
    onDeleted?.();
  };

  /** Replaced at once, the old token is gone: like a delete (and the console's own token no longer signs it in). */
  const rotated = ({ old, graceSeconds }: { old: ApiToken; graceSeconds: number }) => {
    if (graceSeconds > 0) return;
    if (old.id === session.tokenId) signOut('own-token-rotated');
    else onDeleted?.();
  };

  const itemsFor = (token: ApiToken): MenuItem[] => [
    { label: 'Edit', onSelect: () => setDialog({ kind: 'edit', token }) },
    token.active
      ? { label: 'Deactivate', onSelect: () => setDialog({ kind: 'deactivate', token }) }
      : { label: 'Reactivate', onSelect: () => setDialog({ kind: 'reactivate', token }) },
    { label: 'Rotate', onSelect: () => setDialog({ kind: 'rotate', token }) },
    { label: 'Delete', onSelect: () => setDialog({ kind: 'delete', token }), unavailableBecause: token.active ? DELETE_ACTIVE_REASON : undefined },
    {
      label: 'View audit log',
      onSelect: () => navigate(paths.auditLog(new URLSearchParams({ token: String(token.id) }))),
      unavailableBecause: session.auditLog === 'needs-enterprise' ? AUDIT_LOG_PLAN_REASON : undefined,
    },
  ];

  let element = null;
  if (dialog) {
    const { token } = dialog;
    const name = <strong class="break">{tokenName(token)}</strong>;
    const own = token.id === session.tokenId;
    if (dialog.kind === 'edit') element = <EditTokenDialog token={token} onClose={close} onSaved={onChanged} />;
    else if (dialog.kind === 'rotate') element = <RotateTokenDialog token={token} onClose={close} onRotated={rotated} />;
    else if (dialog.kind === 'deactivate') {
      element = (
        <ConfirmDialog title="Deactivate API token" confirmLabel="Deactivate" danger onConfirm={() => setActive(token, false)} onClose={close}>
          <p>{name} stops working at once: the next request made with it is refused. You can reactivate it later.</p>
          {own && <p class="notice notice-warning">This is the token you are signed in with: the console will sign you out.</p>}
        </ConfirmDialog>
      );
    } else if (dialog.kind === 'reactivate') {
      element = (
        <ConfirmDialog title="Reactivate API token" confirmLabel="Reactivate" onConfirm={() => setActive(token, true)} onClose={close}>
          <p>{name} works again from the next request.</p>
        </ConfirmDialog>
      );
    } else {
      element = (
        <ConfirmDialog title="Delete API token" confirmLabel="Delete" danger onConfirm={() => remove(token)} onClose={close}>
          <p>{name} is deleted for good; this cannot be undone. Deleting it frees a slot for a new token.</p>
        </ConfirmDialog>
      );
    }
  }

  return { itemsFor, dialog: element };
}
