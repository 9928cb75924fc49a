// SIMPLE → IMPS authorization: a pres-rules document (RFC 5025) read as an IMPS policy, e.g. to
// answer GetAttributeList / GetBlockedList for a SIMPLE user, or to show a SIMPLE publisher's
// rules in IMPS terms. Rows PR1–PR6 of POLICY_ROWS. Pure: a PresRuleset in, values out.
import type { PresRule, PresRuleset } from '../../../domains/simple/payloads/pres-rules.ts';
import { sipToImps } from '../address.ts';
import { transformationsToAttributes } from './attribute-permissions.ts';
import { emptyPolicy, type ImpsPresencePolicy } from './imps-policy.ts';

function identities(rule: PresRule): { ones: string[]; many: boolean } {
  const c = rule.conditions;
  if (!c || c.identities.length === 0) return { ones: [], many: true };
  const ones: string[] = [];
  let many = false;
  for (const id of c.identities) {
    for (const one of id.ones) {
      const wv = sipToImps(one);
      if (wv.ok) ones.push(wv.value);
    }
    if (id.manys.length > 0) many = true;
  }
  return { ones, many };
}

export function presRulesToImps(ruleset: PresRuleset): { value: ImpsPresencePolicy; rows: string[] } {
  const policy = emptyPolicy();
  const rows = new Set<string>();
  for (const rule of ruleset.rules) {
    const c = rule.conditions;
    if (c && (c.spheres.length > 0 || c.validities.length > 0 || c.extensions.length > 0)) rows.add('PR6');
    const who = identities(rule);
    const handling = rule.subHandling ?? 'block';
    if (handling === 'allow' || handling === 'polite-block') {
      const attributes = handling === 'allow' ? transformationsToAttributes(rule.transformations).value : [];
      rows.add(handling === 'allow' ? 'PR1' : 'PR4');
      for (const userId of who.ones) policy.userGrants.push({ userId, attributes });
      if (who.many) {
        policy.defaultGrant = [...new Set([...(policy.defaultGrant ?? []), ...attributes])];
        rows.add('PR2');
      }
    } else if (handling === 'confirm') {
      if (who.many) policy.reactive = true;
      rows.add('PR3');
    } else {
      policy.blocked.push(...who.ones);
      rows.add('PR5');
    }
  }
  return { value: policy, rows: [...rows] };
}
