import type { QueryClient } from '@tanstack/react-query';

import { baseCurrencyOptions, workspaceKeys } from '@/api/workspace.ts';
import { teamMemberKeys, teamMemberNamesOptions } from '@/api/team-members.ts';

import { boardOptions, forecastOptions, pipelineKeys, pipelinesOptions, stagesOptions } from '../api/pipeline.ts';
import { readParams } from '../utils/filters.ts';
import { choosePipeline, readLastPipeline } from '../utils/last-pipeline.ts';

/**
 * Starts the board's requests before the screen mounts (render-as-you-fetch), with the query
 * options its hooks use: pipelines, stages, names and the base currency at once, and the cards
 * and forecast of the pipeline in the URL, else of the one the member looked at last — or,
 * without either, of the first pipeline as soon as the list of pipelines has arrived.
 */
export function prefetchBoard(queryClient: QueryClient, search: URLSearchParams, userId: string): void {
  const { pipeline: fromUrl, filters } = readParams(search);
  const pipeline = choosePipeline(fromUrl, readLastPipeline(userId), undefined) || null;
  const board = (pipelineId: string) => {
    void queryClient.prefetchQuery(boardOptions(pipelineId, filters));
    void queryClient.prefetchQuery(forecastOptions(pipelineId, filters));
  };
  if (pipeline) board(pipeline);
  void queryClient.fetchQuery(pipelinesOptions()).then(
    (pipelines) => {
      if (!pipeline && pipelines[0]) board(pipelines[0].id);
    },
    () => undefined,
  );
  void queryClient.prefetchQuery(stagesOptions());
  void queryClient.prefetchQuery(teamMemberNamesOptions());
  void queryClient.prefetchQuery(baseCurrencyOptions());
}

/**
 * Forgets what `prefetchBoard` asked for: when it went out before the session was known to be a
 * team member's and it was not (RLS answered for nobody), the screen asks again once it is.
 */
export function discardPrefetchedBoard(queryClient: QueryClient): void {
  for (const queryKey of [pipelineKeys.all, teamMemberKeys.names, workspaceKeys.baseCurrency]) {
    queryClient.removeQueries({ queryKey });
  }
}
