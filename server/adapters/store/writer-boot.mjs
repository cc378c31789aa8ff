// Entry of the SQLite writer thread: registers the TypeScript loader inside the worker (Node 20
// does not pass loader hooks on to worker threads), then loads the worker module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
