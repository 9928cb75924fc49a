// Each scenario action as a control-API call (docs/control-api.md) or a wait, plus the one-line
// title the step log, the JUnit file and the diagram show for it.
import { describeHopExpectation } from './expectations.ts';
import { actionOf, type ScenarioStep, type StepAction } from './scenario-schema.ts';
import type { TerminalClient } from './terminal-client.ts';

const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s.length > 90 ? `${s.slice(0, 87)}…` : s;
};

export function describeAction(action: StepAction): string {
  switch (action.name) {
    case 'login':
      return `${action.args.actor}: login${action.args.via === 'visited' ? ' via the visited network' : ''}`;
    case 'logout':
      return `${action.args.actor}: logout`;
    case 'setPresence':
      return `${action.args.actor}: set presence ${short(action.args.presence)}`;
    case 'subscribe': {
      const a = action.args;
      const options = [
        ...(a.list ? ['list'] : []),
        ...(a.attributes ? [`only ${a.attributes.join('+')}`] : []),
        ...(a.onlyChanges ? ['changes only'] : []),
      ];
      return `${a.actor}: subscribe to ${a.target}${options.length > 0 ? ` (${options.join(', ')})` : ''}`;
    }
    case 'setBuddyList':
      return `${action.args.actor}: buddy list ${action.args.list} = ${action.args.members.join(', ')}`;
    case 'unsubscribe':
      return `${action.args.actor}: unsubscribe from ${action.args.target}`;
    case 'authorize':
      return `${action.args.actor}: ${action.args.decision} ${action.args.watcher}`;
    case 'revoke':
      return `${action.args.actor}: revoke ${action.args.watcher}`;
    case 'sendMessage':
      return `${action.args.actor}: IM to ${action.args.to} ${JSON.stringify(action.args.text)}${action.args.deliveryReport ? ' (delivery report)' : ''}`;
    case 'expectEvent':
      return `${action.args.actor} sees ${action.args.type}${action.args.match ? ` ${short(action.args.match)}` : ''}`;
    case 'expectNoEvent':
      return `${action.args.actor} sees no ${action.args.type}${action.args.match ? ` ${short(action.args.match)}` : ''} for ${action.args.forMs} ms`;
    case 'expectState':
      return `${action.args.actor}'s state has ${short(action.args.match)}`;
    case 'expect':
      return `hop: ${describeHopExpectation(action.args)}`;
    case 'wait':
      return `wait ${action.args.ms} ms`;
    case 'restart':
      return `restart ${action.args.node}`;
  }
}

export function describeStep(step: ScenarioStep): string {
  return step.title ?? describeAction(actionOf(step));
}

/** The control call of an actor action, or undefined for expectations and waits. */
export async function callFor(
  action: StepAction,
  client: TerminalClient,
  timeoutMs: number,
): Promise<unknown | undefined> {
  switch (action.name) {
    case 'login': {
      const { actor: _a, ...body } = action.args;
      return client.call('POST', '/login', body, timeoutMs);
    }
    case 'logout':
      return client.call('POST', '/logout', {}, timeoutMs);
    case 'setPresence':
      return client.call('POST', '/presence', action.args.presence, timeoutMs);
    case 'subscribe': {
      const { actor: _a, ...body } = action.args;
      return client.call('POST', '/subscriptions', body, timeoutMs);
    }
    case 'setBuddyList':
      // Proposed control-API call (docs/scenarios.md "Not runnable yet"); no terminal has it yet.
      return client.call(
        'PUT',
        `/lists/${encodeURIComponent(action.args.list)}`,
        { members: action.args.members },
        timeoutMs,
      );
    case 'unsubscribe':
      return client.call('DELETE', `/subscriptions/${encodeURIComponent(action.args.target)}`, {}, timeoutMs);
    case 'authorize': {
      const { actor: _a, ...body } = action.args;
      return client.call('POST', '/authorizations', body, timeoutMs);
    }
    case 'revoke':
      return client.call(
        'DELETE',
        `/authorizations/${encodeURIComponent(action.args.watcher)}`,
        {},
        timeoutMs,
      );
    case 'sendMessage':
      return client.call(
        'POST',
        '/messages',
        { to: action.args.to, text: action.args.text, deliveryReport: action.args.deliveryReport ?? false },
        timeoutMs,
      );
    default:
      return undefined;
  }
}
