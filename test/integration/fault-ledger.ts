// Collects the faults a suite injected and how each ended, for the fault matrix in the README. With FAULT_MATRIX set
// to a file path, each suite appends its rows (resource | operation | fault | outcome | count) to that file.
import * as fs from "fs";

export class FaultLedger {
  private readonly rows: Array<{ operation: string; fault: string; outcome: string; count: number }> = [];

  constructor(readonly subject: string) {}

  /** One injected fault (or `count` of them) on `operation`, and what the user saw. */
  record(operation: string, fault: string, outcome: string, count = 1): void {
    this.rows.push({ operation, fault, outcome, count });
  }

  get injected(): number {
    return this.rows.reduce((n, r) => n + r.count, 0);
  }

  print(): void {
    const file = process.env.FAULT_MATRIX;
    if (!file) return;
    const lines = this.rows.map((r) => `| ${this.subject} | ${r.operation} | ${r.fault} | ${r.outcome} | ${r.count} |`);
    fs.appendFileSync(file, lines.join("\n") + "\n");
  }
}
