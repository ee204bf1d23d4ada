const w = new Worker(new URL('./workers/execute.worker.ts', import.meta.url), { type: 'module' });
w.onmessage = (e) => { document.getElementById('app')!.textContent += JSON.stringify(e.data).slice(0, 200) + '\n'; };
w.postMessage({ type: 'run', envId: 'Liquidate-v0', seed: 7, policies: ['twap', 'passive-twap'], acSeeds: 20 });
