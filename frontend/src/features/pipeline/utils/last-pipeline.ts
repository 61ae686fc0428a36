/**
 * The pipeline a member looked at last, kept in this browser: /pipeline without `?pipeline=`
 * opens it again, and its board can be asked for at once (the route's prefetch) instead of after
 * the list of pipelines has arrived.
 */
const key = (userId: string) => `cairn:last-pipeline:${userId}`;

export function readLastPipeline(userId: string): string | null {
  try {
    return window.localStorage.getItem(key(userId));
  } catch {
    return null;
  }
}

export function rememberPipeline(userId: string, pipelineId: string): void {
  try {
    window.localStorage.setItem(key(userId), pipelineId);
  } catch {
    // Storage full or refused: the board opens on the first pipeline next time.
  }
}

/**
 * Which pipeline the board shows: the one in the URL; else the remembered one, while the list is
 * on its way or when it is still in the list; else the first.
 */
export function choosePipeline(
  fromUrl: string | null,
  remembered: string | null,
  pipelines: ReadonlyArray<{ id: string }> | undefined,
): string {
  if (fromUrl) return fromUrl;
  if (remembered && (!pipelines || pipelines.some((pipeline) => pipeline.id === remembered))) return remembered;
  return pipelines?.[0]?.id ?? '';
}
