#!/usr/bin/env node
// The image's command (`ticketing-be run worker`): Node runs the TypeScript sources itself
// (type stripping, Node 23.6+); on Node 20 run it as `node --import tsx cli/bin/ticketing-be.js`.
import '../src/main.ts';
