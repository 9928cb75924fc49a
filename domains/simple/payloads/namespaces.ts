// Namespace URIs and MIME types of the SIMPLE payloads, as registered by their RFCs.

export const NS = {
  pidf: 'urn:ietf:params:xml:ns:pidf', // RFC 3863 §4
  dm: 'urn:ietf:params:xml:ns:pidf:data-model', // RFC 4479 §4
  rpid: 'urn:ietf:params:xml:ns:pidf:rpid', // RFC 4480 §5
  cipid: 'urn:ietf:params:xml:ns:pidf:cipid', // RFC 4482 §4
  caps: 'urn:ietf:params:xml:ns:pidf:caps', // RFC 5196 §5
  watcherinfo: 'urn:ietf:params:xml:ns:watcherinfo', // RFC 3858 §4
  commonPolicy: 'urn:ietf:params:xml:ns:common-policy', // RFC 4745 §13
  presRules: 'urn:ietf:params:xml:ns:pres-rules', // RFC 5025 §5
  omaCommonPolicy: 'urn:oma:xml:xdm:common-policy', // OMA XDM Core 1.1 §5.1.2 (xdm_commonPolicy-v1_0.xsd)
  resourceLists: 'urn:ietf:params:xml:ns:resource-lists', // RFC 4826 §3.2
  rlsServices: 'urn:ietf:params:xml:ns:rls-services', // RFC 4826 §4.2
  rlmi: 'urn:ietf:params:xml:ns:rlmi', // RFC 4662 §5.2
  simpleFilter: 'urn:ietf:params:xml:ns:simple-filter', // RFC 4661 §3
  pidfDiff: 'urn:ietf:params:xml:ns:pidf-diff', // RFC 5262 §4
  imdn: 'urn:ietf:params:xml:ns:imdn', // RFC 5438 §10
} as const;

/** Conventional prefixes the serializers use (any prefix is accepted on input). */
export const PREFIX = {
  dm: 'dm',
  rpid: 'rpid',
  cipid: 'c',
  caps: 'caps',
  commonPolicy: 'cp',
  presRules: 'pr',
  omaCommonPolicy: 'ocp',
  pidfDiff: 'p',
} as const;

export const CONTENT_TYPE = {
  pidf: 'application/pidf+xml',
  watcherinfo: 'application/watcherinfo+xml',
  authPolicy: 'application/auth-policy+xml',
  resourceLists: 'application/resource-lists+xml',
  rlsServices: 'application/rls-services+xml',
  rlmi: 'application/rlmi+xml',
  multipartRelated: 'multipart/related',
  simpleFilter: 'application/simple-filter+xml',
  pidfDiff: 'application/pidf-diff+xml',
  cpim: 'message/cpim',
  imdn: 'message/imdn+xml',
} as const;
