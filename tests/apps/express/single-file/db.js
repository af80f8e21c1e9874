// Data access layer of the single-file fixture.
module.exports = {
  projects: {
    list: async (userId) => [],
    find: async (id) => ({ id }),
    remove: async (id) => undefined,
  },
};
