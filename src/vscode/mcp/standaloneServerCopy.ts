import { dirname, join } from 'node:path';
import type { Logger } from '../../log';
import { TELEMETRY_CHUNK } from '../../telemetry/telemetry';

/** The file operations the copy needs (vscode.workspace.fs in the editor, a fake in tests). */
export interface CopyFileSystem {
  createDirectory(path: string): Promise<void>;
  copy(from: string, to: string): Promise<void>;
  exists(path: string): Promise<boolean>;
}

/**
 * Keeps a copy of the bundled `lenses-mcp` server at a path that survives extension updates
 * (the global storage folder), so a configuration copied for Claude Desktop or Cursor keeps
 * working when the extension's own, versioned folder changes.
 */
export class StandaloneServerCopy {
  constructor(
    private readonly fs: CopyFileSystem,
    private readonly bundled: string,
    private readonly storageDir: string,
    private readonly logger: Logger,
  ) {}

  get path(): string {
    return `${this.storageDir}/lenses-mcp.js`;
  }

  /** Writes the copy (overwriting an older one) and returns its path. */
  async install(): Promise<string> {
    await this.fs.createDirectory(this.storageDir);
    await this.fs.copy(this.bundled, this.path);
    // The OpenTelemetry chunk the server loads beside itself when OTEL_ENABLED is on.
    const chunk = join(dirname(this.bundled), TELEMETRY_CHUNK);
    if (await this.fs.exists(chunk)) await this.fs.copy(chunk, `${this.storageDir}/${TELEMETRY_CHUNK}`);
    this.logger.info(`Copied the standalone Lenses MCP server to ${this.path}`);
    return this.path;
  }

  /** On activation: refresh a copy made by an earlier version; make none that was not asked for. */
  async refreshIfInstalled(): Promise<void> {
    if (await this.fs.exists(this.path)) await this.install();
  }
}
