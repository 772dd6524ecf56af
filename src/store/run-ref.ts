/** How a person names a stored run: `latest`, `latest~N`, a full id or an id prefix. */

export const MIN_PREFIX_LENGTH = 4;

export type RunRef =
  | { readonly kind: 'latest'; readonly offset: number }
  | { readonly kind: 'id'; readonly id: string; readonly prefixAllowed: boolean };

/** Reads a ref; `undefined` when it cannot name any run (so the caller reports RUN_NOT_FOUND). */
export function parseRunRef(ref: string): RunRef | undefined {
  if (ref === 'latest') return { kind: 'latest', offset: 0 };
  const back = /^latest~(\d{1,9})$/.exec(ref);
  if (back?.[1] !== undefined) return { kind: 'latest', offset: Number(back[1]) };
  if (ref.length === 0 || /[\s\u0000]/.test(ref)) return undefined;
  return { kind: 'id', id: ref, prefixAllowed: ref.length >= MIN_PREFIX_LENGTH };
}
