import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { segmentKeys, segmentsOptions } from '@/api/segments.ts';

import {
  createSegment,
  deleteSegment,
  segmentPreviewOptions,
  updateSegment,
  type SegmentInput,
} from '../api/segments.ts';

export const useSegments = () => useQuery(segmentsOptions());

/** Saving, changing and removing segments; each write refreshes every reader of the list. */
export function useSegmentMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: segmentKeys.all });
  return {
    create: useMutation({ mutationFn: (input: SegmentInput) => createSegment(input), onSuccess }),
    update: useMutation({
      mutationFn: ({ id, input }: { id: string; input: Omit<SegmentInput, 'preset'> }) => updateSegment(id, input),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: string) => deleteSegment(id), onSuccess }),
  };
}

/** The debounce between the last edit and the live count: one request per pause. */
export const PREVIEW_DEBOUNCE_MS = 350;

/** The live count and sample of rules once they stop changing for a moment. */
export function useSegmentPreview(rules: Record<string, unknown>) {
  const text = JSON.stringify(rules);
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const query = useQuery({
    ...segmentPreviewOptions(JSON.parse(settled) as Record<string, unknown>),
    placeholderData: keepPreviousData,
  });
  return { ...query, settling: settled !== text };
}
