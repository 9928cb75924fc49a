// What an authorization decision becomes in the user's pres-rules (RFC 5025): one rule per
// watcher, id derived from the watcher's URI, written over XCAP by node selector so that
// approving one watcher never rewrites the others' rules (RFC 4825 §7.4 element PUT).
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { emptyConditions } from '../payloads/common-policy.ts';
import {
  emptyProvideSet,
  emptyTransformations,
  type PresRule,
  type PresTransformations,
  presRulesToXml,
  serializePresRules,
} from '../payloads/pres-rules.ts';
import type { AuthorizationDecision, ProvidePermissions } from './terminal-control.ts';

/** A stable rule id for a watcher (an XML NCName-ish token). */
export function ruleId(watcher: string): string {
  return `w-${watcher.replace(/^[a-z]+:/i, '').replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** Transformations for an approved watcher: everything, minus what `provide` turns off. */
export function approvedTransformations(provide: ProvidePermissions = {}): PresTransformations {
  const t = emptyTransformations();
  t.provideServices = emptyProvideSet(true);
  t.providePersons = emptyProvideSet(true);
  t.provideDevices = emptyProvideSet(true);
  const on = (v: boolean | undefined) => v !== false;
  t.booleans['provide-activities'] = on(provide.activities);
  t.booleans['provide-mood'] = on(provide.mood);
  t.booleans['provide-note'] = on(provide.notes);
  t.booleans['provide-place-type'] = on(provide.placeType);
  t.booleans['provide-class'] = true;
  t.booleans['provide-status-icon'] = true;
  t.booleans['provide-sphere'] = true;
  t.booleans['provide-time-offset'] = true;
  t.booleans['provide-place-is'] = true;
  t.booleans['provide-privacy'] = true;
  t.booleans['provide-relationship'] = true;
  t.booleans['provide-deviceID'] = true;
  t.provideUserInput = 'full';
  // The network-provided element is an extension: only provide-all-attributes lets it through.
  if (on(provide.network)) t.provideAllAttributes = true;
  return t;
}

export function ruleFor(
  watcher: string,
  decision: AuthorizationDecision,
  provide?: ProvidePermissions,
): PresRule {
  const conditions = emptyConditions();
  conditions.identities.push({ ones: [watcher], manys: [], extensions: [] });
  const subHandling = decision === 'approve' ? 'allow' : decision === 'deny' ? 'block' : 'polite-block';
  return {
    id: ruleId(watcher),
    conditions,
    subHandling,
    actionExtensions: [],
    transformations: decision === 'approve' ? approvedTransformations(provide) : emptyTransformations(),
  };
}

/** The rule as an XCAP element body (application/xcap-el+xml). */
export function ruleElementXml(rule: PresRule): string {
  const root = presRulesToXml({ rules: [rule] });
  const element = root.children.find((c): c is XmlElement => typeof c !== 'string');
  return serializeXml(element!, { declaration: false });
}

/** An empty pres-rules document (created before the first element PUT). */
export function emptyRulesDocument(): string {
  return serializePresRules({ rules: [] });
}

/** The node selector of a watcher's rule, with the xmlns() query it needs (RFC 4825 §6.4). */
export function ruleSelector(watcher: string): string {
  return `cp:ruleset/cp:rule%5b@id=%22${ruleId(watcher)}%22%5d?xmlns(cp=urn:ietf:params:xml:ns:common-policy)`;
}
