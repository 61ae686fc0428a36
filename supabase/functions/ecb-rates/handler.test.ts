import { deepStrictEqual } from 'node:assert/strict';
import { parseEcbXml } from './handler.ts';

Deno.test('parseEcbXml reads every day and its rates, newest first as the ECB lists them', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <Cube>
    <Cube time='2026-12-04'>
      <Cube currency='USD' rate='1.0857'/>
      <Cube currency='JPY' rate='162.40'/>
    </Cube>
    <Cube time="2026-12-03">
      <Cube currency="USD" rate="1.0811"/>
      <Cube currency="XXX" rate="not-a-number"/>
    </Cube>
  </Cube>
</gesmes:Envelope>`;
  deepStrictEqual(parseEcbXml(xml), [
    { date: '2026-12-04', rates: { USD: 1.0857, JPY: 162.4 } },
    { date: '2026-12-03', rates: { USD: 1.0811 } },
  ]);
  deepStrictEqual(parseEcbXml('<html>maintenance</html>'), []);
});
