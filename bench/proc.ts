// Memory of a process tree, from Linux /proc: what the end-to-end benches sample while a CLI runs.
import * as fs from "fs";

/** Peak (VmHWM) and current (VmRSS) resident set sizes in kB of `pid` and its descendants, by pid. */
export function tree(pid: number, into = new Map<number, { hwm: number; rss: number; name: string }>()) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kB = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
    const name = /^Name:\s+(\S+)/m.exec(status)?.[1] ?? "?";
    into.set(pid, { hwm: kB("VmHWM"), rss: kB("VmRSS"), name });
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const c of children ? children.split(" ") : []) tree(Number(c), into);
    }
  } catch {
    // The process exited between two reads.
  }
  return into;
}

/** Samples `pid`'s tree every `everyMs` until stopped; `peaks` keeps each process's highest VmHWM, by pid. */
export function sampleTree(pid: number, everyMs = 100) {
  const peaks = new Map<number, { hwm: number; name: string }>();
  const take = () => {
    for (const [p, s] of tree(pid)) {
      const prev = peaks.get(p);
      if (!prev || s.hwm > prev.hwm) peaks.set(p, { hwm: s.hwm, name: s.name });
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    peaks,
    stop() {
      clearInterval(timer);
      take();
      return peaks;
    },
  };
}

export function median(xs: number[]): number {
  const v = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}
