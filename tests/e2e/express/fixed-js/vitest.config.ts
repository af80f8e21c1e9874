// Every mock-resetting option on: the generated tests must stay meaningful with them.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    restoreMocks: true,
    mockReset: true,
    clearMocks: true,
  },
});
