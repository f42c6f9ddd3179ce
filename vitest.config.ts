import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that open sockets to real servers, start child processes or browsers, or wait out real timeouts: the
 * embedded target and the CLI end to end, the conformance suite, the embedded server's HTTP tests, the
 * library API run against a server, and the undici transport's socket-level timeouts.
 */
const E2E = [
  'test/e2e/**/*.test.ts',
  'test/conformance/**/*.test.ts',
  'test/scim-server/**/*.test.ts',
  'test/api/**/*.test.ts',
  'test/scim/undici-adapter.test.ts',
];

export default defineConfig({
  test: {
    // End-to-end tests start real HTTP servers on 127.0.0.1; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        // `npm run test:unit`, the inner loop: in-process tests (HTTP through nock or a loopback socket the test owns).
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...E2E] },
      },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
