// Starts GOV.UK Frontend's components (header menu, character counts, error summary).
import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()
