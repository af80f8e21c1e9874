// Membership checks.
export async function canView(userId, projectId) {
  return Boolean(userId && projectId);
}
export async function canEdit(userId, projectId) {
  return Boolean(userId && projectId);
}
