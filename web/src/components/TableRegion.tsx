// A table in a labelled region that scrolls sideways on narrow screens (and is focusable, so that
// keyboard users can scroll it); the page itself never scrolls sideways.
import type { ComponentChildren } from 'preact';

export function TableRegion({ label, children, class: extra }: { label: string; children: ComponentChildren; class?: string }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table class={extra ? `table ${extra}` : 'table'}>{children}</table>
    </div>
  );
}
