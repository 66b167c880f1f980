#!/usr/bin/env node
import '../dist/src/cli/srpd.js';
