// Routes computed at run time: not statically resolvable.
exports.loadRoutes = () => JSON.parse(process.env.ROUTES || '[]');
