import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoReadme, kib, lastLines, parseDemoArguments, portBusy } from '../../../scripts/demo';

describe('npm run demo', () => {
  describe('flags', () => {
    it('defaults to code-server on 8080, the emulator on 127.0.0.1:9991, and a fresh package', () => {
      assert.deepEqual(parseDemoArguments([]), { port: 8080, hqPort: 9991, host: '127.0.0.1', package: true, verbose: false, help: false });
    });

    it('takes --port, --hq-port and --host, in both "--flag value" and "--flag=value" forms', () => {
      const options = parseDemoArguments(['--port', '0', '--hq-port=9000', '--host', 'localhost']);
      assert.equal(options.port, 0);
      assert.equal(options.hqPort, 9000);
      assert.equal(options.host, 'localhost');
    });

    it('--vsix reuses the given file and skips packaging', () => {
      const options = parseDemoArguments(['--vsix', 'some/dir/x.vsix']);
      assert.equal(options.package, false);
      assert.match(options.vsix ?? '', /^\/.*some\/dir\/x\.vsix$/);
      assert.equal(parseDemoArguments(['--no-package']).package, false);
    });

    it('refuses unknown flags, bad ports and missing values with a one-line reason', () => {
      assert.throws(() => parseDemoArguments(['--prot', '1']), /unknown flag "--prot"/);
      assert.throws(() => parseDemoArguments(['--port', '70000']), /--port must be a port from 0 to 65535/);
      assert.throws(() => parseDemoArguments(['--port', '-1']), /--port must be a port/);
      assert.throws(() => parseDemoArguments(['--hq-port']), /--hq-port needs a value/);
      assert.throws(() => parseDemoArguments(['--host', '--port', '1']), /--host needs a value/);
    });
  });

  describe('ports', () => {
    let server: Server;
    let port: number;
    beforeEach(async () => {
      server = createServer((request, response) => response.end(`hello from ${request.url}`));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterEach(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('a port something listens on is busy; once it is free, it is not; port 0 never is', async () => {
      assert.equal(await portBusy('127.0.0.1', port), true);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      assert.equal(await portBusy('127.0.0.1', port), false);
      assert.equal(await portBusy('127.0.0.1', 0), false);
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
  });

  it('the workspace README names the emulator, both logins and the Copilot prompt to try', () => {
    const readme = demoReadme('http://127.0.0.1:9991');
    assert.match(readme, /http:\/\/127\.0\.0\.1:9991/);
    assert.match(readme, /`admin` \/ `admin`/);
    assert.match(readme, /`alice` \/ `alice`/);
    assert.match(readme, /list the topics in the dev environment/);
    assert.match(readme, /Sign in to Lenses/);
  });

  it('shows sizes in KiB and keeps only the last lines of a failing command', () => {
    assert.equal(kib(224_682), '219 KiB');
    assert.equal(kib(4270), '4.2 KiB');
    assert.equal(lastLines('a\n\nb\nc\n', 2), '  | b\n  | c');
  });
});
