// R3's baseline: the reminder schedule kept by plain setTimeout in one Bun
// process that does nothing else. Run as its own process (not inside the
// bench, whose event loop also pumps every service's log and hosts the SMTP
// sink) so it shows what a bare timer achieves under the same machine load.
// Reads the wall-clock targets (epoch ms) as JSON on stdin; prints each
// timer's lateness in ms as JSON when the last one has fired.
const targets = (await Bun.stdin.json()) as number[];
const lateness: number[] = new Array(targets.length);
let left = targets.length;
if (left === 0) console.log("[]");
targets.forEach((at, i) => {
  // The delay a naive implementation would compute: target minus the clock now.
  setTimeout(() => {
    lateness[i] = Date.now() - at;
    if (--left === 0) console.log(JSON.stringify(lateness));
  }, at - Date.now());
});

export {}; // a module, for the top-level await
