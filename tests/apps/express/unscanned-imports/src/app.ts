// Imports of a .json file, of a declaration file, and of files outside `include`:
// scanned with include ["src/**"], they give one summary warning, not one each.
import express from 'express';
import pkg from '../package.json';
import config from './config.json';
import type { User } from './types';
import { seed } from '../scripts/seed';
import users from './routes/users';
// A typo stays its own warning.
import { missing } from './no-such-file';

const app = express();
app.get('/version', (req, res) => res.json({ version: pkg.version, env: config.env }));
app.use('/users', users);

export default app;
