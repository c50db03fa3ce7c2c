/** What a stream's validator checks, field by field (validation.ts holds the rules). */
export interface FieldRules {
  /** Present and not blank in every event. */
  readonly required: readonly string[];
  /** Enum fields and the symbol a reader gives a value it does not know. */
  readonly known: readonly (readonly [field: string, unknownSymbol: string])[];
  /** Per event type: present and not blank in events of that type. */
  readonly payload: Readonly<Record<string, readonly string[] | undefined>>;
  /** Numbers that may not be negative when present. */
  readonly notNegative: readonly string[];
}

/**
 * True when every field rule holds (the event time is checked apart). Compiled to straight-line
 * code reading each field by its literal name: the generic validator reads fields from lists by
 * computed keys, which cost a lookup each on the hot path. It only answers yes or no: the
 * validator itself still says what is wrong with an event that fails it.
 */
export function compileQuickCheck(rules: FieldRules): (event: object) => boolean {
  const read = (field: string) => `e[${JSON.stringify(field)}]`;
  const allText = (fields: readonly string[]) =>
    fields.length === 0
      ? ''
      : `if (!(${fields.map((f) => `text(${read(f)})`).join(' && ')})) return false;`;
  const cases = Object.entries(rules.payload).map(
    ([type, fields]) => `case ${JSON.stringify(type)}: ${allText(fields ?? [])} break;`,
  );
  const source = `return function quickCheck(e) {
    ${allText(rules.required)}
    ${rules.known.map(([f, unknown]) => `if (${read(f)} === ${JSON.stringify(unknown)}) return false;`).join('\n')}
    switch (e["event_type"]) { ${cases.join('\n')} }
    ${rules.notNegative.map((f) => `if (typeof ${read(f)} === 'number' && ${read(f)} < 0) return false;`).join('\n')}
    return true;
  };`;
  return new Function('text', source)(hasText) as (event: object) => boolean;
}

/** Present and, for a string, not blank: a first character that is printable ASCII settles it. */
function hasText(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value !== 'string') return true;
  const first = value.charCodeAt(0);
  return (first > 32 && first < 127) || value.trim() !== '';
}
