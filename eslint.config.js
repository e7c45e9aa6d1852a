import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layer map (harness/README.md): each folder of harness/ may import only the folders before it
 * in this list, so an import against the direction fails lint. Tests and test support, lab/, bench/
 * and the root config files are outside it.
 */
export const LAYERS = [
  'model',
  'certs',
  'checks',
  'probes',
  'evidence',
  'report',
  'load',
  'validate',
  'kube',
  'tools',
  'cluster',
  'istio',
  'external',
  'run',
  'config-level',
  'host',
  'workshop',
  'cli',
];
/** Tests and their support may reach up (a test of the plan renders it with the CLI's renderer). */
const TESTS = ['**/*.test.ts', '**/*.config.ts', '**/testing/**'];
/** The layers below which nothing talks to a cluster. */
const CLUSTER_FREE = ['model', 'certs', 'checks', 'probes', 'evidence', 'report'];

function layerRules() {
  return LAYERS.map((folder, i) => {
    const above = LAYERS.slice(i + 1);
    const patterns = [];
    if (above.length > 0) {
      patterns.push({
        group: above.map((f) => `**/${f}/**`),
        message: `harness/${folder}/ imports only layers below it (${LAYERS.slice(0, i).join(', ') || 'none'}): see harness/README.md`,
      });
    }
    if (CLUSTER_FREE.includes(folder))
      patterns.push({ group: ['@kubernetes/client-node'], message: `harness/${folder}/ stays cluster-free` });
    // harness/index.ts is the scenarios' surface; the harness itself does not go through it.
    patterns.push({
      group: ['**/harness/index.ts', ...(folder === 'load' ? [] : ['../index.ts'])],
      message: 'harness/index.ts is for scenarios',
    });
    return { files: [`harness/${folder}/**/*.ts`], ignores: TESTS, rules: { 'no-restricted-imports': ['error', { patterns }] } };
  });
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['scenarios/**/*.ts'],
    // Config-level tests (npm run test:config) drive the real helper through its test support.
    ignores: ['scenarios/**/*.config.ts'],
    rules: {
      // Scenarios are data: they import the harness' public surface only.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/harness/*/**', '!**/harness/index.ts'], message: 'scenarios import only harness/index.ts' }] },
      ],
    },
  },
  ...layerRules(),
  {
    files: ['harness/**/*.ts'],
    ignores: ['harness/config-level/**', ...TESTS],
    rules: {
      // The config level's Go helper is a leaf that only harness/config-level/ builds and runs.
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/istio-sim(?!ulation)/]', message: 'only harness/config-level/ calls istio-sim/' },
      ],
    },
  },
);
