// Starts GOV.UK Frontend's components; loaded as a module so it runs only in supporting browsers.
import { initAll } from "./govuk-frontend.min.js";

initAll();
