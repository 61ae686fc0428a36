/**
 * The secret scheduled edge-function calls carry (`X-Cron-Secret`, review L-5), for the local
 * stack: the same value in Vault (`cron_secret`, which private.call_scheduled_function sends)
 * and in the functions' environment (CRON_SECRET, which they compare). Well known, like the
 * local demo keys; a hosted project sets its own random value in both places (README).
 */
export const LOCAL_CRON_SECRET = 'cairn-local-cron-secret-not-for-production-0001';
