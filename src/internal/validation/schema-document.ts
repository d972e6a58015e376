import SCHEMA from './props-schema.json';

/**
 * The props schema document (props-schema.json). A module of its own so that validate-props.ts
 * loads it only when an error has to be explained, while the compiler still copies the JSON.
 */
export const SCHEMA_DOCUMENT: unknown = SCHEMA;
