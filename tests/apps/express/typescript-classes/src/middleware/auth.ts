// Authentication and role middleware.
import { NextFunction, Request, Response } from 'express';

export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (!req.user) {
    res.sendStatus(401);
    return;
  }
  next();
}

export const requireRole =
  (role: string) =>
  (req: Request, res: Response, next: NextFunction): void => {
    if (req.user?.role !== role) return next(new Error('forbidden'));
    next();
  };
