// A modal dialog on the native <dialog> (showModal): the browser keeps focus inside and makes the page
// behind inert; Escape asks to close. Focus goes to the first control (or the one marked autofocus) and
// returns to the control that opened the dialog, or to the page's heading when that control is gone.
import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useRef } from 'preact/hooks';

interface DialogProps {
  title: string;
  /** Called on Escape and by the dialog's own buttons; the owner then unmounts the dialog. */
  onClose: () => void;
  children: ComponentChildren;
  /** Ignore Escape while a request is under way. */
  busy?: boolean;
}

function focusFallback(): void {
  document.getElementById('page-heading')?.focus();
}

export function Dialog({ title, onClose, children, busy = false }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const busyRef = useRef(busy);
  busyRef.current = busy;

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let unmounting = false;
    // The browser may close the dialog itself (a second Escape): tell the owner, once.
    const closed = () => {
      if (!unmounting) onCloseRef.current();
    };
    dialog.addEventListener('close', closed);
    dialog.showModal();
    return () => {
      unmounting = true;
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      if (opener?.isConnected && !opener.closest('[inert]')) opener.focus();
      // The opener may leave the page in the same update (a deleted token's row): then the heading.
      requestAnimationFrame(() => {
        if (document.activeElement === null || document.activeElement === document.body) focusFallback();
      });
    };
  }, []);

  const cancel = (event: Event) => {
    event.preventDefault();
    if (!busyRef.current) onCloseRef.current();
  };

  return (
    <dialog ref={ref} class="dialog" aria-labelledby={titleId} onCancel={cancel}>
      <h2 id={titleId} class="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
