// A pool worker: takes jobs from a moved mpmc receiver, sends { job, by } results through a
// moved mpsc sender. With `crashAfter`, throws after that many results, before taking another
// job (the worker stays alive, holding the jobs handed to it and not taken).
import { mpmc, mpsc } from 'rxjs-channel';
import { report, start } from './common.mjs';

start(async ({ jobs: jobsPort, results: resultsPort, id, crashAfter = -1 }) => {
  const jobs = mpmc.receiverFromPort(jobsPort);
  const results = mpsc.senderFromPort(resultsPort);
  report({ ready: id });
  let done = 0;
  for (;;) {
    if (done === crashAfter) throw new Error(`worker ${id} crashed`);
    const job = await jobs.recv();
    if (job === undefined) break;
    await results.send({ job, by: id });
    done++;
  }
  results.drop();
  report({ done });
});
