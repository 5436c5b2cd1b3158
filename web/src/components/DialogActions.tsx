// A dialog's buttons: Cancel, then the confirming one (a form's submit button unless `onConfirm` is
// given). While a request runs both stay focusable but inert (aria-disabled), so focus is not lost.
interface DialogActionsProps {
  confirmLabel: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm?: () => void;
  danger?: boolean;
  /** Focus Cancel when the dialog opens (confirmations of something that cannot be taken back). */
  focusCancel?: boolean;
}

export function DialogActions({ confirmLabel, busy, onCancel, onConfirm, danger = false, focusCancel = false }: DialogActionsProps) {
  return (
    <div class="dialog-actions">
      <button type="button" class="button" onClick={() => busy || onCancel()} aria-disabled={busy} autofocus={focusCancel}>
        Cancel
      </button>
      <button
        type={onConfirm ? 'button' : 'submit'}
        class={danger ? 'button button-danger' : 'button button-primary'}
        onClick={onConfirm && (() => busy || onConfirm())}
        aria-disabled={busy}
      >
        {confirmLabel}
      </button>
    </div>
  );
}
