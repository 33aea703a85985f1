import type { Scope } from '../../src/scopes';
import type { Reply } from './http';
import type { AgentData, EmulatorState, EnvironmentRecord } from './state';

/** Who made a request, as the injected `authenticate` found out. */
export interface Principal {
  subject: string;
  scopes: ReadonlySet<Scope>;
  via: 'oauth' | 'api-key';
}

/** What every handler receives. */
export interface RequestContext {
  /** Path parameters, URL-decoded once and checked to hold no `/`, `\` or `..`. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly principal: Principal;
  readonly state: EmulatorState;
  /** The JSON body (`undefined` when empty); 400/413/415 problems when unreadable. */
  readonly body: () => Promise<unknown>;
  readonly now: () => Date;
}

/** A handler of an agent route also gets the (connected) environment it was proxied to. */
export interface AgentContext extends RequestContext {
  readonly environment: EnvironmentRecord;
  readonly agent: AgentData;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Route<C extends RequestContext> {
  method: Method;
  /** `/api/topics/:topic`: literal segments and `:name` parameters. */
  path: string;
  /** The scope the CALLING TOOL needs (DESIGN.md's table), checked before the handler runs. */
  scope: Scope;
  /** Whether a 2xx answer changed the state (calls `onChange`). Default: every method but GET. */
  changesState?: boolean;
  handle(context: C): Reply | Promise<Reply>;
}

/** A native HQ route (`/api/v1/environments…`). */
export type HqRoute = Route<RequestContext>;
/** An agent route, served at `/api/v1/environments/:environment/proxy` + `path`. */
export type AgentRoute = Route<AgentContext>;
