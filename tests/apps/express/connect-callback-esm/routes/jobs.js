export default function registerJobs(app, redis) {
  app.get('/users/jobs', async (req, res) => res.json(await redis.lRange('jobs', 0, -1)));
}
