// A confirmation: what will happen, Cancel (focused first) and the confirming button. A failure stays in
// the dialog with its message (and Retry for an outage).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Dialog } from './Dialog';
import { DialogActions } from './DialogActions';
import { ErrorNotice } from './ErrorNotice';

interface ConfirmDialogProps {
  title: string;
  confirmLabel: string;
  /** Style the confirming button as destructive. */
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children: ComponentChildren;
}

export function ConfirmDialog({ title, confirmLabel, danger = false, onConfirm, onClose, children }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} onClose={onClose} busy={busy}>
      <div class="dialog-body">{children}</div>
      {error !== undefined && <ErrorNotice error={error} onRetry={confirm} />}
      <DialogActions confirmLabel={confirmLabel} busy={busy} onCancel={onClose} onConfirm={() => void confirm()} danger={danger} focusCancel />
    </Dialog>
  );
}
