/**
 * The order numbers a search could mean: as typed, with and without Shopify's "#", and in
 * upper case (manual orders are "M-000123"). Matched by equality, which an index serves under
 * row-level security, unlike LIKE.
 */
export function orderNumberCandidates(search: string): string[] {
  const typed = search.trim();
  if (!typed) return [];
  const bare = typed.replace(/^#\s*/, '');
  const forms = [typed, bare, `#${bare}`];
  return [...new Set([...forms, ...forms.map((form) => form.toUpperCase())])].filter(Boolean);
}
