import { describe, expect, it } from 'vitest';

import { readTaskParams, writeTaskParams } from './params.ts';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('task params', () => {
  it('round-trip', () => {
    const params = readTaskParams(new URLSearchParams(`section=overdue&who=team&customer=${ID}&type=call&task=${ID}`));
    expect(params).toEqual({ bucket: 'overdue', who: 'team', customer: ID, type: 'call', task: ID });
    expect(readTaskParams(writeTaskParams(params))).toEqual(params);
  });

  it('fall back to my tasks due today for anything malformed', () => {
    expect(readTaskParams(new URLSearchParams('section=later&who=boss&customer=x&type=nap&task=1'))).toEqual({
      bucket: 'today',
      who: 'me',
      customer: null,
      type: null,
      task: null,
    });
    expect(writeTaskParams(readTaskParams(new URLSearchParams(''))).toString()).toBe('');
  });
});
