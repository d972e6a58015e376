import { IConstruct } from 'constructs';
import { getOrInsert } from './get-or-insert';

/** Every construct of one app, listed once per validation pass. */
const LISTED = new WeakMap<IConstruct, readonly IConstruct[]>();
const HOOKED = new WeakSet<IConstruct>();

/**
 * Every construct of `scope`'s app (`root.node.findAll()`), for validations that look at the
 * whole tree: listed once per validation pass and shared by every such validation, instead of a
 * walk of the whole tree per construct (quadratic in the size of the app). A validation of the
 * root, which runs first in every pass, forgets the list, so each synthesis sees the tree as it
 * is then. Call it from validations only: a list taken at construction is stale until the next
 * pass starts.
 */
export function constructsOfApp(scope: IConstruct): readonly IConstruct[] {
  const root = scope.node.root;
  if (!HOOKED.has(root)) {
    HOOKED.add(root);
    root.node.addValidation({ validate: () => (LISTED.delete(root), []) });
  }
  return getOrInsert(LISTED, root, () => root.node.findAll());
}
