// Loads the project named by :projectId.
export async function loadProject(req, res, next, id) {
  req.project = { id };
  next();
}
