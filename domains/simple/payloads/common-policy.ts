// RFC 4745 common policy: rule conditions (identity one/many/except, sphere, validity) plus the
// OMA XDM extensions (other-identity, external-list, anonymous-request) — their codec and their
// matching. Actions and transformations are application-specific (pres-rules.ts).
import { attr, attribute, children, el, text } from '../../../common/xml/query.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { NS, PREFIX } from './namespaces.ts';
import { invalid, parseDateTime, q, requireAttr } from './payload-codec.ts';

export interface IdentityMany {
  /** Absent: any authenticated identity (RFC 4745 §7.1.2). */
  domain?: string;
  excepts: Array<{ domain?: string; id?: string }>;
}

/** One <cp:identity>: matches when any of its children matches (§7.1). */
export interface IdentityCondition {
  ones: string[];
  manys: IdentityMany[];
  extensions: XmlElement[];
}

export interface ValidityInterval {
  from: string;
  until: string;
}

export interface Conditions {
  identities: IdentityCondition[];
  /** Each <cp:sphere value="…">; the value is a space-separated token list (§7.2). */
  spheres: string[];
  /** Each <cp:validity>, a list of from/until intervals (§7.3). */
  validities: ValidityInterval[][];
  /** OMA <ocp:other-identity/>: the "everybody else" rule (OMA XDM Core §5.1.2.1). */
  otherIdentity?: boolean;
  /** OMA <ocp:anonymous-request/>: matches unauthenticated requests (§5.1.2.3). */
  anonymousRequest?: boolean;
  /** Each OMA <ocp:external-list>: the XCAP URIs (`anc`) of resource lists; member of any = match (§5.1.2.2). */
  externalLists: string[][];
  /** Conditions from other namespaces; a rule carrying one it cannot evaluate does not match (§10.1). */
  extensions: XmlElement[];
}

export function emptyConditions(): Conditions {
  return { identities: [], spheres: [], validities: [], externalLists: [], extensions: [] };
}

const cp = (local: string) => q(PREFIX.commonPolicy, local);
const ocp = (local: string) => q(PREFIX.omaCommonPolicy, local);

export function readConditions(e: XmlElement): Conditions {
  const out = emptyConditions();
  for (const c of children(e)) {
    if (c.ns === NS.omaCommonPolicy) {
      if (c.local === 'other-identity') out.otherIdentity = true;
      else if (c.local === 'anonymous-request') out.anonymousRequest = true;
      else if (c.local === 'external-list') {
        out.externalLists.push(children(c, NS.omaCommonPolicy, 'entry').map((x) => requireAttr(x, 'anc')));
      } else out.extensions.push(c);
      continue;
    }
    if (c.ns !== NS.commonPolicy) {
      out.extensions.push(c);
      continue;
    }
    if (c.local === 'identity') {
      const id: IdentityCondition = { ones: [], manys: [], extensions: [] };
      for (const x of children(c)) {
        if (x.ns !== NS.commonPolicy) id.extensions.push(x);
        else if (x.local === 'one') id.ones.push(requireAttr(x, 'id'));
        else if (x.local === 'many') {
          const many: IdentityMany = { excepts: [] };
          const d = attr(x, 'domain');
          if (d !== undefined) many.domain = d;
          for (const ex of children(x, NS.commonPolicy)) {
            if (ex.local !== 'except') invalid(`<${ex.name}> is not allowed in <cp:many>`);
            const exc: { domain?: string; id?: string } = {};
            const ed = attr(ex, 'domain');
            const eid = attr(ex, 'id');
            if (ed !== undefined) exc.domain = ed;
            if (eid !== undefined) exc.id = eid;
            many.excepts.push(exc);
          }
          id.manys.push(many);
        } else invalid(`<${x.name}> is not allowed in <cp:identity>`);
      }
      if (id.ones.length + id.manys.length + id.extensions.length === 0) invalid('<cp:identity> is empty');
      out.identities.push(id);
    } else if (c.local === 'sphere') out.spheres.push(requireAttr(c, 'value'));
    else if (c.local === 'validity') {
      const intervals: ValidityInterval[] = [];
      let from: string | undefined;
      for (const x of children(c, NS.commonPolicy)) {
        if (x.local === 'from' && from === undefined) from = parseDateTime(text(x), 'cp:from');
        else if (x.local === 'until' && from !== undefined) {
          intervals.push({ from, until: parseDateTime(text(x), 'cp:until') });
          from = undefined;
        } else invalid('<cp:validity> must hold from/until pairs (RFC 4745 §7.3)');
      }
      if (from !== undefined || intervals.length === 0) invalid('<cp:validity> must hold from/until pairs');
      out.validities.push(intervals);
    } else invalid(`<${c.name}> is not a common-policy condition`);
  }
  return out;
}

export function writeConditions(c: Conditions): XmlElement {
  return el(NS.commonPolicy, cp('conditions'), {}, [
    ...c.identities.map((i) =>
      el(NS.commonPolicy, cp('identity'), {}, [
        ...i.ones.map((id) => el(NS.commonPolicy, cp('one'), { id })),
        ...i.manys.map((m) =>
          el(
            NS.commonPolicy,
            cp('many'),
            { domain: m.domain },
            m.excepts.map((x) => el(NS.commonPolicy, cp('except'), { domain: x.domain, id: x.id })),
          ),
        ),
        ...i.extensions,
      ]),
    ),
    ...c.spheres.map((value) => el(NS.commonPolicy, cp('sphere'), [attribute('value', value)])),
    ...c.validities.map((v) =>
      el(
        NS.commonPolicy,
        cp('validity'),
        {},
        v.flatMap((i) => [
          el(NS.commonPolicy, cp('from'), {}, [i.from]),
          el(NS.commonPolicy, cp('until'), {}, [i.until]),
        ]),
      ),
    ),
    c.otherIdentity && el(NS.omaCommonPolicy, ocp('other-identity')),
    c.anonymousRequest && el(NS.omaCommonPolicy, ocp('anonymous-request')),
    ...c.externalLists.map((anchors) =>
      el(
        NS.omaCommonPolicy,
        ocp('external-list'),
        {},
        anchors.map((anc) => el(NS.omaCommonPolicy, ocp('entry'), { anc })),
      ),
    ),
    ...c.extensions,
  ]);
}

/**
 * A URI reduced to the form identities are compared in: scheme folded among the AOR schemes
 * the lab treats as one (sip, sips, pres, im — RFC 3859/3860 map them to the same user),
 * parameters and headers dropped, host lower-cased (RFC 3261 §19.1.4; user part stays exact).
 */
export function identityKey(uri: string): string {
  let s = uri.trim();
  const lt = s.indexOf('<');
  if (lt >= 0) s = s.slice(lt + 1, s.indexOf('>', lt) < 0 ? undefined : s.indexOf('>', lt));
  const colon = s.indexOf(':');
  let scheme = colon < 0 ? '' : s.slice(0, colon).toLowerCase();
  let rest = colon < 0 ? s : s.slice(colon + 1);
  if (scheme === 'sips' || scheme === 'pres' || scheme === 'im') scheme = 'sip';
  rest = rest.split(/[;?]/)[0] ?? '';
  const at = rest.lastIndexOf('@');
  const user = at < 0 ? '' : rest.slice(0, at);
  const host = (at < 0 ? rest : rest.slice(at + 1)).toLowerCase();
  return `${scheme}:${user === '' ? '' : `${user}@`}${host}`;
}

export function identityDomain(uri: string): string {
  const key = identityKey(uri);
  const at = key.lastIndexOf('@');
  return at < 0 ? key.slice(key.indexOf(':') + 1) : key.slice(at + 1);
}

export interface ConditionContext {
  /** The authenticated identity of the requester (the watcher), or undefined if anonymous. */
  identity: string | undefined;
  /** Current time, ms since the epoch. */
  now: number;
  /** The presentity's current RPID sphere (`work`, `home`, …), if known. */
  sphere?: string;
  /** Resolves OMA external-list membership (the XCAP server knows the lists); absent = never a member. */
  isListMember?: (anchor: string, identity: string) => boolean;
  /**
   * Whether the identity matched an identity-type condition (identity, external-list,
   * anonymous-request) of some rule without other-identity — set by the evaluator (OMA §5.1.2.1).
   */
  identityMatchedElsewhere?: boolean;
}

function identityMatches(cond: IdentityCondition, who: string): boolean {
  const key = identityKey(who);
  const domain = identityDomain(who);
  if (cond.ones.some((id) => identityKey(id) === key)) return true;
  return cond.manys.some((m) => {
    if (m.domain !== undefined && m.domain.toLowerCase() !== domain) return false;
    return !m.excepts.some(
      (x) =>
        (x.id !== undefined && identityKey(x.id) === key) ||
        (x.domain !== undefined && x.domain.toLowerCase() === domain),
    );
  });
}

/** Does any identity-type condition of `c` name the requester? (input to other-identity) */
export function identityConditionsHit(c: Conditions | undefined, ctx: ConditionContext): boolean {
  if (c === undefined) return false;
  const who = ctx.identity;
  if (c.anonymousRequest && who === undefined) return true;
  if (who === undefined) return false;
  if (c.identities.some((id) => identityMatches(id, who))) return true;
  return c.externalLists.some((anchors) => anchors.some((a) => ctx.isListMember?.(a, who) === true));
}

/** RFC 4745 §10.1: all present conditions must match; an empty or absent <conditions> matches. */
export function conditionsMatch(c: Conditions | undefined, ctx: ConditionContext): boolean {
  if (c === undefined) return true;
  if (c.extensions.length > 0) return false;
  if (c.anonymousRequest && ctx.identity !== undefined) return false;
  if (c.otherIdentity && (ctx.identity === undefined || ctx.identityMatchedElsewhere === true)) return false;
  for (const anchors of c.externalLists) {
    const who = ctx.identity;
    if (who === undefined || !anchors.some((a) => ctx.isListMember?.(a, who) === true)) return false;
  }
  for (const id of c.identities) {
    // Identity conditions need an authenticated identity (§7.1); unknown identity types never match.
    if (ctx.identity === undefined) return false;
    if (!identityMatches(id, ctx.identity)) return false;
  }
  for (const s of c.spheres) {
    if (ctx.sphere === undefined || !s.split(/\s+/).includes(ctx.sphere)) return false;
  }
  for (const v of c.validities) {
    if (!v.some((i) => Date.parse(i.from) <= ctx.now && ctx.now < Date.parse(i.until))) return false;
  }
  return true;
}
