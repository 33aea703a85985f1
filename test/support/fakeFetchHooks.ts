// Mocha root hook (loaded through .mocharc.json `require`): after every test, each FakeFetch
// that was given `expect()` routes must have seen those requests, as oauth4webapi's mocks insist.
import type { RootHookObject } from 'mocha';
import { assertEveryFakeFetchUsed } from '../unit/oauth/fakes';

export const mochaHooks: RootHookObject = {
  afterEach() {
    assertEveryFakeFetchUsed();
  },
};
