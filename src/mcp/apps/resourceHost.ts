import {
  ResourceNotFoundError,
  type McpServer,
  type ReadResourceResult,
  type ReadResourceTemplateCallback,
  type Resource,
  type ResourceMetadata,
  type ResourceTemplate,
  type Server,
} from '@modelcontextprotocol/server';

/** One resource at a fixed URI (an MCP Apps view). */
export interface FixedResource extends Resource {
  read: () => ReadResourceResult;
}

interface TemplateEntry {
  name: string;
  template: ResourceTemplate;
  metadata: ResourceMetadata;
  read: ReadResourceTemplateCallback;
}

/**
 * resources/list, resources/templates/list and resources/read on the low-level `Server` this
 * project builds: fixed resources (the `ui://` views) and URI templates (the SDK's skills
 * extension registers `skill://{+path}` through {@link asMcpServer}). The SDK's `McpServer` owns
 * the same three handlers, but this server is a `Server` so that tools/list and tools/call stay
 * governed by our own handlers.
 */
export class ResourceHost {
  readonly #fixed = new Map<string, FixedResource>();
  readonly #templates: TemplateEntry[] = [];

  constructor(private readonly server: Server) {
    server.registerCapabilities({ resources: {} });
    server.setRequestHandler('resources/list', async (_request, ctx) => {
      const listed: Resource[] = [...this.#fixed.values()].map(({ read: _read, ...resource }) => resource);
      for (const { template } of this.#templates) {
        const list = template.listCallback;
        if (list) listed.push(...(await list(ctx)).resources);
      }
      return { resources: listed };
    });
    server.setRequestHandler('resources/templates/list', () => ({
      resourceTemplates: this.#templates.map(({ name, template, metadata }) => ({ name, uriTemplate: template.uriTemplate.toString(), ...metadata })),
    }));
    server.setRequestHandler('resources/read', async (request, ctx) => {
      const uri = request.params.uri;
      const fixed = this.#fixed.get(uri);
      if (fixed) return fixed.read();
      for (const entry of this.#templates) {
        const variables = entry.template.uriTemplate.match(uri);
        if (variables) return entry.read(new URL(uri), variables, ctx);
      }
      throw new ResourceNotFoundError(uri, `No resource at ${uri}`);
    });
  }

  add(resource: FixedResource): void {
    this.#fixed.set(resource.uri, resource);
  }

  /**
   * The part of `McpServer` an SDK extension uses to attach itself (its `server`, whether it is
   * connected, `registerResource` with a template). Extensions are attached before `connect`.
   */
  asMcpServer(): McpServer {
    const facade = {
      server: this.server,
      isConnected: () => this.server.transport !== undefined,
      registerResource: (name: string, template: ResourceTemplate, metadata: ResourceMetadata, read: ReadResourceTemplateCallback) => {
        this.#templates.push({ name, template, metadata, read });
      },
    };
    // The extension calls only the members above; a whole McpServer would own tools/list too.
    return facade as unknown as McpServer;
  }
}
