/**
 * Firefox's built-in data-collection consent, enforced in the worker. The popup asks for the
 * optional `browsingActivity` permission when a category is switched on, but the member can
 * withdraw it in about:addons at any time (and a category could be on without it ever being
 * granted). So at worker start and whenever Firefox reports it removed, the worker asks Firefox
 * whether it is still granted; if not, every category is switched off (the core's
 * `onDataCollectionRevoked`, which does nothing when none is on).
 *
 * Only Firefox's NATIVE `browser.permissions` is used (not the webextension-polyfill wrapper).
 * Chromium has none, or rejects the unknown `data_collection` key: then nothing happens.
 */

const BROWSING_ACTIVITY = 'browsingActivity';

/** The part of Firefox's `browser.permissions` this needs. */
export interface DataCollectionPermissions {
  contains(permissions: { data_collection: string[] }): Promise<boolean>;
  onRemoved?: {
    addListener(listener: (removed: { data_collection?: string[] | undefined }) => void): void;
  };
}

type WithPermissions = { browser?: { permissions?: Partial<DataCollectionPermissions> } };

/** The browser's own `browser.permissions` (Firefox); undefined in Chromium. */
export function nativeDataCollectionPermissions(
  global: WithPermissions = globalThis as WithPermissions,
): DataCollectionPermissions | undefined {
  const permissions = global.browser?.permissions;
  return typeof permissions?.contains === 'function'
    ? (permissions as DataCollectionPermissions)
    : undefined;
}

/**
 * Whether the browser says `browsingActivity` is NOT granted. A browser that does not know
 * data-collection permissions (it throws or rejects) says nothing, so this is false there.
 */
export async function isBrowsingActivityWithdrawn(
  permissions: DataCollectionPermissions | undefined,
): Promise<boolean> {
  if (!permissions) return false;
  try {
    return !(await permissions.contains({ data_collection: [BROWSING_ACTIVITY] }));
  } catch {
    return false;
  }
}

/** Switches every category off when Firefox says `browsingActivity` is not granted. */
export async function enforceDataCollectionPermission(
  permissions: DataCollectionPermissions | undefined,
  switchOffCategories: () => Promise<void>,
): Promise<void> {
  if (await isBrowsingActivityWithdrawn(permissions)) await switchOffCategories();
}

/**
 * Call synchronously at the worker's top level: registers the `onRemoved` listener (MV3 rule)
 * and checks once now, for a withdrawal made while the worker was not running.
 */
export function guardDataCollection(
  permissions: DataCollectionPermissions | undefined,
  switchOffCategories: () => Promise<void>,
  run: (task: () => Promise<unknown>) => void,
): void {
  if (!permissions) return;
  const enforce = () => enforceDataCollectionPermission(permissions, switchOffCategories);
  permissions.onRemoved?.addListener((removed) => {
    if (removed.data_collection?.includes(BROWSING_ACTIVITY)) run(enforce);
  });
  run(enforce);
}
