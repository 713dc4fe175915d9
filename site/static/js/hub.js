// Starts GOV.UK Frontend's components (error summary focus, checkboxes, skip link).
import { initAll } from "./govuk-frontend.min.js";

initAll();
