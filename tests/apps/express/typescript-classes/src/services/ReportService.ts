// Builds project reports.
export class ReportService {
  async build(projectId: string): Promise<object> {
    return { projectId };
  }
}
