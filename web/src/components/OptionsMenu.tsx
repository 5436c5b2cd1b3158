// A token's options: a menu button (aria-haspopup="menu") opening a list of menuitems. Arrow keys, Home
// and End move between items; Escape closes and returns focus to the button, Tab closes. An unavailable
// item stays focusable (aria-disabled) so that keyboard users reach the reason it is unavailable, which
// is shown beside it and is its accessible description. The menu is fixed-positioned under its button,
// so the table's scrolling wrapper does not clip it.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  /** When set, the item is unavailable and this says why. */
  unavailableBecause?: string;
}

interface OptionsMenuProps {
  /** The button's accessible name, e.g. "Options for CI". */
  label: string;
  items: readonly MenuItem[];
}

const GAP = 4;

export function OptionsMenu({ label, items }: OptionsMenuProps) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const id = useId();

  const itemElements = () => [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  useLayoutEffect(() => {
    const menu = menuRef.current;
    const button = buttonRef.current;
    if (!open || !menu || !button) return;
    const anchor = button.getBoundingClientRect();
    const { width, height } = menu.getBoundingClientRect();
    const left = Math.min(Math.max(GAP, anchor.right - width), window.innerWidth - width - GAP);
    const below = anchor.bottom + GAP;
    const top = below + height > window.innerHeight && anchor.top - GAP - height >= 0 ? anchor.top - GAP - height : below;
    menu.style.left = `${Math.max(GAP, left)}px`;
    menu.style.top = `${top}px`;
    itemElements()[0]?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const outside = (event: Event) => {
      const target = event.target as Node | null;
      if (target && !menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false);
    };
    // A fixed menu would drift from its button when the page or the table scrolls: close it instead.
    const scrolled = (event: Event) => {
      if (!menuRef.current?.contains(event.target as Node | null)) close(false);
    };
    const resized = () => close(false);
    document.addEventListener('pointerdown', outside, true);
    document.addEventListener('focusin', outside, true);
    window.addEventListener('scroll', scrolled, true);
    window.addEventListener('resize', resized);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      document.removeEventListener('focusin', outside, true);
      window.removeEventListener('scroll', scrolled, true);
      window.removeEventListener('resize', resized);
    };
  }, [open]);

  const onMenuKeyDown = (event: KeyboardEvent) => {
    const elements = itemElements();
    const index = elements.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      elements[(to + elements.length) % elements.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(elements.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') close(false);
  };

  const onButtonKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
    }
  };

  const select = (item: MenuItem) => {
    if (item.unavailableBecause) return;
    // Focus goes back to the button first, so that a dialog the item opens returns focus there.
    close(true);
    item.onSelect();
  };

  return (
    <div class="menu-anchor">
      <button
        ref={buttonRef}
        type="button"
        class="icon-button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        onClick={() => setOpen((was) => !was)}
        onKeyDown={onButtonKeyDown}
      >
        <svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16" focusable="false">
          <circle cx="3" cy="8" r="1.6" />
          <circle cx="8" cy="8" r="1.6" />
          <circle cx="13" cy="8" r="1.6" />
        </svg>
      </button>
      {open && (
        <ul ref={menuRef} id={`${id}-menu`} class="menu" role="menu" aria-label={label} onKeyDown={onMenuKeyDown}>
          {items.map((item, index) => (
            <li key={item.label} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                class="menu-item"
                aria-disabled={item.unavailableBecause ? 'true' : undefined}
                aria-describedby={item.unavailableBecause ? `${id}-why-${index}` : undefined}
                onClick={() => select(item)}
              >
                {item.label}
              </button>
              {item.unavailableBecause && (
                <span id={`${id}-why-${index}`} class="menu-note" aria-hidden="true">
                  {item.unavailableBecause}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
