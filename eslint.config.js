// Type-aware lint: the rules that catch what the compiler does not (floating promises, non-exhaustive switches).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.wrangler/', '.data/', 'drizzle/', 'bench/peer/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      // `import { z }` takes zod's whole namespace object (every locale, JSON Schema both ways) into the Worker
      // bundle, ~78 KiB gzip; `import * as z` lets the bundler keep only what is used.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[importKind='value'][source.value='zod'] > ImportSpecifier[importKind='value'][imported.name='z']",
          message: "Use `import * as z from 'zod'` (bundle size).",
        },
      ],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['test/**', 'bench/**', 'scripts/**', '**/*.test.ts', 'src/cli.ts', 'src/node.ts'],
    rules: { 'no-console': 'off' },
  },
  // vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any` by design.
  { files: ['test/**', '**/*.test.ts'], rules: { '@typescript-eslint/no-unsafe-assignment': 'off' } },
);
