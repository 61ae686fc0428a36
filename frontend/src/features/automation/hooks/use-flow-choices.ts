import {
  useMutation,
  useQueries,
  useQueryClient,
  type FetchQueryOptions,
  type QueryClient,
} from '@tanstack/react-query';

import { countriesOptions, languagesOptions, stagesOptions } from '@/api/reference.ts';
import { segmentsOptions } from '@/api/segments.ts';
import { tagKeys, tagsOptions } from '@/api/tags.ts';
import { teamMemberNamesOptions } from '@/api/team-members.ts';

import { createTag, flowTemplatesOptions, type FlowChoices } from '../api/choices.ts';

/** What the editor's pickers list: the editor shows once every one has arrived. */
const choiceQueries = () =>
  [
    teamMemberNamesOptions(),
    tagsOptions(),
    stagesOptions(),
    countriesOptions(),
    languagesOptions(),
    segmentsOptions(),
    flowTemplatesOptions(),
  ] as const;

/** Starts loading the pickers' choices before the editor renders (the route's `prefetch`). */
export function prefetchFlowChoices(client: QueryClient): void {
  // Each entry is a complete queryOptions(); only their union is too wide for one signature.
  for (const options of choiceQueries()) void client.prefetchQuery(options as FetchQueryOptions);
}

/** Everything the flow editor's pickers list, loaded together; `choices` is null until all arrived. */
export function useFlowChoices(): { choices: FlowChoices | null; isError: boolean; retry: () => void } {
  const results = useQueries({ queries: choiceQueries() });
  const [members, tags, stages, countries, languages, segments, templates] = results;
  const retry = () => results.forEach((result) => (result.isError ? void result.refetch() : undefined));
  if (results.some((result) => result.isError)) return { choices: null, isError: true, retry };
  if (
    !members.data ||
    !tags.data ||
    !stages.data ||
    !countries.data ||
    !languages.data ||
    !segments.data ||
    !templates.data
  ) {
    return { choices: null, isError: false, retry };
  }
  return {
    choices: {
      members: members.data.filter((member) => member.active),
      tags: tags.data,
      stages: stages.data,
      countries: countries.data,
      languages: languages.data,
      segments: segments.data,
      templates: templates.data,
    },
    isError: false,
    retry,
  };
}

/** A tag typed into a tag step; every reader of tags sees it at once. */
export function useCreateTag() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => createTag(name),
    onSuccess: () => client.invalidateQueries({ queryKey: tagKeys.all }),
  });
}
