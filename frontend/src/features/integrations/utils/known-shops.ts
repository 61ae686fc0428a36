/**
 * The stores a member last saw connected on Settings → Integrations, kept in this browser: on the
 * next visit their delivery health is asked for at once (the route's prefetch), beside the list
 * of connected stores, instead of once that list has arrived. A store no longer connected only
 * costs one unused request; one newly connected is asked for when the list arrives, as before.
 */
const key = (userId: string) => `cairn:integrations-shops:${userId}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** More stores than this are not remembered (a workspace has a handful). */
export const MAX_KNOWN_SHOPS = 20;

export function readKnownShops(userId: string): string[] {
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(key(userId)) ?? '[]');
    return Array.isArray(stored)
      ? stored.filter((id): id is string => typeof id === 'string' && UUID.test(id)).slice(0, MAX_KNOWN_SHOPS)
      : [];
  } catch {
    return [];
  }
}

export function rememberShops(userId: string, shopIds: readonly string[]): void {
  try {
    window.localStorage.setItem(key(userId), JSON.stringify(shopIds.slice(0, MAX_KNOWN_SHOPS)));
  } catch {
    // Storage full or refused: the health is asked for after the list next time.
  }
}
