import * as assert from 'node:assert/strict';
import { parseDemoArguments } from '../../../scripts/demo';

describe('npm run demo -- --scale N', () => {
  it('passes --scale N on to the emulator, and refuses a bad N with one line naming the flag', () => {
    assert.equal(parseDemoArguments(['--scale', '10000']).scale, 10_000);
    assert.equal(parseDemoArguments(['--scale=50']).scale, 50);
    assert.equal(parseDemoArguments([]).scale, undefined);
    for (const bad of [['--scale', '0'], ['--scale', 'x'], ['--scale']]) assert.throws(() => parseDemoArguments(bad), /^Error: --scale/, bad.join(' '));
  });
});
