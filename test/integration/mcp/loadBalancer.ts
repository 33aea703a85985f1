import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The path of a Debian binary (nginx, haproxy), or undefined when it is not installed. */
export function findBinary(name: string): string | undefined {
  for (const candidate of [`/usr/sbin/${name}`, `/usr/bin/${name}`, name]) {
    const probe = spawnSync(candidate, ['-v'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/** `count` distinct loopback ports that were free a moment ago (replicas restart on theirs). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * The nginx `http` block for stateless replicas, as docs/STANDALONE.md shows it: round robin, no
 * upstream keep-alive (a kept-alive connection closed by a replica would turn a POST into a
 * 502: nginx does not retry non-idempotent requests once sent), the client's Host passed on
 * (the replicas' Host rule), SSE unbuffered.
 */
export function nginxStatelessConfig(replicas: readonly string[], listen: string): string {
  return `upstream lenses_mcp {
${replicas.map((replica) => `    server ${replica} max_fails=1 fail_timeout=5s;`).join('\n')}
}
server {
    listen ${listen};
    location / {
        proxy_pass http://lenses_mcp;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_buffering off;
        proxy_read_timeout 1h;
        proxy_next_upstream error timeout;
        proxy_connect_timeout 2s;
    }
}`;
}

/**
 * The nginx `http` block for sessionful replicas started with MCP_REPLICA_ID: a session ID
 * `<replica>.<uuid>` goes to its replica; requests without one (initialize) go round robin.
 */
export function nginxSessionfulConfig(replicas: ReadonlyArray<{ id: string; address: string }>, listen: string): string {
  return `map $http_mcp_session_id $lenses_mcp_upstream {
${replicas.map((replica) => `    "~^${replica.id}\\." lenses_mcp_${replica.id};`).join('\n')}
    default lenses_mcp;
}
upstream lenses_mcp {
${replicas.map((replica) => `    server ${replica.address};`).join('\n')}
}
${replicas.map((replica) => `upstream lenses_mcp_${replica.id} { server ${replica.address}; }`).join('\n')}
server {
    listen ${listen};
    location / {
        proxy_pass http://$lenses_mcp_upstream;
        proxy_set_header Host $host;
        proxy_buffering off;
        proxy_read_timeout 1h;
    }
}`;
}

/** HAProxy for sessionful replicas: a stick table learns each Mcp-Session-Id from the answer that created it. */
export function haproxySessionfulConfig(replicas: ReadonlyArray<{ id: string; address: string }>, listen: string): string {
  return `defaults
    mode http
    timeout connect 2s
    timeout client 1h
    timeout server 1h
frontend lenses_mcp
    bind ${listen}
    default_backend lenses_mcp
backend lenses_mcp
    balance roundrobin
    stick-table type string len 64 size 100k expire 30m
    stick store-response res.hdr(mcp-session-id)
    stick match req.hdr(mcp-session-id)
${replicas.map((replica) => `    server ${replica.id} ${replica.address}`).join('\n')}`;
}

export interface RunningBalancer {
  url: string;
  log(): string;
  stop(): Promise<void>;
}

/** Runs nginx in the foreground (one process, files in a temp folder) with `httpBlock`. */
export function startNginx(binary: string, httpBlock: string, port: number): Promise<RunningBalancer> {
  const dir = mkdtempSync(join(tmpdir(), 'lenses-nginx-'));
  for (const sub of ['client', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const config = `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path ${dir}/client;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
${httpBlock}
}
`;
  writeFileSync(join(dir, 'nginx.conf'), config);
  const child = spawn(binary, ['-e', join(dir, 'error.log'), '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  return started(child, port, dir, () => safeRead(join(dir, 'error.log')));
}

/** Runs HAProxy in the foreground with `config`. */
export function startHaproxy(binary: string, config: string, port: number): Promise<RunningBalancer> {
  const dir = mkdtempSync(join(tmpdir(), 'lenses-haproxy-'));
  writeFileSync(join(dir, 'haproxy.cfg'), `${config}\n`);
  const child = spawn(binary, ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: ['ignore', 'ignore', 'pipe'] });
  return started(child, port, dir, () => '');
}

async function started(child: ChildProcess, port: number, dir: string, fileLog: () => string): Promise<RunningBalancer> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => `${stderr}${fileLog()}`;
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the balancer did not start: ${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
