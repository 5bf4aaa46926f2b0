// Writes docs/screenshot.png (the README's picture) from a running build:
//   node e2e/screenshot.mjs   (after `make build`)
import path from 'node:path';
import { startServer, launch, waitIdle } from './lib.mjs';

const server = await startServer();
const b = await launch({ width: 1200, height: 700 });
try {
  await b.page.goto(`${server.url}?ra=250&dec=-25&fov=170`);
  await waitIdle(b.page);
  await b.page.mouse.move(620, 330);
  await new Promise(r => setTimeout(r, 200));
  await b.page.screenshot({ path: path.resolve(import.meta.dirname, '../docs/screenshot.png') });
} finally {
  await b.close();
  await server.stop();
}
