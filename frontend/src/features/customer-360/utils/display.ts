/** What to call a customer when a name is missing: the database only asks for a name or a contact. */
export function displayName(customer: {
  full_name: string | null;
  email: string | null;
  company: string | null;
  phone: string | null;
}): string | null {
  return customer.full_name ?? customer.email ?? customer.company ?? customer.phone;
}
