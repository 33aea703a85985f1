/**
 * Kafka Connect (agent routes, under /api/v1/environments/:environment/proxy).
 *
 *   GET    /api/kafka-connect/connectors          (read)  query: cluster*, className* → 200 {data: Connector[]}
 *   GET    /api/v1/resource/kafka/connect/:cluster/connector/:connector (read) → 200 text/yaml
 *          (name, cluster, className, configuration map) | 404
 *   POST   /api/kafka-connect/validate            (read; changes nothing) {name, cluster, configuration}
 *          → 200 {name: className, error_count, groups, configs: [{definition: {name, type, required, documentation, group},
 *                 value: {name, value, errors: string[], visible}}]} | 404 unknown cluster
 *   POST   /api/kafka-connect/connectors          (write) {name, cluster, configuration} → 201 Connector
 *          | 400 invalid_fields ("configuration.<key>") | 404 cluster | 409 exists
 *   PUT    /api/kafka-connect/clusters/:cluster/connectors/:connector/:action (write) action = start|stop|restart|pause|resume
 *          → 200 Connector (pause: PAUSED; resume/start: RUNNING; stop: STOPPED with no tasks; restart: RUNNING, every task RUNNING)
 *   PUT    /api/kafka-connect/clusters/:cluster/connectors/:connector/tasks/:task/restart (write) → 200 Connector
 *   DELETE /api/kafka-connect/clusters/:cluster/connectors/:connector (delete) → 204
 *
 * Connector = HttpConnectorListItem {name, lrn, cluster, state: RUNNING|PAUSED|STOPPED|FAILED, tasks: [{id, state}],
 *   className, type: "source"|"sink"} (the published list item; the configuration is in the YAML definition)
 * Seeded (dev, cluster connect-main): orders-s3-sink, customers-jdbc-source (task 0 FAILED), payments-file-sink (PAUSED).
 * Installed plugins: FileStreamSource/Sink, stream-reactor S3 sink, Confluent JDBC source (see PLUGINS).
 */
import { conflict, created, invalidFields, noContent, notFound, ok, text } from './http';
import type { AgentRoute } from './routes';
import type { AgentData, ConnectClusterRecord, ConnectorRecord, ConnectorTask } from './state';
import { FieldReader, RESOURCE_NAME, integerParam } from './validation';

interface Plugin {
  type: 'source' | 'sink';
  /** Required keys besides connector.class, with their documentation. */
  required: Record<string, string>;
}

const PLUGINS: Readonly<Record<string, Plugin>> = {
  'org.apache.kafka.connect.file.FileStreamSourceConnector': { type: 'source', required: { file: 'The file to read.', topic: 'The topic to write to.' } },
  'org.apache.kafka.connect.file.FileStreamSinkConnector': {
    type: 'sink',
    required: { file: 'The file to write.', topics: 'Comma-separated topics to read.' },
  },
  'io.lenses.streamreactor.connect.aws.s3.sink.S3SinkConnector': {
    type: 'sink',
    required: { topics: 'Comma-separated topics to read.', 'connect.s3.kcql': 'The KCQL statement mapping topics to buckets.' },
  },
  'io.confluent.connect.jdbc.JdbcSourceConnector': {
    type: 'source',
    required: { 'connection.url': 'The JDBC connection URL.', 'topic.prefix': 'Prefix of the topics written to.' },
  },
};

const ACTIONS = ['start', 'stop', 'restart', 'pause', 'resume'] as const;
type Action = (typeof ACTIONS)[number];

/** `HttpConnectorListItem` (https://docs.lenses.io/latest/api-reference/reference/kafka-connect). */
function connectorView(cluster: ConnectClusterRecord, connector: ConnectorRecord): Record<string, unknown> {
  return {
    name: connector.name,
    lrn: `lrn:kafka-connect:${cluster.name}/${connector.name}`,
    cluster: cluster.name,
    state: connector.status,
    tasks: connector.tasks.map((task) => ({ id: task.id, state: task.status })),
    className: connector.className,
    type: connector.type,
  };
}

function findCluster(data: AgentData, name: string): ConnectClusterRecord {
  const cluster = data.connectClusters.find((candidate) => candidate.name === name);
  if (!cluster) throw notFound(`Kafka Connect cluster '${name}' does not exist (known: ${data.connectClusters.map((c) => c.name).join(', ') || 'none'})`);
  return cluster;
}

function findConnector(cluster: ConnectClusterRecord, name: string): ConnectorRecord {
  const connector = cluster.connectors.find((candidate) => candidate.name === name);
  if (!connector) throw notFound(`Connector '${name}' does not exist on cluster '${cluster.name}'`);
  return connector;
}

/** Every configuration problem, per key (Kafka Connect's validate semantics). */
function configurationErrors(data: AgentData, name: string, configuration: Record<string, string>): Map<string, string[]> {
  const errors = new Map<string, string[]>();
  const add = (key: string, message: string) => errors.set(key, [...(errors.get(key) ?? []), message]);
  const className = configuration['connector.class'];
  const plugin = className === undefined ? undefined : PLUGINS[className];
  if (className === undefined || className.trim() === '')
    add('connector.class', 'Missing required configuration "connector.class" which has no default value.');
  else if (!plugin) add('connector.class', `Class ${className} could not be found. Installed plugins: ${Object.keys(PLUGINS).join(', ')}`);
  for (const key of Object.keys(plugin?.required ?? {})) {
    if (!configuration[key]?.trim()) add(key, `Missing required configuration "${key}" which has no default value.`);
  }
  const tasksMax = configuration['tasks.max'];
  if (tasksMax !== undefined && !/^[1-9]\d{0,2}$/.test(tasksMax)) add('tasks.max', 'Invalid value: must be a positive integer');
  if (configuration.name !== undefined && configuration.name !== name) add('name', `Must match the connector name '${name}'`);
  if (plugin?.type === 'sink') {
    for (const topic of (configuration.topics ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)) {
      if (!data.topics.some((candidate) => candidate.name === topic)) add('topics', `Topic '${topic}' does not exist`);
    }
  }
  return errors;
}

function validationReport(data: AgentData, name: string, configuration: Record<string, string>): Record<string, unknown> {
  const errors = configurationErrors(data, name, configuration);
  const className = configuration['connector.class'] ?? '';
  const plugin = PLUGINS[className];
  const documented: Record<string, string> = {
    'connector.class': 'Name or alias of the class for this connector.',
    'tasks.max': 'Maximum number of tasks to use for this connector.',
    ...(plugin?.required ?? {}),
  };
  const keys = [...new Set([...Object.keys(documented), ...Object.keys(configuration), ...errors.keys()])];
  return {
    name: className,
    error_count: [...errors.values()].reduce((sum, list) => sum + list.length, 0),
    groups: ['Common', ...(plugin ? [plugin.type === 'sink' ? 'Sink' : 'Source'] : [])],
    configs: keys.map((key) => ({
      definition: {
        name: key,
        type: 'STRING',
        required: key === 'connector.class' || key in (plugin?.required ?? {}),
        documentation: documented[key] ?? '',
        group: key in (plugin?.required ?? {}) ? 'Connector' : 'Common',
      },
      value: { name: key, value: configuration[key] ?? null, errors: errors.get(key) ?? [], visible: true },
    })),
  };
}

async function readConnectorRequest(body: () => Promise<unknown>) {
  const fields = new FieldReader(await body());
  const name = fields.string('name', { required: true, pattern: RESOURCE_NAME, patternMessage: 'must be letters, digits, ".", "_" or "-" (at most 128)' });
  const cluster = fields.string('cluster', { required: true });
  const configuration = fields.stringMap('configuration', { required: true });
  fields.done();
  return { name, cluster, configuration };
}

function freshTasks(cluster: ConnectClusterRecord, connector: ConnectorRecord, status: ConnectorTask['status']): ConnectorTask[] {
  const count = Number(connector.configuration['tasks.max'] ?? '1');
  return Array.from({ length: count }, (_, id) => ({ id, status, workerId: cluster.workers[id % cluster.workers.length] ?? 'worker-0', trace: null }));
}

function applyAction(cluster: ConnectClusterRecord, connector: ConnectorRecord, action: Action): void {
  switch (action) {
    case 'pause':
      connector.status = 'PAUSED';
      connector.tasks.forEach((task) => task.status !== 'FAILED' && (task.status = 'PAUSED'));
      return;
    case 'resume':
    case 'start':
      if (connector.status === 'STOPPED' || connector.tasks.length === 0) connector.tasks = freshTasks(cluster, connector, 'RUNNING');
      connector.status = 'RUNNING';
      connector.tasks.forEach((task) => task.status === 'PAUSED' && (task.status = 'RUNNING'));
      return;
    case 'stop':
      connector.status = 'STOPPED';
      connector.tasks = [];
      return;
    case 'restart':
      connector.status = 'RUNNING';
      connector.tasks = freshTasks(cluster, connector, 'RUNNING');
      return;
  }
}

/** A tiny YAML writer for the target definition (scalars as JSON strings, which YAML accepts). */
function connectorYaml(cluster: ConnectClusterRecord, connector: ConnectorRecord): string {
  const key = (name: string) => (/^[A-Za-z0-9._-]+$/.test(name) ? name : JSON.stringify(name));
  const lines = [
    `name: ${JSON.stringify(connector.name)}`,
    `cluster: ${JSON.stringify(cluster.name)}`,
    `className: ${JSON.stringify(connector.className)}`,
    'configuration:',
    ...Object.entries(connector.configuration).map(([name, value]) => `  ${key(name)}: ${JSON.stringify(value)}`),
  ];
  return lines.join('\n') + '\n';
}

export const connectorRoutes: AgentRoute[] = [
  {
    method: 'GET',
    path: '/api/kafka-connect/connectors',
    scope: 'read',
    handle: ({ agent, query }) => {
      const clusters = query.getAll('cluster');
      const classNames = query.getAll('className');
      const connectors = agent.connectClusters
        .filter((cluster) => clusters.length === 0 || clusters.includes(cluster.name))
        .flatMap((cluster) =>
          cluster.connectors.filter((c) => classNames.length === 0 || classNames.includes(c.className)).map((c) => connectorView(cluster, c)),
        );
      return ok({ data: connectors });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/resource/kafka/connect/:cluster/connector/:connector',
    scope: 'read',
    handle: ({ agent, params }) => {
      const cluster = findCluster(agent, params.cluster);
      return text(connectorYaml(cluster, findConnector(cluster, params.connector)), 'text/yaml; charset=utf-8');
    },
  },
  {
    method: 'POST',
    path: '/api/kafka-connect/validate',
    scope: 'read',
    changesState: false,
    handle: async ({ agent, body }) => {
      const request = await readConnectorRequest(body);
      findCluster(agent, request.cluster);
      return ok(validationReport(agent, request.name, request.configuration));
    },
  },
  {
    method: 'POST',
    path: '/api/kafka-connect/connectors',
    scope: 'write',
    handle: async ({ agent, body, now }) => {
      const request = await readConnectorRequest(body);
      const cluster = findCluster(agent, request.cluster);
      const errors = configurationErrors(agent, request.name, request.configuration);
      if (errors.size > 0)
        throw invalidFields([...errors].flatMap(([key, messages]) => messages.map((message) => ({ field: `configuration.${key}`, message }))));
      if (cluster.connectors.some((c) => c.name === request.name)) throw conflict(`Connector '${request.name}' already exists on cluster '${cluster.name}'`);
      const className = request.configuration['connector.class'];
      const connector: ConnectorRecord = {
        name: request.name,
        className,
        type: PLUGINS[className].type,
        status: 'RUNNING',
        tasks: [],
        configuration: request.configuration,
        createdAt: now().toISOString(),
      };
      connector.tasks = freshTasks(cluster, connector, 'RUNNING');
      cluster.connectors.push(connector);
      return created(connectorView(cluster, connector));
    },
  },
  {
    method: 'PUT',
    path: '/api/kafka-connect/clusters/:cluster/connectors/:connector/:action',
    scope: 'write',
    handle: ({ agent, params }) => {
      const action = params.action as Action;
      if (!ACTIONS.includes(action)) throw invalidFields([{ field: 'action', message: `must be one of ${ACTIONS.join(', ')}` }]);
      const cluster = findCluster(agent, params.cluster);
      const connector = findConnector(cluster, params.connector);
      applyAction(cluster, connector, action);
      return ok(connectorView(cluster, connector));
    },
  },
  {
    method: 'PUT',
    path: '/api/kafka-connect/clusters/:cluster/connectors/:connector/tasks/:task/restart',
    scope: 'write',
    handle: ({ agent, params }) => {
      const taskId = integerParam('task', params.task);
      const cluster = findCluster(agent, params.cluster);
      const connector = findConnector(cluster, params.connector);
      const task = connector.tasks.find((candidate) => candidate.id === taskId);
      if (!task) throw notFound(`Connector '${connector.name}' has no task ${taskId} (tasks: ${connector.tasks.map((t) => t.id).join(', ') || 'none'})`);
      task.status = connector.status === 'PAUSED' ? 'PAUSED' : 'RUNNING';
      task.trace = null;
      return ok(connectorView(cluster, connector));
    },
  },
  {
    method: 'DELETE',
    path: '/api/kafka-connect/clusters/:cluster/connectors/:connector',
    scope: 'delete',
    handle: ({ agent, params }) => {
      const cluster = findCluster(agent, params.cluster);
      const connector = findConnector(cluster, params.connector);
      cluster.connectors = cluster.connectors.filter((candidate) => candidate !== connector);
      return noContent();
    },
  },
];
