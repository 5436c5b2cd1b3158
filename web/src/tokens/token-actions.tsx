// What can be done to one token, shared by the list and the detail page: the items of its options menu
// and the dialogs they open (Edit, Deactivate / Reactivate, Delete), and View audit log.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { ApiToken } from '../api/types';
import { useAnnounce, useSession } from '../app-context';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { DialogActions } from '../components/DialogActions';
import { ErrorNotice } from '../components/ErrorNotice';
import type { MenuItem } from '../components/OptionsMenu';
import { tokenName } from '../format';
import { navigate, paths } from '../router';
import { useTokens } from '../tokens-store';
import { DescriptionField } from './DescriptionField';

export const DELETE_ACTIVE_REASON = 'Deactivate the token before deleting it';
export const AUDIT_LOG_PLAN_REASON = 'The audit log needs an Enterprise plan';

type ActionDialog = { kind: 'edit' | 'deactivate' | 'reactivate' | 'delete'; token: ApiToken };

function EditTokenDialog({ token, onClose, onSaved }: { token: ApiToken; onClose: () => void; onSaved?: (token: ApiToken) => void }) {
  const { session } = useSession();
  const tokens = useTokens();
  const announce = useAnnounce();
  const [description, setDescription] = useState(token.description ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const save = async (event?: Event) => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const trimmed = description.trim();
      const updated = await session.client.updateToken(token.id, { description: trimmed === '' ? null : trimmed });
      tokens.changed(updated);
      onSaved?.(updated);
      announce(`Description of ${tokenName(updated)} saved.`);
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const descriptionErrors = error instanceof ApiError && error.kind === 'invalid' ? error.fieldErrors.description : undefined;
  return (
    <Dialog title="Edit API token" onClose={onClose} busy={busy}>
      <form class="dialog-body" onSubmit={save} noValidate>
        <p class="mono muted">{token.visible_token}</p>
        <DescriptionField value={description} onInput={setDescription} errors={descriptionErrors} />
        {error !== undefined && !descriptionErrors && <ErrorNotice error={error} onRetry={() => void save()} />}
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

  const itemsFor = (token: ApiToken): MenuItem[] => [
    { label: 'Edit', onSelect: () => setDialog({ kind: 'edit', token }) },
    token.active
      ? { label: 'Deactivate', onSelect: () => setDialog({ kind: 'deactivate', token }) }
      : { label: 'Reactivate', onSelect: () => setDialog({ kind: 'reactivate', token }) },
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
