// RFC 5025 presence authorization rules (application/auth-policy+xml): an RFC 4745 ruleset whose
// actions are <pr:sub-handling> and whose transformations say what the watcher may see.
import { attribute, children, el, text } from '../../../common/xml/query.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { type Conditions, readConditions, writeConditions } from './common-policy.ts';
import { NS, PREFIX } from './namespaces.ts';
import {
  decodeXml,
  invalid,
  oneOf,
  type PayloadLimits,
  parseBoolean,
  q,
  requireAttr,
  xmlns,
} from './payload-codec.ts';
import type { PayloadResult } from './payload-error.ts';

export const PRES_RULES_CONTENT_TYPE = 'application/auth-policy+xml';

/** RFC 5025 §3.2.1, in increasing permission: block(0) < confirm(10) < polite-block(20) < allow(30). */
export const SUB_HANDLING = ['block', 'confirm', 'polite-block', 'allow'] as const;
export type SubHandling = (typeof SUB_HANDLING)[number];

/** RFC 5025 §3.3.5: false < bare < thresholds < full. */
export const USER_INPUT_LEVELS = ['false', 'bare', 'thresholds', 'full'] as const;
export type UserInputLevel = (typeof USER_INPUT_LEVELS)[number];

/** RFC 5025 §3.3.4 boolean attribute permissions. */
export const BOOLEAN_PERMISSIONS = [
  'provide-activities',
  'provide-class',
  'provide-deviceID',
  'provide-mood',
  'provide-place-is',
  'provide-place-type',
  'provide-privacy',
  'provide-relationship',
  'provide-status-icon',
  'provide-sphere',
  'provide-time-offset',
  'provide-note',
] as const;
export type BooleanPermission = (typeof BOOLEAN_PERMISSIONS)[number];

/**
 * provide-services / provide-persons / provide-devices (RFC 5025 §3.3.1-3.3.3): `all`, or a
 * set of selectors (any one matching admits the component).
 */
export interface ProvideSet {
  all: boolean;
  serviceUris: string[];
  serviceUriSchemes: string[];
  occurrenceIds: string[];
  classes: string[];
  deviceIds: string[];
  extensions: XmlElement[];
}

export interface UnknownAttributePermission {
  name: string;
  ns: string;
  value: boolean;
}

export interface PresTransformations {
  provideServices?: ProvideSet;
  providePersons?: ProvideSet;
  provideDevices?: ProvideSet;
  booleans: Partial<Record<BooleanPermission, boolean>>;
  provideUserInput?: UserInputLevel;
  unknownAttributes: UnknownAttributePermission[];
  provideAllAttributes?: boolean;
  extensions: XmlElement[];
}

export interface PresRule {
  id: string;
  /** Absent <conditions> = matches everyone (RFC 4745 §10.1). */
  conditions?: Conditions;
  subHandling?: SubHandling;
  actionExtensions: XmlElement[];
  transformations: PresTransformations;
}

export interface PresRuleset {
  rules: PresRule[];
}

export function emptyProvideSet(all = false): ProvideSet {
  return {
    all,
    serviceUris: [],
    serviceUriSchemes: [],
    occurrenceIds: [],
    classes: [],
    deviceIds: [],
    extensions: [],
  };
}

export function emptyTransformations(): PresTransformations {
  return { booleans: {}, unknownAttributes: [], extensions: [] };
}

const ALL = {
  'provide-services': 'all-services',
  'provide-persons': 'all-persons',
  'provide-devices': 'all-devices',
};
type SelectorKey = 'serviceUris' | 'serviceUriSchemes' | 'occurrenceIds' | 'classes' | 'deviceIds';
const SELECTORS: Record<string, SelectorKey> = {
  'service-uri': 'serviceUris',
  'service-uri-scheme': 'serviceUriSchemes',
  'occurrence-id': 'occurrenceIds',
  class: 'classes',
  deviceID: 'deviceIds',
};
const ALLOWED_SELECTORS: Record<keyof typeof ALL, string[]> = {
  'provide-services': ['service-uri', 'service-uri-scheme', 'occurrence-id', 'class'],
  'provide-persons': ['occurrence-id', 'class'],
  'provide-devices': ['deviceID', 'occurrence-id', 'class'],
};

function readProvideSet(e: XmlElement, kind: keyof typeof ALL): ProvideSet {
  const set = emptyProvideSet();
  for (const c of children(e)) {
    if (c.ns !== NS.presRules) set.extensions.push(c);
    else if (c.local === ALL[kind]) set.all = true;
    else if (ALLOWED_SELECTORS[kind].includes(c.local)) {
      set[SELECTORS[c.local]!].push(text(c).trim());
    } else invalid(`<${c.name}> is not allowed in <pr:${kind}>`);
  }
  if (set.all && (set.extensions.length > 0 || Object.values(SELECTORS).some((k) => set[k].length > 0))) {
    invalid(`<pr:${ALL[kind]}> excludes other selectors in <pr:${kind}>`);
  }
  return set;
}

const pr = (local: string) => q(PREFIX.presRules, local);

function writeProvideSet(kind: keyof typeof ALL, s: ProvideSet): XmlElement {
  if (s.all) return el(NS.presRules, pr(kind), {}, [el(NS.presRules, pr(ALL[kind]))]);
  const kids: XmlElement[] = [];
  for (const sel of ALLOWED_SELECTORS[kind]) {
    for (const v of s[SELECTORS[sel]!]) kids.push(el(NS.presRules, pr(sel), {}, [v]));
  }
  return el(NS.presRules, pr(kind), {}, [...kids, ...s.extensions]);
}

function readTransformations(e: XmlElement): PresTransformations {
  const t = emptyTransformations();
  for (const c of children(e)) {
    if (c.ns !== NS.presRules) {
      t.extensions.push(c);
      continue;
    }
    const local = c.local;
    if (local === 'provide-services') t.provideServices = readProvideSet(c, local);
    else if (local === 'provide-persons') t.providePersons = readProvideSet(c, local);
    else if (local === 'provide-devices') t.provideDevices = readProvideSet(c, local);
    else if ((BOOLEAN_PERMISSIONS as readonly string[]).includes(local)) {
      t.booleans[local as BooleanPermission] = parseBoolean(text(c), `pr:${local}`);
    } else if (local === 'provide-user-input') {
      t.provideUserInput = oneOf(text(c).trim(), USER_INPUT_LEVELS, 'provide-user-input');
    } else if (local === 'provide-unknown-attribute') {
      t.unknownAttributes.push({
        name: requireAttr(c, 'name'),
        ns: requireAttr(c, 'ns'),
        value: parseBoolean(text(c), 'provide-unknown-attribute'),
      });
    } else if (local === 'provide-all-attributes') t.provideAllAttributes = true;
    else invalid(`<${c.name}> is not a pres-rules transformation`);
  }
  return t;
}

export function writeTransformations(t: PresTransformations): XmlElement {
  const kids: XmlElement[] = [];
  if (t.provideServices) kids.push(writeProvideSet('provide-services', t.provideServices));
  if (t.providePersons) kids.push(writeProvideSet('provide-persons', t.providePersons));
  if (t.provideDevices) kids.push(writeProvideSet('provide-devices', t.provideDevices));
  for (const b of BOOLEAN_PERMISSIONS) {
    const v = t.booleans[b];
    if (v !== undefined) kids.push(el(NS.presRules, pr(b), {}, [String(v)]));
  }
  if (t.provideUserInput !== undefined) {
    kids.push(el(NS.presRules, pr('provide-user-input'), {}, [t.provideUserInput]));
  }
  for (const u of t.unknownAttributes) {
    kids.push(
      el(
        NS.presRules,
        pr('provide-unknown-attribute'),
        [attribute('name', u.name), attribute('ns', u.ns)],
        [String(u.value)],
      ),
    );
  }
  if (t.provideAllAttributes) kids.push(el(NS.presRules, pr('provide-all-attributes')));
  return el(NS.commonPolicy, q(PREFIX.commonPolicy, 'transformations'), {}, [...kids, ...t.extensions]);
}

function readRule(e: XmlElement): PresRule {
  const rule: PresRule = {
    id: requireAttr(e, 'id'),
    actionExtensions: [],
    transformations: emptyTransformations(),
  };
  for (const c of children(e)) {
    if (c.ns !== NS.commonPolicy) invalid(`<${c.name}> is not allowed in <cp:rule>`);
    if (c.local === 'conditions') rule.conditions = readConditions(c);
    else if (c.local === 'actions') {
      for (const a of children(c)) {
        if (a.ns === NS.presRules && a.local === 'sub-handling') {
          rule.subHandling = oneOf(text(a).trim(), SUB_HANDLING, 'sub-handling');
        } else if (a.ns === NS.presRules) invalid(`<${a.name}> is not a pres-rules action`);
        else rule.actionExtensions.push(a);
      }
    } else if (c.local === 'transformations') rule.transformations = readTransformations(c);
    else invalid(`<${c.name}> is not allowed in <cp:rule>`);
  }
  return rule;
}

function fromXml(root: XmlElement): PresRuleset {
  const rules: PresRule[] = [];
  const ids = new Set<string>();
  for (const c of children(root)) {
    if (c.ns !== NS.commonPolicy || c.local !== 'rule') invalid(`<${c.name}> is not allowed in <cp:ruleset>`);
    const rule = readRule(c);
    if (ids.has(rule.id)) invalid(`rule id "${rule.id}" is used twice`);
    ids.add(rule.id);
    rules.push(rule);
  }
  return { rules };
}

export function parsePresRules(input: Buffer | string, limits?: PayloadLimits): PayloadResult<PresRuleset> {
  return decodeXml(input, limits, [{ ns: NS.commonPolicy, local: 'ruleset' }], fromXml);
}

function isEmptyTransformations(t: PresTransformations): boolean {
  return (
    !t.provideServices &&
    !t.providePersons &&
    !t.provideDevices &&
    Object.keys(t.booleans).length === 0 &&
    t.provideUserInput === undefined &&
    t.unknownAttributes.length === 0 &&
    !t.provideAllAttributes &&
    t.extensions.length === 0
  );
}

export function presRulesToXml(rs: PresRuleset): XmlElement {
  const c = (local: string) => q(PREFIX.commonPolicy, local);
  return el(
    NS.commonPolicy,
    c('ruleset'),
    [xmlns(PREFIX.commonPolicy, NS.commonPolicy), xmlns(PREFIX.presRules, NS.presRules)],
    rs.rules.map((r) =>
      el(NS.commonPolicy, c('rule'), { id: r.id }, [
        r.conditions && writeConditions(r.conditions),
        (r.subHandling !== undefined || r.actionExtensions.length > 0) &&
          el(NS.commonPolicy, c('actions'), {}, [
            r.subHandling !== undefined && el(NS.presRules, pr('sub-handling'), {}, [r.subHandling]),
            ...r.actionExtensions,
          ]),
        !isEmptyTransformations(r.transformations) && writeTransformations(r.transformations),
      ]),
    ),
  );
}

export function serializePresRules(rs: PresRuleset, options: { indent?: string } = {}): string {
  return serializeXml(presRulesToXml(rs), options);
}
