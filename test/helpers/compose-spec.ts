import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

/**
 * Where the compose specification's JSON schema comes from: the `dclint` package (Docker Compose
 * linter, maintained) ships compose-spec/compose-spec's schema/compose-spec.json verbatim as
 * schemas/compose.schema.json and refreshes it with each release. Its package "exports" do not
 * list the file, so it is read from the installed package's folder.
 */
export const COMPOSE_SPEC_SCHEMA = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');

let compiled: ValidateFunction | undefined;

/** A validator for the compose specification (JSON Schema draft-07, which plain Ajv speaks). */
export function composeSpecValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(COMPOSE_SPEC_SCHEMA, 'utf8')) as { $schema: string };
  // The schema names draft-07 by its https URL; Ajv knows the same meta-schema by the http one.
  const draft7 = require('ajv/dist/refs/json-schema-draft-07.json') as Record<string, unknown>;
  // strictTypes is Ajv's own lint of schemas (it wants "type" beside every keyword); the
  // specification's schema is written without it, and the lint changes no verdict.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  ajv.addMetaSchema({ ...draft7, $id: schema.$schema });
  compiled = ajv.compile(schema);
  return compiled;
}

/** Ajv's errors, one line each, for a readable failure. */
export function schemaErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
