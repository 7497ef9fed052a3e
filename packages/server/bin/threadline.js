#!/usr/bin/env node
// Plain JavaScript on purpose: an older Node must reach this check instead of failing to parse.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`threadline needs Node 24 (this is ${process.version}). Run it through npm (npm start), which uses the Node 24 this project installs.`);
  process.exit(1);
}
if (process.argv[2] === "init") {
  // init sets up another app and needs none of the server, whose modules take seconds to load.
  const { initCommand, INIT_USAGE } = await import("../src/cli-init.ts");
  await initCommand(process.argv.slice(3), process.env, (message) => {
    console.error(`threadline init: ${message}\n\n${INIT_USAGE}`);
    process.exit(2);
  });
} else {
  const { main } = await import("../src/cli.ts");
  await main(process.argv.slice(2));
}
