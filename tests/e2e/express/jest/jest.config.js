// jest for the report example (templates/jest/HARNESS.md): TypeScript through ts-jest,
// compiled to CommonJS, so jest.spyOn works on the app's modules and Node needs no
// --experimental-vm-modules. Every mock-resetting option on: the generated tests must
// stay meaningful with them.
/** @type {import("jest").Config} */
export default {
  testEnvironment: "node",
  transform: {
    // `.js` too (allowJs), for a JavaScript harness and tests next to the TypeScript app.
    "^.+\\.[cm]?[jt]s$": [
      "ts-jest",
      {
        // Transpile only (tsc --noEmit checks the types), to CommonJS whatever the
        // project's tsconfig says; NodeNext would keep ES modules in a "type": "module"
        // package.
        tsconfig: {
          module: "CommonJS",
          moduleResolution: "Node10",
          esModuleInterop: true,
          isolatedModules: true,
          allowJs: true,
        },
      },
    ],
  },
  // The sources import each other as `./db.js` (the emitted name, as NodeNext wants);
  // jest resolves the files on disk, so drop `.js` from relative imports.
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  restoreMocks: true,
  resetMocks: true,
  clearMocks: true,
  // The property-based tests send up to 100 requests each.
  testTimeout: 60000,
};
