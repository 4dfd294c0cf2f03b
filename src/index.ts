// Entry point of the GitHub Action (dist/index.js, named by action.yml).
import { run } from './main.js';

await run();
