import { describe, expect, it } from 'vitest';

import { svgDataUrl } from './mfa.ts';

describe('svgDataUrl', () => {
  it('percent-encodes the SVG so a # in a colour does not end the URL', () => {
    const url = svgDataUrl('data:image/svg+xml;utf-8,<svg><path fill="#000"/></svg>');
    expect(url).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent('<svg><path fill="#000"/></svg>')}`);
    expect(url).not.toContain('#');
  });

  it('leaves anything that is not an inline SVG alone', () => {
    expect(svgDataUrl('data:image/png;base64,AAAA')).toBe('data:image/png;base64,AAAA');
  });
});
