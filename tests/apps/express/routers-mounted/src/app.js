// ES-module app: routers in files, mounted with prefixes, nested with mergeParams.
import express from 'express';
import cors from 'cors';
import routes from './routes/index.js';
import { requireLogin } from './middleware/auth.js';
import * as audit from './middleware/audit.js';

const app = express();
app.use(cors());
app.use('/api', requireLogin, audit.trail, routes);

export default app;
