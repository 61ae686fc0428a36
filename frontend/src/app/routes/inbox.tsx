import { InboxPage } from '@/features/conversations/components/inbox-page.tsx';

/** The team inbox (/inbox): every conversation the member may see, live. */
export function InboxRoute() {
  return <InboxPage />;
}
