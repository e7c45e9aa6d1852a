import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/harness/*/**', '!**/harness/index.ts'], message: 'scenarios import only harness/index.ts' }] }],
    },
  },
  {
    files: ['harness/probes/**', 'harness/checks/**', 'harness/report/**'],
    rules: {
      // Probes, checks and reports never import cluster or Istio code.
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cluster/**', '**/kube/**', '**/istio/**', '@kubernetes/client-node'], message: 'probes, checks and reports stay cluster-free' }] }],
    },
  },
);
