/**
 * Everything the portal asks of Supabase. Errors are thrown as they come (PostgrestError,
 * AuthError); screens turn them into messages that never say whether an address has an account.
 */
import type { Database } from '@/types/database.types.ts';

import { auth, db } from './client.ts';

type Functions = Database['public']['Functions'];
export type Favourite = Functions['portal_favorites']['Returns'][number];
export type CatalogueItem = Functions['portal_catalogue']['Returns'][number];
export type SimilarItem = Functions['similar_products']['Returns'][number];
export type FavouriteSort = 'recent' | 'back_in_stock' | 'biggest_drop';
export type AlertPreferences = Pick<
  Database['public']['Tables']['alert_preferences']['Row'],
  | 'back_in_stock'
  | 'price_drop'
  | 'price_drop_threshold_percent'
  | 'quiet_hours_start'
  | 'quiet_hours_end'
  | 'max_per_day'
>;
export type ConsentPurpose = 'marketing' | 'alerts';

/** For writes that return nothing: only the error matters. */
function check(result: { error: unknown }): void {
  if (result.error) throw result.error;
}

function unwrap<T>(result: { data: T | null; error: unknown }): T {
  if (result.error) throw result.error;
  if (result.data === null) throw new Error('no data');
  return result.data;
}

export interface SignUpChoices {
  email: string;
  password: string;
  language: string;
  /** purpose → the wording shown next to the ticked box */
  consents: Partial<Record<ConsentPurpose, string>>;
  styleInterests: string[];
  favouriteBrands: string[];
}

export async function signUp(choices: SignUpChoices): Promise<void> {
  const { error } = await auth.signUp({
    email: choices.email,
    password: choices.password,
    options: {
      emailRedirectTo: `${window.location.origin}/portal/welcome`,
      data: {
        portal: {
          language: choices.language,
          consents: choices.consents,
          style_interests: choices.styleInterests,
          favourite_brands: choices.favouriteBrands,
        },
      },
    },
  });
  if (error) throw error;
}

export async function signIn(email: string, password: string): Promise<void> {
  const { error } = await auth.signInWithPassword({ email, password });
  if (error) throw error;
}

export async function signOut(): Promise<void> {
  await auth.signOut();
}

export async function requestPasswordReset(email: string): Promise<void> {
  const { error } = await auth.resetPasswordForEmail(email, {
    redirectTo: `${window.location.origin}/portal/reset-password`,
  });
  if (error) throw error;
}

export async function changePassword(password: string): Promise<void> {
  const { error } = await auth.updateUser({ password });
  if (error) throw error;
}

export async function changeEmail(email: string): Promise<void> {
  const { error } = await auth.updateUser({ email }, { emailRedirectTo: `${window.location.origin}/portal/account` });
  if (error) throw error;
}

export async function linkAccount(): Promise<string> {
  return unwrap(await db.rpc('link_portal_account'));
}

export async function favourites(sort: FavouriteSort): Promise<Favourite[]> {
  return unwrap(await db.rpc('portal_favorites', { sort }));
}

export async function setFavourite(variant: string, favourite: boolean): Promise<void> {
  const { error } = await db.rpc('set_favorite', { variant, favourite });
  if (error) throw error;
}

export interface CatalogueFilters {
  search?: string;
  brand?: string;
  style?: string;
  offset?: number;
}

export const CATALOGUE_PAGE = 24;

export async function catalogue(filters: CatalogueFilters): Promise<CatalogueItem[]> {
  return unwrap(
    await db.rpc('portal_catalogue', {
      search: filters.search || undefined,
      brand: filters.brand || undefined,
      style: filters.style || undefined,
      page_size: CATALOGUE_PAGE,
      page_offset: filters.offset ?? 0,
    }),
  );
}

export async function similarProducts(product: string): Promise<SimilarItem[]> {
  return unwrap(await db.rpc('similar_products', { product, how_many: 4 }));
}

export async function knownBrands(prefix: string): Promise<string[]> {
  return unwrap(await db.rpc('known_brands', { prefix }));
}

export interface StyleInterest {
  key: string;
  labels: Record<string, string>;
}

export async function styleInterests(): Promise<StyleInterest[]> {
  const rows = unwrap(await db.from('style_interests').select('key, labels').order('position').order('key'));
  return rows.map((row) => ({ key: row.key, labels: (row.labels ?? {}) as Record<string, string> }));
}

export interface Profile {
  id: string;
  email: string | null;
  language: string | null;
  style_interests: string[];
  favourite_brands: string[];
}

export async function profile(): Promise<Profile> {
  return unwrap(await db.from('customers').select('id, email, language, style_interests, favourite_brands').single());
}

export async function saveProfile(
  customerId: string,
  fields: Partial<Pick<Profile, 'language' | 'style_interests' | 'favourite_brands'>>,
): Promise<void> {
  check(await db.from('customers').update(fields).eq('id', customerId));
}

export async function alertPreferences(customerId: string): Promise<AlertPreferences | null> {
  const { data, error } = await db
    .from('alert_preferences')
    .select('back_in_stock, price_drop, price_drop_threshold_percent, quiet_hours_start, quiet_hours_end, max_per_day')
    .eq('customer_id', customerId)
    .maybeSingle();
  if (error) throw error;
  return data;
}

export async function saveAlertPreferences(customerId: string, preferences: AlertPreferences): Promise<void> {
  // The first save creates the row; later ones update it (the customer id never changes).
  const updated = unwrap(
    await db.from('alert_preferences').update(preferences).eq('customer_id', customerId).select('customer_id'),
  );
  if (updated.length === 0)
    check(await db.from('alert_preferences').insert({ customer_id: customerId, ...preferences }));
}

/** The current state per purpose on the email channel, from the consent ledger (latest wins). */
export async function emailConsents(customerId: string): Promise<Partial<Record<ConsentPurpose, boolean>>> {
  const rows = unwrap(
    await db.from('customer_consents').select('purpose, granted').eq('customer_id', customerId).eq('channel', 'email'),
  );
  return Object.fromEntries(rows.map((row) => [row.purpose, row.granted === true]));
}

/** A new event in the consent ledger; the database adds the source, time, address and browser. */
export async function recordConsent(
  customerId: string,
  purpose: ConsentPurpose,
  granted: boolean,
  evidence: { text_shown: string; language: string },
): Promise<void> {
  check(
    await db.from('consent_events').insert({
      customer_id: customerId,
      channel: 'email',
      purpose,
      status: granted ? 'granted' : 'withdrawn',
      // The database records a shopper's choice as source portal, now, with their address.
      source: 'portal',
      evidence: { ...evidence, form: 'portal_email_preferences' },
    }),
  );
}

export async function myDataExport(): Promise<unknown> {
  return unwrap(await db.rpc('my_data_export'));
}

export async function myOrdersCsv(): Promise<string> {
  return unwrap(await db.rpc('my_orders_csv'));
}

export interface ErasureRequest {
  id: string;
  status: string;
  requested_at: string;
  due_at: string;
  /** Set when the shop refused the request: why, in words meant for the shopper. */
  refusal_reason?: string | null;
}

export async function requestErasure(): Promise<ErasureRequest> {
  return unwrap(await db.rpc('request_my_erasure'));
}

/** The shopper's latest erasure request still open, or refused (with the shop's reason), if any. */
export async function latestErasureRequest(): Promise<ErasureRequest | null> {
  const { data, error } = await db
    .from('privacy_requests')
    .select('id, status, requested_at, due_at, refusal_reason')
    .eq('kind', 'erasure')
    .in('status', ['open', 'in_progress', 'refused'])
    .order('requested_at', { ascending: false })
    .limit(1)
    .maybeSingle();
  if (error) throw error;
  return data;
}
