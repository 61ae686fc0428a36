import { afterEach, describe, expect, it } from 'vitest';

import { choosePipeline, readLastPipeline, rememberPipeline } from './last-pipeline.ts';

const pipelines = [{ id: 'p1' }, { id: 'p2' }];

describe('the pipeline the board opens on', () => {
  afterEach(() => window.localStorage.clear());

  it('is the one in the URL, else the remembered one while it exists, else the first', () => {
    expect(choosePipeline('p9', 'p2', pipelines)).toBe('p9');
    expect(choosePipeline(null, 'p2', pipelines)).toBe('p2');
    // Before the list arrives the remembered one is asked for at once.
    expect(choosePipeline(null, 'p2', undefined)).toBe('p2');
    // A pipeline deleted since: the first one.
    expect(choosePipeline(null, 'gone', pipelines)).toBe('p1');
    expect(choosePipeline(null, null, pipelines)).toBe('p1');
    expect(choosePipeline(null, null, [])).toBe('');
  });

  it('is remembered per member in this browser', () => {
    rememberPipeline('u1', 'p2');
    expect(readLastPipeline('u1')).toBe('p2');
    expect(readLastPipeline('u2')).toBeNull();
  });
});
