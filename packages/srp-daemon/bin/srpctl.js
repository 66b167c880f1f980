#!/usr/bin/env node
import '../dist/src/cli/srpctl.js';
