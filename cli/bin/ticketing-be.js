#!/usr/bin/env node
// The image's command (`ticketing-be run worker`), the same CLI as `tbe` (see tbe.js).
import './tbe.js';
