// In-memory data access.
module.exports = { users: { all: async () => [], find: async () => null, update: async () => {} } };
