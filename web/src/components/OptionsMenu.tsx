// A token's options: a menu button (aria-haspopup="menu") opening a list of menuitems. Arrow keys, Home
// and End move between items; Escape closes and returns focus to the button, Tab closes. An unavailable
// item stays focusable (aria-disabled) so that keyboard users reach the reason it is unavailable, which
// is shown beside it and is its accessible description. The menu is fixed-positioned under its button, so
// the table's scrolling wrapper does not clip it, and follows the button when anything scrolls.
//
// The button is a plain function of its props and the menu exists only while open, so that a table of
// 2,048 rows carries no per-row state: the list keeps which row's menu is open.
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  /** When set, the item is unavailable and this says why. */
  unavailableBecause?: string;
}

const GAP = 4;
const menuIdOf = (buttonId: string) => `${buttonId}-menu`;

interface MenuButtonProps {
  id: string;
  /** The button's accessible name, e.g. "Options for CI". */
  label: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Visible text beside the icon (the start of `label`, which stays the accessible name). */
  text?: string;
}

export function menuButton({ id, label, open, onOpenChange, text }: MenuButtonProps) {
  return (
    <button
      id={id}
      type="button"
      class={text ? 'button' : 'icon-button'}
      aria-label={label}
      aria-haspopup="menu"
      aria-expanded={open}
      aria-controls={open ? menuIdOf(id) : undefined}
      onClick={() => onOpenChange(!open)}
      onKeyDown={(event) => {
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          event.preventDefault();
          onOpenChange(true);
        }
      }}
    >
      {text}
      <span class="dots" aria-hidden="true" />
    </button>
  );
}

interface MenuProps {
  /** The id of the menu button it belongs to. */
  buttonId: string;
  label: string;
  items: readonly MenuItem[];
  onClose: () => void;
}

export function Menu({ buttonId, label, items, onClose }: MenuProps) {
  const menuRef = useRef<HTMLUListElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const button = () => document.getElementById(buttonId);
  const itemElements = () => [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const close = (returnFocus: boolean) => {
    if (returnFocus) button()?.focus();
    onCloseRef.current();
  };

  useLayoutEffect(() => {
    /** Under the button (above it when there is no room below), inside the viewport. */
    const place = () => {
      const menu = menuRef.current;
      const anchor = button()?.getBoundingClientRect();
      if (!menu || !anchor) return;
      const { width, height } = menu.getBoundingClientRect();
      const left = Math.min(anchor.right - width, window.innerWidth - width - GAP);
      const below = anchor.bottom + GAP;
      const top = below + height > window.innerHeight && anchor.top - GAP - height >= 0 ? anchor.top - GAP - height : below;
      menu.style.left = `${Math.max(GAP, left)}px`;
      menu.style.top = `${top}px`;
    };
    place();
    itemElements()[0]?.focus();
    const outside = (event: Event) => {
      const target = event.target as Node | null;
      if (target && !menuRef.current?.contains(target) && !button()?.contains(target)) close(false);
    };
    document.addEventListener('pointerdown', outside, true);
    document.addEventListener('focusin', outside, true);
    window.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      document.removeEventListener('focusin', outside, true);
      window.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
    };
  }, [buttonId]);

  const onKeyDown = (event: KeyboardEvent) => {
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
    } else if (event.key === 'Tab') {
      // Back to the button, so that Tab goes on from where the menu was opened.
      event.preventDefault();
      close(true);
    }
  };

  const select = (item: MenuItem) => {
    if (item.unavailableBecause) return;
    // Focus goes back to the button first, so that a dialog the item opens returns focus there.
    close(true);
    item.onSelect();
  };

  const id = menuIdOf(buttonId);
  return (
    <ul ref={menuRef} id={id} class="menu" role="menu" aria-label={label} onKeyDown={onKeyDown}>
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
  );
}

/** A menu button with its own open state, for a page with a single one. */
export function OptionsMenu({ label, items, text }: { label: string; items: readonly MenuItem[]; text?: string }) {
  const [open, setOpen] = useState(false);
  const id = `options-${useId()}`;
  return (
    <div class="menu-anchor">
      {menuButton({ id, label, open, onOpenChange: setOpen, text })}
      {open && <Menu buttonId={id} label={label} items={items} onClose={() => setOpen(false)} />}
    </div>
  );
}
