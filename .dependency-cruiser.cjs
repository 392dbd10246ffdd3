// The import boundaries, checked by `npm run lint` (depcruise). CommonJS (.cjs): the package is an ES
// module and dependency-cruiser loads its configuration with require().
//
// Imports are read as TypeScript writes them (`./x.js` is ./x.ts) and type-only imports count: a
// contract that imports a type from an implementation file still ties the wallboard to that file.
// Tests (test/, *.spec.ts, *.test.ts) may import anything: no rule starts from them.
// .dependency-cruiser-known-violations.json is empty: the tree keeps every rule. It stays (read with
// --ignore-known) only so that a rule added later can list what it finds while the code is moved.

/** Where a test lives: it may reach into any part it tests. */
const TESTS = ['^test/', '\\.spec\\.ts$', '\\.test\\.ts$'];
/** Entity files (TypeORM tables). */
const ENTITY = '\\.entit(y|ies)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'forecasting-self-contained',
      comment:
        'forecasting/ is the pure forecasting engine: it is published and benchmarked on its own, so it ' +
        'may import npm packages and Node built-ins but nothing else of this repository.',
      severity: 'error',
      from: { path: '^forecasting/', pathNot: TESTS },
      to: { pathNot: ['^forecasting/', '^node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'wallboard-imports-server-contracts-only',
      comment:
        'The wallboard runs in a browser and is bundled by Vite: from the server it may import only ' +
        'contract files (server/**/*.contract.ts, types shared with the API), never an implementation ' +
        '(luxon, zod, SQL builders would land in the bundle and the two sides would be coupled). ' +
        'wallboard/dev/ is outside the rule: it is a Node stand-in for the server (the preview socket.io ' +
        "server and its sample board), never bundled, and it builds its board from the server's own " +
        'metric definitions so the preview cannot drift from the real board.',
      severity: 'error',
      from: { path: '^wallboard/', pathNot: '^wallboard/dev/' },
      to: { path: '^server/', pathNot: '\\.contract\\.ts$' },
    },
    {
      name: 'contracts-import-contracts-only',
      comment:
        'A contract (*.contract.ts) is the types the server and the wallboard share: it may import ' +
        'only other contracts, not implementation files and not npm packages, so that importing it ' +
        'brings nothing else along.',
      severity: 'error',
      from: { path: '\\.contract\\.ts$' },
      to: { pathNot: '\\.contract\\.ts$' },
    },
    {
      name: 'no-cross-feature-entities',
      comment:
        "One owner per table: a feature folder under server/ does not import another feature's " +
        "entities; it calls that feature's service. server/database/ registers every entity for " +
        'TypeORM and may; migrations/ and tests are outside this rule.',
      severity: 'error',
      from: { path: '^server/([^/]+)/', pathNot: ['^server/database/', ...TESTS] },
      to: { path: `^server/[^/]+/.*${ENTITY}`, pathNot: `^server/$1/` },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycles: a cycle makes load order matter (a module sees the other half undefined) ' +
        'and ties both files together, as config/app-config.ts and ratelimit/rate-limit.ts were.',
      severity: 'error',
      from: { path: '^(server|forecasting|wallboard)/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves to a file or a package: one this configuration cannot follow (a new path alias) escapes the rules above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.svelte', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
