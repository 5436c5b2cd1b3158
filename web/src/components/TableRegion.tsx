// A table in a labelled region that scrolls sideways on narrow screens (and is focusable, so that
// keyboard users can scroll it); the page itself never scrolls sideways.
import type { ComponentChildren } from 'preact';

export function TableRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table class="table">{children}</table>
    </div>
  );
}
