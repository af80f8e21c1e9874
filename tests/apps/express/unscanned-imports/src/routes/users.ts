import { Router } from 'express';
import fixtures from '../../scripts/fixtures.json';
const users = Router();
users.get('/', (req, res) => res.json(fixtures));
export default users;
