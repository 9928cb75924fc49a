// The scenario file format (docs/scenarios.md): YAML, validated with zod. A scenario names the
// nodes it needs (topology overrides), its actors (users and their terminals) and its steps:
// actor actions mapped onto the terminals' control API (docs/control-api.md), expectations on
// what each user sees, and expectations on the protocol messages crossing each hop.
import { z } from 'zod';
import { NodeSchema } from '../lab/topology.ts';

const ms = z.number().int().min(0).max(600_000);
const useCaseStep = z.union([z.number().int().min(0), z.string().regex(/^[A-Za-z0-9.-]{1,12}$/)]);
const address = z.string().min(3).max(256);

const PresenceSchema = z
  .object({
    basic: z.enum(['open', 'closed']).optional(),
    availability: z.enum(['available', 'discreet', 'not-available']).optional(),
    activities: z.array(z.string()).optional(),
    mood: z.array(z.string()).optional(),
    note: z.string().optional(),
    placeType: z.string().optional(),
    statusIcon: z.string().optional(),
  })
  .strict();

const ProvideSchema = z
  .object({
    notes: z.boolean(),
    activities: z.boolean(),
    mood: z.boolean(),
    placeType: z.boolean(),
    network: z.boolean(),
  })
  .partial()
  .strict();

/** A partial JSON value an event or state must contain (see `matches`). */
const MatchSchema = z.record(z.string(), z.unknown());

const actor = { actor: z.string().min(1) };

export const ACTIONS = {
  login: z
    .object({ ...actor, password: z.string().optional(), via: z.enum(['home', 'visited']).optional() })
    .strict(),
  logout: z.object(actor).strict(),
  setPresence: z.object({ ...actor, presence: PresenceSchema }).strict(),
  subscribe: z
    .object({
      ...actor,
      target: address,
      list: z.boolean().optional(),
      /** Common-model fields to be told about (RFC 4661 filter / IMPS attribute subset). */
      attributes: z
        .array(z.enum(['basic', 'availability', 'activities', 'mood', 'note', 'placeType', 'statusIcon']))
        .optional(),
      /** Only changed attributes in each notification (RFC 5262 partial / IMPS change-only). */
      onlyChanges: z.boolean().optional(),
    })
    .strict(),
  /** Replaces the members of the actor's buddy list (IMPS contact list / SIMPLE resource list). */
  setBuddyList: z.object({ ...actor, list: address, members: z.array(address).max(200) }).strict(),
  unsubscribe: z.object({ ...actor, target: address }).strict(),
  authorize: z
    .object({
      ...actor,
      watcher: address,
      decision: z.enum(['approve', 'deny', 'polite-block']),
      provide: ProvideSchema.optional(),
    })
    .strict(),
  revoke: z.object({ ...actor, watcher: address }).strict(),
  sendMessage: z
    .object({
      ...actor,
      to: address,
      text: z.string().max(10_000),
      deliveryReport: z.boolean().optional(),
      /** Remembers the message id as `$<as>` for later matches. */
      as: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
        .optional(),
      /** `sent` (200) or `stored` (202: the recipient is offline). */
      status: z.enum(['sent', 'stored']).optional(),
    })
    .strict(),
  /** Waits until the actor's event stream holds a matching event not matched before. */
  expectEvent: z
    .object({
      ...actor,
      type: z.enum(['login', 'presence', 'subscription', 'watcher', 'message', 'delivery', 'error']),
      match: MatchSchema.optional(),
    })
    .strict(),
  /** Holds for `forMs`: no matching event arrives. */
  expectNoEvent: z
    .object({
      ...actor,
      type: z.enum(['login', 'presence', 'subscription', 'watcher', 'message', 'delivery', 'error']),
      match: MatchSchema.optional(),
      forMs: ms,
    })
    .strict(),
  /** Polls the actor's state snapshot (GET /api/v1/state) until it contains `match`. */
  expectState: z.object({ ...actor, match: MatchSchema }).strict(),
  /** A message crossing a hop, found in the lab's trace by the nodes' addresses. */
  expect: z
    .object({
      /** `PS2->Jane`: node names (any case), sender first. */
      hop: z.string().regex(/^\s*[A-Za-z0-9_-]+\s*->\s*[A-Za-z0-9_-]+\s*$/, 'must look like "PS2->Jane"'),
      protocol: z.enum(['sip', 'csp', 'ssp', 'xcap', 'cir', 'http']).optional(),
      /** SIP method (of a request, or the CSeq method of a response) or HTTP method. */
      method: z.string().optional(),
      /** CSP primitive / SSP content kind, e.g. `PresenceNotification-Request`. */
      primitive: z.string().optional(),
      /** SIP / CSP / SSP / HTTP status code. */
      status: z.number().int().optional(),
      /** Text the raw message must contain. */
      contains: z.union([z.string(), z.array(z.string())]).optional(),
      notContains: z.union([z.string(), z.array(z.string())]).optional(),
      /** Search the whole run instead of what followed the last action. */
      since: z.enum(['action', 'run']).optional(),
      /** Expect no such message: hold for `forMs` and fail if one crosses. */
      absent: z.boolean().optional(),
      forMs: ms.optional(),
    })
    .strict(),
  wait: z.object({ ms }).strict(),
  /** Kills a node and starts it again (needs the `node-restart` capability). */
  restart: z.object({ node: z.string().min(1) }).strict(),
} as const;

export type ActionName = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];
export type ActionArgs<N extends ActionName> = z.infer<(typeof ACTIONS)[N]>;

const common = {
  useCaseStep: useCaseStep.optional(),
  title: z.string().max(200).optional(),
  /** How long the step may take (default: the scenario's `timeoutMs`). */
  timeoutMs: ms.optional(),
  /** The action must fail with this control-API error code (e.g. TERM_ERR_AUTH_FAILED). */
  expectError: z
    .string()
    .regex(/^TERM_ERR_[A-Z_]+$/)
    .optional(),
};

export const StepSchema = z
  .object({ ...common, ...Object.fromEntries(ACTION_NAMES.map((n) => [n, ACTIONS[n].optional()])) })
  .strict()
  .superRefine((step, ctx) => {
    const present = ACTION_NAMES.filter((n) => (step as Record<string, unknown>)[n] !== undefined);
    if (present.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? `a step needs one action (${ACTION_NAMES.join(', ')})`
            : `a step has exactly one action, not ${present.join(' + ')}`,
      });
  });

const TerminalNode = NodeSchema.partial();

export const ScenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'lower-case letters, digits and dashes'),
    description: z.string().max(4000).optional(),
    /** Roles or capabilities not yet in the lab make the scenario "not runnable yet". */
    requires: z.array(z.string().regex(/^[a-z0-9-]+$/)).optional(),
    /** Default timeout of each step (ms). */
    timeoutMs: ms.optional(),
    topology: z
      .object({
        /** Which nodes run (default: every node of the base topology). */
        nodes: z.array(z.string()).optional(),
        /** Nodes added to the base topology (e.g. a second SIMPLE user). */
        add: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), NodeSchema).optional(),
        /** Fields changed on existing nodes (delayMs, notifyMinIntervalMs …). */
        set: z.record(z.string(), TerminalNode.passthrough()).optional(),
        domains: z.record(z.string(), z.object({ server: z.string() }).strict()).optional(),
      })
      .strict()
      .optional(),
    actors: z.record(
      z.string().regex(/^[a-z][a-z0-9-]*$/),
      z
        .object({
          /** The terminal node (default: the actor's name). */
          node: z.string().optional(),
          user: z.string().optional(),
          password: z.string().optional(),
          /** IMPS terminals: the CSP version and encoding the client speaks. */
          csp: z
            .object({
              version: z.enum(['1.1', '1.2', '1.3']).optional(),
              encoding: z.enum(['xml', 'wbxml']).optional(),
            })
            .strict()
            .optional(),
        })
        .strict(),
    ),
    steps: z.array(StepSchema).min(1),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioStep = z.infer<typeof StepSchema>;

/** The single action of a step, typed. */
export type StepAction = { [N in ActionName]: { name: N; args: ActionArgs<N> } }[ActionName];

export function actionOf(step: ScenarioStep): StepAction {
  for (const name of ACTION_NAMES) {
    const args = (step as Record<string, unknown>)[name];
    if (args !== undefined) return { name, args } as StepAction;
  }
  throw new Error('step without an action (the schema forbids it)');
}
