// A timestamp as people read it, with the exact ISO time in `<time datetime>` (and as its tooltip).
import { formatDateTime } from '../format';

export function DateTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={iso}>
      {formatDateTime(iso)}
    </time>
  );
}
