import { strictEqual, throws } from 'node:assert/strict';
import { lineTotal, money, ratio, scaledToDecimal, sumMoney, toScaled } from './money.ts';

Deno.test('money parses Shopify decimal strings exactly', () => {
  strictEqual(money('19.99'), 19.99);
  strictEqual(money('-0.05'), -0.05);
  strictEqual(money('1000'), 1000);
  strictEqual(money('0.000'), 0);
  strictEqual(scaledToDecimal(toScaled('12.340')), '12.34');
});

Deno.test('sums and line totals do not drift like floats', () => {
  strictEqual(0.1 + 0.2 === 0.3, false);
  strictEqual(sumMoney(['0.1', '0.2']), 0.3);
  strictEqual(lineTotal('19.99', 3, '5.00'), 54.97);
  strictEqual(lineTotal('0.07', 100), 7);
});

Deno.test('ratio rounds to 8 decimals and is null for a zero denominator', () => {
  strictEqual(ratio('10.00', '3.00'), 3.33333333);
  strictEqual(ratio('20.00', '3.00'), 6.66666667);
  strictEqual(ratio('1.00', '0.00'), null);
  strictEqual(ratio('0.9', '1'), 0.9);
});

Deno.test('toScaled refuses non-decimal text', () => {
  for (const bad of ['', '1e5', '1,00', ' 1', '1.', '.5', 'NaN', '1.1234567']) {
    throws(() => toScaled(bad), RangeError, bad);
  }
});
