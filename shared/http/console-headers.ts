// The admin console's place and response headers, defined once: CloudFront's response-headers policy
// (cdk/admin-console.ts) and the local server (local/admin-console.ts) send the same ones, so the
// browser tests run the console under the policy it is deployed with.

/** Where the console is served; the API shares the origin under /api/. */
export const CONSOLE_PATH = '/admin/';

/**
 * Only the console's own files, no inline script or style, no framing, no plugins, and requests only to
 * its own origin (the API is same-origin, so `connect-src 'self'` suffices).
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Two years, as the HSTS preload list asks. */
export const CONSOLE_HSTS_MAX_AGE_SECONDS = 63_072_000;

export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONSOLE_CONTENT_SECURITY_POLICY,
  'Strict-Transport-Security': `max-age=${CONSOLE_HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** Vite's hashed files never change under one name; everything else is revalidated. */
export const CONSOLE_IMMUTABLE_PREFIX = `${CONSOLE_PATH}assets/`;

/** Cache-Control of the files under CONSOLE_IMMUTABLE_PREFIX: a new build gives a changed file a new name. */
export const CONSOLE_IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Cache-Control of every other console file (index.html above all), so that a new build is seen at once. */
export const CONSOLE_REVALIDATED_CACHE_CONTROL = 'no-cache';
