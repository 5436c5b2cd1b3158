// The parts of an UpdateExpression that name attributes beside a write's own fields: set them, set them only
// when absent, remove them. One builder for every write that moves such attributes (a versioned change,
// transactions.ts; an operator's backfill, backfill-update.ts), with placeholders that cannot collide.
import type { Item } from './items';

/** What an update does to attributes beside the changed fields: set them, set them when absent, remove them. */
export interface AttributeChanges {
  set?: Item;
  setIfAbsent?: Item;
  remove?: string[];
}

/** SET and REMOVE clauses, and the names and values their placeholders (`#a0`, `:a0`, …) stand for. */
export interface UpdateClauses {
  sets: string[];
  removes: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** The clauses of `attributes`, in the order set, set when absent, remove. */
export function updateClauses({ set = {}, setIfAbsent = {}, remove = [] }: AttributeChanges): UpdateClauses {
  const clauses: UpdateClauses = { sets: [], removes: [], names: {}, values: {} };
  const nameOf = (attribute: string) => {
    const name = `#a${Object.keys(clauses.names).length}`;
    clauses.names[name] = attribute;
    return name;
  };
  const valueFor = (name: string, value: unknown) => {
    const placeholder = `:${name.slice(1)}`;
    clauses.values[placeholder] = value;
    return placeholder;
  };
  for (const [attribute, value] of Object.entries(set)) {
    const name = nameOf(attribute);
    clauses.sets.push(`${name} = ${valueFor(name, value)}`);
  }
  for (const [attribute, value] of Object.entries(setIfAbsent)) {
    const name = nameOf(attribute);
    clauses.sets.push(`${name} = if_not_exists(${name}, ${valueFor(name, value)})`);
  }
  for (const attribute of remove) clauses.removes.push(nameOf(attribute));
  return clauses;
}
