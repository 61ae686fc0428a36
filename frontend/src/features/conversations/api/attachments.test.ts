import { describe, expect, it } from 'vitest';

import { attachmentProblem, MAX_ATTACHMENT_BYTES } from './conversations.ts';

describe('attachmentProblem (the attachments bucket’s limits, said before uploading)', () => {
  it('takes documents and images up to 10 MB', () => {
    expect(attachmentProblem({ size: MAX_ATTACHMENT_BYTES, type: 'application/pdf' })).toBeNull();
    expect(attachmentProblem({ size: 10, type: 'image/jpeg' })).toBeNull();
  });

  it('refuses bigger files, and types a browser could run or that say nothing', () => {
    expect(attachmentProblem({ size: MAX_ATTACHMENT_BYTES + 1, type: 'application/pdf' })).toBe('tooLarge');
    for (const type of ['text/html', 'image/svg+xml', 'application/x-msdownload', '']) {
      expect(attachmentProblem({ size: 10, type }), type).toBe('type');
    }
  });
});
