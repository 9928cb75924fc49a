import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { XmlElement } from '../../../../../common/xml/xml-node.ts';
import {
  functionsElement,
  PRIMITIVE_FUNCTION,
  requestedFunctions,
  supportedFunctions,
} from '../../../../../domains/imps/server/service-functions.ts';

const mk = (local: string, children: XmlElement[] = []): XmlElement => ({
  name: local,
  local,
  ns: '',
  attributes: [],
  children,
});

describe('service negotiation (imps.md §2.4)', () => {
  it('an empty feature means all of it; explicit codes are taken one by one', () => {
    const asked = requestedFunctions(
      mk('Functions', [
        mk('WVCSPFeat', [mk('PresenceFeat'), mk('IMFeat', [mk('IMSendFunc', [mk('MDELIV')])])]),
      ]),
    );
    assert.ok(asked.has('GETPR') && asked.has('UPDPR') && asked.has('CCLI') && asked.has('REACT'));
    assert.ok(asked.has('MDELIV'));
    assert.ok(!asked.has('FWMSG') && !asked.has('NEWM'));
  });
  it('an empty group means the whole group; MP is the whole presence feature', () => {
    const g = requestedFunctions(mk('Functions', [mk('WVCSPFeat', [mk('IMFeat', [mk('IMReceiveFunc')])])]));
    assert.deepEqual([...g].sort(), ['GETLM', 'GETM', 'NEWM', 'NOTIF', 'REJCM', 'SETD']);
    const mp = requestedFunctions(mk('Functions', [mk('WVCSPFeat', [mk('MP')])]));
    assert.ok(mp.has('GALS') && mp.has('GETWL'));
    assert.equal(requestedFunctions(mk('Functions', [mk('WVCSPFeat')])).size, supportedFunctions('1.2').size);
  });
  it('CSP 1.3 drops REACT, CAAUT and GETAUT', () => {
    assert.ok(supportedFunctions('1.2').has('REACT'));
    assert.ok(!supportedFunctions('1.3').has('REACT'));
    assert.ok(!supportedFunctions('1.3').has('GETAUT'));
  });
  it('writes the agreed tree back, only the groups with agreed codes', () => {
    const e = functionsElement('Functions', new Set(['GETPR', 'MDELIV']), '1.2');
    const feat = e.children[0] as XmlElement;
    assert.equal(feat.local, 'WVCSPFeat');
    assert.deepEqual(
      feat.children.map((f) => (f as XmlElement).local),
      ['PresenceFeat', 'IMFeat'],
    );
    assert.equal(e.ns, 'http://www.openmobilealliance.org/DTD/WV-TRC1.2');
    assert.equal(requestedFunctions(e).size, 2, 'round trip');
  });
  it('every mapped primitive needs a function PS1 supports in 1.2', () => {
    const s = supportedFunctions('1.2');
    for (const [name, code] of Object.entries(PRIMITIVE_FUNCTION)) assert.ok(s.has(code), name);
  });
});
