// `npm run lint`: ESLint's and typescript-eslint's recommended rules; layout is Prettier's job (`npm run format`;
// eslint-config-prettier turns off the rules that would fight it). Departures from the presets, and why:
import eslint from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".cache/", "crds/", "**/*.d.ts"] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        process: "readonly",
        console: "readonly",
      },
    },
    rules: {
      // Modules are loaded lazily by package name on purpose: Pulumi serializes provider closures, and a module
      // required inside a method is captured by reference (providers/common/provider.ts).
      "@typescript-eslint/no-require-imports": "off",
      // `_name` marks a parameter an interface requires but this implementation does not use.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // The engine, zod and XML hand over untyped values at the edges; shown, but not an error.
      "@typescript-eslint/no-explicit-any": "warn",
      // Wrapping errors with { cause } is wanted; existing messages already carry the cause's text.
      "preserve-caught-error": "warn",
      // nunjucks calls filters with its own `this`; the template set is kept as `set`.
      "@typescript-eslint/no-this-alias": ["error", { allowedNames: ["set"] }],
    },
  },
  // Tests poke at engine state and provider results, which are untyped JSON.
  { files: ["test/**", "bench/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  prettier,
);
