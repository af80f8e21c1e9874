const express = require('express');
const swaggerUi = require('swagger-ui-express');
const router = express.Router();
router.use('/', swaggerUi.serve);
router.get('/', swaggerUi.setup({ openapi: '3.0.0' }, { explorer: true }));
module.exports = router;
