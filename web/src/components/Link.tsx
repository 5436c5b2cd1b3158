// A same-origin link that navigates within the console (History API) on a plain click.
import type { ComponentChildren } from 'preact';
import { followLink } from '../router';

interface LinkProps {
  href: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page';
}

export function Link({ href, children, ...rest }: LinkProps) {
  return (
    <a href={href} onClick={followLink} {...rest}>
      {children}
    </a>
  );
}
