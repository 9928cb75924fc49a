// Sessions by SessionID and by user (imps.md §13 item 3). Expired ids are remembered for a while
// so a late request hears 600 "Session expired" rather than 604 "Invalid session".
import type { ImpsSession } from './imps-session.ts';

const REMEMBER_EXPIRED = 1000;

export class SessionStore {
  private readonly byId = new Map<string, ImpsSession>();
  private readonly expired = new Set<string>();

  add(session: ImpsSession): void {
    this.byId.set(session.sessionId, session);
  }

  get(sessionId: string | undefined): ImpsSession | undefined {
    return sessionId === undefined ? undefined : this.byId.get(sessionId);
  }

  wasExpired(sessionId: string | undefined): boolean {
    return sessionId !== undefined && this.expired.has(sessionId);
  }

  remove(session: ImpsSession, expired: boolean): void {
    this.byId.delete(session.sessionId);
    session.close();
    if (expired) {
      this.expired.add(session.sessionId);
      if (this.expired.size > REMEMBER_EXPIRED) {
        const first = this.expired.values().next();
        if (!first.done) this.expired.delete(first.value);
      }
    }
  }

  ofUser(userId: string): ImpsSession[] {
    const out: ImpsSession[] = [];
    for (const s of this.byId.values()) if (s.userId === userId) out.push(s);
    return out;
  }

  all(): ImpsSession[] {
    return [...this.byId.values()];
  }
}
