import type { SipRequest } from '../message/sip-message.ts';
import { aorKey } from '../registrar/process-register.ts';
import type { EventStateCompositor, PublishOutcome } from './event-state-compositor.ts';

// Glue from a decoded PUBLISH to EventStateCompositor.handlePublish (RFC 3903 §6 steps 1-2):
// the resource is the Request-URI in AOR form, the package the Event token; a missing Event
// header or a malformed Expires is answered here without touching the compositor.

/** The package name of an Event header value: `presence;id=1` → `presence` (RFC 6665 §8.2.1). */
export function eventPackage(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const name = value.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9\-.!%*_+`'~]+$/.test(name) ? name : undefined;
}

export function handlePublishRequest(
  request: SipRequest,
  esc: EventStateCompositor,
  now: number,
): PublishOutcome {
  const resource = aorKey(request.uri);
  if (resource === undefined) return { status: 416, reason: 'Unsupported URI Scheme', headers: [] };
  const event = eventPackage(request.headers.get('Event'));
  // §6 step 2: the Event header is mandatory in PUBLISH.
  if (event === undefined) return { status: 489, reason: 'Bad Event', headers: [] };
  let expires: number | undefined;
  if (request.headers.has('Expires')) {
    const raw = request.headers.get('Expires')!.trim();
    if (!/^\d{1,12}$/.test(raw))
      return { status: 400, reason: 'Bad Request - Malformed Expires', headers: [] };
    expires = Math.min(Number(raw), 2 ** 32 - 1);
  }
  const ifMatch = request.headers.get('SIP-If-Match')?.trim();
  return esc.handlePublish(resource, event, ifMatch, expires, request.body, request.contentType, now);
}
