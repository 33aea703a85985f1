/**
 * The contract with Lenses: for every endpoint we read, the answer each Lenses version
 * publishes (zod schemas that keep unknown keys), the request, and the reference URL. The
 * tools, the connected-applications client, the environment-tier lookup and the HQ
 * emulator all read (or serve) HQ's answers through it.
 */
export {
  LENSES_VERSIONS,
  NEWEST_LENSES_VERSION,
  isLensesVersion,
  readAnswer,
  topLevelKeys,
  type Endpoint,
  type LensesVersion,
  type ReadAnswer,
} from './versions';
export { ENVIRONMENT, ENVIRONMENT_LIST, environment, type Environment } from './environments';
export { CONNECTED_APPS, appProvenance, authorization62, authorization63, type PublishedAuthorization } from './connectedApps';
export {
  APPROVAL_LIST,
  CONNECT_STATES,
  CONNECTOR_LIST,
  CONSUMER_GROUP_LIST,
  DATASET_LIST,
  PROCESSOR_LIST,
  TOPIC_LIST,
  TOPIC_METADATA_LIST,
  type ConnectorListItem,
  type ConsumerGroup,
  type Processor,
} from './agent';
export { agentBadRequest, hqError, hqErrorLenient, hqInvalidField, oauthError, otherInvalidField, type AgentBadRequest, type HqError } from './problems';
