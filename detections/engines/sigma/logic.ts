// Three-valued (Kleene) logic. A selection item on a field the event's log source does not carry
// (e.g. ParentCommandLine on Security 4688) is UNKNOWN, not false: `not unknown` stays unknown, so
// such a rule neither matches nor silently passes its filters on that source; whyNot reports it.
export const F = 0;
export const T = 1;
export const U = 2;
export type TV = typeof F | typeof T | typeof U;

export function and(a: TV, b: TV): TV {
  if (a === F || b === F) return F;
  return a === U || b === U ? U : T;
}

export function or(a: TV, b: TV): TV {
  if (a === T || b === T) return T;
  return a === U || b === U ? U : F;
}

export function not(a: TV): TV {
  return a === U ? U : a === T ? F : T;
}

export function tv(b: boolean): TV {
  return b ? T : F;
}

export function tvName(v: TV): string {
  return v === T ? 'true' : v === F ? 'false' : 'unknown';
}
