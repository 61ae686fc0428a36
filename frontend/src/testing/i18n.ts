import type { Resource, ResourceLanguage } from 'i18next';

/** Every language and namespace, read at once (the app fetches them lazily; tests need them now). */
const modules = import.meta.glob<ResourceLanguage>('../locales/*/*.json', { eager: true, import: 'default' });

export function allResources(): Resource {
  const resources: Resource = {};
  for (const [path, bundle] of Object.entries(modules)) {
    const [, language = '', namespace = ''] = path.match(/locales\/([^/]+)\/([^/]+)\.json$/) ?? [];
    resources[language] = { ...resources[language], [namespace]: bundle };
  }
  return resources;
}
