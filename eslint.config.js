// The layers the design promises, enforced: the pure layers (model, analyze, emit, harvest,
// strace, syntax, compare, and drift but its audit) never reach up into the pipeline, the verify stage or the CLI; the
// pipeline never into the tracer, verification or the CLI (it owns ports for the first two); dockerode is
// the runtime's alone; a promise is awaited or handed on, never dropped; a switch over a union
// names every member.
import tseslint from 'typescript-eslint';

const upward = (...layers) => layers.map((l) => ({ group: [`**/${l}/*`, `../${l}/*`, `../../${l}/*`], message: `this layer must not import ${l}/ (see eslint.config.js)` }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/**', 'coverage/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/runtime/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'dockerode', message: 'only src/runtime talks to dockerode: go through the Engine interface' }] }] },
  },
  {
    files: ['src/model/**/*.ts', 'src/analyze/**/*.ts', 'src/emit/**/*.ts', 'src/harvest/**/*.ts', 'src/strace/**/*.ts', 'src/syntax/**/*.ts', 'src/compare/**/*.ts', 'src/source/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'dockerode', message: 'only src/runtime talks to dockerode' }], patterns: upward('pipeline', 'verify', 'cli', 'trace') }],
    },
  },
  {
    // drift's classification and outputs are pure; audit.ts alone asks the engine.
    files: ['src/drift/**/*.ts'],
    ignores: ['src/drift/audit.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'dockerode', message: 'only src/runtime talks to dockerode' }], patterns: upward('pipeline', 'verify', 'cli', 'trace', 'runtime') }],
    },
  },
  {
    // The pipeline drives the tracer and verification through the ports it owns (pipeline/ports.ts);
    // the CLI passes trace/live-tracer.ts and verify/verifier.ts in.
    files: ['src/pipeline/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'dockerode', message: 'only src/runtime talks to dockerode' }], patterns: upward('verify', 'cli', 'trace') }],
    },
  },
  {
    files: ['src/runtime/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: upward('pipeline', 'verify', 'cli', 'trace', 'emit', 'analyze') }] },
  },
);
