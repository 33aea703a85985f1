import assert from 'node:assert/strict';
import {
  APPROVAL_LIST,
  CONNECTED_APPS,
  CONNECTOR_LIST,
  CONSUMER_GROUP_LIST,
  DATASET_LIST,
  ENVIRONMENT,
  ENVIRONMENT_LIST,
  PROCESSOR_LIST,
  readAnswer,
  TOPIC_LIST,
  type Endpoint,
} from '../../../src/lenses/contract';
import { LensesApiError, problemFromResponse } from '../../../src/lenses/errors';
import {
  AGENT_BAD_REQUEST,
  APPROVALS,
  CONNECTED_APPS_62,
  CONNECTED_APPS_63,
  CONNECTORS,
  CONSUMER_GROUPS,
  DATASETS,
  ENVIRONMENTS,
  HQ_ERROR,
  PROCESSORS,
  TOPICS,
} from './publishedAnswers';

const cases: Array<[string, Endpoint<unknown>, unknown]> = [
  ['environments', ENVIRONMENT_LIST, ENVIRONMENTS],
  ['one environment', ENVIRONMENT, ENVIRONMENTS.items[0]],
  ['connectors', CONNECTOR_LIST, CONNECTORS],
  ['SQL processors', PROCESSOR_LIST, PROCESSORS],
  ['consumer groups', CONSUMER_GROUP_LIST, CONSUMER_GROUPS],
  ['topics', TOPIC_LIST, TOPICS],
  ['datasets', DATASET_LIST, DATASETS],
  ['approval requests', APPROVAL_LIST, APPROVALS],
];

describe('the Lenses contract: published answers', () => {
  for (const [what, endpoint, example] of cases) {
    it(`HQ-01 reads the published ${what} answer (${endpoint.request}) and returns it as it came`, () => {
      const read = readAnswer(endpoint, example);
      assert.equal(read.known, true);
      assert.equal(read.known && read.value, example, "HQ's own object, keys in HQ's order");
    });
  }

  it('HQ-03 the connected-applications list: 6.2 reads as 6.2, 6.3 as 6.3', () => {
    assert.deepEqual(readAnswer(CONNECTED_APPS, CONNECTED_APPS_62).known && readAnswer(CONNECTED_APPS, CONNECTED_APPS_62), {
      known: true,
      version: '6.2',
      value: CONNECTED_APPS_62,
    });
    const newer = readAnswer(CONNECTED_APPS, CONNECTED_APPS_63);
    assert.equal(newer.known && newer.version, '6.3');
  });

  for (const [what, endpoint] of cases) {
    it(`HQ-02 an answer of no published shape is not recognised: ${what}`, () => {
      for (const unknown of [{}, null, 'text', { renamed: [] }, endpoint === CONSUMER_GROUP_LIST || endpoint === TOPIC_LIST ? { items: [] } : []]) {
        assert.equal(readAnswer(endpoint, unknown).known, false, JSON.stringify(unknown));
      }
    });
  }

  it('HQ-02 the old, unpublished shapes are not mistaken for published ones', () => {
    assert.equal(readAnswer(CONNECTOR_LIST, { connectors: [{ name: 'x', status: 'RUNNING' }] }).known, false);
    assert.equal(readAnswer(PROCESSOR_LIST, { processors: [{ id: 'p', name: 'x', status: 'RUNNING' }] }).known, false);
    assert.equal(readAnswer(CONNECTED_APPS, { items: [{ client_id: 'c', client_name: 'n', scopes: ['read'] }] }).known, false);
  });
});

describe('errors as Lenses publishes them', () => {
  it('hq_Error: the title, then the invalid fields by name with their titles, and the request id', () => {
    const error = problemFromResponse(400, 'Bad Request', JSON.stringify(HQ_ERROR));
    assert.ok(error instanceof LensesApiError);
    assert.equal(error.type, 'validation_error');
    assert.equal(error.requestId, 'req-1');
    assert.equal(error.message, 'Lenses answered 400 The request is not valid: invalid fields: tier (Unknown tier)');
    assert.equal(error.hqText, 'The request is not valid');
  });

  it('agent_BadRequest: the error, then each field with its line and column (SQL)', () => {
    const error = problemFromResponse(400, 'Bad Request', JSON.stringify(AGENT_BAD_REQUEST));
    assert.equal(error.type, 'SqlValidation');
    assert.equal(error.message, "Lenses answered 400 Bad Request: Invalid SQL: invalid fields: sql (Unknown topic 'ordrs', line 1 column 35)");
    assert.deepEqual(error.invalidFields, [{ field: 'sql', message: "Unknown topic 'ordrs'", line: 1, column: 35 }]);
  });

  it('an OAuth error: error_description; anything else: the raw body, bounded; the credential blanked everywhere', () => {
    assert.equal(
      problemFromResponse(401, 'Unauthorized', '{"error":"invalid_token","error_description":"token expired"}').hqText,
      'Unauthorized: token expired',
    );
    const raw = problemFromResponse(502, 'Bad Gateway', `{"upstream":"down","x":"${'y'.repeat(1000)}"}`);
    assert.match(raw.message, /^Lenses answered 502 Bad Gateway: \{"upstream":"down"/);
    assert.ok(raw.message.length < 450, String(raw.message.length));
    const echoed = problemFromResponse(401, 'Unauthorized', 'token sekret-token-123 revoked; Authorization: Bearer other.jwt.value', 'sekret-token-123');
    assert.doesNotMatch(echoed.message, /sekret-token-123|other\.jwt\.value/);
  });
});
