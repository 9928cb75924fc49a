import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTIVITIES, MOODS } from '../../../../../domains/simple/payloads/rpid.ts';
import { toDecimalDegrees } from '../../../../../interworking/mapping/presence/geopriv.ts';
import {
  CAP_SHAPES,
  capFromShape,
  collapseActivities,
  DISCREET_ACTIVITIES,
  minutesToZone,
  moodToRpid,
  NOT_AVAILABLE_ACTIVITIES,
  rpidToMood,
  zoneToMinutes,
} from '../../../../../interworking/mapping/presence/presence-values.ts';

describe('presence value tables', () => {
  it('every RFC 4480 activity collapses to exactly one UserAvailability', () => {
    for (const a of ACTIVITIES) {
      const v = collapseActivities([a], 0);
      assert.equal(v, NOT_AVAILABLE_ACTIVITIES.includes(a) ? 'NOT_AVAILABLE' : 'DISCREET', a);
    }
    assert.equal(DISCREET_ACTIVITIES.length + NOT_AVAILABLE_ACTIVITIES.length, ACTIVITIES.length);
    assert.equal(collapseActivities([], 0), undefined);
    assert.equal(collapseActivities([], 1), 'DISCREET');
    assert.equal(collapseActivities(['meal', 'sleeping'], 0), 'NOT_AVAILABLE');
  });

  it('the eleven IMPS moods are RPID moods, and back', () => {
    for (const m of [
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
    ]) {
      const r = moodToRpid(m);
      assert.ok('token' in r && (MOODS as readonly string[]).includes(r.token), m);
      assert.equal(rpidToMood(r.token), m);
    }
    assert.deepEqual(moodToRpid('happy'), { other: 'happy' });
  });

  it('time zones: offsets ⇄ minutes, names refused', () => {
    const cases: Array<[string, number | undefined]> = [
      ['+02', 120],
      ['-03:30', -210],
      ['+0545', 345],
      ['UTC+3', 180],
      ['GMT-11', -660],
      ['+2', 120],
      ['CET', undefined],
      ['+15', undefined],
      ['+02:60', undefined],
      ['', undefined],
    ];
    for (const [zone, minutes] of cases) assert.equal(zoneToMinutes(zone), minutes, zone);
    for (let m = -720; m <= 840; m += 15) assert.equal(zoneToMinutes(minutesToZone(m)), m);
  });

  it('each CommC Cap has a shape that reads back to it', () => {
    for (const [cap, shape] of Object.entries(CAP_SHAPES)) {
      const booleans = Object.fromEntries(shape.booleans.map((b) => [b, true]));
      assert.equal(capFromShape(booleans, shape.scheme ? [shape.scheme] : []), cap);
    }
    assert.equal(capFromShape({ message: true, audio: true }, []), undefined);
  });

  it('coordinates: decimal kept, degrees-minutes-seconds converted, the rest refused', () => {
    assert.deepEqual(toDecimalDegrees(' 60.1699 '), { value: '60.1699', converted: false });
    assert.deepEqual(toDecimalDegrees('35 24 15.652W'), { value: '-35.404348', converted: true });
    assert.deepEqual(toDecimalDegrees('12 36 22.5N'), { value: '12.60625', converted: true });
    assert.equal(toDecimalDegrees('north-ish'), undefined);
  });
});
