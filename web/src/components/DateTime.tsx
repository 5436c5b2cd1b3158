// A timestamp as people read it, with the exact ISO time in `<time datetime>` (and as its tooltip).
import { formatDateTime } from '../format';

/** As a plain function too, for the rows of long tables (no component per cell). */
export function dateTime(iso: string) {
  return (
    <time dateTime={iso} title={iso}>
      {formatDateTime(iso)}
    </time>
  );
}

export function DateTime({ iso }: { iso: string }) {
  return dateTime(iso);
}
