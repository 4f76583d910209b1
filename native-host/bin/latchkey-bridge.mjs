#!/usr/bin/env node
// `npx latchkey-bridge install|uninstall`: the TypeScript CLI, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../cli.ts');
