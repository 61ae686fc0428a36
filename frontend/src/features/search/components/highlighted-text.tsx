import { Fragment } from 'react';

import { highlightParts } from '../utils/highlight.ts';

/** `text` with each occurrence of the query in a <mark>, so people see why a result matched. */
export function HighlightedText({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlightParts(text, query).map((part, index) =>
        // Plain text nodes between the marks keep their spaces in the accessible name.
        part.match ? <mark key={index}>{part.text}</mark> : <Fragment key={index}>{part.text}</Fragment>,
      )}
    </>
  );
}
