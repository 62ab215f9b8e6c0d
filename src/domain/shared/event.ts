/** What a decider emits: a plain, JSON-serialisable fact. Metadata is added by command handling. */
export interface DomainEvent<T extends string = string, D extends object = Record<string, unknown>> {
  readonly type: T;
  readonly data: D;
}

export type Role = 'cpe' | 'teacher' | 'principal' | 'auditor' | 'admin';
export const ROLES: readonly Role[] = ['cpe', 'teacher', 'principal', 'auditor', 'admin'];

export interface Actor {
  readonly id: string;
  readonly role: Role;
}

/** Metadata carried by every stored event (see DESIGN.md, "Events"). */
export interface EventMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  readonly schoolId: string;
  /** Server UTC instant (ISO 8601) at which the command was handled. */
  readonly recordedAt: string;
  readonly schemaVersion: number;
  /** Mandatory for every correction. */
  readonly reason?: string;
}

/** `isXEvent`, from the list of a union's type names: one Set lookup per event. */
export const eventTypeGuard = <E extends { readonly type: string }>(types: readonly E['type'][]) => {
  const known: ReadonlySet<string> = new Set(types);
  return (event: { readonly type: string }): event is E => known.has(event.type);
};
