exports.canView = async (userId, projectId) => Boolean(userId && projectId);
