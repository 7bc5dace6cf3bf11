#!/usr/bin/env node
// `itmap-module`: the team commands in a module's own repository (templates/module/README.md). Their code is
// scripts/itmap-module.ts of the platform's repository, bundled beside this file when the kit is packed
// (scripts/kit-bin.ts, the kit's prepack); in the platform's repository use `npm run module -- …` instead.
import './itmap-module.bundle.js';
