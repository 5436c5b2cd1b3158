// A new token shown once (Add API token, Rotate API token): the full token in a read-only field with Copy,
// the warning that it will never be displayed again, and Save, which closes the dialog. The token lives in the
// opening dialog's state only, and its field is emptied when it closes (Save, Escape), so it is nowhere afterwards.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { Dialog } from '../components/Dialog';

async function copyText(text: string, fallbackInput: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (or no permission): copy the selected field the old way.
    if (!fallbackInput) return false;
    fallbackInput.select();
    return document.execCommand('copy');
  }
}

interface NewTokenSecretProps {
  title: string;
  secret: string;
  /** Drops the token from the opening dialog's state. */
  onClose: () => void;
}

export function NewTokenSecret({ title, secret, onClose }: NewTokenSecretProps) {
  const [copied, setCopied] = useState<'copied' | 'failed' | undefined>(undefined);
  const secretRef = useRef<HTMLTextAreaElement>(null);
  const noteId = useId();

  const close = () => {
    if (secretRef.current) secretRef.current.value = '';
    onClose();
  };

  useEffect(() => {
    secretRef.current?.focus();
    secretRef.current?.select();
  }, []);

  return (
    <Dialog title={title} onClose={close}>
      <form
        class="dialog-body"
        onSubmit={(event) => {
          event.preventDefault();
          close();
        }}
      >
        <div class="field">
          <label for={`${noteId}-token`}>API token</label>
          <div class="copy-row">
            <textarea
              ref={secretRef}
              id={`${noteId}-token`}
              class="input mono secret"
              rows={3}
              readOnly
              value={secret}
              spellcheck={false}
              autocomplete="off"
              aria-describedby={noteId}
            />
            <button type="button" class="button" onClick={async () => setCopied((await copyText(secret, secretRef.current)) ? 'copied' : 'failed')}>
              Copy
            </button>
          </div>
          <p class="field-status" role="status">
            {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Could not copy: select the token and copy it yourself.' : ''}
          </p>
        </div>
        <p id={noteId} class="notice notice-warning">
          When you click Save to close this window, the full token will never be displayed again.
        </p>
        <div class="dialog-actions">
          <button type="submit" class="button button-primary">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
