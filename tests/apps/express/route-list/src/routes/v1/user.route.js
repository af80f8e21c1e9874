const express = require('express');
const auth = require('../../middlewares/auth');
const validate = require('../../middlewares/validate');
const userController = require('../../controllers/user.controller');
const router = express.Router();
router
  .route('/')
  .post(auth('manageUsers'), validate({}), userController.createUser)
  .get(auth('getUsers'), userController.getUsers);
router.route('/:userId').get(auth('getUsers'), userController.getUser);
module.exports = router;
