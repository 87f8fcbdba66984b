// Enhance GOV.UK components (error summary focus, character counts, ...). Pages work without it.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
