// Users router, a named export.
import { Router } from 'express';

export const usersRouter = Router();

usersRouter.get('/me', (req, res) => res.json(req.user));
