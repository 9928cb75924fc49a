import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PresenceSubList } from '../../../../../domains/imps/csp/model/presence-attributes.ts';
import { parsePidf } from '../../../../../domains/simple/payloads/pidf.ts';
import { impsToPidf } from '../../../../../interworking/mapping/presence/imps-to-pidf.ts';
import { pidfToImps } from '../../../../../interworking/mapping/presence/pidf-to-imps.ts';
import { renderPidf } from '../../../../../interworking/mapping/presence/presence-namespaces.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

// Property tests with a seeded generator: random PresenceSubLists over the lossless rows go
// IMPS → PIDF → IMPS and come back equal; with lossy inputs mixed in, the second round changes
// nothing any more. A sample of the rendered documents is validated against the XSDs.

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENTITY = 'pres:harry@domain1.lab';
const WORDS = ['Hei', 'äiti', '東京', 'a&b', '<tag>', '"q"', 'x y', '🙂', 'Tampere', "O'Brien", '5%'];
const MOODS = [
  'HAPPY',
  'SAD',
  'ANGRY',
  'ANXIOUS',
  'ASHAMED',
  'BORED',
  'EXCITED',
  'IN_LOVE',
  'INVINCIBLE',
  'JEALOUS',
  'SLEEPY',
];
const CAPS = ['IM', 'CALL', 'VIDEO_CALL', 'VIDEO_STREAM', 'SMS', 'MMS', 'EMAIL'];

function gen(r: () => number, lossy: boolean): PresenceSubList {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const maybe = () => r() < 0.6;
  const words = () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(WORDS)).join(' ');
  const dec = (max: number) => (Math.round((r() * 2 - 1) * max * 1e4) / 1e4).toString();
  const T = true;
  const s: PresenceSubList = {};
  if (maybe()) s.onlineStatus = { qualifier: T, presenceValue: pick(['T', 'F']) };
  if (maybe()) s.registration = { qualifier: T, presenceValue: pick(['T', 'F']) };
  if (maybe())
    s.clientInfo = {
      qualifier: T,
      clientType: pick(['MOBILE_PHONE', 'COMPUTER', 'PDA', 'CLI', 'OTHER']),
      ...(maybe() ? { devManufacturer: words() } : {}),
      ...(maybe() ? { model: words() } : {}),
      ...(maybe() ? { clientVersion: '1.2' } : {}),
      ...(maybe() ? { language: 'fin' } : {}),
    };
  if (maybe()) {
    const m = Math.floor(r() * 27 - 12) * 60 + pick([0, 0, 30, 45]);
    const sign = m < 0 ? '-' : '+';
    const h = String(Math.floor(Math.abs(m) / 60)).padStart(2, '0');
    const mm = Math.abs(m) % 60;
    s.timeZone = { qualifier: T, zone: mm === 0 ? `${sign}${h}` : `${sign}${h}:${mm}` };
  }
  if (maybe())
    s.geoLocation = {
      qualifier: T,
      longitude: dec(180),
      latitude: dec(90),
      ...(maybe() ? { altitude: String(Math.floor(r() * 3000)) } : {}),
      ...(maybe() ? { accuracy: String(1 + Math.floor(r() * 500)) } : {}),
    };
  if (maybe())
    s.address = {
      qualifier: T,
      country: pick(['FI', 'GB', 'DE']),
      ...(maybe() ? { city: words() } : {}),
      ...(maybe() ? { street: words() } : {}),
      ...(maybe() ? { crossing1: words(), crossing2: words() } : {}),
      ...(maybe() ? { building: words() } : {}),
      ...(maybe() ? { namedArea: words() } : {}),
    };
  if (maybe()) s.freeTextLocation = { qualifier: T, presenceValue: words() };
  if (maybe()) s.plmn = { qualifier: T, presenceValue: words() };
  if (maybe())
    s.commCap = {
      qualifier: T,
      commC: Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
        const cap = pick(CAPS);
        const c: NonNullable<NonNullable<PresenceSubList['commCap']>['commC']>[number] = {
          cap,
          status: pick(['OPEN', 'CLOSED']),
        };
        if (maybe())
          c.contact =
            cap === 'IM' ? `wv:user${Math.floor(r() * 99)}@domain1.lab` : `+35840${Math.floor(r() * 1e7)}`;
        if (maybe()) c.note = words();
        return c;
      }),
    };
  if (maybe())
    s.userAvailability = { qualifier: T, presenceValue: pick(['AVAILABLE', 'DISCREET', 'NOT_AVAILABLE']) };
  if (maybe())
    s.preferredContacts = {
      qualifier: T,
      addrPrefs: [
        { prefC: pick(CAPS), caddr: '+358401234567', cstatus: 'OPEN', cname: words(), cpriority: 10 },
      ],
    };
  if (maybe()) s.preferredLanguage = { qualifier: T, presenceValue: pick(['fin', 'eng', 'swe']) };
  if (maybe()) s.statusText = { qualifier: T, presenceValue: words() };
  if (maybe()) s.statusMood = { qualifier: T, presenceValue: maybe() ? pick(MOODS) : words() };
  if (maybe()) s.alias = { qualifier: T, presenceValue: words() };
  if (maybe())
    s.statusContent = maybe()
      ? { qualifier: T, referredContent: `http://pics.domain1.lab/${Math.floor(r() * 1e6)}.jpg` }
      : { qualifier: T, directContent: Buffer.from(words()).toString('base64'), contentType: 'image/png' };
  if (maybe())
    s.contactInfo = maybe()
      ? { qualifier: T, referredvCard: 'http://cards.domain1.lab/h.vcf' }
      : { qualifier: T, containedvCard: `BEGIN:VCARD\r\nFN:${words()}\r\nEND:VCARD` };
  if (maybe())
    s.infoLink = {
      qualifier: T,
      infLinks: [
        { link: 'http://a.lab/x?y=1&z=2', text: words(), contentType: 'text/html' },
        { link: 'http://b.lab/' },
      ],
    };
  if (lossy) {
    if (maybe()) s.statusText = { qualifier: false };
    if (maybe()) s.geoLocation = { qualifier: T, latitude: '12 36 22.5N', longitude: '35 24 15.652W' };
    if (maybe()) s.timeZone = { qualifier: T, zone: pick(['+2', 'CET', 'UTC+3']) };
    if (maybe())
      s.statusContent = { qualifier: T, preferredContent: 'http://p/x.png', contentType: 'image/png' };
    if (maybe()) s.contactInfo = { qualifier: T, preferredvCard: 'http://c/x.vcf' };
    if (maybe())
      s.commCap = {
        qualifier: T,
        commC: [{ cap: 'AUDIO_CALL', status: 'OPEN', contact: 'harry@domain1.lab' }],
      };
    if (maybe()) s.address = { qualifier: T, country: 'GB', accuracy: '30' };
  }
  return s;
}

function roundTrip(sub: PresenceSubList): { xml: string; back: PresenceSubList } {
  const out = impsToPidf(sub, ENTITY);
  assert.ok(out.ok);
  const xml = renderPidf(out.value);
  const parsed = parsePidf(xml);
  assert.ok(parsed.ok, parsed.ok ? '' : `${parsed.error.message}\n${xml}`);
  return { xml, back: pidfToImps(parsed.value).value };
}

const order = (s: PresenceSubList) => roundTrip(s).back; // pidfToImps writes DTD key order

describe('presence round trips (seeded)', () => {
  it('lossless attributes: IMPS → PIDF → IMPS is the identity (300 seeds)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const sub = gen(rng(seed), false);
      const { xml, back } = roundTrip(sub);
      assert.deepEqual(back, sub, `seed ${seed}\n${xml}`);
    }
  });

  it('lossy attributes: stable after one round (300 seeds)', () => {
    for (let seed = 1000; seed < 1300; seed++) {
      const once = order(gen(rng(seed), true));
      const twice = order(once);
      assert.deepEqual(twice, once, `seed ${seed}`);
    }
  });

  it('rendered documents validate against pidf/data-model/rpid/cipid/caps XSDs (24 seeds)', () => {
    for (let seed = 5000; seed < 5024; seed++) {
      assertSchemaValid(roundTrip(gen(rng(seed), seed % 2 === 0)).xml, 'lab-presence.xsd');
    }
  });
});
