// Any path under /admin/ that is not one of the console's pages.
import { Link } from '../components/Link';
import { paths } from '../router';

export function NotFoundPage() {
  return (
    <>
      <h1 id="page-heading" tabIndex={-1}>
        Page not found
      </h1>
      <p>
        There is no such page in the admin console. <Link href={paths.tokens()}>Go to API tokens</Link>
      </p>
    </>
  );
}
