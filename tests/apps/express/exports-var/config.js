module.exports = { db: 'x', port: 1 };
