import childProcess from 'node:child_process';
import net from 'node:net';

/**
 * The unit layer starts no process and opens no socket: it runs in seconds, anywhere, in any order. A unit test
 * that spawns, listens or connects fails here, naming what it did; such a test belongs in test/integration (same
 * path), which has the run's moto, loopback servers and the CLI as a process.
 *
 * Jest hands a test file the worker's own core modules, and a worker runs other projects' files after this one:
 * everything is put back after the file.
 */
const SPAWNS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
const refused = (what: string) => () => {
  throw new Error(
    `a unit test ${what} (test/support/jest/no-io.ts): the unit layer starts no process and opens no socket; ` +
      'move the test to test/integration/<same path>',
  );
};

const originals = {
  spawns: SPAWNS.map((name) => [name, childProcess[name]] as const),
  listen: net.Server.prototype.listen,
  connect: net.Socket.prototype.connect,
};

// Before the test file is loaded, so its own top-level code is held to it too.
for (const name of SPAWNS) Object.assign(childProcess, { [name]: refused(`started a process (${name})`) });
net.Server.prototype.listen = refused('opened a server (listen)') as never;
net.Socket.prototype.connect = refused('opened a socket (connect)') as never;

afterAll(() => {
  for (const [name, original] of originals.spawns) Object.assign(childProcess, { [name]: original });
  net.Server.prototype.listen = originals.listen;
  net.Socket.prototype.connect = originals.connect;
});
