#!/usr/bin/env -S node --no-parallel-scavenge
// The options srpd runs with: src/util/node-args.ts (SRPD_NODE_ARGS).
import '../dist/src/cli/srpd.js';
