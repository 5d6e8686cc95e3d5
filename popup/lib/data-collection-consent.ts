/**
 * Firefox's built-in data-collection consent. The Firefox build declares `browsingActivity` as
 * an optional data-collection permission (build-firefox.ts); switching a category on is when
 * Crowdsell starts collecting it, so that click asks Firefox first. Firefox only shows its prompt
 * from inside a user gesture, so the request must be made synchronously in the click handler —
 * nothing may be awaited before it. Firefox answers at once, without a prompt, when the member
 * has already granted it, so in practice the member is asked on their first category.
 *
 * Chromium has no such consent: there is no native `browser.permissions` (or it rejects the
 * `data_collection` key synchronously), and switching a category on works as before.
 */

/** The part of Firefox's `browser.permissions` this needs. */
export interface DataCollectionPermissions {
  request(permissions: { data_collection: string[] }): Promise<boolean>;
}

/** `allowed`: go ahead; `declined`: the member said no; `failed`: the browser could not ask. */
export type CategoryConsent = 'allowed' | 'declined' | 'failed';

/** The browser's own `browser.permissions` (Firefox), never the Chromium polyfill's wrapper. */
export function nativePermissions(
  global: { browser?: { permissions?: Partial<DataCollectionPermissions> } } = globalThis as {
    browser?: { permissions?: Partial<DataCollectionPermissions> };
  },
): DataCollectionPermissions | undefined {
  const permissions = global.browser?.permissions;
  return typeof permissions?.request === 'function'
    ? (permissions as DataCollectionPermissions)
    : undefined;
}

/**
 * Call synchronously from the click that switches a category on or off. Asks for
 * `browsingActivity` before anything is awaited when a category is being switched on in a browser
 * that knows data-collection permissions; resolves to whether the switch may go ahead.
 */
export function consentForCategory(
  permissions: DataCollectionPermissions | undefined,
  enabling: boolean,
): Promise<CategoryConsent> {
  if (!enabling || !permissions) return Promise.resolve('allowed');
  let answer: Promise<boolean>;
  try {
    answer = permissions.request({ data_collection: ['browsingActivity'] });
  } catch {
    // A browser without data-collection permissions rejects the unknown key synchronously.
    return Promise.resolve('allowed');
  }
  return answer.then(
    (granted) => (granted ? 'allowed' : 'declined'),
    () => 'failed',
  );
}
