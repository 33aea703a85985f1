import assert from 'node:assert/strict';
import { errorMessage } from '../../src/errors';

describe('errorMessage', () => {
  it('is the message of an Error and the text of anything else thrown', () => {
    assert.equal(errorMessage(new TypeError('bad input')), 'bad input');
    assert.equal(errorMessage('a string'), 'a string');
    assert.equal(errorMessage(42), '42');
    assert.equal(errorMessage(undefined), 'undefined');
  });
});
