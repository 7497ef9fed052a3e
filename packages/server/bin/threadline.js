#!/usr/bin/env node
// Plain JavaScript on purpose: an older Node must reach this check instead of failing to parse.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`threadline needs Node 24 (this is ${process.version}). Run it through npm (npm start), which uses the Node 24 this project installs.`);
  process.exit(1);
}
const { main } = await import("../src/cli.ts");
await main(process.argv.slice(2));
