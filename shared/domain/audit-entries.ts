// Builds audit entries: who changed what, from where. Entries are written by the store in the same
// transaction as the change they describe.
import { newId, SLOTS_PER_MILLISECOND } from './ids';
import {
  type Actor,
  type AuditAction,
  type AuditEntry,
  type AuditSourceType,
  type Authority,
  OPERATOR_ACTOR_ID,
  OPERATOR_ACTOR_NAME,
  type RequestMeta,
  type SystemActor,
} from './model';

const SECONDS_PER_DAY = 86_400;

export interface Change {
  action: AuditAction;
  event: string;
  sourceType: AuditSourceType;
  sourceId: string | number;
  sourceLabel: string;
  changeDescription: string;
}

/** Who acts and from where: what a caller gives every change it asks a service for. */
export interface ActorContext {
  actor: Actor;
  request: RequestMeta;
  /** Set for changes made through the API: what must still hold when the change commits. */
  authority?: Authority;
}

/** A change's context inside an account. */
export interface OperationContext extends ActorContext {
  accountId: string;
}

/** Who acted, where from, when, and how long entries are kept: the same for every change of one operation. */
export interface ChangeContext extends OperationContext {
  now: Date;
  retentionDays?: number;
}

/** What the domain services are configured with once, instead of with every call. */
export interface ServiceOptions {
  clock?: () => Date;
  /** Audit entries expire this many days after they are written; undefined keeps them forever. */
  auditRetentionDays?: number;
}

/** The services' clock: the one given, or the real time. */
export const clockOf = (options: ServiceOptions): (() => Date) => options.clock ?? (() => new Date());

/** The context of one change: the caller's, at `now`, with the services' audit retention. */
export function changeContextAt(context: OperationContext, now: Date, options: ServiceOptions): ChangeContext {
  return { ...context, now, retentionDays: options.auditRetentionDays };
}

/** The one way to say "an operator does this" (tokenctl, the local seed, tests and benchmarks). */
export function operatorContext(userAgent: string, ipAddress: string | null = null): ActorContext {
  return { actor: { kind: 'operator' }, request: { ipAddress, userAgent } };
}

/** The one way to say "the service does this on its own" (leak reports, the sweep), from where (a reporter's address). */
export function systemContext(system: SystemActor, request: RequestMeta = { ipAddress: null, userAgent: null }): ActorContext {
  return { actor: { kind: 'system', system }, request };
}

function actorIdentity(actor: Actor): Pick<AuditEntry, 'actorId' | 'actorName' | 'actorApiTokenId'> {
  switch (actor.kind) {
    case 'operator':
      return { actorId: OPERATOR_ACTOR_ID, actorName: OPERATOR_ACTOR_NAME, actorApiTokenId: null };
    case 'system':
      return { actorId: actor.system.actorId, actorName: actor.system.actorName, actorApiTokenId: null };
    case 'user':
      return { actorId: actor.userId, actorName: actor.name, actorApiTokenId: actor.apiTokenId };
  }
}

export function auditEntry(context: ChangeContext, change: Change): AuditEntry {
  const createdAt = context.now.toISOString();
  return {
    accountId: context.accountId,
    auditId: newId(context.now.getTime()),
    ...change,
    sourceId: String(change.sourceId),
    ...actorIdentity(context.actor),
    ipAddress: context.request.ipAddress,
    userAgent: context.request.userAgent,
    createdAt,
    ...(context.retentionDays === undefined
      ? {}
      : { expiresAt: Math.floor(context.now.getTime() / 1000) + context.retentionDays * SECONDS_PER_DAY }),
  };
}

/** Quoted for change descriptions: `"text"`, or `none` for an empty value. */
export const quoted = (value: string | null) => (value === null || value === '' ? 'none' : JSON.stringify(value));

/** Describes the fields that differ, e.g. `Role changed from "agent" to "admin"`. */
export function describeChanges(labels: Record<string, string>, before: object, changes: object): string {
  return Object.entries(changes)
    .map(([field, value]) => {
      const previous = (before as Record<string, unknown>)[field];
      return `${labels[field] ?? field} changed from ${quoted(String(previous))} to ${quoted(String(value))}`;
    })
    .join('; ');
}

/**
 * Entries written in one transaction need distinct keys: consecutive ids, all within the millisecond of
 * the first (started earlier in it when the first's slot is near its end), so that a time range, which is
 * an id range, holds all of a change's entries or none.
 */
export function distinctIds(entries: AuditEntry[]): AuditEntry[] {
  const firstId = entries[0]?.auditId ?? 0;
  const spill = Math.max(0, (firstId % SLOTS_PER_MILLISECOND) + entries.length - SLOTS_PER_MILLISECOND);
  return entries.map((entry, index) => ({ ...entry, auditId: firstId - spill + index }));
}
