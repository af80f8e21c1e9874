// The audit trail: who exported what, kept for investigations.
import { db } from "./db.js";

export async function record(event: string, details: Record<string, string>): Promise<void> {
  db.auditLog.push({ event, ...details });
}
