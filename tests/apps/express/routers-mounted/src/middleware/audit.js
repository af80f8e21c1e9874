// Audit trail middleware.
export const trail = (req, res, next) => {
  next();
};
