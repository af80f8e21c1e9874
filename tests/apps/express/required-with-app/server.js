// Route modules required and called with the app in one expression (`require(x)(app)`),
// a router created inside one of them, a middleware that only sets a header, and guards
// listed in arrays.
const express = require("express");
const cors = require("cors");
const app = express();
var corsOptions = { origin: "http://localhost:8081" };
app.use(cors(corsOptions));
app.use(express.json());
app.use(express.urlencoded({ extended: true }));
const db = require("./app/models");
db.sequelize.sync().then(() => { console.log("Synced db."); });
app.get("/", (req, res) => { res.json({ message: "Welcome." }); });
require("./app/routes/tutorial.routes")(app);
require('./app/routes/user.routes')(app);
const PORT = process.env.PORT || 8080;
app.listen(PORT, () => { console.log(`Server is running on port ${PORT}.`); });
