import type { Recipient } from '../api/conversations.ts';

/** The variables a message gets from its customer and its writer (send-email fills the same). */
export function recipientVariables(recipient: Recipient, agentName: string): Record<string, string> {
  return {
    first_name: recipient.first_name ?? '',
    last_name: recipient.last_name ?? '',
    full_name: recipient.full_name ?? '',
    email: recipient.email ?? '',
    company: recipient.company ?? '',
    agent_name: agentName,
  };
}

/** "Re: " once, not "Re: Re: ". */
export function replySubject(subject: string): string {
  return /^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim()}`;
}
