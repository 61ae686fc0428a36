import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { baseCurrencyOptions } from '@/api/workspace.ts';
import { teamMemberNamesOptions } from '@/api/team-members.ts';

import {
  boardOptions,
  customerDealsOptions,
  forecastOptions,
  moveDeal,
  pipelineKeys,
  pipelinesOptions,
  saveDeal,
  stagesOptions,
  type Board,
  type DealWrite,
  type MoveRequest,
} from '../api/pipeline.ts';
import { applyMove } from '../utils/board.ts';
import type { BoardFilters } from '../utils/filters.ts';

export const usePipelines = () => useQuery(pipelinesOptions());
export const useStages = () => useQuery(stagesOptions());
export const useTeamNames = () => useQuery(teamMemberNamesOptions());
export const useBaseCurrency = () => useQuery(baseCurrencyOptions());
export const useCustomerDeals = (customerId: string) => useQuery(customerDealsOptions(customerId));

export function useBoard(pipelineId: string, filters: BoardFilters) {
  return useQuery(boardOptions(pipelineId, filters));
}

export function useForecast(pipelineId: string, filters: BoardFilters) {
  return useQuery({ ...forecastOptions(pipelineId, filters), enabled: pipelineId !== '' });
}

/**
 * A card move: the board shows it at once (optimistic), the database decides; a refusal puts the
 * card back and hands its message to `onRefused`, so the card can show it.
 */
export function useMoveDeal(
  pipelineId: string,
  filters: BoardFilters,
  onRefused: (dealId: string, message: string) => void,
) {
  const queryClient = useQueryClient();
  const key = pipelineKeys.board(pipelineId, filters);
  return useMutation({
    mutationFn: moveDeal,
    onMutate: async (move: MoveRequest) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<Board>(key);
      if (before) {
        queryClient.setQueryData<Board>(
          key,
          applyMove(before, move.dealId, { stageId: move.toStageId, afterId: move.afterDealId }),
        );
      }
      return { before };
    },
    onError: (error, move, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before);
      onRefused(move.dealId, error.message);
    },
    onSettled: () => {
      // Only what a move changes: the board and forecast, and customers' deal lists — not the
      // pipelines and stages, which would cost two more requests after every move.
      void queryClient.invalidateQueries({
        queryKey: pipelineKeys.all,
        predicate: (query) => ['board', 'forecast', 'customer'].includes(String(query.queryKey[1])),
      });
    },
  });
}

export function useSaveDeal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, values }: { id: string | null; values: DealWrite }) => saveDeal(id, values),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: pipelineKeys.all });
    },
  });
}
