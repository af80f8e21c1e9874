module.exports = { sequelize: { sync: () => Promise.resolve() } };
