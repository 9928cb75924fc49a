// RFC 4745 §10 rule evaluation with the RFC 5025 permissions: pick the rules whose conditions
// match the watcher, then combine their permissions — the maximum of each value, the union of
// each set. Pure: the caller passes the watcher identity, the time and the presentity's sphere.
import { type ConditionContext, conditionsMatch, identityConditionsHit } from './common-policy.ts';
import {
  BOOLEAN_PERMISSIONS,
  type BooleanPermission,
  emptyProvideSet,
  emptyTransformations,
  type PresRuleset,
  type PresTransformations,
  type ProvideSet,
  SUB_HANDLING,
  type SubHandling,
  USER_INPUT_LEVELS,
} from './pres-rules.ts';

export interface PresRulesDecision {
  /** Combined <sub-handling>; `block` when no matching rule sets one (RFC 4745 §10.3: absent = most restrictive). */
  subHandling: SubHandling;
  /** Combined transformations: what the watcher may see (absent permission = not provided). */
  transformations: PresTransformations;
  /** Ids of the rules that matched, in document order (for traces and the winfo decision). */
  matchedRules: string[];
}

export interface EvaluateOptions {
  /** The presentity's current RPID sphere, for <cp:sphere> conditions. */
  sphere?: string;
  /** OMA <ocp:external-list> membership: is `identity` in the resource list at XCAP URI `anchor`? */
  isListMember?: (anchor: string, identity: string) => boolean;
}

function unionSets(a: ProvideSet | undefined, b: ProvideSet | undefined): ProvideSet | undefined {
  if (!a) return b && { ...b };
  if (!b) return a;
  if (a.all || b.all) return emptyProvideSet(true);
  const u = (x: string[], y: string[]) => [...new Set([...x, ...y])];
  return {
    all: false,
    serviceUris: u(a.serviceUris, b.serviceUris),
    serviceUriSchemes: u(a.serviceUriSchemes, b.serviceUriSchemes),
    occurrenceIds: u(a.occurrenceIds, b.occurrenceIds),
    classes: u(a.classes, b.classes),
    deviceIds: u(a.deviceIds, b.deviceIds),
    extensions: [...a.extensions, ...b.extensions],
  };
}

function maxOf<T extends string>(order: readonly T[], a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}

/** Combines two transformation sets by RFC 4745 §10.2 (max / union). */
export function combineTransformations(a: PresTransformations, b: PresTransformations): PresTransformations {
  const out = emptyTransformations();
  const services = unionSets(a.provideServices, b.provideServices);
  const persons = unionSets(a.providePersons, b.providePersons);
  const devices = unionSets(a.provideDevices, b.provideDevices);
  if (services) out.provideServices = services;
  if (persons) out.providePersons = persons;
  if (devices) out.provideDevices = devices;
  for (const p of BOOLEAN_PERMISSIONS) {
    const x = a.booleans[p];
    const y = b.booleans[p];
    if (x !== undefined || y !== undefined) out.booleans[p as BooleanPermission] = x === true || y === true;
  }
  const ui = maxOf(USER_INPUT_LEVELS, a.provideUserInput, b.provideUserInput);
  if (ui !== undefined) out.provideUserInput = ui;
  const unknown = new Map<string, boolean>();
  for (const u of [...a.unknownAttributes, ...b.unknownAttributes]) {
    const key = `{${u.ns}}${u.name}`;
    unknown.set(key, (unknown.get(key) ?? false) || u.value);
  }
  out.unknownAttributes = [...unknown].map(([key, value]) => {
    const close = key.indexOf('}');
    return { ns: key.slice(1, close), name: key.slice(close + 1), value };
  });
  if (a.provideAllAttributes || b.provideAllAttributes) out.provideAllAttributes = true;
  return out;
}

/**
 * Evaluates a pres-rules document for one watcher. `watcherUri` is the authenticated identity
 * (undefined = anonymous, which identity conditions never match); `now` is ms since the epoch.
 */
export function evaluatePresRules(
  ruleset: PresRuleset,
  watcherUri: string | undefined,
  now: number,
  options: EvaluateOptions = {},
): PresRulesDecision {
  const ctx: ConditionContext = { identity: watcherUri, now };
  if (options.sphere !== undefined) ctx.sphere = options.sphere;
  if (options.isListMember !== undefined) ctx.isListMember = options.isListMember;
  // OMA XDM Core §5.1.2.1: other-identity holds only if no other rule's identity-type condition names the requester.
  ctx.identityMatchedElsewhere = ruleset.rules.some(
    (r) => !r.conditions?.otherIdentity && identityConditionsHit(r.conditions, ctx),
  );
  let subHandling: SubHandling | undefined;
  let transformations = emptyTransformations();
  const matchedRules: string[] = [];
  for (const rule of ruleset.rules) {
    if (!conditionsMatch(rule.conditions, ctx)) continue;
    matchedRules.push(rule.id);
    subHandling = maxOf(SUB_HANDLING, subHandling, rule.subHandling);
    transformations = combineTransformations(transformations, rule.transformations);
  }
  return { subHandling: subHandling ?? 'block', transformations, matchedRules };
}
