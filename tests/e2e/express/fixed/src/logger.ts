// The app's log: structured lines on stdout.

export function info(message: string, fields: Record<string, unknown>): void {
  if (process.env.LOG_LEVEL === "info") {
    console.log(JSON.stringify({ level: "info", message, ...fields }));
  }
}
