// Service negotiation (imps.md §2.4): the function tree, which function code each primitive
// needs, and reading/writing the Functions / AllFunctions trees. Using a primitive whose function
// was not agreed answers 506 "Service not agreed".
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import type { CspVersion } from '../csp/csp-version.ts';
import { CSP_NAMESPACES } from '../csp/csp-version.ts';

type Tree = Record<string, Record<string, readonly string[]>>;

// imps.md §2.4 function tree, restricted to what PS1 implements (groups, search and invitations
// are not offered, so clients never agree them). REACT/CAAUT/GETAUT/AttListFunc exist up to 1.2.
const PS1_FUNCTIONS: Tree = {
  FundamentalFeat: { ServiceFunc: ['GETSPI'] },
  PresenceFeat: {
    ContListFunc: ['GCLI', 'CCLI', 'DCLI', 'MCLS'],
    PresenceAuthFunc: ['GETWL', 'REACT', 'CAAUT', 'GETAUT'],
    PresenceDeliverFunc: ['GETPR', 'UPDPR'],
    AttListFunc: ['CALI', 'DALI', 'GALS'],
  },
  IMFeat: {
    IMSendFunc: ['MDELIV', 'FWMSG'],
    IMReceiveFunc: ['SETD', 'GETLM', 'GETM', 'REJCM', 'NOTIF', 'NEWM'],
    IMAuthFunc: ['GLBLU', 'BLENT'],
  },
};

const ONLY_UP_TO_12 = new Set(['REACT', 'CAAUT', 'GETAUT']);
// imps.md §2.4: "1.2 adds a compact alternative per feature: MF/MP/MM/MG" — treated as the whole feature [I].
const COMPACT: Record<string, string> = {
  MF: 'FundamentalFeat',
  MP: 'PresenceFeat',
  MM: 'IMFeat',
  MG: 'GroupFeat',
};

/**
 * The function code a client primitive needs, or undefined when it needs none (session
 * management, acknowledgements). Subscribe/Unsubscribe have no code of their own in the tree;
 * they travel with GETPR (PresenceDeliverFunc) [I].
 */
export const PRIMITIVE_FUNCTION: Readonly<Record<string, string>> = {
  'GetSPInfo-Request': 'GETSPI',
  'GetList-Request': 'GCLI',
  'CreateList-Request': 'CCLI',
  'DeleteList-Request': 'DCLI',
  'ListManage-Request': 'MCLS',
  'GetWatcherList-Request': 'GETWL',
  'PresenceAuth-User': 'REACT',
  'CancelAuth-Request': 'CAAUT',
  'GetReactiveAuthStatus-Request': 'GETAUT',
  'GetPresence-Request': 'GETPR',
  'SubscribePresence-Request': 'GETPR',
  'UnsubscribePresence-Request': 'GETPR',
  'UpdatePresence-Request': 'UPDPR',
  'CreateAttributeList-Request': 'CALI',
  'DeleteAttributeList-Request': 'DALI',
  'GetAttributeList-Request': 'GALS',
  'SendMessage-Request': 'MDELIV',
  'ForwardMessage-Request': 'FWMSG',
  'SetDeliveryMethod-Request': 'SETD',
  'GetMessageList-Request': 'GETLM',
  'GetMessage-Request': 'GETM',
  'RejectMessage-Request': 'REJCM',
  'GetBlockedList-Request': 'GLBLU',
  'BlockEntity-Request': 'BLENT',
  'BlockUser-Request': 'BLENT',
};

export function supportedFunctions(version: CspVersion): Set<string> {
  const out = new Set<string>();
  for (const groups of Object.values(PS1_FUNCTIONS))
    for (const codes of Object.values(groups))
      for (const c of codes) if (version !== '1.3' || !ONLY_UP_TO_12.has(c)) out.add(c);
  return out;
}

function kids(e: XmlElement): XmlElement[] {
  return e.children.filter((c): c is XmlElement => typeof c !== 'string');
}

function allOfFeature(feature: string, out: Set<string>): void {
  for (const codes of Object.values(PS1_FUNCTIONS[feature] ?? {})) for (const c of codes) out.add(c);
}

/** Function codes a client asks for in `Functions` (an empty feature or group = all of it). */
export function requestedFunctions(functions: XmlElement | undefined): Set<string> {
  const out = new Set<string>();
  if (functions === undefined) return out;
  const walk = (e: XmlElement, feature: string | undefined, group: string | undefined): void => {
    const name = e.local;
    if (name === 'WVCSPFeat' && kids(e).length === 0) {
      for (const f of Object.keys(PS1_FUNCTIONS)) allOfFeature(f, out);
      return;
    }
    if (name in COMPACT) {
      allOfFeature(COMPACT[name]!, out);
      return;
    }
    if (name in PS1_FUNCTIONS || name === 'GroupFeat') {
      if (kids(e).length === 0) allOfFeature(name, out);
      for (const k of kids(e)) walk(k, name, undefined);
      return;
    }
    if (feature !== undefined && group === undefined && name.endsWith('Func')) {
      if (kids(e).length === 0) for (const c of PS1_FUNCTIONS[feature]?.[name] ?? []) out.add(c);
      for (const k of kids(e)) walk(k, feature, name);
      return;
    }
    if (kids(e).length === 0) out.add(name);
    else for (const k of kids(e)) walk(k, feature, group);
  };
  for (const k of kids(functions)) walk(k, undefined, undefined);
  return out;
}

/** `<Functions>` / `<AllFunctions>` holding `<WVCSPFeat>` with exactly the given codes. */
export function functionsElement(
  name: 'Functions' | 'AllFunctions',
  codes: Set<string>,
  version: CspVersion,
) {
  const ns = CSP_NAMESPACES[version].trc;
  const mk = (local: string, children: XmlElement[] = []): XmlElement => ({
    name: local,
    local,
    ns,
    attributes: [],
    children,
  });
  const features: XmlElement[] = [];
  for (const [feature, groups] of Object.entries(PS1_FUNCTIONS)) {
    const groupEls: XmlElement[] = [];
    for (const [group, all] of Object.entries(groups)) {
      const present = all.filter((c) => codes.has(c));
      if (present.length > 0)
        groupEls.push(
          mk(
            group,
            present.map((c) => mk(c)),
          ),
        );
    }
    if (groupEls.length > 0) features.push(mk(feature, groupEls));
  }
  return mk(name, [mk('WVCSPFeat', features)]);
}
