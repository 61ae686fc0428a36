import type { TFunction } from 'i18next';

import type { TimelineEntry } from '../api/timeline.ts';

/** A string field of an entry's `data`, or null when it is missing or empty. */
export const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * What an entry is, in a few words of the reader's language: "Outgoing call", "Order #1042
 * placed", "Consent withdrawn: Marketing by SMS". Used as the item's heading and to announce
 * entries that arrive live.
 */
export function headingOf(entry: TimelineEntry, t: TFunction<'customer'>): string {
  switch (entry.source) {
    case 'activity':
      if (entry.kind === 'call') {
        const direction = text(entry.data.direction);
        return direction ? t(`timeline.call.${direction}`) : t('timeline.kinds.call');
      }
      return t(`timeline.kinds.${entry.kind}`, { defaultValue: entry.kind });
    case 'order':
      return t('timeline.orderPlaced', { number: entry.title ?? '' });
    case 'message': {
      const what = t(`timeline.message.${entry.kind}`, { defaultValue: entry.kind });
      return entry.title ? `${what} · ${entry.title}` : what;
    }
    case 'alert': {
      const kind = t(`alerts.kinds.${entry.kind}`, { defaultValue: entry.kind });
      return `${kind} · ${t(`alerts.states.${text(entry.data.state) ?? 'queued'}`)}`;
    }
    case 'consent': {
      const purpose = text(entry.data.purpose) ?? '';
      const channel = text(entry.data.channel) ?? '';
      return t(`timeline.consent.${entry.kind}`, {
        purpose: t(`consent.purposes.${purpose}`, { defaultValue: purpose }),
        channel: t(`consent.channels.${channel}`, { defaultValue: channel }),
      });
    }
    case 'deal':
      // Deal events (issue 15): worded by the pipeline's strings, loaded with the 360.
      return t(`timeline.${entry.kind}`, { ns: 'pipeline', title: entry.title ?? '', defaultValue: entry.kind });
    case 'flow': {
      // A step of an automation flow (issue 16): worded by the automation strings, loaded with the 360.
      const flow = entry.title ?? '';
      if (['entered', 'completed', 'goal_met'].includes(entry.kind)) {
        return t(`timeline.${entry.kind}`, { ns: 'automation', flow });
      }
      const outcome = t(`outcomes.${entry.kind}`, { ns: 'automation', defaultValue: entry.kind });
      const step = text(entry.data.step_key);
      return t('timeline.step', { ns: 'automation', flow, outcome: step ? `${step} · ${outcome}` : outcome });
    }
    default:
      return entry.kind;
  }
}
