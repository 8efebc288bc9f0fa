// Starts GOV.UK Frontend's components; loaded as a module so it runs only in supporting browsers.
import { initAll } from "./govuk-frontend.min.js";
import { initSessionTimeout } from "./session-timeout.js";

initAll();
initSessionTimeout(document.getElementById("app-timeout"));
