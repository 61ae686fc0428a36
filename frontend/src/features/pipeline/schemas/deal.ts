import { z } from 'zod/mini';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A deal as the form edits it (every field a string, as inputs give them), checked with the same
 * rules the database applies (deals_* constraints). Messages are translation keys of `pipeline`.
 * `toDealWrite` turns valid input into the row.
 */
export const dealSchema = z
  .object({
    title: z.string().check(z.trim()),
    customerId: z.string(),
    stageId: z.string(),
    amount: z.string().check(z.trim()),
    currency: z.string().check(z.trim()),
    probability: z.string().check(z.trim()),
    expectedClose: z.string(),
    ownerId: z.string(),
    notes: z.string(),
  })
  .check(
    z.superRefine((value, context) => {
      const issue = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
      if (value.title === '') issue('title', 'deal.errors.titleRequired');
      else if (value.title.length > 200) issue('title', 'deal.errors.titleTooLong');
      if (!UUID.test(value.customerId)) issue('customerId', 'deal.errors.customerRequired');
      if (!UUID.test(value.stageId)) issue('stageId', 'deal.errors.stageRequired');
      const amount = Number(value.amount.replace(',', '.'));
      if (value.amount === '' || !Number.isFinite(amount) || amount < 0 || amount > 999_999_999_999) {
        issue('amount', 'deal.errors.amountInvalid');
      }
      if (!/^[A-Za-z]{3}$/.test(value.currency)) issue('currency', 'deal.errors.currencyInvalid');
      if (value.probability !== '') {
        const probability = Number(value.probability);
        if (!Number.isInteger(probability) || probability < 0 || probability > 100) {
          issue('probability', 'deal.errors.probabilityInvalid');
        }
      }
      if (
        value.expectedClose !== '' &&
        (!/^\d{4}-\d{2}-\d{2}$/.test(value.expectedClose) || Number.isNaN(Date.parse(value.expectedClose)))
      ) {
        issue('expectedClose', 'deal.errors.dateInvalid');
      }
      if (value.notes.length > 5000) issue('notes', 'deal.errors.notesTooLong');
    }),
  );

export type DealInput = z.infer<typeof dealSchema>;

/** The row for valid input: numbers as numbers, empty optional fields as null. */
export function toDealWrite(value: DealInput) {
  return {
    title: value.title,
    customer_id: value.customerId,
    stage_id: value.stageId,
    amount: Number(value.amount.replace(',', '.')),
    currency: value.currency.toUpperCase(),
    probability: value.probability === '' ? null : Number(value.probability),
    expected_close: value.expectedClose === '' ? null : value.expectedClose,
    owner_id: value.ownerId === '' ? null : value.ownerId,
    notes: value.notes.trim() === '' ? null : value.notes,
  };
}
